/**
 * Hours of rest under MLC 2006 Standard A2.3 §5–6 and STCW Code A-VIII/1, as a pure function.
 *
 * The flag state picks the regime: `minimum-rest` (≥ 10 h rest in any 24 h, ≥ 77 h in any 7 days) or
 * `maximum-work` (≤ 14 h work in any 24 h, ≤ 72 h in any 7 days). Both regimes also require that rest
 * be divided into no more than two periods, one of them at least 6 h, and that consecutive rest periods
 * be no more than 14 h apart.
 *
 * Interpretation, chosen so a log can be checked deterministically:
 * - Rest periods are half-open [start, end) instants; they are sorted, overlapping or touching ones are
 *   merged, and they are clipped to the evaluated range [from, to]. Every other instant of the range is
 *   work, since the seafarer is on board.
 * - "Any 24 hours" / "any 7 days" are rolling windows, but only windows lying wholly inside [from, to]
 *   are judged, because what happened outside the range is unknown: a range under 24 h gets no daily
 *   check and one under 7 days no weekly check.
 * - Rest inside [t, t + L) is piecewise linear in t with breaks where t or t + L meets a rest boundary,
 *   so its extremes lie among the window starts from, to − L, b and b − L for every boundary b. Only
 *   those candidate windows are evaluated, in integer milliseconds, so exactly 10 h / 77 h of rest and
 *   exactly 14 h / 72 h of work comply.
 * - The two-period rule is judged on the same candidate windows, which for it is a definition rather
 *   than a shortcut: a window starting mid-period cuts regular daily patterns into pieces (nightly rest
 *   20:00–06:00 seen from 01:00 is 5 h + 5 h; 00–06 + 12–16 seen from 14:00 is 2 h + 6 h + 2 h), and
 *   judging such windows would condemn schedules the convention plainly allows. In each candidate
 *   window the rest periods are clipped to the window; if there are more than two pieces and the two
 *   longest total under 10 h, the required rest did not come from at most two periods
 *   (`rest-divided-into-more-than-two-periods`; with two pieces or fewer any shortfall is the daily
 *   total's to report). Independently, the longest piece must reach 6 h
 *   (`longest-rest-period-under-6h`, also raised when the window holds no rest at all).
 * - The 14 h interval is measured only between two recorded rest periods, never from `from` to the first
 *   rest or from the last rest to `to`: the range edges are not known rest boundaries.
 * - Violating candidate windows of one rule are grouped into runs, each window overlapping the previous
 *   violating one (compliant windows in between do not split a run); each run yields one violation, its
 *   worst window, the earliest on ties. Violations are sorted by window start, then rule id.
 */

export type RestRegime = 'minimum-rest' | 'maximum-work';
export const REST_REGIMES: readonly RestRegime[] = ['minimum-rest', 'maximum-work'];

export type RestRule =
  | 'rest-under-10h-in-24h'
  | 'rest-under-77h-in-7-days'
  | 'work-over-14h-in-24h'
  | 'work-over-72h-in-7-days'
  | 'rest-divided-into-more-than-two-periods'
  | 'longest-rest-period-under-6h'
  | 'interval-between-rests-over-14h';

export interface RestPeriod {
  start: string;
  end: string;
}

export interface RestViolation {
  rule: RestRule;
  windowStart: string;
  windowEnd: string;
  actualHours: number;
  limitHours: number;
  message: string;
}

