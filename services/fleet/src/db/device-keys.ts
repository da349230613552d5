import type pg from 'pg';

export interface DeviceKeyRow {
  id: string;
  tenant_id: string;
  vessel_id: string;
  label: string | null;
  secret_hash: string;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
}

const COLUMNS =
  'id, tenant_id, vessel_id, label, secret_hash, created_at, created_by, revoked_at, revoked_by';

export async function insertDeviceKey(
  client: pg.ClientBase,
  key: {
    id: string;
    tenantId: string;
    vesselId: string;
    label: string | null;
    secretHash: string;
    createdBy: string;
  },
): Promise<DeviceKeyRow> {
  const { rows } = await client.query<DeviceKeyRow>(
    `INSERT INTO fleet.device_keys (id, tenant_id, vessel_id, label, secret_hash, created_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [key.id, key.tenantId, key.vesselId, key.label, key.secretHash, key.createdBy],
  );
  const row = rows[0];
  if (!row) throw new Error('INSERT … RETURNING returned no row');
  return row;
}

export async function listDeviceKeys(client: pg.ClientBase, vesselId: string): Promise<DeviceKeyRow[]> {
  const { rows } = await client.query<DeviceKeyRow>(
    `SELECT ${COLUMNS} FROM fleet.device_keys WHERE vessel_id = $1 ORDER BY created_at, id`,
    [vesselId],
  );
  return rows;
}

export async function findDeviceKey(
  client: pg.ClientBase,
  vesselId: string,
  keyId: string,
): Promise<DeviceKeyRow | undefined> {
  const { rows } = await client.query<DeviceKeyRow>(
    `SELECT ${COLUMNS} FROM fleet.device_keys WHERE vessel_id = $1 AND id = $2 FOR UPDATE`,
    [vesselId, keyId],
  );
  return rows[0];
}

/** Revokes the key unless it is revoked already; returns the revoked row, or undefined if it was. */
export async function revokeDeviceKey(
  client: pg.ClientBase,
  keyId: string,
  revokedBy: string,
): Promise<DeviceKeyRow | undefined> {
  const { rows } = await client.query<DeviceKeyRow>(
    `UPDATE fleet.device_keys SET revoked_at = now(), revoked_by = $2
      WHERE id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
    [keyId, revokedBy],
  );
  return rows[0];
}

/** Active keys of a vessel, locked: archiving the vessel revokes them. */
export async function activeDeviceKeysOf(client: pg.ClientBase, vesselId: string): Promise<DeviceKeyRow[]> {
  const { rows } = await client.query<DeviceKeyRow>(
    `SELECT ${COLUMNS} FROM fleet.device_keys WHERE vessel_id = $1 AND revoked_at IS NULL FOR UPDATE`,
    [vesselId],
  );
  return rows;
}

/** For device authentication (run with platform access: a device has no tenant yet). */
export async function findDeviceKeyById(
  client: pg.ClientBase,
  keyId: string,
): Promise<DeviceKeyRow | undefined> {
  const { rows } = await client.query<DeviceKeyRow>(
    `SELECT ${COLUMNS} FROM fleet.device_keys WHERE id = $1`,
    [keyId],
  );
  return rows[0];
}
