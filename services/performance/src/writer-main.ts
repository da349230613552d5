/**
 * The writer process: Kafka telemetry topic → PostgreSQL. Scales apart from the API (consumer lag).
 *   node --import @fleetwatch/service-kit/register-telemetry dist/writer-main.js
 */
import { checkDatabase, createPool, registerPoolMetrics } from '@fleetwatch/db';
import { createKafka, createProducer, kafkaHealthCheck } from '@fleetwatch/messaging';
import { createLogger, createService, loadConfigOrExit, runService } from '@fleetwatch/service-kit';
import { telemetry } from '@fleetwatch/service-kit/register-telemetry';
import { writerConfigSchema } from './config.js';
import { ensureTelemetryTopics } from './topics.js';
import { createTelemetryWriter } from './writer/consumer.js';
import { maintainPartitions } from './writer/store.js';

const config = loadConfigOrExit(writerConfigSchema);
const version = process.env.npm_package_version ?? 'unknown';
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
  logger: log,
  logLevel: 'warn',
});
await ensureTelemetryTopics(kafka, config.TELEMETRY_TOPIC_PARTITIONS);
const producer = createProducer(kafka);
await producer.connect();
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
  closeables: [
    { name: 'telemetry writer', close: () => writer.stop() },
    { name: 'partition maintenance', close: async () => clearInterval(maintenance) },
    { name: 'kafka health check', close: () => kafkaCheck.close() },
    { name: 'kafka producer', close: () => producer.disconnect() },
    { name: 'postgres pool', close: () => pool.end() },
    telemetry,
  ],
});
await writer.start();
await runService(app, config);
