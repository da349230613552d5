import { parseIsoDate } from './dates.js';

/**
 * A running-hour counter. `runningHours` is cumulative since the component was installed and never
 * decreases; `meter` is what the counter displays, which restarts when the counter is replaced.
 */
export interface Counter {
  runningHours: number;
  meter: number;
  /** ISO 8601 instant of the newest observation applied. */
  lastObservedAt: string | null;
}

export type Reading =
  | { kind: 'reading'; meter: number; observedAt: string }
  | { kind: 'replacement'; newMeter: number; observedAt: string };

export type ReadingOutcome = 'applied' | 'ignored-older' | 'rejected-backwards';

const DAY_MS = 86_400_000;
const MAX_DAILY_HOURS = 24;

const INSTANT =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** Instants must carry a zone (Z or ±hh:mm) so readings from different sources compare on one time line. */
function instant(value: string, name: string): number {
  const date = INSTANT.exec(value)?.[1];
  if (date === undefined)
    throw new RangeError(`${name} must be an ISO 8601 instant with a zone, got ${value}`);
  parseIsoDate(date); // throws for 30 February, which Date.parse would quietly roll over into March
  return Date.parse(value);
}

function requireMeter(value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError('a meter value must be a finite number ≥ 0');
}

/**
 * Applies one observation. Readings may arrive twice or out of order (store-and-forward from the ship),
 * so anything not newer than the last applied one is ignored rather than treated as a change. The hours a
 * replaced counter ran after its last reading are unknown and not counted: record a final reading first.
 */
export function applyReading(
  counter: Counter,
  reading: Reading,
): { counter: Counter; outcome: ReadingOutcome } {
  const meter = reading.kind === 'reading' ? reading.meter : reading.newMeter;
  requireMeter(meter);
  const observedAt = instant(reading.observedAt, 'observedAt');
  if (counter.lastObservedAt !== null && observedAt <= instant(counter.lastObservedAt, 'lastObservedAt')) {
    return { counter, outcome: 'ignored-older' };
  }
  if (reading.kind === 'replacement') {
    return { counter: { ...counter, meter, lastObservedAt: reading.observedAt }, outcome: 'applied' };
  }
  if (meter < counter.meter) return { counter, outcome: 'rejected-backwards' };
  return {
    counter: {
      runningHours: counter.runningHours + (meter - counter.meter),
      meter,
      lastObservedAt: reading.observedAt,
    },
    outcome: 'applied',
  };
}

/**
 * Average running hours per day over the entries in (asOf − windowDays, asOf]. Capped at 24 because a day
 * has no more hours: one mistyped reading must not yield an estimate that makes a job due tomorrow.
 */
export function averageDailyHours(
  history: { observedAt: string; runningHours: number }[],
  asOf: string,
  windowDays = 30,
): number | null {
  if (!Number.isFinite(windowDays) || windowDays <= 0) throw new RangeError('windowDays must be > 0');
  const end = instant(asOf, 'asOf');
  const start = end - windowDays * DAY_MS;
  const inWindow = history
    .map((entry) => ({ at: instant(entry.observedAt, 'observedAt'), hours: entry.runningHours }))
    .filter(({ at }) => at > start && at <= end);
  if (inWindow.length < 2) return null;
  const times = inWindow.map(({ at }) => at);
  const hours = inWindow.map(({ hours }) => hours);
  const spanDays = (Math.max(...times) - Math.min(...times)) / DAY_MS;
  if (spanDays < 1) return null;
  return Math.min(MAX_DAILY_HOURS, (Math.max(...hours) - Math.min(...hours)) / spanDays);
}
