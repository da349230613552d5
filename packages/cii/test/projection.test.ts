import { describe, expect, it } from 'vitest';

import { CiiInputError, computeCii, projectToYearEnd, type YearToDate } from '../src/index.js';
import { CII_DIGITS, unchecked } from './helpers.js';

describe('projectToYearEnd (naive linear projection)', () => {
  it.each<[string, YearToDate, { distanceNm: number; fuelTonnes: Record<string, number> }]>([
    [
      // 365 / 73 = 5: 12,000 nm × 5 = 60,000; 1,600 t × 5 = 8,000; 100 t × 5 = 500
      'day 73 of 365 (× 5)',
      {
        distanceNmToDate: 12_000,
        fuelTonnesToDate: { HFO: 1_600, MGO: 100 },
        dayOfYear: 73,
        daysInYear: 365,
      },
      { distanceNm: 60_000, fuelTonnes: { HFO: 8_000, MGO: 500 } },
    ],
    [
      // 366 / 183 = 2 in a leap year
      'day 183 of 366 (× 2)',
      { distanceNmToDate: 30_000, fuelTonnesToDate: { LNG: 12_500 }, dayOfYear: 183, daysInYear: 366 },
      { distanceNm: 60_000, fuelTonnes: { LNG: 25_000 } },
    ],
    [
      // 365 / 1 = 365
      'day 1 of 365 (× 365)',
      { distanceNmToDate: 200, fuelTonnesToDate: { MGO: 2 }, dayOfYear: 1, daysInYear: 365 },
      { distanceNm: 73_000, fuelTonnes: { MGO: 730 } },
    ],
    [
      // 365 / 365 = 1: a whole year is its own projection
      'the whole year (× 1)',
      { distanceNmToDate: 60_000, fuelTonnesToDate: { HFO: 8_000 }, dayOfYear: 365, daysInYear: 365 },
      { distanceNm: 60_000, fuelTonnes: { HFO: 8_000 } },
    ],
    [
      // 365 / 100 = 3.65: 0 nm stays 0 (a ship at anchor), 10 t × 3.65 = 36.5
      'no distance yet',
      { distanceNmToDate: 0, fuelTonnesToDate: { MGO: 10 }, dayOfYear: 100, daysInYear: 365 },
      { distanceNm: 0, fuelTonnes: { MGO: 36.5 } },
    ],
  ])('%s', (_description, yearToDate, expected) => {
    const projection = projectToYearEnd(yearToDate);

    expect(projection.distanceNm).toBeCloseTo(expected.distanceNm, 9);
    expect(Object.keys(projection.fuelTonnes).sort()).toEqual(Object.keys(expected.fuelTonnes).sort());
    for (const [fuel, tonnes] of Object.entries(expected.fuelTonnes)) {
      expect(projection.fuelTonnes[fuel as keyof typeof projection.fuelTonnes]).toBeCloseTo(tonnes, 9);
    }
  });

  it('drops fuels with undefined tonnes and leaves its input alone', () => {
    const fuelTonnesToDate = { HFO: 100, MGO: undefined };
    const projection = projectToYearEnd({
      distanceNmToDate: 1_000,
      fuelTonnesToDate,
      dayOfYear: 73,
      daysInYear: 365,
    });

    expect(projection.fuelTonnes).toEqual({ HFO: 500 });
    expect(fuelTonnesToDate).toEqual({ HFO: 100, MGO: undefined });
  });

  it('feeds computeCii', () => {
    const projection = projectToYearEnd({
      distanceNmToDate: 12_000,
      fuelTonnesToDate: { HFO: 1_600, MGO: 100 },
      dayOfYear: 73,
      daysInYear: 365,
    });
    // Projects to 60,000 nm, 8,000 t HFO, 500 t MGO: the 180,000 DWT bulk carrier's 2.455093 in 2023.
    const result = computeCii({ shipType: 'bulk_carrier', dwt: 180_000, year: 2023, ...projection });

    expect(result.attained).toBeCloseTo(2.455092593, CII_DIGITS);
    expect(result.rating).toBe('C');
  });

  it.each([
    ['day 0', { dayOfYear: 0 }, 'dayOfYear'],
    ['a day past the year', { dayOfYear: 366 }, 'dayOfYear'],
    ['a fractional day', { dayOfYear: 1.5 }, 'dayOfYear'],
    ['a year of 360 days', { daysInYear: 360 }, 'daysInYear'],
    ['a missing year length', { daysInYear: undefined }, 'daysInYear'],
    ['negative distance', { distanceNmToDate: -1 }, 'distanceNmToDate'],
    ['NaN distance', { distanceNmToDate: Number.NaN }, 'distanceNmToDate'],
    ['an unknown fuel', { fuelTonnesToDate: { VLSFO: 1 } }, 'fuelTonnesToDate.VLSFO'],
    ['negative fuel', { fuelTonnesToDate: { HFO: -1 } }, 'fuelTonnesToDate.HFO'],
    ['infinite fuel', { fuelTonnesToDate: { HFO: Number.POSITIVE_INFINITY } }, 'fuelTonnesToDate.HFO'],
    ['a missing fuel record', { fuelTonnesToDate: undefined }, 'fuelTonnesToDate'],
  ])('refuses %s', (_description, change, field) => {
    const input = {
      distanceNmToDate: 1_000,
      fuelTonnesToDate: { HFO: 100 },
      dayOfYear: 73,
      daysInYear: 365,
      ...change,
    };
    const run = () => projectToYearEnd(unchecked(input) as unknown as YearToDate);

    expect(run).toThrow(CiiInputError);
    expect(run).toThrow(expect.objectContaining({ field }) as Error);
  });
});
