import {
  createBatchConsumer,
  type Logger,
  type MessageConsumer,
  type MessageProducer,
} from '@fleetwatch/messaging';
import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import { register as defaultRegistry, type Registry } from 'prom-client';
import { TelemetryMessageData } from '../telemetry-batch.js';
import { TELEMETRY_DEAD_LETTER_TOPIC, TELEMETRY_TOPIC } from '../topics.js';
import { writerMetrics, type WriterMetrics } from './metrics.js';
import { storeBatches, type WriteStage } from './store.js';

export interface TelemetryWriterOptions {
  kafka: Kafka;
  pool: pg.Pool;
  /** Publishes poison batches to the dead-letter topic. */
  producer: MessageProducer;
  groupId: string;
  messagesPerTransaction: number;
  partitionsConsumedConcurrently: number;
  /** How soon a dead writer's partitions move to another; kafkajs' default is 30 000 ms. */
  sessionTimeoutMs?: number;
  logger?: Logger;
  /** The writer's and its consumer's metrics; default prom-client's default registry (/metrics). */
  registry?: Registry;
  /** Default TELEMETRY_TOPIC and TELEMETRY_DEAD_LETTER_TOPIC; tests use topics of their own. */
  topic?: string;
  deadLetterTopic?: string;
}

/**
 * Kafka → PostgreSQL: each call stores up to `messagesPerTransaction` batches of one partition in one
 * transaction, then commits their offsets. Storing is idempotent (primary key), so a redelivery after
 * a crash between the two stores nothing twice.
 */
export function createTelemetryWriter(options: TelemetryWriterOptions): MessageConsumer {
  const registry = options.registry ?? defaultRegistry;
  const metrics = writerMetrics(registry);
  return createBatchConsumer({
    kafka: options.kafka,
    groupId: options.groupId,
    topics: [options.topic ?? TELEMETRY_TOPIC],
    dataSchema: TelemetryMessageData,
    handler: async (messages) => {
      await storeMeasured(
        options.pool,
        messages.map((message) => message.envelope.data),
        metrics,
      );
    },
    retry: { retries: 3, minTimeoutMs: 200, maxTimeoutMs: 5_000 },
    deadLetterTopic: options.deadLetterTopic ?? TELEMETRY_DEAD_LETTER_TOPIC,
    producer: options.producer,
    maxMessagesPerCall: options.messagesPerTransaction,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
    fetch: { minBytes: 1, maxBytesPerPartition: 4 * 1024 * 1024, maxBytes: 16 * 1024 * 1024 },
    registry,
    ...(options.sessionTimeoutMs ? { sessionTimeoutMs: options.sessionTimeoutMs } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}

/**
 * storeBatches with the writer's metrics: a failed attempt counts under the stage it failed in; a
 * committed transaction records its duration, the points it inserted and, if it inserted any, each
 * batch's delay from the API's receipt (its receivedAt) to now, the commit.
 */
export async function storeMeasured(
  pool: pg.Pool,
  batches: TelemetryMessageData[],
  metrics: WriterMetrics,
): Promise<number> {
  const progress: { stage?: WriteStage } = {};
  const stopTimer = metrics.writeDuration.startTimer();
  let inserted: number;
  try {
    inserted = await storeBatches(pool, batches, (stage) => {
      progress.stage = stage;
    });
  } catch (error) {
    metrics.errors.inc({ stage: progress.stage ?? 'connect' });
    throw error;
  }
  // Nothing to store means no transaction: nothing to time.
  if (progress.stage === undefined) return inserted;
  stopTimer();
  metrics.pointsWritten.inc(inserted);
  if (inserted > 0) {
    const committedAt = Date.now();
    for (const batch of batches) {
      const receivedAt = Date.parse(batch.receivedAt);
      // Clocks of the API and writer hosts may differ a little; a negative delay is none.
      if (Number.isFinite(receivedAt))
        metrics.ingestDelay.observe(Math.max(0, committedAt - receivedAt) / 1000);
    }
  }
  return inserted;
}
