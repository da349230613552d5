import { DEVICE_KEY_SECURITY_SCHEME } from '@fleetwatch/fleet-registry';
import {
  createService,
  type Closeable,
  type ReadinessCheck,
  type ServiceApp,
  type ServiceOptions,
} from '@fleetwatch/service-kit';
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import type { FleetConfig } from './config.js';
import { isValidFlag } from './domain/flag.js';
import { isValidImo } from './domain/imo.js';
import { isValidShipMmsi } from './domain/mmsi.js';
import { auditLogRoutes } from './routes/audit-log/index.js';
import { deviceKeyRoutes } from './routes/device-keys/index.js';
import { deviceRoutes } from './routes/device/index.js';
import { SHARED_SCHEMAS } from './routes/schemas.js';
import { tenantRoutes } from './routes/tenants/index.js';
import { vesselRoutes } from './routes/vessels/index.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export interface FleetDependencies {
  config: FleetConfig;
  /** The app role's pool: every query runs under row-level security. */
  pool: pg.Pool;
  readiness?: ReadinessCheck[];
  closeables?: Closeable[];
  logDestination?: ServiceOptions['logDestination'];
}

/** The fleet API: tenants, vessels, device keys, audit log, under /v1/fleet. */
export async function buildApp({
  config,
  pool,
  readiness,
  closeables,
  logDestination,
}: FleetDependencies): Promise<ServiceApp> {
  const app = await createService({
    name: 'fleet',
    version,
    description:
      'Who is who and which ship belongs to whom: ship owners, vessels, telemetry keys, audit log.',
    config,
    formats: { imo: isValidImo, mmsi: isValidShipMmsi, flag: isValidFlag },
    securitySchemes: {
      deviceKey: DEVICE_KEY_SECURITY_SCHEME,
    },
    ...(readiness ? { readiness } : {}),
    ...(closeables ? { closeables } : {}),
    ...(logDestination ? { logDestination } : {}),
  });
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  // PATCH bodies are JSON merge patches (RFC 7396); plain JSON is accepted too.
  app.addContentTypeParser(
    'application/merge-patch+json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );

  const prefix = '/v1/fleet';
  await app.register(tenantRoutes, { pool, prefix });
  await app.register(vesselRoutes, { pool, prefix });
  await app.register(deviceKeyRoutes, { pool, prefix });
  await app.register(auditLogRoutes, { pool, prefix });
  await app.register(deviceRoutes, { pool, prefix });
  return app;
}
