import { describe, expect, it } from 'vitest';

import { classSurveyCycle, type SurveyItem, type SurveyKind } from '../src/domain/class-surveys.js';

// Every date below is worked out by hand from the calendar, never from the function under test.
// Rows: kind, number, window start, window end, due date — in the expected order (due date, then kind).
type Row = [SurveyKind, number, string, string, string];

const toItem = ([kind, number, windowStart, windowEnd, dueDate]: Row): SurveyItem => ({
  kind,
  number,
  dueDate,
  windowStart,
  windowEnd,
});

describe('classSurveyCycle', () => {
  it.each<{ name: string; periodStart: string; rows: Row[] }>([
    {
      // Anniversaries 15 Jun 2027 … 15 Jun 2031.
      name: 'a mid-month start',
      periodStart: '2026-06-15',
      rows: [
        ['annual', 1, '2027-03-15', '2027-09-15', '2027-09-15'],
        ['annual', 2, '2028-03-15', '2028-09-15', '2028-09-15'],
        ['annual', 3, '2029-03-15', '2029-09-15', '2029-09-15'],
        ['intermediate', 1, '2028-03-15', '2029-09-15', '2029-09-15'], // same due date as annual 3: after it
        ['annual', 4, '2030-03-15', '2030-09-15', '2030-09-15'],
        ['special', 1, '2030-03-15', '2031-06-15', '2031-06-15'],
      ],
    },
    {
      // Anniversaries 31 May; 3 months earlier is the end of February (29th in 2028).
      name: 'a month-end start',
      periodStart: '2026-05-31',
      rows: [
        ['annual', 1, '2027-02-28', '2027-08-31', '2027-08-31'],
        ['annual', 2, '2028-02-29', '2028-08-31', '2028-08-31'],
        ['annual', 3, '2029-02-28', '2029-08-31', '2029-08-31'],
        ['intermediate', 1, '2028-02-29', '2029-08-31', '2029-08-31'],
        ['annual', 4, '2030-02-28', '2030-08-31', '2030-08-31'],
        ['special', 1, '2030-02-28', '2031-05-31', '2031-05-31'],
      ],
    },
    {
      // Anniversaries 30 Nov; 3 months later is the end of February.
      name: 'a start whose windows close in February',
      periodStart: '2026-11-30',
      rows: [
        ['annual', 1, '2027-08-30', '2028-02-29', '2028-02-29'],
        ['annual', 2, '2028-08-30', '2029-02-28', '2029-02-28'],
        ['annual', 3, '2029-08-30', '2030-02-28', '2030-02-28'],
        ['intermediate', 1, '2028-08-30', '2030-02-28', '2030-02-28'],
        ['annual', 4, '2030-08-30', '2031-02-28', '2031-02-28'],
        ['special', 1, '2030-08-30', '2031-11-30', '2031-11-30'],
      ],
    },
    {
      // Anniversaries 28 Feb 2029, 28 Feb 2030, 28 Feb 2031, 29 Feb 2032, 28 Feb 2033; windows count from those.
      name: 'a 29 February start',
      periodStart: '2028-02-29',
      rows: [
        ['annual', 1, '2028-11-28', '2029-05-28', '2029-05-28'],
        ['annual', 2, '2029-11-28', '2030-05-28', '2030-05-28'],
        ['annual', 3, '2030-11-28', '2031-05-28', '2031-05-28'],
        ['intermediate', 1, '2029-11-28', '2031-05-28', '2031-05-28'],
        ['annual', 4, '2031-11-29', '2032-05-29', '2032-05-29'],
        ['special', 1, '2031-11-29', '2033-02-28', '2033-02-28'],
      ],
    },
  ])('$name ($periodStart)', ({ periodStart, rows }) => {
    expect(classSurveyCycle(periodStart)).toEqual(rows.map(toItem));
  });

  it.each([
    { name: 'an impossible date', periodStart: '2027-02-29' },
    { name: 'a date-time', periodStart: '2026-06-15T00:00:00Z' },
  ])('rejects $name', ({ periodStart }) => {
    expect(() => classSurveyCycle(periodStart)).toThrow(RangeError);
  });
});
