import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  adminPool,
  dropSchemas,
  failingMigrationsDir,
  fixtureMigrations,
  migrationsDir,
  repoRoot,
  uniqueSchema,
} from './helpers.js';

const admin = adminPool();
const schemas: string[] = [];

afterAll(async () => {
  await dropSchemas(admin, schemas);
  await admin.end();
});

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI from its TypeScript source, as `fleetwatch-migrate` would run from dist/. The child
 * gets only PATH and the given variables (default: DATABASE_ADMIN_URL).
 */
function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = { DATABASE_ADMIN_URL: inject('adminDatabaseUrl') },
): Promise<CliResult> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      path.join(repoRoot, 'packages/db/src/migrate-cli.ts'),
      ...args,
    ],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, ...env },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function relativeToRoot(dir: string): string {
  return path.relative(repoRoot, dir);
}

describe('fleetwatch-migrate', () => {
  it('applies the migrations to a fresh schema, then reverts with --down', async () => {
    const schema = uniqueSchema('dbtest_cli');
    schemas.push(schema);

    const up = await runCli(['--schema', schema, '--dir', relativeToRoot(migrationsDir)]);

    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(up.stdout).toContain(`applied 3 migration(s) in schema ${schema}`);
    const applied = await admin.query<{ name: string }>(
      `SELECT name FROM ${schema}.pgmigrations ORDER BY id`,
    );
    expect(applied.rows.map((row) => row.name)).toEqual(fixtureMigrations);

    const down = await runCli([
      '--schema',
      schema,
      '--dir',
      relativeToRoot(migrationsDir),
      '--down',
      '--count',
      '2',
    ]);

    expect(down.code).toBe(0);
    expect(down.stdout).toContain(`reverted 2 migration(s) in schema ${schema}`);
    const left = await admin.query<{ name: string }>(`SELECT name FROM ${schema}.pgmigrations ORDER BY id`);
    expect(left.rows.map((row) => row.name)).toEqual(fixtureMigrations.slice(0, 1));
  });

  it('falls back to DATABASE_URL when DATABASE_ADMIN_URL is unset', async () => {
    const schema = uniqueSchema('dbtest_cli');
    schemas.push(schema);

    const result = await runCli(['--schema', schema, '--dir', relativeToRoot(migrationsDir)], {
      DATABASE_URL: inject('adminDatabaseUrl'),
    });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`applied 3 migration(s) in schema ${schema}`);
  });

  it('exits with a usage message when --schema is missing', async () => {
    const result = await runCli(['--dir', relativeToRoot(migrationsDir)]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--schema is required');
    expect(result.stderr).toContain('usage: fleetwatch-migrate --schema <schema> --dir <migrations dir>');
  });

  it('exits with a usage message on an unknown option or a bad --count', async () => {
    const unknown = await runCli(['--schema', 'fleet', '--dir', 'x', '--force']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--force'");

    const badCount = await runCli(['--schema', 'fleet', '--dir', 'x', '--count', '0']);
    expect(badCount.code).toBe(2);
    expect(badCount.stderr).toContain('--count must be a positive integer or "all"');
  });

  it('exits non-zero with the reason when a migration fails', async () => {
    const schema = uniqueSchema('dbtest_cli');
    schemas.push(schema);

    const result = await runCli(['--schema', schema, '--dir', relativeToRoot(failingMigrationsDir)]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`fleetwatch-migrate: migrating schema ${schema} up`);
    expect(result.stderr).toContain('relation "table_that_does_not_exist" does not exist');
  });
});
