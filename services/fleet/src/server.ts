/**
 * The fleet service process: real PostgreSQL pool, Kafka producer and outbox relay, signals.
 *   node --import @fleetwatch/service-kit/register-telemetry dist/server.js
 */
import { checkDatabase, createPool, registerPoolMetrics } from '@fleetwatch/db';
import { ensureRegistryTopics } from '@fleetwatch/fleet-registry';
import { createKafka, createProducer, kafkaConnectionOptions, kafkaHealthCheck } from '@fleetwatch/messaging';
import { createOutboxRelay } from '@fleetwatch/outbox';
import {
  createLogger,
  exitOnConfigError,
  loadConfigOrExit,
  runService,
  packageInfo,
} from '@fleetwatch/service-kit';
import { telemetry } from '@fleetwatch/service-kit/register-telemetry';
import { buildApp } from './app.js';
import { fleetConfigSchema } from './config.js';
import { OUTBOX_SCHEMA } from './events.js';

const config = loadConfigOrExit(fleetConfigSchema);
// TLS and SASL for Kafka; KAFKA_SSL* / KAFKA_SASL_* that do not go together stop the process like a bad variable.
const kafkaConnection = exitOnConfigError(() => kafkaConnectionOptions(config));

// For what happens outside requests: pool, Kafka client, relay (requests log through the app's logger).
const log = createLogger({
  service: 'fleet',
  version: packageInfo().version ?? 'unknown',
  level: config.LOG_LEVEL,
});
const pool = createPool({
  connectionString: config.DATABASE_URL,
  applicationName: 'fleet',
  max: config.DATABASE_POOL_MAX,
  onError: (error) => log.warn({ err: error }, 'idle PostgreSQL connection failed'),
});
registerPoolMetrics(pool, { name: 'fleet' });

const kafka = createKafka({
  clientId: config.KAFKA_CLIENT_ID,
  brokers: config.KAFKA_BROKERS.split(','),
  ...kafkaConnection,
  logger: log,
  logLevel: 'warn',
});
await ensureRegistryTopics(kafka, { numPartitions: config.REGISTRY_TOPIC_PARTITIONS });
const producer = createProducer(kafka);
await producer.connect();
const relay = createOutboxRelay({ pool, schema: OUTBOX_SCHEMA, producer, logger: log });
const kafkaCheck = kafkaHealthCheck(kafka);

const app = await buildApp({
  config,
  pool,
  readiness: [
    { name: 'postgres', check: () => checkDatabase(pool) },
    { name: 'kafka', check: () => kafkaCheck.check() },
  ],
  // After the HTTP server has drained: stop relaying (its batch finishes), then the producer, then
  // the pool; traces last.
  closeables: [
    { name: 'outbox relay', close: () => relay.stop() },
    { name: 'kafka health check', close: () => kafkaCheck.close() },
    { name: 'kafka producer', close: () => producer.disconnect() },
    { name: 'postgres pool', close: () => pool.end() },
    telemetry,
  ],
});
await relay.start();
await runService(app, config);
