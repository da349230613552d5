import type { FleetRegistryView } from '@fleetwatch/fleet-registry';
import {
  createService,
  isCountryCode,
  type Closeable,
  type ReadinessCheck,
  type ServiceApp,
  type ServiceOptions,
} from '@fleetwatch/service-kit';
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import type { CrewConfig } from './config.js';
import { assignmentRoutes } from './routes/assignments/index.js';
import { certificateRoutes } from './routes/certificates/index.js';
import { restRoutes } from './routes/rest/index.js';
import { SHARED_SCHEMAS } from './routes/schemas.js';
import { seafarerRoutes } from './routes/seafarers/index.js';
import { vesselRoutes } from './routes/vessels/index.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export interface CrewDependencies {
  config: CrewConfig;
  /** The app role's pool: every query runs under row-level security. */
  pool: pg.Pool;
  /** The fleet registry read model: which vessels exist and whose they are, without calling fleet. */
  registry: FleetRegistryView;
  readiness?: ReadinessCheck[];
  closeables?: Closeable[];
  logDestination?: ServiceOptions['logDestination'];
  /** The clock: "today" for certificate status, expiry lists and default dates. */
  now?: () => Date;
}

/** The crew API under /v1/crew. */
export async function buildApp(deps: CrewDependencies): Promise<ServiceApp> {
  const { config, pool, registry } = deps;
  const now = deps.now ?? (() => new Date());
  const app = await createService({
    name: 'crew',
    version,
    description:
      'Seafarers, their certificates and assignments, safe manning compliance and hours of rest (MLC A2.3, STCW A-VIII/1).',
    config,
    formats: { country: isCountryCode },
    ...(deps.readiness ? { readiness: deps.readiness } : {}),
    ...(deps.closeables ? { closeables: deps.closeables } : {}),
    ...(deps.logDestination ? { logDestination: deps.logDestination } : {}),
  });
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  // PATCH bodies are JSON merge patches (RFC 7396); plain JSON is accepted too.
  app.addContentTypeParser(
    'application/merge-patch+json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );

  const prefix = '/v1/crew';
  await app.register(seafarerRoutes, { prefix, pool, now });
  await app.register(certificateRoutes, {
    prefix,
    pool,
    registry,
    now,
    warningDays: config.CERTIFICATE_WARNING_DAYS,
  });
  await app.register(assignmentRoutes, { prefix, pool, registry });
  await app.register(vesselRoutes, { prefix, pool, registry, now });
  await app.register(restRoutes, { prefix, pool, registry, now });
  return app;
}
