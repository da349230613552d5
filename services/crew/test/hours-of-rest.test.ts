import { describe, expect, it } from 'vitest';

import {
  evaluateHoursOfRest,
  REST_REGIMES,
  type RestPeriod,
  type RestRegime,
  type RestRule,
  type RestViolation,
} from '../src/domain/hours-of-rest.js';

// Day 0 is Monday 2026-03-02; all times are UTC.
const DAY_0 = Date.UTC(2026, 2, 2);

/** The instant at HH:MM on day n; '24:00' is the following midnight. */
function at(n: number, hhmm: string): string {
  const [hours = Number.NaN, minutes = Number.NaN] = hhmm.split(':').map(Number);
  return new Date(DAY_0 + ((n * 24 + hours) * 60 + minutes) * 60_000).toISOString();
}

/** Rest on day n from HH:MM to HH:MM, ending the next day when the end is not after the start. */
function day(n: number, start: string, end: string): RestPeriod {
  const restEnd = at(n, end) > at(n, start) ? at(n, end) : at(n + 1, end);
  return { start: at(n, start), end: restEnd };
}

/** The same rest periods on `count` days from day `first`. */
function daily(first: number, count: number, ...periods: [string, string][]): RestPeriod[] {
  return Array.from({ length: count }, (_, i) =>
    periods.map(([start, end]) => day(first + i, start, end)),
  ).flat();
}

interface Schedule {
  from: string;
  to: string;
  rests: RestPeriod[];
}

