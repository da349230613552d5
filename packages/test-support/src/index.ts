/**
 * For services' tests: a service app built from its real dependencies on the test PostgreSQL (schema
 * migrated) and Kafka, with an identity provider of its own and a fleet registry on fresh topics, and
 * the helpers every tenant-scoped service's tests use.
 */
import { createPool, migrate } from '@fleetwatch/db';
import type { FleetRegistryView } from '@fleetwatch/fleet-registry';
import { startRegistryFixture, type RegistryFixture } from '@fleetwatch/fleet-registry/testing';
import { createKafka } from '@fleetwatch/messaging';
import type { ServiceApp } from '@fleetwatch/service-kit';
import { createTestAuth, type TestAuth } from '@fleetwatch/service-kit/testing';
import type { Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';

export type { TestVessel } from '@fleetwatch/fleet-registry/testing';

export const ROLES = ['platform-admin', 'owner-admin', 'fleet-manager', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface TestInfra {
  databaseUrl: string;
  adminDatabaseUrl: string;
  kafkaBrokers: string[];
}

export interface ServiceTestContext {
  app: ServiceApp;
  pool: pg.Pool;
  kafka: Kafka;
  auth: TestAuth;
  fixture: RegistryFixture;
  /** Authorization headers for the role (tenant roles get the tenant, a random one if none is given). */
  as(role: Role, tenantId?: string): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

export interface ServiceTestOptions<Config> {
  /** The service's schema, and the name of its test pool, Kafka client and registry view. */
  schema: string;
  migrationsDir: string;
  infra: TestInfra;
  /** The service's configuration from the environment given (its loadConfig with its schema). */
  loadConfig: (env: Record<string, string>) => Config;
  buildApp: (deps: {
    config: Config;
    pool: pg.Pool;
    registry: FleetRegistryView;
    now?: () => Date;
  }) => Promise<ServiceApp>;
  /** Fixes the app's clock to noon UTC of this date. */
  today?: string;
}

export async function startServiceTestApp<Config>(
  options: ServiceTestOptions<Config>,
): Promise<ServiceTestContext> {
  const { schema, infra } = options;
  await migrate({ databaseUrl: infra.adminDatabaseUrl, schema, dir: options.migrationsDir });
  const pool = createPool({
    connectionString: infra.databaseUrl,
    applicationName: `${schema}-test`,
    onError: () => {},
  });
  const kafka = createKafka({ clientId: `${schema}-test`, brokers: infra.kafkaBrokers });
  const fixture = await startRegistryFixture(kafka, `${schema}-test`);
  const auth = await createTestAuth();
  const config = options.loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '100000',
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    AUTH_ISSUER: auth.issuer,
    AUTH_AUDIENCE: auth.audience,
    AUTH_JWKS_FILE: auth.jwksFile,
  });
  const { today } = options;
  const app = await options.buildApp({
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

/** POSTs and expects the status (201 unless given), returning the parsed body. */
export async function post<T = Record<string, unknown>>(
  context: Pick<ServiceTestContext, 'app'>,
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

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** `METHOD /path/{param}` of every operation under the prefix in the app's OpenAPI document, sorted. */
export function documentedRoutes(app: ServiceApp, prefix: string): string[] {
  const { paths } = app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(paths)
    .filter(([path]) => path.startsWith(prefix))
    .flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => HTTP_METHODS.has(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort();
}

/**
 * `METHOD /path/{}` of every route Fastify registered under the prefix (HEAD and OPTIONS left out),
 * sorted: read from its route tree, so a route hidden from the OpenAPI document shows too.
 */
export function registeredRoutes(app: ServiceApp, prefix: string): string[] {
  const segments: string[] = [];
  const routes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    segments.length = (match[1] ?? '').length / 4;
    segments.push(match[2] ?? '');
    const path = segments.join('').replace(/:\w+(?:\|:\w+)*/g, '{}');
    for (const method of match[3]?.split(', ') ?? []) routes.push(`${method} ${path}`);
  }
  return routes
    .filter((route) => route.split(' ')[1]?.startsWith(prefix) && !/^(HEAD|OPTIONS) /.test(route))
    .sort();
}
