import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  migrate,
  platformAccessSql,
  tenantIsolationSql,
  withPlatformAccess,
  withScope,
  withTenant,
  withTransaction,
} from '../src/index.js';
import {
  adminPool,
  appPool,
  dropSchemas,
  migrationsDir,
  TENANT_A,
  TENANT_B,
  uniqueSchema,
} from './helpers.js';

const schema = uniqueSchema('dbtest_tenant');
const admin = adminPool();
const app = appPool({ max: 2 });

interface VesselRow {
  tenant_id: string;
  name: string;
}

async function vesselNames(client: pg.ClientBase | pg.Pool): Promise<string[]> {
  // Deliberately no WHERE clause: the policy alone decides what is visible.
  const { rows } = await client.query<VesselRow>(`SELECT * FROM ${schema}.vessels ORDER BY name`);
  return rows.map((row) => row.name);
}

async function vesselsSeenByOwner(): Promise<VesselRow[]> {
  const { rows } = await admin.query<VesselRow>(
    `SELECT tenant_id, name FROM ${schema}.vessels ORDER BY name`,
  );
  return rows;
}

beforeAll(async () => {
  await migrate({ databaseUrl: inject('adminDatabaseUrl'), schema, dir: migrationsDir });
  await admin.query(
    `INSERT INTO ${schema}.vessels (tenant_id, name) VALUES ($1, 'A-Aurora'), ($1, 'A-Borealis'), ($2, 'B-Calypso')`,
    [TENANT_A, TENANT_B],
  );
  // Table without tenants, for withTransaction.
  await admin.query(`INSERT INTO ${schema}.ports (name) VALUES ('Rotterdam')`);
});

afterAll(async () => {
  await dropSchemas(admin, [schema]);
  await Promise.all([admin.end(), app.end()]);
});

describe('row-level security through withTenant', () => {
  it('shows a tenant only its own rows, without any WHERE clause', async () => {
    expect(await withTenant(app, TENANT_A, vesselNames)).toEqual(['A-Aurora', 'A-Borealis']);
    expect(await withTenant(app, TENANT_B, vesselNames)).toEqual(['B-Calypso']);
  });

  it('shows the app role no tenant rows at all outside withTenant', async () => {
    expect(await vesselNames(app)).toEqual([]);
    expect(await withTransaction(app, vesselNames)).toEqual([]);
  });

  it("rejects writing another tenant's row", async () => {
    await expect(
      withTenant(app, TENANT_A, (client) =>
        client.query(`INSERT INTO ${schema}.vessels (tenant_id, name) VALUES ($1, 'B-Intruder')`, [TENANT_B]),
      ),
    ).rejects.toThrow(/row-level security policy/);
    await expect(
      withTenant(app, TENANT_A, (client) =>
        client.query(`UPDATE ${schema}.vessels SET tenant_id = $1 WHERE name = 'A-Aurora'`, [TENANT_B]),
      ),
    ).rejects.toThrow(/row-level security policy/);
    expect((await vesselsSeenByOwner()).map((row) => row.name)).toEqual([
      'A-Aurora',
      'A-Borealis',
      'B-Calypso',
    ]);
  });

  it('leaves no tenant on the pooled connection once it returns', async () => {
    const single = appPool({ max: 1 });
    try {
      const pidInside = await withTenant(single, TENANT_A, async (client) => {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        return rows[0]?.pid;
      });

      const { rows } = await single.query<{ pid: number; tenant: string | null }>(
        `SELECT pg_backend_pid() AS pid, current_setting('app.tenant_id', true) AS tenant`,
      );
      expect(rows[0]?.pid).toBe(pidInside);
      // A transaction-local setting reads back as '' (not NULL) afterwards; the policy treats both as "none".
      expect(rows[0]?.tenant ?? '').toBe('');
      expect(await vesselNames(single)).toEqual([]);
    } finally {
      await single.end();
    }
  });

  it('matches tenantIsolationSql, which .js migrations use', async () => {
    const sql = await readFile(path.join(migrationsDir, '20250102000000000_create_vessels.sql'), 'utf8');
    expect(sql).toContain(tenantIsolationSql('vessels'));
  });
});