const schedules = {
  /** 20:00–06:00 every night: exactly 10 h of rest in any 24 h and exactly 14 h between rests. */
  tenHourNights: { from: at(0, '00:00'), to: at(3, '00:00'), rests: daily(-1, 4, ['20:00', '06:00']) },
  /** As above, but the night of day 0 ends at 05:54 and the next begins at 19:54 to keep 14 h gaps. */
  oneShortNight: {
    from: at(0, '00:00'),
    to: at(3, '00:00'),
    rests: [
      day(-1, '20:00', '06:00'),
      day(0, '20:00', '05:54'),
      day(1, '19:54', '06:00'),
      day(2, '20:00', '06:00'),
    ],
  },
  /** 10 h on each calendar day, but only 8 h from day 0 18:00 to day 1 18:00. */
  deficitAcrossMidnight: {
    from: at(0, '00:00'),
    to: at(2, '00:00'),
    rests: [day(0, '08:00', '18:00'), day(1, '04:00', '12:00'), day(1, '22:00', '24:00')],
  },
  fourFourFour: {
    from: at(0, '00:00'),
    to: at(2, '00:00'),
    rests: daily(0, 2, ['00:00', '04:00'], ['08:00', '12:00'], ['16:00', '20:00']),
  },
  sixTwoTwo: {
    from: at(0, '00:00'),
    to: at(1, '00:00'),
    rests: [day(0, '00:00', '06:00'), day(0, '10:00', '12:00'), day(0, '16:00', '18:00')],
  },
  longestFiveAndAHalf: {
    from: at(0, '00:00'),
    to: at(1, '00:00'),
    rests: [day(0, '00:00', '05:30'), day(0, '12:00', '16:30')],
  },
  noRest: { from: at(0, '00:00'), to: at(1, '00:00'), rests: [] },
  /** 20 h range: too short for any 24-h window, so only the interval rule applies. */
  gapOf14AndAHalf: {
    from: at(0, '00:00'),
    to: at(0, '20:00'),
    rests: [day(0, '00:00', '02:00'), day(0, '16:30', '20:00')],
  },
  gapOf14: {
    from: at(0, '00:00'),
    to: at(0, '20:00'),
    rests: [day(0, '00:00', '02:00'), day(0, '16:00', '20:00')],
  },
  /** 10 h blocks 14.5 h apart: the 24 h holding the gap have only 9.5 h of rest. */
  gapCostingRest: {
    from: at(0, '00:00'),
    to: at(1, '10:30'),
    rests: [day(0, '00:00', '10:00'), day(1, '00:30', '10:30')],
  },
  /** Single blocks exactly 14 h apart; the 9 h blocks (day 1, day 3–4) make two separate deficits. */
  twoSeparateDeficits: {
    from: at(0, '00:00'),
    to: at(5, '08:00'),
    rests: [
      day(0, '00:00', '10:00'),
      day(1, '00:00', '09:00'),
      day(1, '23:00', '09:00'),
      day(2, '23:00', '09:00'),
      day(3, '23:00', '08:00'),
      day(4, '22:00', '08:00'),
    ],
  },
  /** Two dips (windows from 01:00–04:00 and from day 1 11:00–12:00) joined by compliant windows. */
  dipsInOverlappingWindows: {
    from: at(0, '00:00'),
    to: at(1, '12:00'),
    rests: [day(0, '00:00', '02:00'), day(0, '09:00', '18:00'), day(1, '03:00', '06:00')],
  },
  /** Only windows from 03:00 onwards hold a fourth piece, so the first violating window ends at a rest end. */
  windowEndingAtRestEnd: {
    from: at(0, '00:00'),
    to: at(1, '05:00'),
    rests: [
      day(0, '01:00', '06:00'),
      day(0, '10:00', '16:00'),
      day(0, '18:00', '21:00'),
      day(1, '02:00', '03:00'),
    ],
  },
  elevenHoursDailyForEightDays: {
    from: at(0, '00:00'),
    to: at(8, '00:00'),
    rests: daily(0, 8, ['00:00', '11:00']),
  },
  /** Day 7 has 10.5 h, so the week from day 0 11:00 has 76.5 h. */
  weekShortByHalfAnHour: {
    from: at(0, '00:00'),
    to: at(8, '00:00'),
    rests: [...daily(0, 7, ['00:00', '11:00']), day(7, '00:00', '10:30')],
  },
  elevenHoursDailyForOneWeek: {
    from: at(0, '00:00'),
    to: at(7, '00:00'),
    rests: daily(0, 7, ['00:00', '11:00']),
  },
  /** 6 × 14 h + 12 h = 96 h of rest, so exactly 72 h of work. */
  work72InAWeek: {
    from: at(0, '00:00'),
    to: at(7, '00:00'),
    rests: [...daily(0, 6, ['00:00', '14:00']), day(6, '00:00', '12:00')],
  },
  /** 6 × 14 h + 11.5 h = 95.5 h of rest, so 72.5 h of work. */
  work72AndAHalfInAWeek: {
    from: at(0, '00:00'),
    to: at(7, '00:00'),
    rests: [...daily(0, 3, ['00:00', '14:00']), day(3, '00:00', '11:30'), ...daily(4, 3, ['00:00', '14:00'])],
  },
  /** On watch 00–04 and 12–16. */
  fourOnEightOff: {
    from: at(0, '00:00'),
    to: at(7, '00:00'),
    rests: daily(0, 7, ['04:00', '12:00'], ['16:00', '24:00']),
  },
  /** The first window (06:00–06:00) holds three pieces: 6 h, 8 h and 2 h. */
  fourOnEightOffFrom0600: {
    from: at(0, '06:00'),
    to: at(7, '06:00'),
    rests: daily(-1, 8, ['04:00', '12:00'], ['16:00', '24:00']),
  },
  /** Unsorted, overlapping and touching pieces of one 00:00–10:00 rest. */
  overlappingPieces: {
    from: at(0, '00:00'),
    to: at(1, '00:00'),
    rests: [
      day(0, '06:00', '10:00'),
      day(0, '00:00', '04:00'),
      day(0, '02:00', '06:00'),
      day(0, '04:00', '08:00'),
    ],
  },
  /** Touching pieces of one 00:00–10:00 rest. */
  touchingPieces: {
    from: at(0, '00:00'),
    to: at(1, '00:00'),
    rests: [day(0, '00:00', '04:00'), day(0, '04:00', '08:00'), day(0, '08:00', '10:00')],
  },
  /** Only 2 h of the 8 h rest before the range count, leaving 9 h. */
  clippedIntoDeficit: {
    from: at(0, '00:00'),
    to: at(1, '00:00'),
    rests: [day(-1, '18:00', '02:00'), day(0, '16:00', '23:00')],
  },
  /** Clipped to 06–08 (2 h), 12–20 (8 h) and 22–06 (8 h); the periods wholly outside are ignored. */
  clippedThreePieces: {
    from: at(0, '06:00'),
    to: at(1, '06:00'),
    rests: [
      day(-2, '10:00', '12:00'),
      day(-1, '20:00', '08:00'),
      day(0, '12:00', '20:00'),
      day(0, '22:00', '10:00'),
      day(1, '12:00', '20:00'),
    ],
  },
} satisfies Record<string, Schedule>;

