import { createEnvelope } from '@fleetwatch/messaging';
import type { OutboxMessage } from '@fleetwatch/outbox';
import { randomUUID } from 'node:crypto';
import {
  RUNNING_HOURS_EVENT,
  RUNNING_HOURS_EVENT_VERSION,
  RUNNING_HOURS_TOPIC,
  type RunningHoursData,
} from '@fleetwatch/performance-events';

/** The schema whose outbox table carries this service's events. */
export const OUTBOX_SCHEMA = 'performance';

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
