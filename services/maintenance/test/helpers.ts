import { loadConfig } from '@fleetwatch/service-kit';
import { startServiceTestApp, type ServiceTestContext } from '@fleetwatch/test-support';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { buildApp } from '../src/app.js';
import { maintenanceConfigSchema } from '../src/config.js';

export { post, ROLES } from '@fleetwatch/test-support';
export type { Role, TestVessel } from '@fleetwatch/test-support';
export type MaintenanceTestContext = ServiceTestContext;

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/** The maintenance app on the test PostgreSQL and Kafka; `today` fixes its clock to that date (noon UTC). */
export function startMaintenanceApp({ today }: { today?: string } = {}): Promise<MaintenanceTestContext> {
  return startServiceTestApp({
    schema: 'maintenance',
    migrationsDir,
    infra: {
      databaseUrl: inject('databaseUrl'),
      adminDatabaseUrl: inject('adminDatabaseUrl'),
      kafkaBrokers: inject('kafkaBrokers'),
    },
    loadConfig: (env) => loadConfig(maintenanceConfigSchema, env),
    buildApp,
    ...(today ? { today } : {}),
  });
}
