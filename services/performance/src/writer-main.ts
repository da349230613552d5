/**
 * The writer process: Kafka telemetry topic → PostgreSQL, and the outbox relay that publishes the
 * running-hours events it derives. Scales apart from the API (consumer lag).
 *   node --import @fleetwatch/service-kit/register-telemetry dist/writer-main.js
 */
import { checkDatabase, createPool, registerPoolMetrics } from '@fleetwatch/db';
import { createKafka, createProducer, kafkaConnectionOptions, kafkaHealthCheck } from '@fleetwatch/messaging';
import { createOutboxRelay } from '@fleetwatch/outbox';
import {
  createLogger,
  createService,
  exitOnConfigError,
  loadConfigOrExit,
  runService,
  packageInfo,
} from '@fleetwatch/service-kit';
import { telemetry } from '@fleetwatch/service-kit/register-telemetry';
import { writerConfigSchema } from './config.js';
import { OUTBOX_SCHEMA } from './running-hours/events.js';
import { ensureTelemetryTopics } from './topics.js';
import { ensureRunningHoursTopic } from '@fleetwatch/performance-events';
import { createTelemetryWriter } from './writer/consumer.js';
import { maintainPartitions } from './writer/store.js';

const config = loadConfigOrExit(writerConfigSchema);
// TLS and SASL for Kafka; KAFKA_SSL* / KAFKA_SASL_* that do not go together stop the process like a bad variable.
const kafkaConnection = exitOnConfigError(() => kafkaConnectionOptions(config));
const version = packageInfo().version ?? 'unknown';
const log = createLogger({ service: 'performance-writer', version, level: config.LOG_LEVEL });

const pool = createPool({
  connectionString: config.DATABASE_URL,
  applicationName: 'performance-writer',
  max: config.DATABASE_POOL_MAX,
  onError: (error) => log.warn({ err: error }, 'idle PostgreSQL connection failed'),
});
registerPoolMetrics(pool, { name: 'performance-writer' });

const partitionPlan = {
  retentionDays: config.TELEMETRY_RETENTION_DAYS,
  aheadDays: config.PARTITIONS_AHEAD_DAYS,
};
log.info(await maintainPartitions(pool, partitionPlan), 'telemetry partitions maintained');
// Hourly: tomorrow's partition exists long before midnight, and expired days go.
const maintenance = setInterval(() => {
  maintainPartitions(pool, partitionPlan).then(
    (result) => log.info(result, 'telemetry partitions maintained'),
    (error: unknown) => log.error({ err: error }, 'telemetry partition maintenance failed'),
  );
}, 3_600_000);

const kafka = createKafka({
  clientId: config.KAFKA_CLIENT_ID,
  brokers: config.KAFKA_BROKERS.split(','),
  ...kafkaConnection,
  logger: log,
  logLevel: 'warn',
});
await ensureTelemetryTopics(kafka, config.TELEMETRY_TOPIC_PARTITIONS);
// Keyed by vessel id like the telemetry topic, so it is partitioned the same way.
await ensureRunningHoursTopic(kafka, config.TELEMETRY_TOPIC_PARTITIONS);
const producer = createProducer(kafka);
await producer.connect();
// Publishes the outbox rows the writer's transactions commit (running hours). While active it keeps
// one pool connection; with several writers, one relays and the others stand by.
const relay = createOutboxRelay({ pool, schema: OUTBOX_SCHEMA, producer, logger: log });
const writer = createTelemetryWriter({
  kafka,
  pool,
  producer,
  groupId: config.WRITER_GROUP_ID,
  messagesPerTransaction: config.WRITER_MESSAGES_PER_TRANSACTION,
  partitionsConsumedConcurrently: config.WRITER_PARTITIONS_CONSUMED_CONCURRENTLY,
  logger: log,
});
const kafkaCheck = kafkaHealthCheck(kafka);

// Probes and /metrics (consumer lag, pool) for the writer; it serves no API.
const app = await createService({
  name: 'performance-writer',
  version,
  config,
  readiness: [
    { name: 'postgres', check: () => checkDatabase(pool) },
    { name: 'kafka', check: () => kafkaCheck.check() },
  ],
  // The writer first (its transaction in flight commits, events included), then the relay (its batch
  // in flight finishes; unpublished events wait in the outbox for the next relay), then the producer
  // and the pool both use.
  closeables: [
    { name: 'telemetry writer', close: () => writer.stop() },
    { name: 'outbox relay', close: () => relay.stop() },
    { name: 'partition maintenance', close: async () => clearInterval(maintenance) },
    { name: 'kafka health check', close: () => kafkaCheck.close() },
    { name: 'kafka producer', close: () => producer.disconnect() },
    { name: 'postgres pool', close: () => pool.end() },
    telemetry,
  ],
});
await relay.start();
await writer.start();
await runService(app, config);
