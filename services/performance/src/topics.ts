import { ensureTopics } from '@fleetwatch/messaging';
import type { Kafka } from 'kafkajs';

/** Batches of telemetry points, keyed by vessel id (a vessel's points stay in order on one partition). */
export const TELEMETRY_TOPIC = 'telemetry.points.v1';
export const TELEMETRY_DEAD_LETTER_TOPIC = 'telemetry.points.v1.dlq';
export const TELEMETRY_EVENT = 'telemetry.points';
/** 2: points by path (TelemetryBatch); the writer still reads 1, a point per object (TelemetryBatchV1). */
export const TELEMETRY_EVENT_VERSION = 2;

/**
 * The most a telemetry message's points may take, estimated (see splitSeries): a request's points go
 * to Kafka as as many messages as this needs. Kafka refuses record batches over its
 * `message.max.bytes` (1 MiB by default, on MSK too), and a request of MAX_POINTS_PER_REQUEST points
 * in one message would exceed it; half of that leaves room for the envelope and headers.
 */
export const TELEMETRY_MESSAGE_MAX_BYTES = 512 * 1024;

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
