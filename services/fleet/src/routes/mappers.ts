import { maskDeviceKey } from '@fleetwatch/fleet-registry';
import type { Static } from '@sinclair/typebox';
import type { AuditRow } from '../db/audit.js';
import type { DeviceKeyRow } from '../db/device-keys.js';
import type { TenantRow } from '../db/tenants.js';
import type { VesselRow } from '../db/vessels.js';
import type { AuditEntry, DeviceKey, Tenant, Vessel } from './schemas.js';

export function tenantResource(row: TenantRow): Static<typeof Tenant> {
  return { id: row.id, name: row.name, createdAt: row.created_at.toISOString() };
}

export function vesselResource(row: VesselRow): Static<typeof Vessel> {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    imo: row.imo,
    mmsi: row.mmsi,
    name: row.name,
    callSign: row.call_sign,
    flag: row.flag,
    shipType: row.ship_type,
    dwt: row.dwt,
    gt: row.gt,
    yearBuilt: row.year_built,
    status: row.status,
    archived: row.archived_at !== null,
    archivedAt: row.archived_at?.toISOString() ?? null,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function deviceKeyResource(row: DeviceKeyRow): Static<typeof DeviceKey> {
  return {
    id: row.id,
    vesselId: row.vessel_id,
    label: row.label,
    maskedKey: maskDeviceKey(row.id),
    revoked: row.revoked_at !== null,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

/** What the audit log keeps of a device key: never its secret or hash. */
export function deviceKeyAuditView(row: DeviceKeyRow): Record<string, unknown> {
  const { maskedKey: _masked, ...rest } = deviceKeyResource(row);
  return rest;
}

export function auditResource(row: AuditRow): Static<typeof AuditEntry> {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    occurredAt: row.occurred_at.toISOString(),
    actor: { subject: row.actor_subject, roles: row.actor_roles },
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    before: (row.before as Record<string, unknown> | null) ?? null,
    after: (row.after as Record<string, unknown> | null) ?? null,
    requestId: row.request_id,
  };
}
