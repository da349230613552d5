import compress from '@fastify/compress';
import { DEVICE_KEY_SECURITY_SCHEME, type FleetRegistryView } from '@fleetwatch/fleet-registry';
import type { MessageProducer } from '@fleetwatch/messaging';
import type pg from 'pg';
import { register as defaultRegistry, type Registry } from 'prom-client';
import {
  createService,
  type Closeable,
  type ReadinessCheck,
  type ServiceApp,
  type ServiceOptions,
} from '@fleetwatch/service-kit';
import { readFileSync } from 'node:fs';
import type { ApiConfig } from './config.js';
import { reportFleetMetrics } from './fleet-metrics.js';
import { CII_SCHEMAS, ciiRoutes } from './routes/cii/index.js';
import { NOON_REPORT_SCHEMAS } from './routes/noon-reports/schemas.js';
import { noonReportRoutes } from './routes/noon-reports/index.js';
import { QUERY_SCHEMAS, queryRoutes } from './routes/queries/index.js';
import { IngestResult, telemetryRoutes } from './routes/telemetry/index.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export interface ApiDependencies {
  config: ApiConfig;
  /** The fleet registry read model: verifies device keys and vessel ownership without calling fleet. */
  registry: FleetRegistryView;
  producer: MessageProducer;
  /** The app role's pool, for the query API (row-level security per tenant). */
  pool: pg.Pool;
  readiness?: ReadinessCheck[];
  closeables?: Closeable[];
  logDestination?: ServiceOptions['logDestination'];
  now?: () => Date;
  /**
   * Where the ingestion counters and the fleet gauges are registered. Default: prom-client's default
   * registry, the one /metrics serves; tests pass their own to read exact values.
   */
  metricsRegistry?: Registry;
}

/** The performance API under /v1/performance: telemetry ingestion and queries. */
export async function buildApiApp(deps: ApiDependencies): Promise<ServiceApp> {
  const { config, metricsRegistry = defaultRegistry } = deps;
  const app = await createService({
    name: 'performance',
    version,
    description: 'Vessel telemetry ingestion (JSON, NDJSON, Signal K, NMEA 0183) into Kafka and PostgreSQL.',
    config,
    securitySchemes: {
      deviceKey: DEVICE_KEY_SECURITY_SCHEME,
    },
    ...(deps.readiness ? { readiness: deps.readiness } : {}),
    ...(deps.closeables ? { closeables: deps.closeables } : {}),
    ...(deps.logDestination ? { logDestination: deps.logDestination } : {}),
  });
  for (const schema of [IngestResult, ...QUERY_SCHEMAS, ...NOON_REPORT_SCHEMAS, ...CII_SCHEMAS])
    app.addSchema(schema);
  // Satellite links send gzip; the body limit applies to the decompressed body.
  await app.register(compress, { global: true, requestEncodings: ['gzip', 'deflate'] });
  await app.register(telemetryRoutes, {
    prefix: '/v1/performance',
    registry: deps.registry,
    producer: deps.producer,
    retentionMs: config.TELEMETRY_RETENTION_DAYS * 86_400_000,
    maxPoints: config.MAX_POINTS_PER_REQUEST,
    publishTimeoutMs: config.PUBLISH_TIMEOUT_MS,
    metricsRegistry,
    ...(deps.now ? { now: deps.now } : {}),
  });
  await app.register(queryRoutes, { prefix: '/v1/performance', pool: deps.pool, registry: deps.registry });
  await app.register(noonReportRoutes, {
    prefix: '/v1/performance',
    pool: deps.pool,
    registry: deps.registry,
    ...(deps.now ? { now: deps.now } : {}),
  });
  await app.register(ciiRoutes, {
    prefix: '/v1/performance',
    pool: deps.pool,
    registry: deps.registry,
    ...(deps.now ? { now: deps.now } : {}),
  });
  // Fleet operations gauges, read from PostgreSQL across tenants at scrape time (the API process only).
  const stopFleetMetrics = reportFleetMetrics({
    pool: deps.pool,
    registry: deps.registry,
    metricsRegistry,
    logger: app.log,
    ...(deps.now ? { now: deps.now } : {}),
  });
  app.addHook('onClose', async () => stopFleetMetrics());
  return app;
}
