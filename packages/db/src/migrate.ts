import path from 'node:path';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { assertIdentifier } from './identifiers.js';

export const DEFAULT_APP_ROLE = 'fleetwatch_app';
/** node-pg-migrate's default table name, kept inside each service's own schema. */
export const MIGRATIONS_TABLE = 'pgmigrations';

export interface MigrateOptions {
  /** Connection of the schema's owner (DATABASE_ADMIN_URL), never the app role's. */
  databaseUrl: string;
  /** The service's schema; created when missing. Migrations run with it as the search_path. */
  schema: string;
  /** Folder of migration files (.sql with `-- Up Migration` / `-- Down Migration`, or .js). */
  dir: string;
  /** Role the service connects as; granted data access, never ownership. Default fleetwatch_app. */
  appRole?: string;
  /** Default 'up'. */
  direction?: 'up' | 'down';
  /** How many migrations to run; default all pending for 'up', 1 for 'down'. Infinity for all. */
  count?: number;
  /** node-pg-migrate's progress and error messages; default: discarded. */
  log?: (message: string) => void;
}

/**
 * Applies (or reverts) the schema's migrations, then grants the app role access to what they
 * created. Returns the names of the migrations run, in order; empty when there was nothing to do.
 *
 * All pending migrations run in one transaction: either all of them apply or none does.
 * Concurrent calls for the same schema wait for each other (a per-schema advisory lock), so each
 * migration runs once; calls for different schemas do not block each other.
 */
export async function migrate({
  databaseUrl,
  schema,
  dir,
  appRole = DEFAULT_APP_ROLE,
  direction = 'up',
  count,
  log = () => {},
}: MigrateOptions): Promise<string[]> {
  assertIdentifier('schema', schema);
  assertIdentifier('appRole', appRole);
  if (count !== undefined && !(count === Infinity || (Number.isInteger(count) && count > 0))) {
    throw new Error(`count must be a positive integer or Infinity, got ${count}`);
  }

  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'fleetwatch-migrate' });
  // A dropped connection also fails the query in flight; the listener only keeps the 'error' event
  // from crashing the process.
  client.on('error', () => {});
  await client.connect();
  try {
    // node-pg-migrate's own lock is one pg_try_advisory_lock for the whole database: a second
    // concurrent run fails ("Another migration is already running") instead of waiting, even for
    // another schema. So its lock is off (noLock) and this session waits on a lock per schema.
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`fleetwatch-migrate:${schema}`]);
    const migrations = await runner({
      dbClient: client,
      dir: path.resolve(dir),
      schema,
      createSchema: true,
      migrationsSchema: schema,
      migrationsTable: MIGRATIONS_TABLE,
      direction,
      count,
      checkOrder: true,
      singleTransaction: true,
      noLock: true,
      log,
    });
    await grantAppRole(client, schema, appRole);
    return migrations.map((migration) => migration.name);
  } finally {
    // Ending the session releases the advisory lock too.
    await client.end();
  }
}

async function grantAppRole(client: pg.Client, schema: string, appRole: string): Promise<void> {
  const s = pg.escapeIdentifier(schema);
  const role = pg.escapeIdentifier(appRole);
  const migrationsTable = `${s}.${pg.escapeIdentifier(MIGRATIONS_TABLE)}`;
  // One simple-protocol query with several statements runs as a single transaction.
  await client.query(`
    GRANT USAGE ON SCHEMA ${s} TO ${role};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${role};
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${role};
    REVOKE ALL ON ${migrationsTable} FROM ${role};
    ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role};
    ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT USAGE, SELECT ON SEQUENCES TO ${role};
  `);
}
