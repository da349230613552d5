import { Type, type Static } from '@sinclair/typebox';

/**
 * Compacted topics the fleet service publishes, keyed by entity id. Each message carries the entity's
 * whole current state (not a change), so compaction keeps exactly what a read model needs.
 */
export const VESSELS_TOPIC = 'fleet.vessels.v1';
export const DEVICE_KEYS_TOPIC = 'fleet.device-keys.v1';

// Patterns rather than `format`: TypeBox's Value.Check knows no formats unless they are registered.
const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const TIMESTAMP = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';

export const VESSEL_STATE_EVENT = 'fleet.vessel.state';
export const DEVICE_KEY_STATE_EVENT = 'fleet.device-key.state';
export const REGISTRY_EVENT_VERSION = 1;

/** Ship types: the IMO CII categories (size bands follow from DWT/GT). */
export const SHIP_TYPES = [
  'bulk-carrier',
  'gas-carrier',
  'tanker',
  'container-ship',
  'general-cargo',
  'refrigerated-cargo-carrier',
  'combination-carrier',
  'lng-carrier',
  'ro-ro-vehicle-carrier',
  'ro-ro-cargo',
  'ro-ro-passenger',
  'ro-ro-passenger-high-speed',
  'cruise-passenger',
] as const;
export type ShipType = (typeof SHIP_TYPES)[number];

export const VESSEL_STATUSES = ['active', 'laid-up', 'sold'] as const;
export type VesselStatus = (typeof VESSEL_STATUSES)[number];

export const VesselState = Type.Object(
  {
    id: Type.String({ pattern: UUID }),
    tenantId: Type.String({ pattern: UUID }),
    imo: Type.String({ pattern: '^[0-9]{7}$' }),
    mmsi: Type.Union([Type.String({ pattern: '^[0-9]{9}$' }), Type.Null()]),
    name: Type.String(),
    shipType: Type.Union(SHIP_TYPES.map((type) => Type.Literal(type))),
    flag: Type.String({ pattern: '^[A-Z]{2}$' }),
    status: Type.Union(VESSEL_STATUSES.map((status) => Type.Literal(status))),
    dwt: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    gt: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    /** Archived vessels keep their history but no longer belong to the active fleet. */
    archived: Type.Boolean(),
    /** Increases with every change; a read model ignores a state older than the one it has. */
    version: Type.Integer({ minimum: 1 }),
    updatedAt: Type.String({ pattern: TIMESTAMP }),
  },
  { additionalProperties: false },
);
export type VesselState = Static<typeof VesselState>;

export const DeviceKeyState = Type.Object(
  {
    /** The key's public id, the part before the dot in the presented key. */
    id: Type.String({ pattern: '^[a-z0-9]{16}$' }),
    tenantId: Type.String({ pattern: UUID }),
    vesselId: Type.String({ pattern: UUID }),
    /** SHA-256 of the secret part, hex. The secret itself is shown once, at creation, and never stored. */
    secretHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    revoked: Type.Boolean(),
    createdAt: Type.String({ pattern: TIMESTAMP }),
    revokedAt: Type.Union([Type.String({ pattern: TIMESTAMP }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type DeviceKeyState = Static<typeof DeviceKeyState>;
