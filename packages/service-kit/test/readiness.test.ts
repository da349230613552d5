import { checkDatabase, createPool } from '@fleetwatch/db';
import { freePort, startLocalPostgres, type LocalPostgres } from '@fleetwatch/local-infra';
import { createKafka, kafkaHealthCheck, type KafkaHealthCheck } from '@fleetwatch/messaging';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ServiceApp } from '../src/index.js';
import { buildSampleApp } from './helpers.js';

async function readiness(app: ServiceApp): Promise<{ status: number; checks: Record<string, string> }> {
  const response = await app.inject({ method: 'GET', url: '/readyz' });
  return {
    status: response.statusCode,
    checks: response.json<{ checks: Record<string, string> }>().checks,
  };
}

describe('/readyz follows PostgreSQL', () => {
  // A PostgreSQL of this test's own, since it is stopped and started again.
  let postgres: LocalPostgres;
  let dataDir: string;
  let port: number;
  let pool: pg.Pool;
  let kafka: KafkaHealthCheck;
  let app: ServiceApp;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'readyz-pg-'));
    port = await freePort();
    postgres = await startLocalPostgres({ dataDir, port, fresh: true });
    pool = createPool({
      connectionString: postgres.databaseUrl,
      applicationName: 'readyz-test',
      onError: () => {},
    });
    kafka = kafkaHealthCheck(createKafka({ clientId: 'readyz-test', brokers: inject('kafkaBrokers') }));
    ({ app } = await buildSampleApp({
      readiness: [
        { name: 'postgres', check: () => checkDatabase(pool) },
        { name: 'kafka', check: () => kafka.check() },
      ],
    }));
  });
  afterAll(async () => {
    await app.close();
    await kafka.close();
    await pool.end();
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is ready when PostgreSQL and Kafka answer, unready while PostgreSQL is down, ready when it is back', async () => {
    expect(await readiness(app)).toEqual({ status: 200, checks: { postgres: 'ok', kafka: 'ok' } });

    await postgres.stop();
    const down = await readiness(app);
    expect(down.status).toBe(503);
    expect(down.checks.postgres).not.toBe('ok');
    expect(down.checks.kafka).toBe('ok');
    // Liveness does not depend on dependencies: restarting the pod would not help.
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);

    postgres = await startLocalPostgres({ dataDir, port, fresh: false });
    expect(await readiness(app)).toEqual({ status: 200, checks: { postgres: 'ok', kafka: 'ok' } });
  });
});

describe('/readyz follows Kafka', () => {
  it('is unready, as problem+json, when no broker answers', async () => {
    const deadBroker = `127.0.0.1:${await freePort()}`;
    const kafka = kafkaHealthCheck(createKafka({ clientId: 'readyz-dead', brokers: [deadBroker] }));
    const { app } = await buildSampleApp({ readiness: [{ name: 'kafka', check: () => kafka.check() }] });
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ status: 503, detail: 'Not ready: kafka.' });
    } finally {
      await app.close();
      await kafka.close();
    }
  });
});
