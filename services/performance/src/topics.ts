import { ensureTopics } from '@fleetwatch/messaging';
import type { Kafka } from 'kafkajs';

/** Batches of telemetry points, keyed by vessel id (a vessel's points stay in order on one partition). */
export const TELEMETRY_TOPIC = 'telemetry.points.v1';
export const TELEMETRY_DEAD_LETTER_TOPIC = 'telemetry.points.v1.dlq';
export const TELEMETRY_EVENT = 'telemetry.points';
export const TELEMETRY_EVENT_VERSION = 1;

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