type Expected = Omit<RestViolation, 'message'>;

function v(
  rule: RestRule,
  windowStart: string,
  windowEnd: string,
  actualHours: number,
  limitHours: number,
): Expected {
  return { rule, windowStart, windowEnd, actualHours, limitHours };
}

interface Case {
  name: string;
  regime: RestRegime;
  schedule: Schedule;
  expected: Expected[];
}

const cases: Case[] = [
  {
    name: 'exactly 10 h rest in 24 h, 14 h apart',
    regime: 'minimum-rest',
    schedule: schedules.tenHourNights,
    expected: [],
  },
  {
    name: 'exactly 14 h work in 24 h',
    regime: 'maximum-work',
    schedule: schedules.tenHourNights,
    expected: [],
  },
  {
    name: '9.9 h of rest',
    regime: 'minimum-rest',
    schedule: schedules.oneShortNight,
    expected: [v('rest-under-10h-in-24h', '2026-03-02T06:00:00.000Z', '2026-03-03T06:00:00.000Z', 9.9, 10)],
  },
  {
    name: '14.1 h of work',
    regime: 'maximum-work',
    schedule: schedules.oneShortNight,
    expected: [v('work-over-14h-in-24h', '2026-03-02T06:00:00.000Z', '2026-03-03T06:00:00.000Z', 14.1, 14)],
  },
  {
    name: 'a deficit only in windows crossing midnight',
    regime: 'minimum-rest',
    schedule: schedules.deficitAcrossMidnight,
    expected: [v('rest-under-10h-in-24h', '2026-03-02T18:00:00.000Z', '2026-03-03T18:00:00.000Z', 8, 10)],
  },
  {
    name: '4 h + 4 h + 4 h daily (one violation per rule for two days of violating windows)',
    regime: 'minimum-rest',
    schedule: schedules.fourFourFour,
    expected: [
      v('longest-rest-period-under-6h', '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z', 4, 6),
      v(
        'rest-divided-into-more-than-two-periods',
        '2026-03-02T00:00:00.000Z',
        '2026-03-03T00:00:00.000Z',
        8,
        10,
      ),
    ],
  },
  {
    name: '4 h + 4 h + 4 h under maximum-work',
    regime: 'maximum-work',
    schedule: schedules.fourFourFour,
    expected: [
      v('longest-rest-period-under-6h', '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z', 4, 6),
      v(
        'rest-divided-into-more-than-two-periods',
        '2026-03-02T00:00:00.000Z',
        '2026-03-03T00:00:00.000Z',
        8,
        10,
      ),
    ],
  },
  {
    name: '6 h + 2 h + 2 h',
    regime: 'minimum-rest',
    schedule: schedules.sixTwoTwo,
    expected: [
      v(
        'rest-divided-into-more-than-two-periods',
        '2026-03-02T00:00:00.000Z',
        '2026-03-03T00:00:00.000Z',
        8,
        10,
      ),
    ],
  },
  {
    name: 'a 5.5 h longest period',
    regime: 'minimum-rest',
    schedule: schedules.longestFiveAndAHalf,
    expected: [
      v('longest-rest-period-under-6h', '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z', 5.5, 6),
    ],
  },
  {
    name: 'no rest at all (not reported as divided rest)',
    regime: 'minimum-rest',
    schedule: schedules.noRest,
    expected: [
      v('longest-rest-period-under-6h', '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z', 0, 6),
      v('rest-under-10h-in-24h', '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z', 0, 10),
    ],
  },
  {
    name: 'a 14.5 h gap between rests',
    regime: 'minimum-rest',
    schedule: schedules.gapOf14AndAHalf,
    expected: [
      v('interval-between-rests-over-14h', '2026-03-02T02:00:00.000Z', '2026-03-02T16:30:00.000Z', 14.5, 14),
    ],
  },
  {
    name: 'a 14.5 h gap under maximum-work',
    regime: 'maximum-work',
    schedule: schedules.gapOf14AndAHalf,
    expected: [
      v('interval-between-rests-over-14h', '2026-03-02T02:00:00.000Z', '2026-03-02T16:30:00.000Z', 14.5, 14),
    ],
  },
  { name: 'a gap of exactly 14 h', regime: 'minimum-rest', schedule: schedules.gapOf14, expected: [] },
  {
    name: 'a 14.5 h gap inside a 24-h window (sorted by window start)',
    regime: 'minimum-rest',
    schedule: schedules.gapCostingRest,
    expected: [
      v('rest-under-10h-in-24h', '2026-03-02T00:30:00.000Z', '2026-03-03T00:30:00.000Z', 9.5, 10),
      v('interval-between-rests-over-14h', '2026-03-02T10:00:00.000Z', '2026-03-03T00:30:00.000Z', 14.5, 14),
    ],
  },
  {
    name: 'a 14.5 h gap inside a 24-h window under maximum-work',
    regime: 'maximum-work',
    schedule: schedules.gapCostingRest,
    expected: [
      v('work-over-14h-in-24h', '2026-03-02T00:30:00.000Z', '2026-03-03T00:30:00.000Z', 14.5, 14),
      v('interval-between-rests-over-14h', '2026-03-02T10:00:00.000Z', '2026-03-03T00:30:00.000Z', 14.5, 14),
    ],
  },
  {
    name: 'two separate runs of deficient windows',
    regime: 'minimum-rest',
    schedule: schedules.twoSeparateDeficits,
    expected: [
      v('rest-under-10h-in-24h', '2026-03-02T10:00:00.000Z', '2026-03-03T10:00:00.000Z', 9, 10),
      v('rest-under-10h-in-24h', '2026-03-05T09:00:00.000Z', '2026-03-06T09:00:00.000Z', 9, 10),
    ],
  },
  {
    name: 'two separate runs of excess work',
    regime: 'maximum-work',
    schedule: schedules.twoSeparateDeficits,
    expected: [
      v('work-over-14h-in-24h', '2026-03-02T10:00:00.000Z', '2026-03-03T10:00:00.000Z', 15, 14),
      v('work-over-14h-in-24h', '2026-03-05T09:00:00.000Z', '2026-03-06T09:00:00.000Z', 15, 14),
    ],
  },
  {
    name: 'overlapping violating windows with compliant ones between them',
    regime: 'minimum-rest',
    schedule: schedules.dipsInOverlappingWindows,
    expected: [v('rest-under-10h-in-24h', '2026-03-02T02:00:00.000Z', '2026-03-03T02:00:00.000Z', 9, 10)],
  },
  {
    name: 'overlapping excess-work windows with compliant ones between them',
    regime: 'maximum-work',
    schedule: schedules.dipsInOverlappingWindows,
    expected: [v('work-over-14h-in-24h', '2026-03-02T02:00:00.000Z', '2026-03-03T02:00:00.000Z', 15, 14)],
  },
  {
    name: 'a divided rest first seen in the window ending at a rest end',
    regime: 'minimum-rest',
    schedule: schedules.windowEndingAtRestEnd,
    expected: [
      v(
        'rest-divided-into-more-than-two-periods',
        '2026-03-02T03:00:00.000Z',
        '2026-03-03T03:00:00.000Z',
        9,
        10,
      ),
    ],
  },
  {
    name: 'exactly 77 h in every 7 days',
    regime: 'minimum-rest',
    schedule: schedules.elevenHoursDailyForEightDays,
    expected: [],
  },
  {
    name: '76.5 h in the rolling week from day 0 11:00',
    regime: 'minimum-rest',
    schedule: schedules.weekShortByHalfAnHour,
    expected: [
      v('rest-under-77h-in-7-days', '2026-03-02T11:00:00.000Z', '2026-03-09T11:00:00.000Z', 76.5, 77),
    ],
  },
  {
    name: 'exactly 72 h of work in 7 days',
    regime: 'maximum-work',
    schedule: schedules.work72InAWeek,
    expected: [],
  },
  {
    name: '72.5 h of work in 7 days',
    regime: 'maximum-work',
    schedule: schedules.work72AndAHalfInAWeek,
    expected: [
      v('work-over-72h-in-7-days', '2026-03-02T00:00:00.000Z', '2026-03-09T00:00:00.000Z', 72.5, 72),
    ],
  },
  {
    name: '11 h daily rest under minimum-rest (77 h a week)',
    regime: 'minimum-rest',
    schedule: schedules.elevenHoursDailyForOneWeek,
    expected: [],
  },
  {
    name: '11 h daily rest under maximum-work (91 h of work a week)',
    regime: 'maximum-work',
    schedule: schedules.elevenHoursDailyForOneWeek,
    expected: [v('work-over-72h-in-7-days', '2026-03-02T00:00:00.000Z', '2026-03-09T00:00:00.000Z', 91, 72)],
  },
  { name: '4-on/8-off for 7 days', regime: 'minimum-rest', schedule: schedules.fourOnEightOff, expected: [] },
  {
    name: '4-on/8-off under maximum-work',
    regime: 'maximum-work',
    schedule: schedules.fourOnEightOff,
    expected: [],
  },
  {
    name: '4-on/8-off in windows from 06:00 (three pieces)',
    regime: 'minimum-rest',
    schedule: schedules.fourOnEightOffFrom0600,
    expected: [],
  },
  {
    name: 'overlapping and touching periods merge into one',
    regime: 'minimum-rest',
    schedule: schedules.overlappingPieces,
    expected: [],
  },
  {
    name: 'touching periods merge into one',
    regime: 'minimum-rest',
    schedule: schedules.touchingPieces,
    expected: [],
  },
  {
    name: 'a period clipped at the start of the range',
    regime: 'minimum-rest',
    schedule: schedules.clippedIntoDeficit,
    expected: [v('rest-under-10h-in-24h', '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z', 9, 10)],
  },
  {
    name: 'periods clipped at both ends, two longest of three pieces reach 10 h',
    regime: 'minimum-rest',
    schedule: schedules.clippedThreePieces,
    expected: [],
  },
];

