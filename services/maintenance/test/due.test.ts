import { describe, expect, it } from 'vitest';

import { addDays, addMonths, daysBetween, parseIsoDate, toIsoDate } from '../src/domain/dates.js';
import {
  addInterval,
  dueState,
  nextCycleBaseline,
  type CalendarInterval,
  type CounterState,
  type DueState,
  type JobSchedule,
  type LastDone,
  type Postponement,
} from '../src/domain/due.js';

// Every expectation below is worked out by hand from the calendar, never from the functions under test.

describe('dates', () => {
  it.each([
    { name: 'an ordinary date', value: '2026-03-15', utc: Date.UTC(2026, 2, 15) },
    { name: 'a leap day', value: '2028-02-29', utc: Date.UTC(2028, 1, 29) },
    { name: 'a year below 100 (not shifted to 19xx)', value: '0050-06-01', utc: -60_576_249_600_000 },
  ])('parses $name as UTC midnight', ({ value, utc }) => {
    expect(parseIsoDate(value).getTime()).toBe(utc);
  });

  it.each([
    { name: '30 February', value: '2026-02-30' },
    { name: '29 February in a common year', value: '2027-02-29' },
    { name: 'month 13', value: '2026-13-01' },
    { name: 'day 00', value: '2026-01-00' },
    { name: 'unpadded month', value: '2026-2-01' },
    { name: 'a date-time', value: '2026-01-01T00:00:00Z' },
    { name: 'the empty string', value: '' },
  ])('rejects $name with a RangeError', ({ value }) => {
    expect(() => parseIsoDate(value)).toThrow(RangeError);
  });

  it('formats a late-evening UTC instant as its UTC date', () => {
    expect(toIsoDate(new Date(Date.UTC(2026, 0, 5, 23, 59)))).toBe('2026-01-05');
  });

  it.each([
    { name: '31 Jan + 1 month, common year', date: '2026-01-31', months: 1, expected: '2026-02-28' },
    { name: '31 Jan + 1 month, leap year', date: '2028-01-31', months: 1, expected: '2028-02-29' },
    { name: '31 Mar − 1 month', date: '2026-03-31', months: -1, expected: '2026-02-28' },
    { name: '31 Jan + 3 months', date: '2026-01-31', months: 3, expected: '2026-04-30' },
    { name: '31 Aug + 6 months into a common year', date: '2026-08-31', months: 6, expected: '2027-02-28' },
    { name: '31 Aug + 6 months into a leap year', date: '2027-08-31', months: 6, expected: '2028-02-29' },
    { name: '29 Feb + 12 months', date: '2028-02-29', months: 12, expected: '2029-02-28' },
    { name: '29 Feb + 48 months', date: '2028-02-29', months: 48, expected: '2032-02-29' },
    { name: 'across a year end', date: '2026-11-15', months: 2, expected: '2027-01-15' },
    { name: 'back across a year start', date: '2026-01-15', months: -1, expected: '2025-12-15' },
    { name: '31 May − 15 months', date: '2026-05-31', months: -15, expected: '2025-02-28' },
    { name: 'zero months', date: '2026-01-31', months: 0, expected: '2026-01-31' },
  ])('addMonths: $name', ({ date, months, expected }) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it.each([
    { name: 'into March, common year', date: '2026-02-28', days: 1, expected: '2026-03-01' },
    { name: 'onto a leap day', date: '2028-02-28', days: 1, expected: '2028-02-29' },
    { name: 'across a year end', date: '2026-12-31', days: 1, expected: '2027-01-01' },
    { name: 'backwards', date: '2026-03-01', days: -1, expected: '2026-02-28' },
    { name: 'over a European DST change', date: '2026-03-28', days: 2, expected: '2026-03-30' },
  ])('addDays: $name', ({ date, days, expected }) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it.each([
    { name: 'a common year less a day', from: '2026-01-01', to: '2026-12-31', expected: 364 },
    { name: 'a leap year', from: '2028-01-01', to: '2029-01-01', expected: 366 },
    { name: 'backwards', from: '2029-01-01', to: '2028-01-01', expected: -366 },
    { name: 'the same day', from: '2026-05-05', to: '2026-05-05', expected: 0 },
  ])('daysBetween: $name', ({ from, to, expected }) => {
    expect(daysBetween(from, to)).toBe(expected);
  });

  it.each([
    { name: 'addMonths with a fraction', run: () => addMonths('2026-01-31', 1.5) },
    { name: 'addMonths on a bad date', run: () => addMonths('2026-02-30', 1) },
    { name: 'addDays with a fraction', run: () => addDays('2026-01-31', 0.5) },
    { name: 'daysBetween with a bad date', run: () => daysBetween('2026-01-01', '2026-1-2') },
  ])('throws a RangeError for $name', ({ run }) => {
    expect(run).toThrow(RangeError);
  });
});

describe('addInterval', () => {
  it.each<{ name: string; date: string; interval: CalendarInterval; expected: string }>([
    {
      name: '31 Jan + 1 month',
      date: '2026-01-31',
      interval: { unit: 'months', value: 1 },
      expected: '2026-02-28',
    },
    {
      name: '31 Jan + 3 months',
      date: '2026-01-31',
      interval: { unit: 'months', value: 3 },
      expected: '2026-04-30',
    },
    {
      name: '31 Aug + 6 months',
      date: '2026-08-31',
      interval: { unit: 'months', value: 6 },
      expected: '2027-02-28',
    },
    {
      name: '31 Aug + 6 months to a leap February',
      date: '2027-08-31',
      interval: { unit: 'months', value: 6 },
      expected: '2028-02-29',
    },
    {
      name: '29 Feb + 12 months',
      date: '2028-02-29',
      interval: { unit: 'months', value: 12 },
      expected: '2029-02-28',
    },
    {
      name: '29 Feb + 48 months',
      date: '2028-02-29',
      interval: { unit: 'months', value: 48 },
      expected: '2032-02-29',
    },
    {
      name: '31 Jan + 30 days',
      date: '2026-01-31',
      interval: { unit: 'days', value: 30 },
      expected: '2026-03-02',
    },
  ])('$name = $expected', ({ date, interval, expected }) => {
    expect(addInterval(date, interval)).toBe(expected);
  });

  it.each<{ name: string; interval: CalendarInterval }>([
    { name: 'zero months', interval: { unit: 'months', value: 0 } },
    { name: 'negative days', interval: { unit: 'days', value: -7 } },
    { name: 'a fractional month', interval: { unit: 'months', value: 1.5 } },
  ])('rejects $name', ({ interval }) => {
    expect(() => addInterval('2026-01-01', interval)).toThrow(RangeError);
  });
});

const calendarOnly: JobSchedule = {
  calendarInterval: { unit: 'months', value: 6 },
  hoursInterval: null,
  toleranceDays: 14,
  toleranceHours: 0,
};
const hoursOnly: JobSchedule = {
  calendarInterval: null,
  hoursInterval: 500,
  toleranceDays: 0,
  toleranceHours: 25,
};
const both: JobSchedule = {
  calendarInterval: { unit: 'months', value: 12 },
  hoursInterval: 2000,
  toleranceDays: 30,
  toleranceHours: 100,
};

describe('dueState: calendar only', () => {
  // Last done 15 Jan 2026 + 6 months: due 15 Jul 2026; window 1 Jul … 29 Jul (± 14 days).
  it.each<{ name: string; today: string; status: DueState['status']; overdueDays: number }>([
    { name: 'the day before the window opens', today: '2026-06-30', status: 'planned', overdueDays: 0 },
    {
      name: 'the window opening exactly (due − tolerance)',
      today: '2026-07-01',
      status: 'due',
      overdueDays: 0,
    },
    { name: 'the due date', today: '2026-07-15', status: 'due', overdueDays: 0 },
    { name: 'exactly due + tolerance', today: '2026-07-29', status: 'due', overdueDays: 0 },
    { name: 'one day past due + tolerance', today: '2026-07-30', status: 'overdue', overdueDays: 1 },
    { name: 'thirty days past due + tolerance', today: '2026-08-28', status: 'overdue', overdueDays: 30 },
  ])('$name ($today): $status', ({ today, status, overdueDays }) => {
    expect(
      dueState({
        schedule: calendarOnly,
        lastDone: { date: '2026-01-15', runningHours: null },
        counter: null,
        today,
      }),
    ).toEqual({
      dueDate: '2026-07-15',
      dueHours: null,
      hoursLeft: null,
      estimatedHoursDueDate: null,
      effectiveDueDate: '2026-07-15',
      governedBy: 'calendar',
      status,
      overdueDays,
      overdueHours: 0,
    });
  });

  it.each([
    { name: 'the day before', today: '2026-07-14', status: 'planned', overdueDays: 0 },
    { name: 'the due date', today: '2026-07-15', status: 'due', overdueDays: 0 },
    { name: 'the day after', today: '2026-07-16', status: 'overdue', overdueDays: 1 },
  ])('with no tolerance, $name is $status', ({ today, status, overdueDays }) => {
    const state = dueState({
      schedule: { ...calendarOnly, toleranceDays: 0 },
      lastDone: { date: '2026-01-15', runningHours: null },
      counter: null,
      today,
    });
    expect({ status: state.status, overdueDays: state.overdueDays }).toEqual({ status, overdueDays });
  });

  it('counts a day interval from the last completion', () => {
    const state = dueState({
      schedule: { ...calendarOnly, calendarInterval: { unit: 'days', value: 90 }, toleranceDays: 0 },
      lastDone: { date: '2026-01-01', runningHours: null },
      counter: null,
      today: '2026-03-01',
    });
    expect(state.dueDate).toBe('2026-04-01');
  });
});

describe('dueState: running hours only', () => {
  // Last done at 12 000 h + 500: due at 12 500 h; window 12 475 … 12 525 h (± 25 h). Today 1 Mar 2026, 10 h/day.
  const lastDone: LastDone = { date: '2026-01-01', runningHours: 12_000 };

  it.each([
    {
      name: 'just before the window opens',
      runningHours: 12_474.9,
      hoursLeft: 25.1,
      estimate: '2026-03-04', // ceil(25.1 / 10) = 3 days
      status: 'planned',
      overdueHours: 0,
    },
    {
      name: 'the window opening exactly (due − tolerance)',
      runningHours: 12_475,
      hoursLeft: 25,
      estimate: '2026-03-04', // ceil(2.5) = 3 days
      status: 'due',
      overdueHours: 0,
    },
    {
      name: 'the due hours',
      runningHours: 12_500,
      hoursLeft: 0,
      estimate: '2026-03-01',
      status: 'due',
      overdueHours: 0,
    },
    {
      name: 'exactly due + tolerance',
      runningHours: 12_525,
      hoursLeft: -25,
      estimate: '2026-03-01',
      status: 'due',
      overdueHours: 0,
    },
    {
      name: '0.1 h past due + tolerance',
      runningHours: 12_525.1,
      hoursLeft: -25.1,
      estimate: '2026-03-01',
      status: 'overdue',
      overdueHours: 0.1,
    },
    {
      name: '75 h past due + tolerance',
      runningHours: 12_600,
      hoursLeft: -100,
      estimate: '2026-03-01',
      status: 'overdue',
      overdueHours: 75,
    },
  ])('$name ($runningHours h): $status', ({ runningHours, hoursLeft, estimate, status, overdueHours }) => {
    const state = dueState({
      schedule: hoursOnly,
      lastDone,
      counter: { runningHours, averageDailyHours: 10 },
      today: '2026-03-01',
    });
    expect(state).toEqual({
      dueDate: null,
      dueHours: 12_500,
      hoursLeft: expect.closeTo(hoursLeft, 9) as number,
      estimatedHoursDueDate: estimate,
      effectiveDueDate: estimate,
      governedBy: 'hours',
      status,
      overdueDays: 0,
      overdueHours: expect.closeTo(overdueHours, 9) as number,
    });
  });

  it.each([
    { name: 'a whole number of days', runningHours: 12_400, average: 20, estimate: '2027-01-04' }, // 100 / 20 = 5
    { name: 'a fraction rounded up', runningHours: 12_400, average: 19, estimate: '2027-01-05' }, // 5.26 → 6
    { name: 'a full-time engine', runningHours: 12_400, average: 24, estimate: '2027-01-04' }, // 4.17 → 5
    { name: 'one hour left', runningHours: 12_499, average: 24, estimate: '2026-12-31' }, // 0.04 → 1
  ])('estimates the hours due date from the daily average: $name', ({ runningHours, average, estimate }) => {
    const state = dueState({
      schedule: hoursOnly,
      lastDone,
      counter: { runningHours, averageDailyHours: average },
      today: '2026-12-30',
    });
    expect([state.estimatedHoursDueDate, state.effectiveDueDate]).toEqual([estimate, estimate]);
  });

  it.each([
    { name: 'no average', average: null },
    { name: 'a zero average', average: 0 },
  ])('with $name and hours left, has no estimate or effective date', ({ average }) => {
    const state = dueState({
      schedule: hoursOnly,
      lastDone,
      counter: { runningHours: 12_400, averageDailyHours: average },
      today: '2026-03-01',
    });
    expect(state).toMatchObject({
      hoursLeft: 100,
      estimatedHoursDueDate: null,
      effectiveDueDate: null,
      governedBy: 'hours',
      status: 'planned',
    });
  });

  it('with no average but the hours already reached, is due today', () => {
    const state = dueState({
      schedule: hoursOnly,
      lastDone,
      counter: { runningHours: 12_510, averageDailyHours: null },
      today: '2026-03-01',
    });
    expect(state).toMatchObject({ estimatedHoursDueDate: '2026-03-01', effectiveDueDate: '2026-03-01' });
  });
});

describe('dueState: calendar and running hours, whichever comes first', () => {
  // Last done 10 Jan 2026 at 30 000 h: due 10 Jan 2027 (± 30 days: 11 Dec 2026 … 9 Feb 2027) or 32 000 h (± 100 h).
  const lastDone: LastDone = { date: '2026-01-10', runningHours: 30_000 };

  it.each<{ name: string; today: string; counter: CounterState; expected: Partial<DueState> }>([
    {
      name: 'hours first by one day', // 1000 h / 10 = 100 days after 1 Oct 2026
      today: '2026-10-01',
      counter: { runningHours: 31_000, averageDailyHours: 10 },
      expected: {
        estimatedHoursDueDate: '2027-01-09',
        effectiveDueDate: '2027-01-09',
        governedBy: 'hours',
        status: 'planned',
      },
    },
    {
      name: 'calendar first', // 1000 h / 9 = 111.1 → 112 days
      today: '2026-10-01',
      counter: { runningHours: 31_000, averageDailyHours: 9 },
      expected: {
        estimatedHoursDueDate: '2027-01-21',
        effectiveDueDate: '2027-01-10',
        governedBy: 'calendar',
        status: 'planned',
      },
    },
    {
      name: 'a tie goes to the calendar', // 1010 h / 10 = 101 days
      today: '2026-10-01',
      counter: { runningHours: 30_990, averageDailyHours: 10 },
      expected: {
        estimatedHoursDueDate: '2027-01-10',
        effectiveDueDate: '2027-01-10',
        governedBy: 'calendar',
        status: 'planned',
      },
    },
    {
      name: 'the hours window open while the calendar is not',
      today: '2026-10-01',
      counter: { runningHours: 31_950, averageDailyHours: 10 },
      expected: {
        hoursLeft: 50,
        estimatedHoursDueDate: '2026-10-06',
        governedBy: 'hours',
        status: 'due',
        overdueDays: 0,
        overdueHours: 0,
      },
    },
    {
      name: 'overdue by hours while the calendar is not',
      today: '2026-10-01',
      counter: { runningHours: 32_100.5, averageDailyHours: 10 },
      expected: { estimatedHoursDueDate: '2026-10-01', status: 'overdue', overdueDays: 0, overdueHours: 0.5 },
    },
    {
      name: 'overdue by calendar with no average (no estimate; effective = calendar)',
      today: '2027-02-10',
      counter: { runningHours: 31_000, averageDailyHours: null },
      expected: {
        hoursLeft: 1000,
        estimatedHoursDueDate: null,
        effectiveDueDate: '2027-01-10',
        governedBy: 'calendar',
        status: 'overdue',
        overdueDays: 1,
        overdueHours: 0,
      },
    },
    {
      name: 'overdue by both',
      today: '2027-03-11',
      counter: { runningHours: 32_200, averageDailyHours: 10 },
      expected: {
        estimatedHoursDueDate: '2027-03-11',
        effectiveDueDate: '2027-01-10',
        governedBy: 'calendar',
        status: 'overdue',
        overdueDays: 30,
        overdueHours: 100,
      },
    },
  ])('$name', ({ today, counter, expected }) => {
    const state = dueState({ schedule: both, lastDone, counter, today });
    expect(state).toMatchObject({ dueDate: '2027-01-10', dueHours: 32_000, ...expected });
  });
});

describe('dueState: approved postponements', () => {
  const calendarLastDone: LastDone = { date: '2026-01-15', runningHours: null }; // due 15 Jul 2026
  const hoursLastDone: LastDone = { date: '2026-01-01', runningHours: 12_000 }; // due 12 500 h

  it.each<{
    name: string;
    postponement: Postponement | null | undefined;
    today: string;
    expected: Partial<DueState>;
  }>([
    {
      name: 'none: the due date is unchanged and the job overdue',
      postponement: undefined,
      today: '2026-08-10',
      expected: { dueDate: '2026-07-15', effectiveDueDate: '2026-07-15', status: 'overdue', overdueDays: 12 },
    },
    {
      name: 'null: the same',
      postponement: null,
      today: '2026-08-10',
      expected: { dueDate: '2026-07-15', status: 'overdue', overdueDays: 12 },
    },
    {
      name: 'empty: the same',
      postponement: {},
      today: '2026-08-10',
      expected: { dueDate: '2026-07-15', status: 'overdue', overdueDays: 12 },
    },
    {
      name: 'to 15 Sep: planned until its window opens',
      postponement: { dueDate: '2026-09-15' },
      today: '2026-08-10',
      expected: { dueDate: '2026-09-15', effectiveDueDate: '2026-09-15', status: 'planned', overdueDays: 0 },
    },
    {
      name: 'to 15 Sep: overdue the day after 15 Sep + 14 days',
      postponement: { dueDate: '2026-09-15' },
      today: '2026-09-30',
      expected: { dueDate: '2026-09-15', status: 'overdue', overdueDays: 1 },
    },
  ])('calendar job, postponement $name', ({ postponement, today, expected }) => {
    const state = dueState({
      schedule: calendarOnly,
      lastDone: calendarLastDone,
      counter: null,
      today,
      postponement,
    });
    expect(state).toMatchObject(expected);
  });

  it.each<{ name: string; postponement: Postponement | null; expected: Partial<DueState> }>([
    {
      name: 'none: overdue by 75 h',
      postponement: null,
      expected: { dueHours: 12_500, hoursLeft: -100, status: 'overdue', overdueHours: 75 },
    },
    {
      name: 'to 12 700 h: 100 h left, 5 days at 20 h/day',
      postponement: { dueHours: 12_700 },
      expected: {
        dueHours: 12_700,
        hoursLeft: 100,
        estimatedHoursDueDate: '2026-03-06',
        status: 'planned',
        overdueHours: 0,
      },
    },
  ])('hours job, postponement $name', ({ postponement, expected }) => {
    const state = dueState({
      schedule: hoursOnly,
      lastDone: hoursLastDone,
      counter: { runningHours: 12_600, averageDailyHours: 20 },
      today: '2026-03-01',
      postponement,
    });
    expect(state).toMatchObject(expected);
  });

  it('a due-date postponement leaves the hours limit of a combined job alone', () => {
    const state = dueState({
      schedule: both,
      lastDone: { date: '2026-01-10', runningHours: 30_000 },
      counter: { runningHours: 31_000, averageDailyHours: null },
      today: '2027-02-10',
      postponement: { dueDate: '2027-04-10' },
    });
    expect(state).toMatchObject({
      dueDate: '2027-04-10',
      dueHours: 32_000,
      status: 'planned',
      overdueDays: 0,
    });
  });
});

describe('dueState: invalid input', () => {
  const ok = {
    schedule: both,
    lastDone: { date: '2026-01-10', runningHours: 30_000 },
    counter: { runningHours: 31_000, averageDailyHours: 10 },
    today: '2026-10-01',
  };

  it('accepts the valid baseline used below', () => {
    expect(dueState(ok).status).toBe('planned');
  });

  it.each<{ name: string; input: Parameters<typeof dueState>[0] }>([
    {
      name: 'no interval at all',
      input: { ...ok, schedule: { ...both, calendarInterval: null, hoursInterval: null } },
    },
    {
      name: 'a zero calendar interval',
      input: { ...ok, schedule: { ...both, calendarInterval: { unit: 'days', value: 0 } } },
    },
    {
      name: 'a fractional calendar interval',
      input: { ...ok, schedule: { ...both, calendarInterval: { unit: 'months', value: 2.5 } } },
    },
    { name: 'a zero hours interval', input: { ...ok, schedule: { ...both, hoursInterval: 0 } } },
    { name: 'a negative hours interval', input: { ...ok, schedule: { ...both, hoursInterval: -5 } } },
    { name: 'a NaN hours interval', input: { ...ok, schedule: { ...both, hoursInterval: Number.NaN } } },
    { name: 'a negative day tolerance', input: { ...ok, schedule: { ...both, toleranceDays: -1 } } },
    { name: 'a fractional day tolerance', input: { ...ok, schedule: { ...both, toleranceDays: 1.5 } } },
    { name: 'a negative hour tolerance', input: { ...ok, schedule: { ...both, toleranceHours: -0.5 } } },
    { name: 'a bad today', input: { ...ok, today: '2026-02-30' } },
    {
      name: 'a bad last-done date',
      input: { ...ok, lastDone: { date: '2026/01/10', runningHours: 30_000 } },
    },
    {
      name: 'an hours job without last-done hours',
      input: { ...ok, lastDone: { date: '2026-01-10', runningHours: null } },
    },
    { name: 'an hours job without a counter', input: { ...ok, counter: null } },
    { name: 'a NaN counter', input: { ...ok, counter: { runningHours: Number.NaN, averageDailyHours: 10 } } },
    {
      name: 'a negative average',
      input: { ...ok, counter: { runningHours: 31_000, averageDailyHours: -1 } },
    },
    { name: 'a bad postponed date', input: { ...ok, postponement: { dueDate: '2027-02-29' } } },
    { name: 'negative postponed hours', input: { ...ok, postponement: { dueHours: -1 } } },
    {
      name: 'a postponed date on an hours-only job',
      input: { ...ok, schedule: hoursOnly, postponement: { dueDate: '2027-01-01' } },
    },
    {
      name: 'postponed hours on a calendar-only job',
      input: { ...ok, schedule: calendarOnly, postponement: { dueHours: 33_000 } },
    },
  ])('throws a RangeError for $name', ({ input }) => {
    expect(() => dueState(input)).toThrow(RangeError);
  });
});

describe('nextCycleBaseline', () => {
  // Policy: the next cycle counts from the actual completion, not from the old due date (15 Jul 2026 / 12 500 h).
  it.each([
    {
      name: 'done late',
      completion: { date: '2026-08-01', runningHours: 12_510 },
      dueDate: '2027-02-01',
      dueHours: 13_010,
    },
    {
      name: 'done early',
      completion: { date: '2026-07-03', runningHours: 12_480 },
      dueDate: '2027-01-03',
      dueHours: 12_980,
    },
  ])('$name: the next due date and hours count from the completion', ({ completion, dueDate, dueHours }) => {
    const baseline = nextCycleBaseline(completion);
    expect(baseline).toEqual(completion);
    const state = dueState({
      schedule: { ...hoursOnly, calendarInterval: { unit: 'months', value: 6 } },
      lastDone: baseline,
      counter: { runningHours: completion.runningHours, averageDailyHours: null },
      today: completion.date,
    });
    expect([state.dueDate, state.dueHours]).toEqual([dueDate, dueHours]);
  });

  it('keeps a calendar-only completion without hours', () => {
    expect(nextCycleBaseline({ date: '2026-08-01', runningHours: null })).toEqual({
      date: '2026-08-01',
      runningHours: null,
    });
  });

  it('rejects a bad completion date', () => {
    expect(() => nextCycleBaseline({ date: '2026-13-01', runningHours: null })).toThrow(RangeError);
  });
});
