import { describe, expect, it } from 'vitest';

import {
  applyReading,
  averageDailyHours,
  type Counter,
  type Reading,
  type ReadingOutcome,
} from '../src/domain/counters.js';

// Every expectation below is worked out by hand, never from the functions under test.

const counter: Counter = { runningHours: 1000, meter: 400, lastObservedAt: '2026-03-01T08:00:00Z' };

describe('applyReading', () => {
  it.each<{ name: string; start: Counter; reading: Reading; outcome: ReadingOutcome; expected: Counter }>([
    {
      name: 'a newer reading adds the meter difference',
      start: counter,
      reading: { kind: 'reading', meter: 410, observedAt: '2026-03-01T20:00:00Z' },
      outcome: 'applied',
      expected: { runningHours: 1010, meter: 410, lastObservedAt: '2026-03-01T20:00:00Z' },
    },
    {
      name: 'a newer reading with the meter unchanged moves only the time',
      start: counter,
      reading: { kind: 'reading', meter: 400, observedAt: '2026-03-02T08:00:00Z' },
      outcome: 'applied',
      expected: { runningHours: 1000, meter: 400, lastObservedAt: '2026-03-02T08:00:00Z' },
    },
    {
      name: 'the first reading of a counter never read',
      start: { runningHours: 0, meter: 0, lastObservedAt: null },
      reading: { kind: 'reading', meter: 12.5, observedAt: '2026-03-01T08:00:00Z' },
      outcome: 'applied',
      expected: { runningHours: 12.5, meter: 12.5, lastObservedAt: '2026-03-01T08:00:00Z' },
    },
    {
      name: 'a redelivery (same instant, same meter)',
      start: counter,
      reading: { kind: 'reading', meter: 400, observedAt: '2026-03-01T08:00:00Z' },
      outcome: 'ignored-older',
      expected: counter,
    },
    {
      name: 'a different meter at the same instant',
      start: counter,
      reading: { kind: 'reading', meter: 410, observedAt: '2026-03-01T08:00:00Z' },
      outcome: 'ignored-older',
      expected: counter,
    },
    {
      name: 'an older reading arriving late',
      start: counter,
      reading: { kind: 'reading', meter: 390, observedAt: '2026-02-28T08:00:00Z' },
      outcome: 'ignored-older',
      expected: counter,
    },
    {
      name: 'an older instant written with an offset (09:00+02:00 is 07:00Z)',
      start: counter,
      reading: { kind: 'reading', meter: 420, observedAt: '2026-03-01T09:00:00+02:00' },
      outcome: 'ignored-older',
      expected: counter,
    },
    {
      name: 'a newer instant written with an offset (05:00-04:00 is 09:00Z)',
      start: counter,
      reading: { kind: 'reading', meter: 402, observedAt: '2026-03-01T05:00:00-04:00' },
      outcome: 'applied',
      expected: { runningHours: 1002, meter: 402, lastObservedAt: '2026-03-01T05:00:00-04:00' },
    },
    {
      name: 'a backwards meter',
      start: counter,
      reading: { kind: 'reading', meter: 399, observedAt: '2026-03-02T08:00:00Z' },
      outcome: 'rejected-backwards',
      expected: counter,
    },
    {
      name: 'a replacement resets the meter and keeps the running hours',
      start: counter,
      reading: { kind: 'replacement', newMeter: 0, observedAt: '2026-03-02T08:00:00Z' },
      outcome: 'applied',
      expected: { runningHours: 1000, meter: 0, lastObservedAt: '2026-03-02T08:00:00Z' },
    },
    {
      name: 'a replacement by a used counter starts from its displayed value',
      start: counter,
      reading: { kind: 'replacement', newMeter: 55, observedAt: '2026-03-02T08:00:00Z' },
      outcome: 'applied',
      expected: { runningHours: 1000, meter: 55, lastObservedAt: '2026-03-02T08:00:00Z' },
    },
    {
      name: 'an older replacement',
      start: counter,
      reading: { kind: 'replacement', newMeter: 0, observedAt: '2026-02-01T08:00:00Z' },
      outcome: 'ignored-older',
      expected: counter,
    },
  ])('$name: $outcome', ({ start, reading, outcome, expected }) => {
    expect(applyReading(start, reading)).toEqual({ counter: expected, outcome });
  });

  it.each<{ name: string; readings: Reading[]; outcomes: ReadingOutcome[]; expected: Counter }>([
    {
      name: 'the same reading twice counts once',
      readings: [
        { kind: 'reading', meter: 410, observedAt: '2026-03-01T20:00:00Z' },
        { kind: 'reading', meter: 410, observedAt: '2026-03-01T20:00:00Z' },
      ],
      outcomes: ['applied', 'ignored-older'],
      expected: { runningHours: 1010, meter: 410, lastObservedAt: '2026-03-01T20:00:00Z' },
    },
    {
      name: 'after a replacement, the next reading counts from the new meter',
      readings: [
        { kind: 'replacement', newMeter: 0, observedAt: '2026-03-02T08:00:00Z' },
        { kind: 'reading', meter: 12, observedAt: '2026-03-02T20:00:00Z' },
      ],
      outcomes: ['applied', 'applied'],
      expected: { runningHours: 1012, meter: 12, lastObservedAt: '2026-03-02T20:00:00Z' },
    },
    {
      name: 'out of order: the late older reading is ignored, the next newer one counts',
      readings: [
        { kind: 'reading', meter: 420, observedAt: '2026-03-03T08:00:00Z' },
        { kind: 'reading', meter: 410, observedAt: '2026-03-02T08:00:00Z' },
        { kind: 'reading', meter: 430, observedAt: '2026-03-04T08:00:00Z' },
      ],
      outcomes: ['applied', 'ignored-older', 'applied'],
      expected: { runningHours: 1030, meter: 430, lastObservedAt: '2026-03-04T08:00:00Z' },
    },
    {
      name: 'a rejected backwards reading does not block the next good one',
      readings: [
        { kind: 'reading', meter: 300, observedAt: '2026-03-02T08:00:00Z' },
        { kind: 'reading', meter: 405, observedAt: '2026-03-03T08:00:00Z' },
      ],
      outcomes: ['rejected-backwards', 'applied'],
      expected: { runningHours: 1005, meter: 405, lastObservedAt: '2026-03-03T08:00:00Z' },
    },
  ])('$name', ({ readings, outcomes, expected }) => {
    let current = counter;
    const seen: ReadingOutcome[] = [];
    for (const reading of readings) {
      const result = applyReading(current, reading);
      current = result.counter;
      seen.push(result.outcome);
    }
    expect({ counter: current, outcomes: seen }).toEqual({ counter: expected, outcomes });
  });

  it.each<{ name: string; reading: Reading }>([
    { name: 'a negative meter', reading: { kind: 'reading', meter: -1, observedAt: '2026-03-02T08:00:00Z' } },
    {
      name: 'a NaN meter',
      reading: { kind: 'reading', meter: Number.NaN, observedAt: '2026-03-02T08:00:00Z' },
    },
    {
      name: 'an infinite meter',
      reading: { kind: 'reading', meter: Number.POSITIVE_INFINITY, observedAt: '2026-03-02T08:00:00Z' },
    },
    {
      name: 'a negative new meter',
      reading: { kind: 'replacement', newMeter: -5, observedAt: '2026-03-02T08:00:00Z' },
    },
    {
      name: 'a bad meter on an old reading',
      reading: { kind: 'reading', meter: -1, observedAt: '2020-01-01T00:00:00Z' },
    },
    {
      name: 'an instant without a zone',
      reading: { kind: 'reading', meter: 410, observedAt: '2026-03-02T08:00:00' },
    },
    { name: 'a date without a time', reading: { kind: 'reading', meter: 410, observedAt: '2026-03-02' } },
    { name: '30 February', reading: { kind: 'reading', meter: 410, observedAt: '2026-02-30T08:00:00Z' } },
    { name: 'hour 24', reading: { kind: 'reading', meter: 410, observedAt: '2026-03-02T24:00:00Z' } },
    { name: 'not an instant', reading: { kind: 'reading', meter: 410, observedAt: 'yesterday' } },
  ])('throws a RangeError for $name', ({ reading }) => {
    expect(() => applyReading(counter, reading)).toThrow(RangeError);
  });
});

