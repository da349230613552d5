import { createPool, migrate } from '@fleetwatch/db';
import {
  startRegistryFixture,
  type RegistryFixture,
  type TestVessel,
} from '@fleetwatch/fleet-registry/testing';
import { createKafka } from '@fleetwatch/messaging';
import { loadConfig, type ServiceApp } from '@fleetwatch/service-kit';
import { createTestAuth, type TestAuth } from '@fleetwatch/service-kit/testing';
import type { Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../src/app.js';
import { maintenanceConfigSchema } from '../src/config.js';

export type { TestVessel };
export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

export const ROLES = ['platform-admin', 'owner-admin', 'fleet-manager', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface MaintenanceTestContext {
  app: ServiceApp;
  pool: pg.Pool;
  kafka: Kafka;
  auth: TestAuth;
  fixture: RegistryFixture;
  /** Authorization headers for the role (tenant roles need the tenant). */
  as(role: Role, tenantId?: string): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

export async function migrateMaintenance(): Promise<void> {
  await migrate({ databaseUrl: inject('adminDatabaseUrl'), schema: 'maintenance', dir: migrationsDir });
}

/**
 * The maintenance app on the test PostgreSQL and Kafka, with its own identity provider and a fleet registry on
 * fresh topics. `today` fixes the app's clock to that date (noon UTC).
 */
export async function startMaintenanceApp({
  today,
}: { today?: string } = {}): Promise<MaintenanceTestContext> {
  await migrateMaintenance();
  const pool = createPool({
    connectionString: inject('databaseUrl'),
    applicationName: 'maintenance-test',
    onError: () => {},
  });
  const kafka = createKafka({ clientId: 'maintenance-test', brokers: inject('kafkaBrokers') });
  const fixture = await startRegistryFixture(kafka, 'maintenance-test');
  const auth = await createTestAuth();
  const config = loadConfig(maintenanceConfigSchema, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '100000',
    DATABASE_URL: inject('databaseUrl'),
    KAFKA_BROKERS: inject('kafkaBrokers').join(','),
    AUTH_ISSUER: auth.issuer,
    AUTH_AUDIENCE: auth.audience,
    AUTH_JWKS_FILE: auth.jwksFile,
  });
  const app = await buildApp({
    config,
    pool,
    registry: fixture.registry,
    ...(today ? { now: () => new Date(`${today}T12:00:00Z`) } : {}),
  });
  await app.ready();
  return {
    app,
    pool,
    kafka,
    auth,
    fixture,
    as: async (role, tenantId) => ({
      authorization: `Bearer ${await auth.token({
        subject: `${role}@${tenantId ?? 'platform'}`,
        roles: [role],
        ...(role === 'platform-admin' ? {} : { tenant: tenantId ?? randomUUID() }),
      })}`,
    }),
    close: async () => {
      await app.close();
      await fixture.close();
      await pool.end();
    },
  };
}

/** POSTs and expects the given status, returning the parsed body. */
export async function post<T = Record<string, unknown>>(
  context: MaintenanceTestContext,
  url: string,
  headers: Record<string, string>,
  payload: unknown,
  status = 201,
): Promise<T> {
  const response = await context.app.inject({ method: 'POST', url, headers, payload: payload as object });
  if (response.statusCode !== status) {
    throw new Error(`POST ${url}: expected ${status}, got ${response.statusCode} ${response.body}`);
  }
  return response.json<T>();
}
