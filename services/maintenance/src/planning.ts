import type pg from 'pg';
import type { ComponentRow } from './db/components.js';
import { setCounter } from './db/components.js';
import { appendHistory } from './db/history.js';
import type { JobRow } from './db/jobs.js';
import { insertReading, readingsOf } from './db/readings.js';
import type { PlannedWorkOrder } from './db/work-orders.js';
import { applyReading, averageDailyHours, type Reading, type ReadingOutcome } from './domain/counters.js';
import { dueState, type DueState, type JobSchedule } from './domain/due.js';

/** How far back the average daily running hours look. */
export const AVERAGE_WINDOW_DAYS = 30;

export function scheduleOf(job: JobRow): JobSchedule {
  return {
    calendarInterval:
      job.interval_unit && job.interval_value ? { unit: job.interval_unit, value: job.interval_value } : null,
    hoursInterval: job.interval_hours,
    toleranceDays: job.tolerance_days,
    toleranceHours: job.tolerance_hours,
  };
}

/** The work order's due state today: the job's schedule from its baseline, the counter, an approved postponement. */
export function dueOfWorkOrder(
  planned: PlannedWorkOrder,
  today: string,
  averageDaily: number | null,
): DueState {
  const { job, workOrder, component } = planned;
  return dueState({
    schedule: scheduleOf(job),
    lastDone: { date: job.last_done_on, runningHours: job.last_done_hours },
    counter:
      job.interval_hours !== null
        ? { runningHours: component.runningHours, averageDailyHours: averageDaily }
        : null,
    today,
    postponement: {
      ...(workOrder.postponed_due_date ? { dueDate: workOrder.postponed_due_date } : {}),
      ...(workOrder.postponed_due_hours !== null ? { dueHours: workOrder.postponed_due_hours } : {}),
    },
  });
}

/** Average daily running hours of each component over the last AVERAGE_WINDOW_DAYS, from its readings. */
export async function averagesOf(
  client: pg.ClientBase,
  componentIds: string[],
  now: Date,
): Promise<Map<string, number | null>> {
  const since = new Date(now.getTime() - AVERAGE_WINDOW_DAYS * 86_400_000);
  const averages = new Map<string, number | null>();
  for (const id of new Set(componentIds)) {
    const readings = await readingsOf(client, id, since);
    averages.set(
      id,
      averageDailyHours(
        readings.map((r) => ({ observedAt: r.observed_at.toISOString(), runningHours: r.running_hours })),
        now.toISOString(),
        AVERAGE_WINDOW_DAYS,
      ),
    );
  }
  return averages;
}

/**
 * Applies a counter reading to a component locked FOR UPDATE in the caller's transaction: the counter
 * moves (or a replacement restarts its meter), the reading and a history entry are recorded. A reading
 * with an event id already recorded is a redelivery and changes nothing.
 */
export async function recordReading(
  client: pg.ClientBase,
  component: ComponentRow,
  reading: Reading,
  source: { kind: 'manual' | 'telemetry'; eventId: string | null; actor: string },
): Promise<{ outcome: ReadingOutcome | 'duplicate'; runningHours: number }> {
  const { counter, outcome } = applyReading(
    {
      runningHours: component.running_hours,
      meter: component.counter_meter,
      lastObservedAt: component.counter_observed_at?.toISOString() ?? null,
    },
    reading,
  );
  if (outcome !== 'applied') return { outcome, runningHours: component.running_hours };
  const inserted = await insertReading(client, {
    tenantId: component.tenant_id,
    componentId: component.id,
    kind: reading.kind,
    meter: counter.meter,
    runningHours: counter.runningHours,
    observedAt: reading.observedAt,
    source: source.kind,
    eventId: source.eventId,
    recordedBy: source.actor,
  });
  if (!inserted) return { outcome: 'duplicate', runningHours: component.running_hours };
  await setCounter(client, component.id, counter);
  await appendHistory(client, {
    tenantId: component.tenant_id,
    componentId: component.id,
    kind: reading.kind === 'replacement' ? 'counter-replaced' : 'counter-reading',
    details: {
      meter: counter.meter,
      runningHours: counter.runningHours,
      observedAt: reading.observedAt,
      source: source.kind,
    },
    actor: source.actor,
  });
  return { outcome, runningHours: counter.runningHours };
}
