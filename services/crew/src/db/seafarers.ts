import type pg from 'pg';
import type { Rank } from '../domain/ranks.js';

export interface SeafarerRow {
  id: string;
  tenant_id: string;
  given_name: string;
  family_name: string;
  nationality: string;
  date_of_birth: string;
  rank: Rank;
  email: string | null;
  phone: string | null;
  status: 'active' | 'on-leave' | 'inactive';
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface SeafarerFields {
  givenName: string;
  familyName: string;
  nationality: string;
  dateOfBirth: string;
  rank: Rank;
  email: string | null;
  phone: string | null;
  status: SeafarerRow['status'];
}

// Dates as text: a `date` never passes through a JavaScript Date and a time zone.
const COLUMNS = `id, tenant_id, given_name, family_name, nationality, date_of_birth::text AS date_of_birth, rank,
  email, phone, status, version, created_at, updated_at`;

function values(fields: SeafarerFields): unknown[] {
  return [
    fields.givenName,
    fields.familyName,
    fields.nationality,
    fields.dateOfBirth,
    fields.rank,
    fields.email,
    fields.phone,
    fields.status,
  ];
}

export async function insertSeafarer(
  client: pg.ClientBase,
  tenantId: string,
  fields: SeafarerFields,
): Promise<SeafarerRow> {
  const { rows } = await client.query<SeafarerRow>(
    `INSERT INTO crew.seafarers (tenant_id, given_name, family_name, nationality, date_of_birth, rank, email, phone, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
    [tenantId, ...values(fields)],
  );
  return rows[0] as SeafarerRow;
}

export async function findSeafarer(
  client: pg.ClientBase,
  id: string,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<SeafarerRow | undefined> {
  const { rows } = await client.query<SeafarerRow>(
    `SELECT ${COLUMNS} FROM crew.seafarers WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

export async function updateSeafarer(
  client: pg.ClientBase,
  id: string,
  fields: SeafarerFields,
): Promise<SeafarerRow> {
  const { rows } = await client.query<SeafarerRow>(
    `UPDATE crew.seafarers
        SET given_name = $2, family_name = $3, nationality = $4, date_of_birth = $5, rank = $6, email = $7,
            phone = $8, status = $9, version = version + 1, updated_at = now()
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, ...values(fields)],
  );
  return rows[0] as SeafarerRow;
}

export async function deleteSeafarer(client: pg.ClientBase, id: string): Promise<boolean> {
  const { rowCount } = await client.query('DELETE FROM crew.seafarers WHERE id = $1', [id]);
  return rowCount === 1;
}

export interface SeafarerFilter {
  limit: number;
  /** Keyset: the (family_name, given_name, id) of the last row of the previous page. */
  after?: { familyName: string; givenName: string; id: string };
  rank?: Rank;
  status?: SeafarerRow['status'];
  nameContains?: string;
  tenantId?: string;
}

/** Ordered by family name, given name, id: a stable order for keyset pages. */
export async function listSeafarers(client: pg.ClientBase, filter: SeafarerFilter): Promise<SeafarerRow[]> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.tenantId) conditions.push(`tenant_id = ${param(filter.tenantId)}`);
  if (filter.rank) conditions.push(`rank = ${param(filter.rank)}`);
  if (filter.status) conditions.push(`status = ${param(filter.status)}`);
  if (filter.nameContains) {
    const pattern = param(`%${filter.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    conditions.push(`(given_name || ' ' || family_name) ILIKE ${pattern}`);
  }
  if (filter.after) {
    conditions.push(
      `(family_name, given_name, id) > (${param(filter.after.familyName)}, ${param(filter.after.givenName)}, ${param(filter.after.id)})`,
    );
  }
  const { rows } = await client.query<SeafarerRow>(
    `SELECT ${COLUMNS} FROM crew.seafarers
      ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
      ORDER BY family_name, given_name, id LIMIT ${param(filter.limit)}`,
    params,
  );
  return rows;
}
