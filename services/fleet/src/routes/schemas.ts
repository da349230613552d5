import { SHIP_TYPES, VESSEL_STATUSES } from '@fleetwatch/fleet-registry';
import { Nullable, StringEnum } from '@fleetwatch/service-kit';
import { Type } from '@sinclair/typebox';

/** Shared request/response schemas; each `$id` is the component name in the OpenAPI document. */

export const Uuid = Type.String({ format: 'uuid', examples: ['6f1c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b'] });

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const Limit = Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size' });
export const CursorParam = Type.String({
  minLength: 1,
  maxLength: 500,
  description: 'The `nextCursor` of the previous page',
});

export const ShipTypeSchema = StringEnum(SHIP_TYPES, { description: 'IMO CII ship type' });
export const VesselStatusSchema = StringEnum(VESSEL_STATUSES);

export const Tenant = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Tenant', title: 'Tenant', additionalProperties: false },
);

export const TenantCreate = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200, examples: ['Nordic Bulk Shipping AS'] }) },
  { $id: 'TenantCreate', title: 'TenantCreate', additionalProperties: false },
);

export const TenantPage = Type.Object(
  { items: Type.Array(Type.Ref(Tenant)), nextCursor: Nullable(Type.String()) },
  { $id: 'TenantPage', title: 'TenantPage' },
);

const vesselFields = {
  mmsi: Nullable(
    Type.String({
      format: 'mmsi',
      description: 'Maritime Mobile Service Identity of a ship station (9 digits, first digit 2–7)',
      examples: ['257123450'],
    }),
  ),
  name: Type.String({ minLength: 1, maxLength: 100, examples: ['Nordic Aurora'] }),
  callSign: Nullable(
    Type.String({ minLength: 1, maxLength: 12, pattern: '^[A-Z0-9]+$', examples: ['LAXY7'] }),
  ),
  flag: Type.String({ format: 'flag', description: 'Flag state, ISO 3166-1 alpha-2', examples: ['NO'] }),
  shipType: ShipTypeSchema,
  dwt: Nullable(
    Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Deadweight tonnage', examples: [81_600] }),
  ),
  gt: Nullable(
    Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Gross tonnage', examples: [43_300] }),
  ),
  yearBuilt: Nullable(Type.Integer({ minimum: 1900, maximum: 2100, examples: [2019] })),
  status: VesselStatusSchema,
};

export const Vessel = Type.Object(
  {
    id: Uuid,
    tenantId: Uuid,
    imo: Type.String({ description: 'IMO number (7 digits with check digit)', examples: ['9074729'] }),
    ...vesselFields,
    archived: Type.Boolean(),
    archivedAt: Nullable(Type.String({ format: 'date-time' })),
    version: Type.Integer({ minimum: 1, description: 'Also sent as the ETag' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Vessel', title: 'Vessel', additionalProperties: false },
);

export const VesselCreate = Type.Object(
  {
    tenantId: Type.Optional(
      Type.String({ format: 'uuid', description: 'Platform operators only: the owner of the new vessel' }),
    ),
    imo: Type.String({
      format: 'imo',
      description: 'IMO number (7 digits with check digit)',
      examples: ['9074729'],
    }),
    mmsi: Type.Optional(vesselFields.mmsi),
    name: vesselFields.name,
    callSign: Type.Optional(vesselFields.callSign),
    flag: vesselFields.flag,
    shipType: vesselFields.shipType,
    dwt: Type.Optional(vesselFields.dwt),
    gt: Type.Optional(vesselFields.gt),
    yearBuilt: Type.Optional(vesselFields.yearBuilt),
    status: Type.Optional(VesselStatusSchema),
  },
  { $id: 'VesselCreate', title: 'VesselCreate', additionalProperties: false },
);

export const VesselPatch = Type.Partial(Type.Object(vesselFields), {
  $id: 'VesselPatch',
  title: 'VesselPatch',
  additionalProperties: false,
  minProperties: 1,
  description:
    'JSON merge patch of the writable fields (the IMO number identifies the ship and never changes)',
});

export const VesselPage = Type.Object(
  { items: Type.Array(Type.Ref(Vessel)), nextCursor: Nullable(Type.String()) },
  { $id: 'VesselPage', title: 'VesselPage' },
);

export const DeviceKey = Type.Object(
  {
    id: Type.String({ description: 'Public id of the key' }),
    vesselId: Uuid,
    label: Nullable(Type.String()),
    maskedKey: Type.String({ examples: ['fwdk_k3v9q2m8x1c4b7n0.********'] }),
    revoked: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    createdBy: Type.String(),
    revokedAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'DeviceKey', title: 'DeviceKey', additionalProperties: false },
);

export const NewDeviceKey = Type.Object(
  {
    ...DeviceKey.properties,
    key: Type.String({
      description: 'The whole key, shown this once only: the vessel sends `Authorization: DeviceKey <key>`',
    }),
  },
  { $id: 'NewDeviceKey', title: 'NewDeviceKey', additionalProperties: false },
);

export const DeviceKeyCreate = Type.Object(
  { label: Type.Optional(Type.String({ minLength: 1, maxLength: 100, examples: ['VDR gateway, bridge'] })) },
  { $id: 'DeviceKeyCreate', title: 'DeviceKeyCreate', additionalProperties: false },
);

export const DeviceKeyList = Type.Object(
  { items: Type.Array(Type.Ref(DeviceKey)) },
  { $id: 'DeviceKeyList', title: 'DeviceKeyList' },
);

export const AuditEntry = Type.Object(
  {
    id: Type.String(),
    tenantId: Uuid,
    occurredAt: Type.String({ format: 'date-time' }),
    actor: Type.Object({ subject: Type.String(), roles: Type.Array(Type.String()) }),
    action: Type.String({ examples: ['vessel.updated'] }),
    entityType: Type.String({ examples: ['vessel'] }),
    entityId: Type.String(),
    before: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    after: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    requestId: Nullable(Type.String()),
  },
  { $id: 'AuditEntry', title: 'AuditEntry', additionalProperties: false },
);

export const AuditPage = Type.Object(
  { items: Type.Array(Type.Ref(AuditEntry)), nextCursor: Nullable(Type.String()) },
  { $id: 'AuditPage', title: 'AuditPage' },
);

export const DeviceIdentity = Type.Object(
  { keyId: Type.String(), vesselId: Uuid, tenantId: Uuid },
  { $id: 'DeviceIdentity', title: 'DeviceIdentity', additionalProperties: false },
);

export const ETagHeader = {
  etag: Type.String({ description: 'The version of the vessel, for If-Match on updates' }),
};

/** Every shared schema, registered once on the app so routes can reference them by `$id`. */
export const SHARED_SCHEMAS = [
  Tenant,
  TenantCreate,
  TenantPage,
  Vessel,
  VesselCreate,
  VesselPatch,
  VesselPage,
  DeviceKey,
  NewDeviceKey,
  DeviceKeyCreate,
  DeviceKeyList,
  AuditEntry,
  AuditPage,
  DeviceIdentity,
];
