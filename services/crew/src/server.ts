/**
 * The crew service process: PostgreSQL pool, fleet registry view, expiry scan, outbox relay, signals.
 *   node --import @fleetwatch/service-kit/register-telemetry dist/server.js
 */
import { checkDatabase, createPool, registerPoolMetrics } from '@fleetwatch/db';
import { createFleetRegistryView, ensureRegistryTopics } from '@fleetwatch/fleet-registry';
import {
  createKafka,
  createProducer,
  ensureTopics,
  kafkaConnectionOptions,
  kafkaHealthCheck,
} from '@fleetwatch/messaging';
import { createOutboxRelay } from '@fleetwatch/outbox';
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
import { buildApp } from './app.js';
import { crewConfigSchema } from './config.js';
import { CERTIFICATE_EXPIRY_TOPIC, OUTBOX_SCHEMA } from './events.js';
import { createExpiryScanner } from './expiry-scan.js';

const config = loadConfigOrExit(crewConfigSchema);
// TLS and SASL for Kafka; KAFKA_SSL* / KAFKA_SASL_* that do not go together stop the process like a bad variable.
const kafkaConnection = exitOnConfigError(() => kafkaConnectionOptions(config));

const log = createLogger({
  service: 'crew',
  version: packageInfo().version ?? 'unknown',
  level: config.LOG_LEVEL,
});
const pool = createPool({
  connectionString: config.DATABASE_URL,
  applicationName: 'crew',
  max: config.DATABASE_POOL_MAX,
  onError: (error) => log.warn({ err: error }, 'idle PostgreSQL connection failed'),
});
registerPoolMetrics(pool, { name: 'crew' });

const kafka = createKafka({
  clientId: config.KAFKA_CLIENT_ID,
  brokers: config.KAFKA_BROKERS.split(','),
  ...kafkaConnection,
  logger: log,
  logLevel: 'warn',
});
// The fleet service creates these too; whichever starts first does, so start order does not matter.
await ensureRegistryTopics(kafka);
await ensureTopics(kafka, [{ topic: CERTIFICATE_EXPIRY_TOPIC, numPartitions: 6 }]);
const producer = createProducer(kafka);
await producer.connect();
const registry = createFleetRegistryView({
  kafka,
  instanceId: config.INSTANCE_ID ?? `${hostname()}-${randomUUID()}`,
  logger: log,
});
await registry.start();
const relay = createOutboxRelay({ pool, schema: OUTBOX_SCHEMA, producer, logger: log });
const scanner = createExpiryScanner({
  pool,
  intervalMs: config.EXPIRY_SCAN_INTERVAL_SECONDS * 1000,
  warningDays: config.CERTIFICATE_WARNING_DAYS,
  logger: log,
});
const kafkaCheck = kafkaHealthCheck(kafka);

const app = await buildApp({
  config,
  pool,
  registry,
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
  // After the HTTP server has drained: the scan, the relay (its batch finishes), Kafka, the pool.
  closeables: [
    { name: 'expiry scanner', close: () => scanner.stop() },
    { name: 'outbox relay', close: () => relay.stop() },
    { name: 'fleet registry view', close: () => registry.stop() },
    { name: 'kafka health check', close: () => kafkaCheck.close() },
    { name: 'kafka producer', close: () => producer.disconnect() },
    { name: 'postgres pool', close: () => pool.end() },
    telemetry,
  ],
});
await relay.start();
scanner.start();
await runService(app, config);
