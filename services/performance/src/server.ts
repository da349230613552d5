/**
 * The performance API process: telemetry ingestion and queries.
 *   node --import @fleetwatch/service-kit/register-telemetry dist/server.js
 */
import { checkDatabase, createPool, registerPoolMetrics } from '@fleetwatch/db';
import { createFleetRegistryView, ensureRegistryTopics } from '@fleetwatch/fleet-registry';
import { createKafka, createProducer, kafkaConnectionOptions, kafkaHealthCheck } from '@fleetwatch/messaging';
import {
  createLogger,
  exitOnConfigError,
  loadConfigOrExit,
  runService,
  packageInfo,
} from '@fleetwatch/service-kit';
import { telemetry } from '@fleetwatch/service-kit/register-telemetry';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { buildApiApp } from './app.js';
import { apiConfigSchema } from './config.js';
import { ensureTelemetryTopics } from './topics.js';

const config = loadConfigOrExit(apiConfigSchema);
// TLS and SASL for Kafka; KAFKA_SSL* / KAFKA_SASL_* that do not go together stop the process like a bad variable.
const kafkaConnection = exitOnConfigError(() => kafkaConnectionOptions(config));
const log = createLogger({
  service: 'performance',
  version: packageInfo().version ?? 'unknown',
  level: config.LOG_LEVEL,
});

const pool = createPool({
  connectionString: config.DATABASE_URL,
  applicationName: 'performance-api',
  max: config.DATABASE_POOL_MAX,
  onError: (error) => log.warn({ err: error }, 'idle PostgreSQL connection failed'),
});
registerPoolMetrics(pool, { name: 'performance-api' });

const kafka = createKafka({
  clientId: config.KAFKA_CLIENT_ID,
  brokers: config.KAFKA_BROKERS.split(','),
  ...kafkaConnection,
  logger: log,
  logLevel: 'warn',
});
await ensureTelemetryTopics(kafka, config.TELEMETRY_TOPIC_PARTITIONS);
// The fleet service creates these too; whichever starts first does, so start order does not matter.
await ensureRegistryTopics(kafka);
const producer = createProducer(kafka);
await producer.connect();
// Device keys and vessel ownership come from the fleet registry topics, never from calls to fleet.
const registry = createFleetRegistryView({
  kafka,
  instanceId: config.INSTANCE_ID ?? `${hostname()}-${randomUUID()}`,
  logger: log,
});
await registry.start();
const kafkaCheck = kafkaHealthCheck(kafka);

const app = await buildApiApp({
  config,
  registry,
  producer,
  pool,
  readiness: [
    { name: 'postgres', check: () => checkDatabase(pool) },
    { name: 'kafka', check: () => kafkaCheck.check() },
    {
      name: 'fleet registry',
      check: async () => {
        if (!registry.isCaughtUp()) throw new Error('the fleet registry view is not caught up');
      },
    },
  ],
  closeables: [
    { name: 'fleet registry view', close: () => registry.stop() },
    { name: 'kafka health check', close: () => kafkaCheck.close() },
    { name: 'kafka producer', close: () => producer.disconnect() },
    { name: 'postgres pool', close: () => pool.end() },
    telemetry,
  ],
});
await runService(app, config);
