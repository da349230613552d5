import { createPool, migrate, withTenant } from '@fleetwatch/db';
import {
  createFleetRegistryView,
  DEVICE_KEY_STATE_EVENT,
  ensureRegistryTopics,
  generateDeviceKey,
  REGISTRY_EVENT_VERSION,
  VESSEL_STATE_EVENT,
  type FleetRegistryView,
  type RegistryTopics,
} from '@fleetwatch/fleet-registry';
import { createEnvelope, createKafka, createProducer, type MessageProducer } from '@fleetwatch/messaging';
import { loadConfig, type ServiceApp } from '@fleetwatch/service-kit';
import { createTestAuth, type TestAuth } from '@fleetwatch/service-kit/testing';
import type { Kafka } from 'kafkajs';
import { randomInt, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { inject } from 'vitest';
import { buildApiApp } from '../src/app.js';
import { apiConfigSchema } from '../src/config.js';
import { ensureTelemetryTopics } from '../src/topics.js';
import { maintainPartitions } from '../src/writer/store.js';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

export interface TestVessel {
  id: string;
  tenantId: string;
  mmsi: string;
  imo: string;
  deviceKey: string;
  deviceKeyId: string;
}

export interface PerformanceTestContext {
  app: ServiceApp;
  kafka: Kafka;
  pool: pg.Pool;
  producer: MessageProducer;
  registry: FleetRegistryView;
  registryTopics: RegistryTopics;
  auth: TestAuth;
  /** Publishes a vessel and a device key to the registry and waits until the view has them. */
  addVessel(tenantId?: string): Promise<TestVessel>;
  revokeKey(vessel: TestVessel): Promise<void>;
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

async function waitUntil(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function startPerformanceApp(env: Record<string, string> = {}): Promise<PerformanceTestContext> {
  await migratePerformance();
  const pool = appPool();
  await maintainPartitions(pool, { retentionDays: 30, aheadDays: 2 });
  const kafka = createKafka({ clientId: 'performance-test', brokers: inject('kafkaBrokers') });
  await ensureTelemetryTopics(kafka, 3);
  const suffix = randomUUID().slice(0, 8);
  const registryTopics = {
    vessels: `test.fleet.vessels.${suffix}`,
    deviceKeys: `test.fleet.device-keys.${suffix}`,
  };
  await ensureRegistryTopics(kafka, { numPartitions: 1, topics: registryTopics });
  const producer = createProducer(kafka);
  await producer.connect();
  const registry = createFleetRegistryView({
    kafka,
    instanceId: `performance-test-${suffix}`,
    topics: registryTopics,
  });
  await registry.start();
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

  const publishVessel = async (vessel: TestVessel, archived = false) => {
    await producer.publish(registryTopics.vessels, [
      {
        key: vessel.id,
        value: createEnvelope({
          type: VESSEL_STATE_EVENT,
          version: REGISTRY_EVENT_VERSION,
          tenant: vessel.tenantId,
          data: {
            id: vessel.id,
            tenantId: vessel.tenantId,
            imo: vessel.imo,
            mmsi: vessel.mmsi,
            name: 'Test Vessel',
            shipType: 'bulk-carrier',
            flag: 'NO',
            status: 'active',
            dwt: 80_000,
            gt: 43_000,
            archived,
            version: 1,
            updatedAt: new Date().toISOString(),
          },
        }),
      },
    ]);
  };
  const publishKey = async (vessel: TestVessel, secretHash: string, revoked: boolean) => {
    await producer.publish(registryTopics.deviceKeys, [
      {
        key: vessel.deviceKeyId,
        value: createEnvelope({
          type: DEVICE_KEY_STATE_EVENT,
          version: REGISTRY_EVENT_VERSION,
          tenant: vessel.tenantId,
          data: {
            id: vessel.deviceKeyId,
            tenantId: vessel.tenantId,
            vesselId: vessel.id,
            secretHash,
            revoked,
            createdAt: new Date().toISOString(),
            revokedAt: revoked ? new Date().toISOString() : null,
          },
        }),
      },
    ]);
  };
  const hashes = new Map<string, string>();

  return {
    app,
    kafka,
    pool,
    producer,
    registry,
    registryTopics,
    auth,
    addVessel: async (tenantId = randomUUID()) => {
      const key = generateDeviceKey();
      const vessel: TestVessel = {
        id: randomUUID(),
        tenantId,
        mmsi: `2${String(randomInt(100_000_000)).padStart(8, '0')}`,
        imo: '9074729',
        deviceKey: key.key,
        deviceKeyId: key.id,
      };
      hashes.set(vessel.deviceKeyId, key.secretHash);
      await publishVessel(vessel);
      await publishKey(vessel, key.secretHash, false);
      await waitUntil('the registry view has the key', () => registry.verifyDeviceKey(key.key) !== null);
      return vessel;
    },
    revokeKey: async (vessel) => {
      await publishKey(vessel, hashes.get(vessel.deviceKeyId) ?? '', true);
      await waitUntil(
        'the registry view has the revocation',
        () => registry.verifyDeviceKey(vessel.deviceKey) === null,
      );
    },
    close: async () => {
      await app.close();
      await registry.stop();
      await producer.disconnect();
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
