import { createEnvelope } from '@fleetwatch/messaging';
import type { OutboxMessage } from '@fleetwatch/outbox';
import { Type, type Static } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { RUNNING_HOURS_TOPIC } from '../topics.js';

/** The schema whose outbox table carries this service's events. */
export const OUTBOX_SCHEMA = 'performance';

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

/** A reading the writer decided to publish (see ./publish.ts). */
export interface PublishedReading {
  tenantId: string;
  vesselId: string;
  engine: string;
  observedAt: Date;
  counterSeconds: number;
  counterReset: boolean;
}

const SECONDS_PER_HOUR = 3600;

/** The outbox message for a reading: keyed by vessel id, like the telemetry it comes from. */
export function runningHoursMessage(reading: PublishedReading): OutboxMessage {
  const eventId = randomUUID();
  const data: RunningHoursData = {
    eventId,
    tenantId: reading.tenantId,
    vesselId: reading.vesselId,
    engine: reading.engine,
    runningHours: reading.counterSeconds / SECONDS_PER_HOUR,
    counterSeconds: reading.counterSeconds,
    observedAt: reading.observedAt.toISOString(),
    counterReset: reading.counterReset,
  };
  return {
    topic: RUNNING_HOURS_TOPIC,
    key: reading.vesselId,
    value: createEnvelope({
      id: eventId,
      type: RUNNING_HOURS_EVENT,
      version: RUNNING_HOURS_EVENT_VERSION,
      tenant: reading.tenantId,
      data,
    }),
  };
}
