import { createPool, migrate, withTenant } from '@fleetwatch/db';
import type { FleetRegistryView } from '@fleetwatch/fleet-registry';
import {
  startRegistryFixture,
  type RegistryFixture,
  type TestVessel,
} from '@fleetwatch/fleet-registry/testing';
import { createKafka, type MessageProducer } from '@fleetwatch/messaging';
import { loadConfig, type ServiceApp } from '@fleetwatch/service-kit';
import { createTestAuth, type TestAuth } from '@fleetwatch/service-kit/testing';
import type { Kafka } from 'kafkajs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { inject } from 'vitest';
import { buildApiApp } from '../src/app.js';
import { apiConfigSchema } from '../src/config.js';
import { ensureTelemetryTopics } from '../src/topics.js';
import { maintainPartitions } from '../src/writer/store.js';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

export type { TestVessel };

export interface PerformanceTestContext {
  app: ServiceApp;
  kafka: Kafka;
  pool: pg.Pool;
  producer: MessageProducer;
  registry: FleetRegistryView;
  auth: TestAuth;
  /** Publishes a vessel and a device key to the registry and waits until the view has them. */
  addVessel: RegistryFixture['addVessel'];
  updateVessel: RegistryFixture['updateVessel'];
  revokeKey: RegistryFixture['revokeKey'];
  close(): Promise<void>;
}

export async function migratePerformance(): Promise<void> {
  await migrate({ databaseUrl: inject('adminDatabaseUrl'), schema: 'performance', dir: migrationsDir });
}

export function appPool(): pg.Pool {
  return createPool({
    connectionString: inject('databaseUrl'),
    applicationName: 'performance-test',
    onError: () => {},
  });
}

export async function startPerformanceApp(env: Record<string, string> = {}): Promise<PerformanceTestContext> {
  await migratePerformance();
  const pool = appPool();
  await maintainPartitions(pool, { retentionDays: 30, aheadDays: 2 });
  const kafka = createKafka({ clientId: 'performance-test', brokers: inject('kafkaBrokers') });
  await ensureTelemetryTopics(kafka, 3);
  const fixture = await startRegistryFixture(kafka, 'performance-test');
  const { registry, producer } = fixture;
  const auth = await createTestAuth();
  const config = loadConfig(apiConfigSchema, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '100000',
    DATABASE_URL: inject('databaseUrl'),
    KAFKA_BROKERS: inject('kafkaBrokers').join(','),
    AUTH_ISSUER: auth.issuer,
    AUTH_AUDIENCE: auth.audience,
    AUTH_JWKS_FILE: auth.jwksFile,
    ...env,
  });
  const app = await buildApiApp({ config, registry, producer, pool });
  await app.ready();

  return {
    app,
    kafka,
    pool,
    producer,
    registry,
    auth,
    addVessel: fixture.addVessel,
    updateVessel: fixture.updateVessel,
    revokeKey: fixture.revokeKey,
    close: async () => {
      await app.close();
      await fixture.close();
      await pool.end();
    },
  };
}

export function deviceAuth(vessel: TestVessel): { authorization: string } {
  return { authorization: `DeviceKey ${vessel.deviceKey}` };
}

export interface StoredPoint {
  path: string;
  ts: Date;
  value_num: number | null;
  value_json: unknown;
}

/** The vessel's stored points, read as its tenant (row-level security applies). */
export async function storedPoints(pool: pg.Pool, vessel: TestVessel): Promise<StoredPoint[]> {
  const { rows } = await withTenant(pool, vessel.tenantId, (client) =>
    client.query<StoredPoint>(
      'SELECT path, ts, value_num, value_json FROM performance.telemetry_points WHERE vessel_id = $1 ORDER BY path, ts',
      [vessel.id],
    ),
  );
  return rows;
}

export async function waitForPoints(
  pool: pg.Pool,
  vessel: TestVessel,
  count: number,
  timeoutMs = 20_000,
): Promise<StoredPoint[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await storedPoints(pool, vessel);
    if (rows.length >= count) return rows;
    if (Date.now() > deadline)
      throw new Error(`only ${rows.length} of ${count} points stored within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** NMEA checksum: XOR of the characters between $ and *. */
export function nmea(body: string): string {
  let checksum = 0;
  for (const character of body) checksum ^= character.charCodeAt(0);
  return `$${body}*${checksum.toString(16).toUpperCase().padStart(2, '0')}`;
}
