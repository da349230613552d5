/**
 * The maintenance service process: PostgreSQL pool, fleet registry view, running-hours consumer,
 * overdue scan, outbox relay, signals.
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
import { ensureRunningHoursTopic } from '@fleetwatch/performance-events';
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
import { maintenanceConfigSchema } from './config.js';
import { OUTBOX_SCHEMA, WORK_ORDERS_TOPIC } from './events.js';
import { scanOverdueWorkOrders } from './overdue-scan.js';
import { createRunningHoursConsumer, RUNNING_HOURS_DEAD_LETTER_TOPIC } from './running-hours.js';

const config = loadConfigOrExit(maintenanceConfigSchema);
// TLS and SASL for Kafka; KAFKA_SSL* / KAFKA_SASL_* that do not go together stop the process like a bad variable.
const kafkaConnection = exitOnConfigError(() => kafkaConnectionOptions(config));

const log = createLogger({
  service: 'maintenance',
  version: packageInfo().version ?? 'unknown',
  level: config.LOG_LEVEL,
});
const pool = createPool({
  connectionString: config.DATABASE_URL,
  applicationName: 'maintenance',
  max: config.DATABASE_POOL_MAX,
  onError: (error) => log.warn({ err: error }, 'idle PostgreSQL connection failed'),
});
registerPoolMetrics(pool, { name: 'maintenance' });

const kafka = createKafka({
  clientId: config.KAFKA_CLIENT_ID,
  brokers: config.KAFKA_BROKERS.split(','),
  ...kafkaConnection,
  logger: log,
  logLevel: 'warn',
});
// Topics this service reads or writes, created when missing so start order does not matter.
await ensureRegistryTopics(kafka);
await ensureRunningHoursTopic(kafka, 6);
await ensureTopics(kafka, [
  { topic: WORK_ORDERS_TOPIC, numPartitions: 6 },
  { topic: RUNNING_HOURS_DEAD_LETTER_TOPIC, numPartitions: 1 },
]);
const producer = createProducer(kafka);
await producer.connect();
const registry = createFleetRegistryView({
  kafka,
  instanceId: config.INSTANCE_ID ?? `${hostname()}-${randomUUID()}`,
  logger: log,
});
await registry.start();
const relay = createOutboxRelay({ pool, schema: OUTBOX_SCHEMA, producer, logger: log });
const runningHours = createRunningHoursConsumer({
  kafka,
  pool,
  groupId: config.RUNNING_HOURS_GROUP_ID,
  producer,
  logger: log,
});

// The overdue scan: at start, then every interval; a failed pass is logged and tried again next time.
let scanning: Promise<void> = Promise.resolve();
const scan = async () => {
  try {
    const events = await scanOverdueWorkOrders(pool, new Date());
    if (events.length > 0) log.info({ events: events.length }, 'overdue work-order notices queued');
  } catch (error) {
    log.error({ err: error }, 'overdue scan failed');
  }
};
const scanTimer = setInterval(() => {
  scanning = scanning.then(scan);
}, config.OVERDUE_SCAN_INTERVAL_SECONDS * 1000);
scanTimer.unref();

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
  // After the HTTP server has drained: the scan, the consumer, the relay, Kafka, the pool.
  closeables: [
    {
      name: 'overdue scan',
      close: async () => {
        clearInterval(scanTimer);
        await scanning;
      },
    },
    { name: 'running-hours consumer', close: () => runningHours.stop() },
    { name: 'outbox relay', close: () => relay.stop() },
    { name: 'fleet registry view', close: () => registry.stop() },
    { name: 'kafka health check', close: () => kafkaCheck.close() },
    { name: 'kafka producer', close: () => producer.disconnect() },
    { name: 'postgres pool', close: () => pool.end() },
    telemetry,
  ],
});
await relay.start();
await runningHours.start();
scanning = scan();
await runService(app, config);
