import { ensureTopics } from '@fleetwatch/messaging';
import type { Kafka } from 'kafkajs';

/** Batches of telemetry points, keyed by vessel id (a vessel's points stay in order on one partition). */
export const TELEMETRY_TOPIC = 'telemetry.points.v1';
export const TELEMETRY_DEAD_LETTER_TOPIC = 'telemetry.points.v1.dlq';
export const TELEMETRY_EVENT = 'telemetry.points';
export const TELEMETRY_EVENT_VERSION = 1;

/**
 * Running hours per vessel and engine (src/running-hours), published through the outbox. Keyed by
 * vessel id, so each vessel's events (all its engines) stay in order on one partition. Deleted by
 * age, not compacted: compaction keeps one message per key, which would keep only the engine that
 * reported last and drop a counter reset before a slow consumer saw it. Every event carries the
 * absolute counter, so the newest event of an engine is its whole state and the older ones are history.
 */
export const RUNNING_HOURS_TOPIC = 'performance.running-hours.v1';
const RUNNING_HOURS_RETENTION_MS = 30 * 86_400_000;

export async function ensureTelemetryTopics(kafka: Kafka, numPartitions: number): Promise<void> {
  await ensureTopics(kafka, [
    {
      topic: TELEMETRY_TOPIC,
      numPartitions,
      configEntries: [{ name: 'retention.ms', value: String(3 * 86_400_000) }],
    },
    { topic: TELEMETRY_DEAD_LETTER_TOPIC, numPartitions: 1 },
  ]);
}

/** The writer's outbox relay blocks on a topic that does not exist, so the writer creates it first. */
export async function ensureRunningHoursTopic(kafka: Kafka, numPartitions: number): Promise<void> {
  await ensureTopics(kafka, [
    {
      topic: RUNNING_HOURS_TOPIC,
      numPartitions,
      configEntries: [
        { name: 'cleanup.policy', value: 'delete' },
        { name: 'retention.ms', value: String(RUNNING_HOURS_RETENTION_MS) },
      ],
    },
  ]);
}
