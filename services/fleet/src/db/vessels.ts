import type { ShipType, VesselStatus } from '@fleetwatch/fleet-registry';
import type pg from 'pg';

export interface VesselRow {
  id: string;
  tenant_id: string;
  imo: string;
  mmsi: string | null;
  name: string;
  call_sign: string | null;
  flag: string;
  ship_type: ShipType;
  dwt: number | null;
  gt: number | null;
  year_built: number | null;
  status: VesselStatus;
  archived_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  /** The sort column's value as the cursor carries it (see SORTS). */
  cursor_value?: string;
}

const COLUMNS = `id, tenant_id, imo, mmsi, name, call_sign, flag, ship_type, dwt, gt, year_built, status,
  archived_at, version, created_at, updated_at`;

/** Fields a client sets; the rest are the service's. */
export interface VesselFields {
  mmsi: string | null;
  name: string;
  callSign: string | null;
  flag: string;
  shipType: ShipType;
  dwt: number | null;
  gt: number | null;
  yearBuilt: number | null;
  status: VesselStatus;
}

/** The client-set fields as query parameters, in the column order the statements below use. */
function fieldValues(fields: VesselFields): unknown[] {
  return [
    fields.mmsi,
    fields.name,
    fields.callSign,
    fields.flag,
    fields.shipType,
    fields.dwt,
    fields.gt,
    fields.yearBuilt,
    fields.status,
  ];
}

/** Unique violation of the one-live-record-per-IMO index. */
export function isDuplicateImo(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: string }).code === '23505' &&
    (error as { constraint?: string }).constraint === 'vessels_tenant_imo_key'
  );
}

export async function insertVessel(
  client: pg.ClientBase,
  tenantId: string,
  imo: string,
  fields: VesselFields,
): Promise<VesselRow> {
  const { rows } = await client.query<VesselRow>(
    `INSERT INTO fleet.vessels (tenant_id, imo, mmsi, name, call_sign, flag, ship_type, dwt, gt, year_built, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     RETURNING ${COLUMNS}`,
    [tenantId, imo, ...fieldValues(fields)],
  );
  const row = rows[0];
  if (!row) throw new Error('INSERT … RETURNING returned no row');
  return row;
}

/** The vessel, locked for the rest of the transaction when `forUpdate`. */
export async function findVessel(
  client: pg.ClientBase,
  id: string,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<VesselRow | undefined> {
  const { rows } = await client.query<VesselRow>(
    `SELECT ${COLUMNS} FROM fleet.vessels WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

export async function updateVessel(
  client: pg.ClientBase,
  id: string,
  fields: VesselFields,
): Promise<VesselRow> {
  const { rows } = await client.query<VesselRow>(
    `UPDATE fleet.vessels
        SET mmsi = $2, name = $3, call_sign = $4, flag = $5, ship_type = $6, dwt = $7, gt = $8,
            year_built = $9, status = $10, version = version + 1, updated_at = now()
      WHERE id = $1
      RETURNING ${COLUMNS}`,
    [id, ...fieldValues(fields)],
  );
  const row = rows[0];
  if (!row) throw new Error('UPDATE … RETURNING returned no row');
  return row;
}

export async function archiveVessel(client: pg.ClientBase, id: string): Promise<VesselRow> {
  const { rows } = await client.query<VesselRow>(
    `UPDATE fleet.vessels SET archived_at = now(), version = version + 1, updated_at = now()
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [id],
  );
  const row = rows[0];
  if (!row) throw new Error('UPDATE … RETURNING returned no row');
  return row;
}

/** Sort orders a list may ask for: the column, and how its value travels in a cursor. */
export const SORTS = {
  name: { column: 'name', cursorValue: 'name', cast: 'text' },
  imo: { column: 'imo', cursorValue: 'imo::text', cast: 'bpchar' },
  // Microseconds matter: two vessels created in the same millisecond must still be told apart.
  createdAt: {
    column: 'created_at',
    cursorValue: `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    cast: 'timestamptz',
  },
} as const;
export type SortField = keyof typeof SORTS;

export interface VesselListQuery {
  sort: SortField;
  descending: boolean;
  tenantId?: string;
  shipType?: ShipType;
  flag?: string;
  status?: VesselStatus;
  nameContains?: string;
  includeArchived: boolean;
  after?: { value: string; id: string };
  limit: number;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** One page in (sort column, id) order, starting strictly after `after`. */
export async function listVessels(client: pg.ClientBase, query: VesselListQuery): Promise<VesselRow[]> {
  const sort = SORTS[query.sort];
  const conditions: string[] = [];
  const values: unknown[] = [];
  const parameter = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  if (query.tenantId) conditions.push(`tenant_id = ${parameter(query.tenantId)}`);
  if (query.shipType) conditions.push(`ship_type = ${parameter(query.shipType)}`);
  if (query.flag) conditions.push(`flag = ${parameter(query.flag)}`);
  if (query.status) conditions.push(`status = ${parameter(query.status)}`);
  if (query.nameContains) conditions.push(`name ILIKE ${parameter(`%${escapeLike(query.nameContains)}%`)}`);
  if (!query.includeArchived) conditions.push('archived_at IS NULL');
  const direction = query.descending ? 'DESC' : 'ASC';
  if (query.after) {
    const comparison = query.descending ? '<' : '>';
    conditions.push(
      `(${sort.column}, id) ${comparison} (${parameter(query.after.value)}::${sort.cast}, ${parameter(query.after.id)}::uuid)`,
    );
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const { rows } = await client.query<VesselRow>(
    `SELECT ${COLUMNS}, ${sort.cursorValue} AS cursor_value
       FROM fleet.vessels ${where}
      ORDER BY ${sort.column} ${direction}, id ${direction}
      LIMIT ${parameter(query.limit)}`,
    values,
  );
  return rows;
}
