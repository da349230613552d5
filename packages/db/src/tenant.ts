import type pg from 'pg';
import { assertIdentifier } from './identifiers.js';
import { withTransaction } from './transaction.js';

/** The PostgreSQL setting that carries the current tenant; tenant policies compare against it. */
export const TENANT_ID_SETTING = 'app.tenant_id';

/**
 * The current tenant as a uuid, or NULL outside withTenant. `nullif` matters: once a session has set
 * the setting transaction-locally, it reads back as '' (not NULL) after the transaction, and ''::uuid
 * would raise an error instead of matching no rows.
 */
export const CURRENT_TENANT_ID_SQL = `nullif(current_setting('${TENANT_ID_SETTING}', true), '')::uuid`;

/** The setting that opens every tenant's rows to platform operators (the ship manager's staff). */
export const PLATFORM_ACCESS_SETTING = 'app.platform_access';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs fn in a transaction whose queries see (and may write) only the given tenant's rows of tenant
 * tables. The tenant is set transaction-locally, so it ends with COMMIT or ROLLBACK and a pooled
 * connection never carries it into the next caller's queries.
 *
 * Tenant ids are uuids (the tenant_id columns are uuid); anything else is rejected before a
 * connection is taken.
 */
export async function withTenant<T>(
  pool: pg.Pool,
  tenantId: string,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  if (typeof tenantId !== 'string' || !UUID.test(tenantId)) {
    throw new TypeError(`tenantId must be a UUID, got ${JSON.stringify(tenantId)}`);
  }
  return withTransaction(pool, async (client) => {
    await client.query('SELECT set_config($1, $2, true)', [TENANT_ID_SETTING, tenantId]);
    return fn(client);
  });
}

/**
 * The statements that turn a table with a `tenant_id uuid NOT NULL` column into a tenant table, for
 * .js migrations (`pgm.sql(tenantIsolationSql('vessels'))`); SQL migrations write the same text
 * (see README.md). FORCE makes the policy apply to the table's owner too, unless it is a superuser.
 */
export function tenantIsolationSql(
  table: string,
  { column = 'tenant_id' }: { column?: string } = {},
): string {
  const parts = table.split('.');
  if (parts.length > 2) {
    throw new Error(`table must be "name" or "schema.name", got ${JSON.stringify(table)}`);
  }
  for (const part of parts) assertIdentifier('table', part);
  assertIdentifier('column', column);
  const condition = `${column} = ${CURRENT_TENANT_ID_SQL}`;
  return [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;`,
    `CREATE POLICY tenant_isolation ON ${table}`,
    `  USING (${condition})`,
    `  WITH CHECK (${condition});`,
  ].join('\n');
}

/**
 * Runs fn in a transaction that sees every tenant's rows of tables that have the platform-access
 * policy (platformAccessSql): for platform-admin operations across tenants. The setting is
 * transaction-local, like withTenant's.
 */
export async function withPlatformAccess<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return withTransaction(pool, async (client) => {
    await client.query("SELECT set_config($1, 'on', true)", [PLATFORM_ACCESS_SETTING]);
    return fn(client);
  });
}

/**
 * A second, permissive policy for a tenant table: inside withPlatformAccess every row is visible and
 * writable. Policies are OR-ed, so tenant isolation still holds everywhere else.
 */
export function platformAccessSql(table: string): string {
  const parts = table.split('.');
  if (parts.length > 2) {
    throw new Error(`table must be "name" or "schema.name", got ${JSON.stringify(table)}`);
  }
  for (const part of parts) assertIdentifier('table', part);
  const condition = `current_setting('${PLATFORM_ACCESS_SETTING}', true) = 'on'`;
  return [
    `CREATE POLICY platform_access ON ${table}`,
    `  USING (${condition})`,
    `  WITH CHECK (${condition});`,
  ].join('\n');
}

/** Whose rows a request may touch: every tenant's (platform operators) or one tenant's. */
export type AccessScope = { kind: 'platform' } | { kind: 'tenant'; tenantId: string };

/**
 * Runs fn in a transaction under row-level security for the scope: a tenant's requests cannot read or
 * write another tenant's rows even where a query forgets its tenant condition.
 */
export function withScope<T>(
  pool: pg.Pool,
  scope: AccessScope,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return scope.kind === 'platform' ? withPlatformAccess(pool, fn) : withTenant(pool, scope.tenantId, fn);
}
