import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { dataRoot } from '@fleetwatch/local-infra';
import { freePort } from '@fleetwatch/local-infra';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A services/ folder with one service: a migration and a dev script that reports its environment. */
async function fixtureServices(): Promise<string> {
  const servicesDir = await mkdtemp(path.join(tmpdir(), 'fleetwatch-services-'));
  const serviceDir = path.join(servicesDir, 'harbour');
  await mkdir(path.join(serviceDir, 'migrations'), { recursive: true });
  await writeFile(
    path.join(serviceDir, 'package.json'),
    JSON.stringify({ name: '@fixture/harbour', private: true, scripts: { dev: 'node server.mjs' } }),
  );
  await writeFile(
    path.join(serviceDir, 'migrations', '1700000000000_berths.sql'),
    "-- Up Migration\nCREATE TABLE berths (id int PRIMARY KEY, name text NOT NULL);\nINSERT INTO berths VALUES (1, 'North');\n-- Down Migration\nDROP TABLE berths;\n",
  );
  await writeFile(
    path.join(serviceDir, 'server.mjs'),
    [
      'const { DATABASE_URL, DATABASE_ADMIN_URL, KAFKA_BROKERS, AUTH_JWKS_FILE } = process.env;',
      'console.log(`harbour up database=${Boolean(DATABASE_URL && DATABASE_ADMIN_URL)} kafka=${KAFKA_BROKERS} jwks=${Boolean(AUTH_JWKS_FILE)}`);',
      "process.on('SIGTERM', () => { console.log('harbour stopping'); process.exit(0); });",
      'setInterval(() => {}, 1000);',
    ].join('\n'),
  );
  return servicesDir;
}

describe('the dev command (make dev)', () => {
  it('starts PostgreSQL and Kafka, migrates and starts services, and stops everything on Ctrl-C', async () => {
    const ports = { postgres: await freePort(), kafka: await freePort(), controller: await freePort() };
    const profile = `dev-smoke-${process.pid}`;
    const servicesDir = await fixtureServices();
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', cli, 'dev'], {
      env: {
        ...process.env,
        // Local processes even when the suite itself runs against external ones.
        DATABASE_URL: '',
        KAFKA_BROKERS: '',
        FLEETWATCH_INFRA: 'local',
        // The fixture has none of the services the demo talks to.
        FLEETWATCH_DEV_DEMO: 'off',
        FLEETWATCH_SERVICES_DIR: servicesDir,
        FLEETWATCH_DEV_PROFILE: profile,
        FLEETWATCH_DEV_POSTGRES_PORT: String(ports.postgres),
        FLEETWATCH_DEV_KAFKA_PORT: String(ports.kafka),
        FLEETWATCH_DEV_KAFKA_CONTROLLER_PORT: String(ports.controller),
        AUTH_JWKS_FILE: '/tmp/dev-jwks.json',
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    try {
      const serviceLog = path.join(dataRoot, profile, 'logs', 'harbour.log');
      const logged = () => readFile(serviceLog, 'utf8').catch(() => '');
      const deadline = Date.now() + 90_000;
      while (!output.includes('ready; press Ctrl-C to stop') || !(await logged()).includes('harbour up')) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`dev did not start:\n${output}\n${await logged()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(output).toMatch(/\[1\/3\] PostgreSQL and Kafka .*: done in [0-9.]+ s/);
      expect(output).toMatch(/\[3\/3\] services .*: done in [0-9.]+ s/);
      expect(await accepts(ports.postgres)).toBe(true);
      expect(await accepts(ports.kafka)).toBe(true);
      expect(output).toContain('@fixture/harbour: 1 migration(s) applied to schema harbour');
      expect(await logged()).toContain(`harbour up database=true kafka=127.0.0.1:${ports.kafka} jwks=true`);

      // The migration ran as the owner and the services' role may read what it created.
      const client = new pg.Client({
        connectionString: `postgres://fleetwatch_app:fleetwatch_app@127.0.0.1:${ports.postgres}/fleetwatch`,
      });
      await client.connect();
      try {
        const { rows } = await client.query<{ name: string }>('SELECT name FROM harbour.berths');
        expect(rows).toEqual([{ name: 'North' }]);
      } finally {
        await client.end();
      }

      child.kill('SIGINT');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(await logged()).toContain('harbour stopping');
      expect(output).toContain('[fleetwatch] stopped');
      expect(await accepts(ports.postgres)).toBe(false);
      expect(await accepts(ports.kafka)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(path.join(dataRoot, profile), { recursive: true, force: true });
      await rm(servicesDir, { recursive: true, force: true });
    }
  });
});
