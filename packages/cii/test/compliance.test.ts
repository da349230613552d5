import { describe, expect, it } from 'vitest';

import { CiiInputError, ciiApplies, needsCorrectiveActionPlan, type RatingsByYear } from '../src/index.js';

describe('ciiApplies (ships of 5,000 GT and above)', () => {
  it.each([
    [0, false],
    [400, false],
    [4_999, false],
    [4_999.99, false],
    [5_000, true],
    [5_000.01, true],
    [95_000, true],
  ])('%d GT: %s', (gt, applies) => {
    expect(ciiApplies(gt)).toBe(applies);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %d GT', (gt) => {
    expect(() => ciiApplies(gt)).toThrow(CiiInputError);
  });
});

describe('needsCorrectiveActionPlan (D three years running, or E)', () => {
  it.each<[string, RatingsByYear, boolean]>([
    ['no ratings yet', {}, false],
    ['E once', { 2023: 'E' }, true],
    ['E after good years', { 2023: 'A', 2024: 'B', 2025: 'E' }, true],
    ['D three years running', { 2023: 'D', 2024: 'D', 2025: 'D' }, true],
    ['D four years running', { 2023: 'D', 2024: 'D', 2025: 'D', 2026: 'D' }, true],
    ['D three years running after a C', { 2022: 'C', 2023: 'D', 2024: 'D', 2025: 'D' }, true],
    ['D twice', { 2024: 'D', 2025: 'D' }, false],
    ['D once', { 2025: 'D' }, false],
    ['D, D, then E', { 2023: 'D', 2024: 'D', 2025: 'E' }, true],
    ['D, C, D, D: the C breaks the run', { 2022: 'D', 2023: 'C', 2024: 'D', 2025: 'D' }, false],
    ['D three times with a year missing: not consecutive', { 2022: 'D', 2024: 'D', 2025: 'D' }, false],
    [
      'D three years running, then B: judged on the latest year',
      { 2021: 'D', 2022: 'D', 2023: 'D', 2024: 'B' },
      false,
    ],
    ['E, then C: judged on the latest year', { 2023: 'E', 2024: 'C' }, false],
    ['C, B, A', { 2023: 'C', 2024: 'B', 2025: 'A' }, false],
    ['years given out of order', { 2025: 'D', 2023: 'D', 2024: 'D' }, true],
  ])('%s: %s', (_description, ratingsByYear, needsPlan) => {
    expect(needsCorrectiveActionPlan(ratingsByYear)).toBe(needsPlan);
  });

  it.each([
    ['a rating that does not exist', { 2023: 'F' }, 'ratingsByYear.2023'],
    ['a lower-case rating', { 2023: 'd' }, 'ratingsByYear.2023'],
    ['a key that is not a year', { latest: 'D' }, 'ratingsByYear.latest'],
    ['a fractional year', { '2023.5': 'D' }, 'ratingsByYear.2023.5'],
    ['null', null, 'ratingsByYear'],
    ['an array', ['D', 'D', 'D'], 'ratingsByYear'],
  ])('refuses %s', (_description, ratingsByYear, field) => {
    expect(() => needsCorrectiveActionPlan(ratingsByYear as unknown as RatingsByYear)).toThrow(
      expect.objectContaining({ name: 'CiiInputError', field }) as Error,
    );
  });
});
