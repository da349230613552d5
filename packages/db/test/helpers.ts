import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import type pg from 'pg';
import { inject } from 'vitest';
import { createPool, type CreatePoolOptions } from '../src/index.js';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const migrationsDir = path.join(import.meta.dirname, 'fixtures/migrations');
export const failingMigrationsDir = path.join(import.meta.dirname, 'fixtures/failing-migrations');
export const fixtureMigrations = [
  '20250101000000000_create_ports',
  '20250102000000000_create_vessels',
  '20250103000000000_add_vessel_call_sign',
];

export const TENANT_A = '0b6f7a4e-3c1d-4a59-9d7e-6f1b2c3d4e5a';
export const TENANT_B = '7e2d9c1b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';

/** The database is shared with other engineers' test runs: every test file works in its own schemas. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** A pool as the services get it: the app role, under row-level security. */
export function appPool(options: Partial<CreatePoolOptions> = {}): pg.Pool {
  return createPool({
    connectionString: inject('databaseUrl'),
    applicationName: 'db-tests',
    // An idle connection failing would be a bug in these tests: surface it as an uncaught error.
    onError: (error) => {
      throw error;
    },
    ...options,
  });
}

/** The owner, for migrations and fixtures; a superuser here, so row-level security does not apply. */
export function adminPool(): pg.Pool {
  return appPool({ connectionString: inject('adminDatabaseUrl'), max: 3 });
}

export async function dropSchemas(admin: pg.Pool, schemas: string[]): Promise<void> {
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

/** A 127.0.0.1 port that nothing listens on (it was free a moment ago). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
