import {
  DEVICE_KEY_STATE_EVENT,
  DEVICE_KEYS_TOPIC,
  REGISTRY_EVENT_VERSION,
  VESSEL_STATE_EVENT,
  VESSELS_TOPIC,
  type DeviceKeyState,
  type VesselState,
} from '@fleetwatch/fleet-registry';
import { createEnvelope } from '@fleetwatch/messaging';
import type { OutboxMessage } from '@fleetwatch/outbox';
import type { DeviceKeyRow } from './db/device-keys.js';
import type { VesselRow } from './db/vessels.js';

/** The schema whose outbox carries this service's events. */
export const OUTBOX_SCHEMA = 'fleet';

export function vesselState(row: VesselRow): VesselState {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    imo: row.imo,
    mmsi: row.mmsi,
    name: row.name,
    shipType: row.ship_type,
    flag: row.flag,
    status: row.status,
    dwt: row.dwt,
    gt: row.gt,
    archived: row.archived_at !== null,
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
  };
}

export function deviceKeyState(row: DeviceKeyRow): DeviceKeyState {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    vesselId: row.vessel_id,
    secretHash: row.secret_hash,
    revoked: row.revoked_at !== null,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

/** The vessel's whole state for the compacted registry topic, keyed by vessel id. */
export function vesselStateMessage(row: VesselRow): OutboxMessage {
  return {
    topic: VESSELS_TOPIC,
    key: row.id,
    value: createEnvelope({
      type: VESSEL_STATE_EVENT,
      version: REGISTRY_EVENT_VERSION,
      tenant: row.tenant_id,
      data: vesselState(row),
    }),
  };
}

export function deviceKeyStateMessage(row: DeviceKeyRow): OutboxMessage {
  return {
    topic: DEVICE_KEYS_TOPIC,
    key: row.id,
    value: createEnvelope({
      type: DEVICE_KEY_STATE_EVENT,
      version: REGISTRY_EVENT_VERSION,
      tenant: row.tenant_id,
      data: deviceKeyState(row),
    }),
  };
}
