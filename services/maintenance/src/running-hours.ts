import { withTenant } from '@fleetwatch/db';
import {
  createConsumer,
  type Logger,
  type MessageConsumer,
  type MessageProducer,
} from '@fleetwatch/messaging';
import { RUNNING_HOURS_TOPIC, RunningHoursData } from '@fleetwatch/performance-events';
import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import { componentOfEngine } from './db/components.js';
import { recordReading } from './planning.js';

/**
 * Applies one running-hours event to the component its engine drives, if the vessel has one. The
 * event's id makes a redelivery count once; an older reading arriving late is ignored; a counter reset
 * is recorded as a counter replacement. Returns what happened, for logs and tests.
 */
export async function applyRunningHoursEvent(
  pool: pg.Pool,
  event: RunningHoursData,
): Promise<'applied' | 'ignored-older' | 'rejected-backwards' | 'duplicate' | 'no-component'> {
  return withTenant(pool, event.tenantId, async (client) => {
    const component = await componentOfEngine(client, event.vesselId, event.engine);
    if (!component) return 'no-component';
    const { outcome } = await recordReading(
      client,
      component,
      event.counterReset
        ? { kind: 'replacement', newMeter: event.runningHours, observedAt: event.observedAt }
        : { kind: 'reading', meter: event.runningHours, observedAt: event.observedAt },
      { kind: 'telemetry', eventId: event.eventId, actor: 'telemetry' },
    );
    return outcome;
  });
}

/** Running-hours events this service could not apply after its retries (or could not decode). */
export const RUNNING_HOURS_DEAD_LETTER_TOPIC = 'maintenance.running-hours.dlq';

/** The consumer of the performance service's running-hours events (at least once; applying is idempotent). */
export function createRunningHoursConsumer(options: {
  kafka: Kafka;
  pool: pg.Pool;
  groupId: string;
  /** Publishes dead letters. */
  producer: MessageProducer;
  logger?: Logger;
}): MessageConsumer {
  return createConsumer({
    kafka: options.kafka,
    groupId: options.groupId,
    topics: [RUNNING_HOURS_TOPIC],
    dataSchema: RunningHoursData,
    handler: async ({ envelope }) => {
      const outcome = await applyRunningHoursEvent(options.pool, envelope.data);
      if (outcome === 'rejected-backwards') {
        options.logger?.warn(
          { event: envelope.data },
          'running-hours reading below the counter, not applied',
        );
      }
    },
    retry: { retries: 5, minTimeoutMs: 200, maxTimeoutMs: 5_000 },
    deadLetterTopic: RUNNING_HOURS_DEAD_LETTER_TOPIC,
    producer: options.producer,
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