describe('evaluateHoursOfRest: violations', () => {
  it.each(cases)('$regime: $name', ({ regime, schedule, expected }) => {
    const result = evaluateHoursOfRest({ regime, ...schedule });
    const found: Expected[] = result.violations.map(({ message: _message, ...rest }) => rest);
    expect(found).toEqual(expected);
    expect(result.compliant).toBe(expected.length === 0);
  });
});

describe('evaluateHoursOfRest: totals over the range', () => {
  it.each([
    {
      name: 'nightly rest clipped at both ends',
      schedule: schedules.tenHourNights,
      restHours: 30,
      workHours: 42,
    },
    { name: 'overlaps counted once', schedule: schedules.overlappingPieces, restHours: 10, workHours: 14 },
    {
      name: 'periods outside the range ignored',
      schedule: schedules.clippedThreePieces,
      restHours: 18,
      workHours: 6,
    },
    { name: '4-on/8-off week', schedule: schedules.fourOnEightOff, restHours: 112, workHours: 56 },
    {
      name: 'rounded to 2 decimals',
      schedule: { from: at(0, '00:00'), to: at(0, '01:00'), rests: [day(0, '00:00', '00:20')] },
      restHours: 0.33,
      workHours: 0.67,
    },
  ])('$name', ({ schedule, restHours, workHours }) => {
    const result = evaluateHoursOfRest({ regime: 'minimum-rest', ...schedule });
    expect(result.totals).toEqual({ restHours, workHours });
  });
});

