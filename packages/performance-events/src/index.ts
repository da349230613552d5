import { ensureTopics } from '@fleetwatch/messaging';
import { Type, type Static } from '@sinclair/typebox';
import type { Kafka } from 'kafkajs';

/**
 * Running hours per vessel and engine (services/performance/src/running-hours), published through the outbox. Keyed by
 * vessel id, so each vessel's events (all its engines) stay in order on one partition. Deleted by
 * age, not compacted: compaction keeps one message per key, which would keep only the engine that
 * reported last and drop a counter reset before a slow consumer saw it. Every event carries the
 * absolute counter, so the newest event of an engine is its whole state and the older ones are history.
 */
export const RUNNING_HOURS_TOPIC = 'performance.running-hours.v1';
const RUNNING_HOURS_RETENTION_MS = 30 * 86_400_000;

export const RUNNING_HOURS_EVENT = 'performance.running-hours';
export const RUNNING_HOURS_EVENT_VERSION = 1;

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/**
 * The `data` of a running-hours event: one engine's counter as read at `observedAt`. Absolute, never a
 * delta, so that a consumer can apply events idempotently: it keeps, per vessel and engine, the reading
 * with the latest `observedAt` and ignores any event whose `observedAt` is not later than that one (a
 * redelivery, or an older reading arriving late). `eventId` equals the envelope's `id`.
 */
export const RunningHoursData = Type.Object({
  eventId: Type.String({ pattern: UUID }),
  tenantId: Type.String({ pattern: UUID }),
  vesselId: Type.String({ pattern: UUID }),
  /** The <id> of the Signal K path propulsion.<id>.runTime: 'main', 'port', '0', ... */
  engine: Type.String({ minLength: 1 }),
  /** counterSeconds / 3600, unrounded. */
  runningHours: Type.Number({ minimum: 0 }),
  /** The engine's running-time counter in seconds (Signal K propulsion.<id>.runTime). */
  counterSeconds: Type.Number({ minimum: 0 }),
  /** When the vessel read the counter (the telemetry point's timestamp), UTC, milliseconds. */
  observedAt: Type.String({ minLength: 20 }),
  /**
   * The counter is below the one published before it for this engine: a replaced or reset counter
   * (or a faulty reading). Hours cannot be added across it; the consumer should record the change
   * (or have it confirmed) and count on from the new counter.
   */
  counterReset: Type.Boolean(),
});
export type RunningHoursData = Static<typeof RunningHoursData>;

/**
 * Creates the topic when missing, with its retention. The writer's outbox relay blocks on a topic that
 * does not exist, so it creates it first; consumers do too, so start order does not matter.
 */
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
