import { createPool, migrate } from '@fleetwatch/db';
import { loadConfig, type ServiceApp } from '@fleetwatch/service-kit';
import { createTestAuth, type TestAuth } from '@fleetwatch/service-kit/testing';
import { randomInt, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../src/app.js';
import { fleetConfigSchema } from '../src/config.js';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

export const ROLES = ['platform-admin', 'owner-admin', 'fleet-manager', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface FleetTestContext {
  app: ServiceApp;
  pool: pg.Pool;
  auth: TestAuth;
  /** A bearer token for the role; tenant roles need the tenant. */
  token(role: Role, tenantId?: string): Promise<string>;
  close(): Promise<void>;
}

/** The fleet app on the test PostgreSQL (schema migrated once per run), with its own identity provider. */
export async function startFleetApp(): Promise<FleetTestContext> {
  await migrate({ databaseUrl: inject('adminDatabaseUrl'), schema: 'fleet', dir: migrationsDir });
  const auth = await createTestAuth();
  const pool = createPool({
    connectionString: inject('databaseUrl'),
    applicationName: 'fleet-test',
    onError: () => {},
  });
  const config = loadConfig(fleetConfigSchema, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '100000',
    DATABASE_URL: inject('databaseUrl'),
    KAFKA_BROKERS: inject('kafkaBrokers').join(','),
    AUTH_ISSUER: auth.issuer,
    AUTH_AUDIENCE: auth.audience,
    AUTH_JWKS_FILE: auth.jwksFile,
  });
  const app = await buildApp({ config, pool });
  await app.ready();
  return {
    app,
    pool,
    auth,
    token: (role, tenantId) =>
      auth.token({
        subject: `${role}-${tenantId ?? 'operator'}`,
        roles: [role],
        ...(role === 'platform-admin' ? {} : { tenant: tenantId ?? randomUUID() }),
      }),
    close: async () => {
      await app.close();
      await pool.end();
    },
  };
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

// Consecutive numbers from a random start: never the same twice in one test process.
let nextImoBase = randomInt(100_000, 900_000);

/** A fresh IMO number with a correct check digit. */
export function randomImo(): string {
  const base = String(nextImoBase++);
  const check = [...base].reduce((sum, digit, index) => sum + Number(digit) * (7 - index), 0) % 10;
  return `${base}${check}`;
}

export function randomMmsi(): string {
  return `${2 + randomInt(6)}${String(randomInt(100_000_000)).padStart(8, '0')}`;
}

export function vesselBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    imo: randomImo(),
    mmsi: randomMmsi(),
    name: `Test Vessel ${randomInt(1_000_000)}`,
    callSign: 'LAXY7',
    flag: 'NO',
    shipType: 'bulk-carrier',
    dwt: 81_600,
    gt: 43_300,
    yearBuilt: 2019,
    ...overrides,
  };
}

export async function createTenant(
  context: FleetTestContext,
  name = `Owner ${randomUUID()}`,
): Promise<string> {
  const response = await context.app.inject({
    method: 'POST',
    url: '/v1/fleet/tenants',
    headers: bearer(await context.token('platform-admin')),
    payload: { name },
  });
  if (response.statusCode !== 201)
    throw new Error(`tenant not created: ${response.statusCode} ${response.body}`);
  return response.json<{ id: string }>().id;
}

export interface VesselResponse {
  id: string;
  tenantId: string;
  imo: string;
  name: string;
  version: number;
  archived: boolean;
  [field: string]: unknown;
}

export async function createVessel(
  context: FleetTestContext,
  tenantId: string,
  overrides: Record<string, unknown> = {},
): Promise<VesselResponse> {
  const response = await context.app.inject({
    method: 'POST',
    url: '/v1/fleet/vessels',
    headers: bearer(await context.token('fleet-manager', tenantId)),
    payload: vesselBody(overrides),
  });
  if (response.statusCode !== 201)
    throw new Error(`vessel not created: ${response.statusCode} ${response.body}`);
  return response.json<VesselResponse>();
}

export async function createDeviceKey(
  context: FleetTestContext,
  tenantId: string,
  vesselId: string,
): Promise<{ id: string; key: string }> {
  const response = await context.app.inject({
    method: 'POST',
    url: `/v1/fleet/vessels/${vesselId}/device-keys`,
    headers: bearer(await context.token('fleet-manager', tenantId)),
    payload: { label: 'gateway' },
  });
  if (response.statusCode !== 201)
    throw new Error(`key not created: ${response.statusCode} ${response.body}`);
  return response.json<{ id: string; key: string }>();
}