describe('evaluateHoursOfRest: messages', () => {
  it.each([
    {
      regime: 'minimum-rest' as const,
      schedule: schedules.oneShortNight,
      message: '9.9 h of rest in the 24 hours from 2026-03-02T06:00:00.000Z (at least 10 h required)',
    },
    {
      regime: 'maximum-work' as const,
      schedule: schedules.oneShortNight,
      message: '14.1 h of work in the 24 hours from 2026-03-02T06:00:00.000Z (at most 14 h allowed)',
    },
    {
      regime: 'minimum-rest' as const,
      schedule: schedules.weekShortByHalfAnHour,
      message: '76.5 h of rest in the 7 days from 2026-03-02T11:00:00.000Z (at least 77 h required)',
    },
    {
      regime: 'maximum-work' as const,
      schedule: schedules.work72AndAHalfInAWeek,
      message: '72.5 h of work in the 7 days from 2026-03-02T00:00:00.000Z (at most 72 h allowed)',
    },
    {
      regime: 'minimum-rest' as const,
      schedule: schedules.sixTwoTwo,
      message:
        'The two longest of the rest periods in the 24 hours from 2026-03-02T00:00:00.000Z total 8 h (at least 10 h required)',
    },
    {
      regime: 'minimum-rest' as const,
      schedule: schedules.longestFiveAndAHalf,
      message:
        'The longest rest period in the 24 hours from 2026-03-02T00:00:00.000Z is 5.5 h (at least 6 h required)',
    },
    {
      regime: 'minimum-rest' as const,
      schedule: schedules.gapOf14AndAHalf,
      message:
        '14.5 h between the rest ending 2026-03-02T02:00:00.000Z and the next starting 2026-03-02T16:30:00.000Z (at most 14 h allowed)',
    },
  ])('$message', ({ regime, schedule, message }) => {
    expect(evaluateHoursOfRest({ regime, ...schedule }).violations.map((found) => found.message)).toEqual([
      message,
    ]);
  });
});