export interface RestEvaluation {
  regime: RestRegime;
  from: string;
  to: string;
  compliant: boolean;
  totals: { restHours: number; workHours: number };
  violations: RestViolation[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

type Span = { start: number; end: number };
/** A window by its start and its measured rest, work or piece length. */
type Sample = { start: number; actual: number };

interface RuleSpec {
  limitHours: number;
  /** Whether the measured hours may not exceed the limit (work, interval) or must reach it (rest). */
  bound: 'at-least' | 'at-most';
  describe: (hours: number, start: string, end: string) => string;
}

const spec = (limitHours: number, bound: RuleSpec['bound'], describe: RuleSpec['describe']): RuleSpec => ({
  limitHours,
  bound,
  describe,
});

const RULES: Record<RestRule, RuleSpec> = {
  'rest-under-10h-in-24h': spec(10, 'at-least', (h, s) => `${h} h of rest in the 24 hours from ${s}`),
  'rest-under-77h-in-7-days': spec(77, 'at-least', (h, s) => `${h} h of rest in the 7 days from ${s}`),
  'work-over-14h-in-24h': spec(14, 'at-most', (h, s) => `${h} h of work in the 24 hours from ${s}`),
  'work-over-72h-in-7-days': spec(72, 'at-most', (h, s) => `${h} h of work in the 7 days from ${s}`),
  'rest-divided-into-more-than-two-periods': spec(
    10,
    'at-least',
    (h, s) => `The two longest of the rest periods in the 24 hours from ${s} total ${h} h`,
  ),
  'longest-rest-period-under-6h': spec(
    6,
    'at-least',
    (h, s) => `The longest rest period in the 24 hours from ${s} is ${h} h`,
  ),
  'interval-between-rests-over-14h': spec(
    14,
    'at-most',
    (h, s, e) => `${h} h between the rest ending ${s} and the next starting ${e}`,
  ),
};

// Date.parse alone accepts offset-less local times and rolls 30 February over into March.
const ISO_INSTANT =
  /^(\d{4}-\d{2}-\d{2})T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|([+-])([01]\d|2[0-3]):([0-5]\d))$/;

function parseInstant(value: string, field: string): number {
  const match = ISO_INSTANT.exec(value);
  const ms = match ? Date.parse(value) : Number.NaN;
  const offset = match?.[2] ? (match[2] === '-' ? -1 : 1) * (Number(match[3]) * 60 + Number(match[4])) : 0;
  if (!match || Number.isNaN(ms) || new Date(ms + offset * 60_000).toISOString().slice(0, 10) !== match[1]) {
    throw new RangeError(`${field} is not an ISO-8601 instant with a UTC offset: ${JSON.stringify(value)}`);
  }
  return ms;
}

function normaliseRests(rests: RestPeriod[], from: number, to: number): Span[] {
  const spans = rests.map((rest, i) => {
    const start = parseInstant(rest.start, `rests[${i}].start`);
    const end = parseInstant(rest.end, `rests[${i}].end`);
    if (end <= start) throw new RangeError(`rests[${i}] ends at or before its start`);
    return { start: Math.max(start, from), end: Math.min(end, to) };
  });
  const merged: Span[] = [];
  for (const span of spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push(span);
  }
  return merged;
}

/** Lengths of the rest pieces inside [start, end), longest first. */
function pieces(rests: Span[], start: number, end: number): number[] {
  return rests
    .map((r) => Math.min(r.end, end) - Math.max(r.start, start))
    .filter((ms) => ms > 0)
    .sort((a, b) => b - a);
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

function windowStarts(rests: Span[], from: number, to: number, length: number): number[] {
  const last = to - length;
  const all = [from, last, ...rests.flatMap((r) => [r.start, r.end, r.start - length, r.end - length])];
  return [...new Set(all.filter((t) => t >= from && t <= last))].sort((a, b) => a - b);
}

const hours = (ms: number): number => Math.round(ms / 36_000) / 100;

function violation(rule: RestRule, start: number, end: number, actualMs: number): RestViolation {
  const [windowStart, windowEnd] = [new Date(start).toISOString(), new Date(end).toISOString()];
  const { limitHours, bound, describe } = RULES[rule];
  const actualHours = hours(actualMs);
  const limit = bound === 'at-most' ? `at most ${limitHours} h allowed` : `at least ${limitHours} h required`;
  const message = `${describe(actualHours, windowStart, windowEnd)} (${limit})`;
  return { rule, windowStart, windowEnd, actualHours, limitHours, message };
}

/**
 * One violation per run of violating windows that overlap their predecessor in the run, so no two
 * reported windows of a rule overlap; `measure` returns null where the rule says nothing.
 */
function judgeWindows(
  rule: RestRule,
  starts: number[],
  length: number,
  measure: (start: number) => number | null,
): RestViolation[] {
  const { limitHours, bound } = RULES[rule];
  const limit = limitHours * HOUR;
  const atMost = bound === 'at-most';
  const found: RestViolation[] = [];
  const report = (w: Sample): void => void found.push(violation(rule, w.start, w.start + length, w.actual));
  let worst: Sample | undefined;
  let previousStart = Number.NEGATIVE_INFINITY;
  for (const start of starts) {
    const actual = measure(start);
    if (actual === null || (atMost ? actual <= limit : actual >= limit)) continue;
    if (worst && start >= previousStart + length) {
      report(worst);
      worst = undefined;
    }
    if (!worst || (atMost ? actual > worst.actual : actual < worst.actual)) worst = { start, actual };
    previousStart = start;
  }
  if (worst) report(worst);
  return found;
}

function intervalViolations(rests: Span[]): RestViolation[] {
  const limit = RULES['interval-between-rests-over-14h'].limitHours * HOUR;
  return rests.flatMap((next, i) => {
    const previous = rests[i - 1];
    return previous && next.start - previous.end > limit
      ? [violation('interval-between-rests-over-14h', previous.end, next.start, next.start - previous.end)]
      : [];
  });
}

// Plain code-unit order: ISO instants from toISOString sort chronologically that way.
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function evaluateHoursOfRest(input: {
  regime: RestRegime;
  from: string;
  to: string;
  rests: RestPeriod[];
}): RestEvaluation {
  const { regime } = input;
  if (!REST_REGIMES.includes(regime)) throw new RangeError(`unknown regime: ${JSON.stringify(regime)}`);
  const from = parseInstant(input.from, 'from');
  const to = parseInstant(input.to, 'to');
  if (to <= from) throw new RangeError('to must be after from');
  const rests = normaliseRests(input.rests, from, to);

  const days = windowStarts(rests, from, to, DAY);
  const weeks = windowStarts(rests, from, to, WEEK);
  const restIn = (start: number, length: number): number => sum(pieces(rests, start, start + length));

  const violations = [
    ...(regime === 'minimum-rest'
      ? [
          ...judgeWindows('rest-under-10h-in-24h', days, DAY, (t) => restIn(t, DAY)),
          ...judgeWindows('rest-under-77h-in-7-days', weeks, WEEK, (t) => restIn(t, WEEK)),
        ]
      : [
          ...judgeWindows('work-over-14h-in-24h', days, DAY, (t) => DAY - restIn(t, DAY)),
          ...judgeWindows('work-over-72h-in-7-days', weeks, WEEK, (t) => WEEK - restIn(t, WEEK)),
        ]),
    ...judgeWindows('rest-divided-into-more-than-two-periods', days, DAY, (t) => {
      const inside = pieces(rests, t, t + DAY);
      return inside.length > 2 ? sum(inside.slice(0, 2)) : null;
    }),
    ...judgeWindows('longest-rest-period-under-6h', days, DAY, (t) => pieces(rests, t, t + DAY)[0] ?? 0),
    ...intervalViolations(rests),
  ].sort((a, b) => compare(a.windowStart, b.windowStart) || compare(a.rule, b.rule));

  const restMs = sum(rests.map((r) => r.end - r.start));
  return {
    regime,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    compliant: violations.length === 0,
    totals: { restHours: hours(restMs), workHours: hours(to - from - restMs) },
    violations,
  };
}
