import { loadConfig } from '@fleetwatch/service-kit';
import { post, startServiceTestApp, type ServiceTestContext } from '@fleetwatch/test-support';
import { randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { buildApp } from '../src/app.js';
import { crewConfigSchema } from '../src/config.js';

export { post, ROLES } from '@fleetwatch/test-support';
export type { Role, TestVessel } from '@fleetwatch/test-support';
export type CrewTestContext = ServiceTestContext;

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/** The crew app on the test PostgreSQL and Kafka; `today` fixes its clock to that date (noon UTC). */
export function startCrewApp({ today }: { today?: string } = {}): Promise<CrewTestContext> {
  return startServiceTestApp({
    schema: 'crew',
    migrationsDir,
    infra: {
      databaseUrl: inject('databaseUrl'),
      adminDatabaseUrl: inject('adminDatabaseUrl'),
      kafkaBrokers: inject('kafkaBrokers'),
    },
    loadConfig: (env) => loadConfig(crewConfigSchema, env),
    buildApp,
    ...(today ? { today } : {}),
  });
}

export function seafarerBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    givenName: 'Maria',
    familyName: `Santos ${randomInt(1_000_000)}`,
    nationality: 'PH',
    dateOfBirth: '1988-04-12',
    rank: 'able-seafarer',
    ...overrides,
  };
}

export interface SeafarerResponse {
  id: string;
  tenantId: string;
  version: number;
  [field: string]: unknown;
}

export async function createSeafarer(
  context: CrewTestContext,
  tenantId: string,
  overrides: Record<string, unknown> = {},
): Promise<SeafarerResponse> {
  return post<SeafarerResponse>(
    context,
    '/v1/crew/seafarers',
    await context.as('fleet-manager', tenantId),
    seafarerBody(overrides),
  );
}
