import { afterAll, describe, expect, inject, it } from 'vitest';
import { migrate, type MigrateOptions } from '../src/index.js';
import {
  adminPool,
  appPool,
  dropSchemas,
  failingMigrationsDir,
  fixtureMigrations,
  migrationsDir,
  uniqueSchema,
} from './helpers.js';

const admin = adminPool();
const app = appPool({ max: 2 });
const schemas: string[] = [];

function newSchema(): string {
  const schema = uniqueSchema('dbtest_migrate');
  schemas.push(schema);
  return schema;
}

function migrateFixtures(schema: string, options: Partial<MigrateOptions> = {}): Promise<string[]> {
  return migrate({ databaseUrl: inject('adminDatabaseUrl'), schema, dir: migrationsDir, ...options });
}

async function appliedMigrations(schema: string): Promise<string[]> {
  const { rows } = await admin.query<{ name: string }>(`SELECT name FROM ${schema}.pgmigrations ORDER BY id`);
  return rows.map((row) => row.name);
}

async function tablesIn(schema: string): Promise<string[]> {
  const { rows } = await admin.query<{ tablename: string }>(
    'SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename',
    [schema],
  );
  return rows.map((row) => row.tablename);
}

async function columnsOf(schema: string, table: string): Promise<string[]> {
  const { rows } = await admin.query<{ column_name: string }>(
    'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
    [schema, table],
  );
  return rows.map((row) => row.column_name);
}

afterAll(async () => {
  await dropSchemas(admin, schemas);
  await Promise.all([admin.end(), app.end()]);
});

describe('migrate', () => {
  it('creates the schema and applies every migration in order', async () => {
    const schema = newSchema();

    const ran = await migrateFixtures(schema);

    expect(ran).toEqual(fixtureMigrations);
    expect(await tablesIn(schema)).toEqual(['pgmigrations', 'ports', 'vessels']);
    expect(await columnsOf(schema, 'vessels')).toEqual(['id', 'tenant_id', 'name', 'call_sign']);
  });

  it('keeps its migrations table inside the schema', async () => {
    const schema = newSchema();
    await migrateFixtures(schema);

    const { rows } = await admin.query<{ table_schema: string }>(
      `SELECT table_schema FROM information_schema.tables WHERE table_name = 'pgmigrations' AND table_schema = $1`,
      [schema],
    );
    expect(rows).toHaveLength(1);
    expect(await appliedMigrations(schema)).toEqual(fixtureMigrations);
  });

  it('does nothing when run again', async () => {
    const schema = newSchema();
    await migrateFixtures(schema);
    const before = await admin.query(`SELECT * FROM ${schema}.pgmigrations ORDER BY id`);

    const ran = await migrateFixtures(schema);

    expect(ran).toEqual([]);
    const after = await admin.query(`SELECT * FROM ${schema}.pgmigrations ORDER BY id`);
    expect(after.rows).toEqual(before.rows);
  });

  it('lets the app role read and write the tables without owning them', async () => {
    const schema = newSchema();
    await migrateFixtures(schema);

    const owners = await admin.query<{ tableowner: string }>(
      'SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = $1',
      [schema],
    );
    expect(owners.rows.map((row) => row.tableowner)).not.toContain('fleetwatch_app');

    // ports has no tenant column, so row-level security does not get in the way; serial needs the sequence grant.
    const inserted = await app.query<{ id: number }>(
      `INSERT INTO ${schema}.ports (name) VALUES ('Rotterdam') RETURNING id`,
    );
    expect(inserted.rows[0]?.id).toBe(1);
    await app.query(`UPDATE ${schema}.ports SET name = 'Hamburg' WHERE id = 1`);
    expect((await app.query(`SELECT name FROM ${schema}.ports`)).rows).toEqual([{ name: 'Hamburg' }]);
    await app.query(`DELETE FROM ${schema}.ports`);
    expect((await app.query(`SELECT * FROM ${schema}.ports`)).rowCount).toBe(0);

    await expect(app.query(`DROP TABLE ${schema}.ports`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`ALTER TABLE ${schema}.vessels DISABLE ROW LEVEL SECURITY`)).rejects.toThrow(
      /must be owner/,
    );
    await expect(app.query(`CREATE TABLE ${schema}.intruder (id int)`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`SELECT * FROM ${schema}.pgmigrations`)).rejects.toThrow(/permission denied/);
  });

  it('grants the app role access to tables the owner creates later (default privileges)', async () => {
    const schema = newSchema();
    await migrateFixtures(schema);

    await admin.query(`CREATE TABLE ${schema}.later (id serial PRIMARY KEY, note text)`);

    await app.query(`INSERT INTO ${schema}.later (note) VALUES ('ok')`);
    expect((await app.query(`SELECT note FROM ${schema}.later`)).rows).toEqual([{ note: 'ok' }]);
  });

  it('reverts the last migration, or a given count, with direction down', async () => {
    const schema = newSchema();
    await migrateFixtures(schema);

    expect(await migrateFixtures(schema, { direction: 'down' })).toEqual([
      '20250103000000000_add_vessel_call_sign',
    ]);
    expect(await columnsOf(schema, 'vessels')).toEqual(['id', 'tenant_id', 'name']);
    expect(await appliedMigrations(schema)).toEqual(fixtureMigrations.slice(0, 2));

    expect(await migrateFixtures(schema, { direction: 'down', count: Infinity })).toEqual([
      '20250102000000000_create_vessels',
      '20250101000000000_create_ports',
    ]);
    expect(await tablesIn(schema)).toEqual(['pgmigrations']);

    expect(await migrateFixtures(schema, { count: 1 })).toEqual(['20250101000000000_create_ports']);
    expect(await tablesIn(schema)).toEqual(['pgmigrations', 'ports']);
  });

  it('lets two concurrent runs on one schema both succeed, applying each migration once', async () => {
    const schema = newSchema();

    const [first, second] = await Promise.all([migrateFixtures(schema), migrateFixtures(schema)]);

    // Whichever got the lock first applied everything; the other found nothing left to do.
    expect([first, second]).toContainEqual(fixtureMigrations);
    expect([first, second]).toContainEqual([]);
    expect(await appliedMigrations(schema)).toEqual(fixtureMigrations);
  });

  it('runs concurrently on different schemas (no database-wide lock)', async () => {
    const [one, two] = [newSchema(), newSchema()];

    const [ranOne, ranTwo] = await Promise.all([migrateFixtures(one), migrateFixtures(two)]);

    expect(ranOne).toEqual(fixtureMigrations);
    expect(ranTwo).toEqual(fixtureMigrations);
  });

  it('rolls back every pending migration when one of them fails', async () => {
    const schema = newSchema();

    await expect(migrateFixtures(schema, { dir: failingMigrationsDir })).rejects.toThrow(
      /table_that_does_not_exist/,
    );

    expect(await tablesIn(schema)).toEqual(['pgmigrations']);
    expect(await appliedMigrations(schema)).toEqual([]);
  });

  it('rejects a schema name that is not a plain lower-case identifier', async () => {
    await expect(migrateFixtures('fleet; DROP TABLE x')).rejects.toThrow(
      /schema must be a lower-case SQL identifier/,
    );
    await expect(migrateFixtures('Fleet')).rejects.toThrow(/schema must be a lower-case SQL identifier/);
  });
});
