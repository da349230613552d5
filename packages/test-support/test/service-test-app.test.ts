import { baseConfigSchema, createService, loadConfig } from '@fleetwatch/service-kit';
import { Type } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  documentedRoutes,
  post,
  registeredRoutes,
  startServiceTestApp,
  type ServiceTestContext,
} from '../src/index.js';

const configSchema = Type.Object({ ...baseConfigSchema.properties, DATABASE_URL: Type.String() });
const schema = `testsupport_${randomUUID().slice(0, 8)}`;

describe('startServiceTestApp', () => {
  let context: ServiceTestContext;

  beforeAll(async () => {
    context = await startServiceTestApp({
      schema,
      migrationsDir: fileURLToPath(new URL('./fixtures/migrations', import.meta.url)),
      infra: {
        databaseUrl: inject('databaseUrl'),
        adminDatabaseUrl: inject('adminDatabaseUrl'),
        kafkaBrokers: inject('kafkaBrokers'),
      },
      loadConfig: (env) => loadConfig(configSchema, env),
      today: '2026-03-01',
      buildApp: async ({ config, pool, registry, now }) => {
        const app = await createService({ name: 'sample', version: '0', config });
        app.get('/today', { onRequest: app.requireRole('viewer') }, async () => ({
          today: now?.().toISOString(),
          vessels: registry.isCaughtUp(),
        }));
        app.get(
          '/notes',
          async () => (await pool.query<{ text: string }>(`SELECT text FROM ${schema}.notes`)).rows,
        );
        app.post('/echo', { onRequest: app.requireRole('fleet-manager') }, async (request, reply) =>
          reply.code(201).send(request.body),
        );
        return app;
      },
    });
  });
  afterAll(async () => {
    await context.close();
    const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await admin.connect();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });

  it('migrates the schema and connects as the app role', async () => {
    const response = await context.app.inject({ url: '/notes' });
    expect(response.json()).toEqual([{ text: 'first' }]);
  });

  it('fixes the clock, and signs tokens the app accepts for the role', async () => {
    const response = await context.app.inject({ url: '/today', headers: await context.as('viewer') });
    expect(response.json()).toEqual({ today: '2026-03-01T12:00:00.000Z', vessels: true });
    const wrongRole = await context.app.inject({ url: '/today', headers: await context.as('fleet-manager') });
    expect(wrongRole.statusCode).toBe(403);
  });

  it('post() returns the body on the expected status and throws otherwise', async () => {
    const headers = await context.as('fleet-manager');
    expect(await post(context, '/echo', headers, { a: 1 })).toEqual({ a: 1 });
    await expect(post(context, '/echo', await context.as('viewer'), { a: 1 })).rejects.toThrow(
      /expected 201, got 403/,
    );
  });

  it('lists the routes the app registers and documents', () => {
    expect(registeredRoutes(context.app, '/')).toEqual(
      expect.arrayContaining(['GET /notes', 'GET /today', 'POST /echo']),
    );
    expect(registeredRoutes(context.app, '/no')).toEqual(['GET /notes']);
    expect(documentedRoutes(context.app, '/no')).toEqual(['GET /notes']);
  });

  it('publishes vessels the registry view then knows', async () => {
    const vessel = await context.fixture.addVessel();
    expect(context.fixture.registry.vessel(vessel.id)?.tenantId).toBe(vessel.tenantId);
  });
});