describe('evaluateHoursOfRest: input', () => {
  const valid = { regime: 'minimum-rest' as RestRegime, ...schedules.sixTwoTwo };

  it.each([
    { name: 'from is not an instant', input: { ...valid, from: 'yesterday' } },
    { name: 'to has no UTC offset', input: { ...valid, to: '2026-03-03T00:00:00' } },
    { name: 'to is a date only', input: { ...valid, to: '2026-03-03' } },
    { name: 'from is 30 February', input: { ...valid, from: '2026-02-30T00:00:00Z' } },
    { name: 'from uses hour 24', input: { ...valid, from: '2026-03-01T24:00:00Z' } },
    {
      name: 'a rest start is not an instant',
      input: { ...valid, rests: [{ start: '', end: at(0, '06:00') }] },
    },
    {
      name: 'a rest ends at its start',
      input: { ...valid, rests: [{ start: at(0, '06:00'), end: at(0, '06:00') }] },
    },
    {
      name: 'a rest ends before its start',
      input: { ...valid, rests: [{ start: at(0, '06:00'), end: at(0, '05:00') }] },
    },
    {
      name: 'a rest outside the range is still validated',
      input: { ...valid, rests: [{ start: at(5, '06:00'), end: at(5, '05:00') }] },
    },
    { name: 'to equals from', input: { ...valid, to: valid.from } },
    { name: 'to is before from', input: { ...valid, from: at(1, '00:00'), to: at(0, '00:00') } },
    { name: 'unknown regime', input: { ...valid, regime: 'no-limits' as RestRegime } },
  ])('throws a RangeError when $name', ({ input }) => {
    expect(() => evaluateHoursOfRest(input)).toThrow(RangeError);
  });

  it('accepts UTC offsets and reports instants in UTC', () => {
    const result = evaluateHoursOfRest({
      regime: 'minimum-rest',
      from: '2026-03-02T01:00:00+01:00',
      to: '2026-03-02T19:00:00-05:00',
      rests: [{ start: '2026-03-02T00:00:00.000Z', end: '2026-03-02T07:30:00+02:00' }],
    });
    expect(result).toEqual({
      regime: 'minimum-rest',
      from: '2026-03-02T00:00:00.000Z',
      to: '2026-03-03T00:00:00.000Z',
      compliant: false,
      totals: { restHours: 5.5, workHours: 18.5 },
      violations: [
        {
          rule: 'longest-rest-period-under-6h',
          windowStart: '2026-03-02T00:00:00.000Z',
          windowEnd: '2026-03-03T00:00:00.000Z',
          actualHours: 5.5,
          limitHours: 6,
          message:
            'The longest rest period in the 24 hours from 2026-03-02T00:00:00.000Z is 5.5 h (at least 6 h required)',
        },
        {
          rule: 'rest-under-10h-in-24h',
          windowStart: '2026-03-02T00:00:00.000Z',
          windowEnd: '2026-03-03T00:00:00.000Z',
          actualHours: 5.5,
          limitHours: 10,
          message: '5.5 h of rest in the 24 hours from 2026-03-02T00:00:00.000Z (at least 10 h required)',
        },
      ],
    });
  });

  it('lists both regimes', () => {
    expect(REST_REGIMES).toEqual(['minimum-rest', 'maximum-work']);
  });
});