describe('platform access (operators across tenants)', () => {
  beforeAll(async () => {
    await admin.query(platformAccessSql(`${schema}.vessels`));
  });
  afterAll(async () => {
    await admin.query(`DROP POLICY platform_access ON ${schema}.vessels`);
  });

  it("shows every tenant's rows inside withPlatformAccess, and changes nothing elsewhere", async () => {
    expect(await withPlatformAccess(app, vesselNames)).toEqual(['A-Aurora', 'A-Borealis', 'B-Calypso']);
    expect(await withTenant(app, TENANT_A, vesselNames)).toEqual(['A-Aurora', 'A-Borealis']);
    expect(await withTransaction(app, vesselNames)).toEqual([]);
  });

  it('withScope picks platform access or one tenant by the scope', async () => {
    expect(await withScope(app, { kind: 'platform' }, vesselNames)).toEqual([
      'A-Aurora',
      'A-Borealis',
      'B-Calypso',
    ]);
    expect(await withScope(app, { kind: 'tenant', tenantId: TENANT_A }, vesselNames)).toEqual([
      'A-Aurora',
      'A-Borealis',
    ]);
  });

  it('ends with its transaction', async () => {
    const single = appPool({ max: 1 });
    try {
      await withPlatformAccess(single, vesselNames);
      expect(await vesselNames(single)).toEqual([]);
    } finally {
      await single.end();
    }
  });
});

describe('withTenant and withTransaction', () => {
  it('rolls back everything when fn throws, and rethrows its error', async () => {
    const failure = new Error('fn failed');

    await expect(
      withTenant(app, TENANT_A, async (client) => {
        await client.query(`INSERT INTO ${schema}.vessels (tenant_id, name) VALUES ($1, 'A-Half-Written')`, [
          TENANT_A,
        ]);
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect((await vesselsSeenByOwner()).map((row) => row.name)).not.toContain('A-Half-Written');
    expect(app.totalCount).toBe(app.idleCount);
  });

  it('rolls back earlier statements when a later statement fails', async () => {
    await expect(
      withTenant(app, TENANT_A, async (client) => {
        await client.query(`INSERT INTO ${schema}.vessels (tenant_id, name) VALUES ($1, 'A-Early')`, [
          TENANT_A,
        ]);
        await client.query(`INSERT INTO ${schema}.vessels (tenant_id, name) VALUES ($1, 'B-Late')`, [
          TENANT_B,
        ]);
      }),
    ).rejects.toThrow(/row-level security policy/);

    expect((await vesselsSeenByOwner()).map((row) => row.name)).not.toContain('A-Early');
  });

  it('releases the connection after success and failure alike', async () => {
    const single = appPool({ max: 1, connectionTimeoutMs: 2_000 });
    try {
      // With one connection, a leaked client would make the next call time out.
      await expect(withTenant(single, TENANT_A, () => Promise.reject(new Error('boom')))).rejects.toThrow(
        'boom',
      );
      expect(await withTenant(single, TENANT_A, vesselNames)).toEqual(['A-Aurora', 'A-Borealis']);
      await expect(withTransaction(single, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await withTransaction(single, () => Promise.resolve('still usable'))).toBe('still usable');
      expect(single.idleCount).toBe(1);
    } finally {
      await single.end();
    }
  });

  it('commits what fn wrote when it succeeds', async () => {
    await withTenant(app, TENANT_B, (client) =>
      client.query(`INSERT INTO ${schema}.vessels (tenant_id, name) VALUES ($1, 'B-Committed')`, [TENANT_B]),
    );
    await withTransaction(app, (client) =>
      client.query(`INSERT INTO ${schema}.ports (name) VALUES ('Antwerp')`),
    );

    expect(await vesselsSeenByOwner()).toContainEqual({ tenant_id: TENANT_B, name: 'B-Committed' });
    const ports = await admin.query<{ name: string }>(`SELECT name FROM ${schema}.ports ORDER BY name`);
    expect(ports.rows.map((row) => row.name)).toEqual(['Antwerp', 'Rotterdam']);
  });

  it('discards a connection that broke inside fn instead of crashing or reusing it', async () => {
    const single = appPool({ max: 1 });
    try {
      await expect(
        withTenant(single, TENANT_A, async (client) => {
          const ended = new Promise((resolve) => client.once('end', resolve));
          const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
          await ended;
          return client.query('SELECT 1');
        }),
      ).rejects.toThrow();

      expect(single.totalCount).toBe(0);
      expect(await withTenant(single, TENANT_B, vesselNames)).toContain('B-Calypso');
    } finally {
      await single.end();
    }
  });

  it('rejects a tenant id that is not a UUID without taking a connection', async () => {
    let called = false;
    const fn = (): Promise<void> => {
      called = true;
      return Promise.resolve();
    };
    await expect(withTenant(app, '', fn)).rejects.toThrow(/tenantId must be a UUID/);
    await expect(withTenant(app, 'tenant-a', fn)).rejects.toThrow(/tenantId must be a UUID/);
    expect(called).toBe(false);
  });
});
