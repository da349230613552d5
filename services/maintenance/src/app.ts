import type { FleetRegistryView } from '@fleetwatch/fleet-registry';
import {
  createService,
  type Closeable,
  type ReadinessCheck,
  type ServiceApp,
  type ServiceOptions,
} from '@fleetwatch/service-kit';
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import type { MaintenanceConfig } from './config.js';
import { classSurveyRoutes } from './routes/class-surveys/index.js';
import { componentRoutes } from './routes/components/index.js';
import { SHARED_SCHEMAS } from './routes/schemas.js';
import { workOrderRoutes } from './routes/work-orders/index.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export interface MaintenanceDependencies {
  config: MaintenanceConfig;
  /** The app role's pool: every query runs under row-level security. */
  pool: pg.Pool;
  /** The fleet registry read model: which vessels exist and whose they are. */
  registry: FleetRegistryView;
  readiness?: ReadinessCheck[];
  closeables?: Closeable[];
  logDestination?: ServiceOptions['logDestination'];
  /** The clock: "today" for due dates. */
  now?: () => Date;
}

/** The planned maintenance API under /v1/maintenance. */
export async function buildApp(deps: MaintenanceDependencies): Promise<ServiceApp> {
  const { config, pool, registry } = deps;
  const now = deps.now ?? (() => new Date());
  const app = await createService({
    name: 'maintenance',
    version,
    description:
      'Planned maintenance (ISM Code §10): equipment, jobs by calendar and running hours, work orders, class surveys.',
    config,
    ...(deps.readiness ? { readiness: deps.readiness } : {}),
    ...(deps.closeables ? { closeables: deps.closeables } : {}),
    ...(deps.logDestination ? { logDestination: deps.logDestination } : {}),
  });
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  const prefix = '/v1/maintenance';
  await app.register(componentRoutes, { prefix, pool, registry, now });
  await app.register(workOrderRoutes, { prefix, pool, registry, now });
  await app.register(classSurveyRoutes, { prefix, pool, registry, now });
  return app;
}