describe('averageDailyHours', () => {
  // asOf 31 Mar 2026 00:00Z with the default 30 days: the window is (1 Mar 00:00Z, 31 Mar 00:00Z].
  const asOf = '2026-03-31T00:00:00Z';

  it.each<{ name: string; history: { observedAt: string; runningHours: number }[]; expected: number | null }>(
    [
      {
        name: '100 h over 10 days',
        history: [
          { observedAt: '2026-03-20T00:00:00Z', runningHours: 5000 },
          { observedAt: '2026-03-30T00:00:00Z', runningHours: 5100 },
        ],
        expected: 10,
      },
      {
        name: 'the same, unsorted, with a reading in between',
        history: [
          { observedAt: '2026-03-30T00:00:00Z', runningHours: 5100 },
          { observedAt: '2026-03-20T00:00:00Z', runningHours: 5000 },
          { observedAt: '2026-03-25T00:00:00Z', runningHours: 5070 },
        ],
        expected: 10,
      },
      {
        name: 'an entry exactly at the window start is left out', // included it would be 150 h / 20 days = 7.5
        history: [
          { observedAt: '2026-03-01T00:00:00Z', runningHours: 4750 },
          { observedAt: '2026-03-11T00:00:00Z', runningHours: 4800 },
          { observedAt: '2026-03-21T00:00:00Z', runningHours: 4900 },
        ],
        expected: 10,
      },
      {
        name: 'an entry exactly at asOf is included', // 100 h over 10 days
        history: [
          { observedAt: '2026-03-21T00:00:00Z', runningHours: 4900 },
          { observedAt: '2026-03-31T00:00:00Z', runningHours: 5000 },
        ],
        expected: 10,
      },
      {
        name: 'an entry after asOf is left out', // included it would be 5099 h over 10 days, capped at 24
        history: [
          { observedAt: '2026-03-21T00:00:00Z', runningHours: 4900 },
          { observedAt: '2026-03-31T00:00:00Z', runningHours: 5000 },
          { observedAt: '2026-03-31T00:00:00.001Z', runningHours: 9999 },
        ],
        expected: 10,
      },
      {
        name: 'a bad reading is capped at 24 h a day', // 100 h in one day
        history: [
          { observedAt: '2026-03-29T00:00:00Z', runningHours: 1000 },
          { observedAt: '2026-03-30T00:00:00Z', runningHours: 1100 },
        ],
        expected: 24,
      },
      {
        name: 'a span of exactly one day',
        history: [
          { observedAt: '2026-03-30T00:00:00Z', runningHours: 1000 },
          { observedAt: '2026-03-31T00:00:00Z', runningHours: 1012 },
        ],
        expected: 12,
      },
      {
        name: 'a span under one day',
        history: [
          { observedAt: '2026-03-30T00:00:00Z', runningHours: 1000 },
          { observedAt: '2026-03-30T23:59:00Z', runningHours: 1012 },
        ],
        expected: null,
      },
      { name: 'no history', history: [], expected: null },
      {
        name: 'a single entry',
        history: [{ observedAt: '2026-03-30T00:00:00Z', runningHours: 1000 }],
        expected: null,
      },
      {
        name: 'two entries, one before the window',
        history: [
          { observedAt: '2026-02-20T00:00:00Z', runningHours: 800 },
          { observedAt: '2026-03-30T00:00:00Z', runningHours: 1000 },
        ],
        expected: null,
      },
      {
        name: 'an idle engine',
        history: [
          { observedAt: '2026-03-20T00:00:00Z', runningHours: 1000 },
          { observedAt: '2026-03-30T00:00:00Z', runningHours: 1000 },
        ],
        expected: 0,
      },
    ],
  )('$name: $expected', ({ history, expected }) => {
    expect(averageDailyHours(history, asOf)).toBe(expected);
  });

  it('takes the first entry one millisecond inside the window', () => {
    // 150 h over 20 days less 1 ms: just above 7.5.
    const history = [
      { observedAt: '2026-03-01T00:00:00.001Z', runningHours: 4750 },
      { observedAt: '2026-03-21T00:00:00Z', runningHours: 4900 },
    ];
    expect(averageDailyHours(history, asOf)).toBeCloseTo(7.5, 6);
  });

  it.each([
    { name: '7 days', windowDays: 7, expected: 10 }, // (24 Mar, 31 Mar]: 50 h from 25 Mar to 30 Mar
    { name: '30 days (default)', windowDays: undefined, expected: 15 }, // 150 h from 20 Mar to 30 Mar
  ])('honours a window of $name', ({ windowDays, expected }) => {
    const history = [
      { observedAt: '2026-03-20T00:00:00Z', runningHours: 4000 },
      { observedAt: '2026-03-25T00:00:00Z', runningHours: 4100 },
      { observedAt: '2026-03-30T00:00:00Z', runningHours: 4150 },
    ];
    expect(averageDailyHours(history, asOf, windowDays)).toBe(expected);
  });

  it.each([
    { name: 'a zero window', run: () => averageDailyHours([], asOf, 0) },
    { name: 'a bad asOf', run: () => averageDailyHours([], '2026-03-31') },
    {
      name: 'a bad instant in the history',
      run: () => averageDailyHours([{ observedAt: 'soon', runningHours: 1 }], asOf),
    },
  ])('throws a RangeError for $name', ({ run }) => {
    expect(run).toThrow(RangeError);
  });
});
