import {
  createBatchConsumer,
  type Logger,
  type MessageConsumer,
  type MessageProducer,
} from '@fleetwatch/messaging';
import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import { TelemetryBatch } from '../telemetry-batch.js';
import { TELEMETRY_DEAD_LETTER_TOPIC, TELEMETRY_TOPIC } from '../topics.js';
import { storeBatches } from './store.js';

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
  registry?: Registry;
}

/**
 * Kafka → PostgreSQL: each call stores up to `messagesPerTransaction` batches of one partition in one
 * transaction, then commits their offsets. Storing is idempotent (primary key), so a redelivery after
 * a crash between the two stores nothing twice.
 */
export function createTelemetryWriter(options: TelemetryWriterOptions): MessageConsumer {
  return createBatchConsumer({
    kafka: options.kafka,
    groupId: options.groupId,
    topics: [TELEMETRY_TOPIC],
    dataSchema: TelemetryBatch,
    handler: async (messages) => {
      await storeBatches(
        options.pool,
        messages.map((message) => message.envelope.data),
      );
    },
    retry: { retries: 3, minTimeoutMs: 200, maxTimeoutMs: 5_000 },
    deadLetterTopic: TELEMETRY_DEAD_LETTER_TOPIC,
    producer: options.producer,
    maxMessagesPerCall: options.messagesPerTransaction,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
    fetch: { minBytes: 1, maxBytesPerPartition: 4 * 1024 * 1024, maxBytes: 16 * 1024 * 1024 },
    ...(options.sessionTimeoutMs ? { sessionTimeoutMs: options.sessionTimeoutMs } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.registry ? { registry: options.registry } : {}),
  });
}
