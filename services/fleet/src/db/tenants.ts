import type pg from 'pg';

export interface TenantRow {
  id: string;
  name: string;
  created_at: Date;
}

export async function insertTenant(
  client: pg.ClientBase,
  name: string,
  createdBy: string,
): Promise<TenantRow> {
  const { rows } = await client.query<TenantRow>(
    'INSERT INTO fleet.tenants (name, created_by) VALUES ($1, $2) RETURNING id, name, created_at',
    [name, createdBy],
  );
  const row = rows[0];
  if (!row) throw new Error('INSERT … RETURNING returned no row');
  return row;
}

export async function findTenant(client: pg.ClientBase, id: string): Promise<TenantRow | undefined> {
  const { rows } = await client.query<TenantRow>(
    'SELECT id, name, created_at FROM fleet.tenants WHERE id = $1',
    [id],
  );
  return rows[0];
}

/** By name, then id; keyset after (name, id). */
export async function listTenants(
  client: pg.ClientBase,
  { after, limit }: { after?: { name: string; id: string }; limit: number },
): Promise<TenantRow[]> {
  const { rows } = after
    ? await client.query<TenantRow>(
        `SELECT id, name, created_at FROM fleet.tenants WHERE (name, id) > ($1, $2::uuid) ORDER BY name, id LIMIT $3`,
        [after.name, after.id, limit],
      )
    : await client.query<TenantRow>(
        'SELECT id, name, created_at FROM fleet.tenants ORDER BY name, id LIMIT $1',
        [limit],
      );
  return rows;
}
