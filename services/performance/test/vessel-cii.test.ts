import { computeCii, projectToYearEnd, SHIP_TYPES as CII_SHIP_TYPES } from '@fleetwatch/cii';
import { SHIP_TYPES as FLEET_SHIP_TYPES } from '@fleetwatch/fleet-registry';
import { describe, expect, it } from 'vitest';
import { CII_SHIP_TYPE } from '../src/domain/cii-ship-types.js';
import {
  assessVesselCii,
  countRatings,
  dayOfYear,
  daysInYear,
  type YearTotals,
} from '../src/domain/vessel-cii.js';

describe('fleet ship types → CII ship types', () => {
  it('maps every fleet ship type to a distinct CII ship type, covering them all', () => {
    const mapped = FLEET_SHIP_TYPES.map((type) => CII_SHIP_TYPE[type]);
    expect(new Set(mapped).size).toBe(FLEET_SHIP_TYPES.length);
    expect([...mapped].sort()).toEqual([...CII_SHIP_TYPES].sort());
  });

  it.each([
    ['bulk-carrier', 'bulk_carrier'],
    ['general-cargo', 'general_cargo_ship'],
    ['ro-ro-cargo', 'ro_ro_cargo_ship'],
    ['ro-ro-passenger', 'ro_ro_passenger_ship'],
    ['ro-ro-passenger-high-speed', 'ro_ro_passenger_ship_hsc'],
    ['cruise-passenger', 'cruise_passenger_ship'],
  ] as const)('%s → %s', (fleet, cii) => {
    expect(CII_SHIP_TYPE[fleet]).toBe(cii);
  });
});

describe('calendar', () => {
  it.each([
    ['2026-01-01T00:00:00Z', 1],
    ['2026-01-01T23:59:59Z', 1],
    ['2026-02-01T12:00:00Z', 32],
    ['2026-12-31T23:00:00Z', 365],
    ['2028-12-31T00:00:00Z', 366],
  ])('%s is day %i', (date, day) => {
    expect(dayOfYear(new Date(date))).toBe(day);
  });

  it.each([
    [2026, 365],
    [2028, 366],
    [2100, 365],
  ])('%i has %i days', (year, days) => {
    expect(daysInYear(year)).toBe(days);
  });
});

describe('a vessel’s CII from its noon-report totals', () => {
  const bulker = { shipType: 'bulk-carrier', dwt: 80_000, gt: 43_000 } as const;
  const totals: YearTotals = {
    reports: 3,
    distanceNm: 900,
    fuelTonnes: { HFO: 90, MGO: 6 },
    lastReportedAt: new Date('2026-02-01T12:00:00Z'),
  };
  const march = new Date('2026-03-01T00:00:00Z');

  it('rates the year to date and the linear projection with computeCii', () => {
    const assessment = assessVesselCii({ vessel: bulker, year: 2026, totals, now: march });
    const ship = { shipType: 'bulk_carrier', dwt: 80_000, gt: 43_000, year: 2026 } as const;
    const projected = projectToYearEnd({
      distanceNmToDate: 900,
      fuelTonnesToDate: { HFO: 90, MGO: 6 },
      dayOfYear: 32,
      daysInYear: 365,
    });
    expect(assessment).toEqual({
      year: 2026,
      shipType: 'bulk_carrier',
      dwt: 80_000,
      gt: 43_000,
      applies: true,
      notes: [],
      reports: 3,
      yearToDate: {
        through: '2026-02-01T12:00:00.000Z',
        dayOfYear: 32,
        distanceNm: 900,
        fuelTonnes: { HFO: 90, MGO: 6 },
        cii: computeCii({ ...ship, distanceNm: 900, fuelTonnes: { HFO: 90, MGO: 6 } }),
      },
      projection: {
        daysInYear: 365,
        distanceNm: projected.distanceNm,
        fuelTonnes: projected.fuelTonnes,
        cii: computeCii({ ...ship, ...projected }),
      },
    });
    // A linear projection of the same pace has the same intensity; only the distance grows.
    expect(assessment.projection?.distanceNm).toBeCloseTo((900 * 365) / 32, 9);
    expect(assessment.projection?.cii?.attained).toBeCloseTo(assessment.yearToDate?.cii?.attained ?? NaN, 9);
  });

  it('takes a year that is over as a whole: the projection is the year itself', () => {
    const assessment = assessVesselCii({
      vessel: bulker,
      year: 2026,
      totals,
      now: new Date('2027-01-05T00:00:00Z'),
    });
    expect(assessment.yearToDate?.dayOfYear).toBe(365);
    expect(assessment.projection?.distanceNm).toBe(900);
    expect(assessment.projection?.fuelTonnes).toEqual({ HFO: 90, MGO: 6 });
  });

  it.each([
    [
      'below 5,000 GT: not rated, figures still given',
      { ...bulker, gt: 4_000 },
      totals,
      false,
      false,
      'The CII applies to ships of 5,000 GT and above; this vessel is 4,000 GT, so it is not rated.',
    ],
    [
      'GT not known: rated, with a caveat',
      { ...bulker, gt: null },
      totals,
      null,
      true,
      'The fleet registry has no gross tonnage for this vessel: whether the CII applies (5,000 GT and above) is not known.',
    ],
    [
      'DWT not known for a DWT-rated type: not rated',
      { ...bulker, dwt: null },
      totals,
      true,
      false,
      'Not rated: dwt: is required for a bulk_carrier (its CII capacity).',
    ],
    [
      'no distance yet: not rated',
      bulker,
      { ...totals, distanceNm: 0 },
      true,
      false,
      'Not rated: distanceNm: must be greater than zero.',
    ],
    ['no reports in the year', bulker, null, true, false, 'No noon reports in 2026.'],
  ] as const)('%s', (_name, vessel, yearTotals, applies, rated, note) => {
    const assessment = assessVesselCii({ vessel, year: 2026, totals: yearTotals, now: march });
    expect(assessment.applies).toBe(applies);
    expect(assessment.notes).toEqual([note]);
    expect(assessment.yearToDate?.cii != null).toBe(rated);
    expect(assessment.projection?.cii != null).toBe(rated);
    if (yearTotals !== null) expect(assessment.yearToDate?.distanceNm).toBe(yearTotals.distanceNm);
  });

  it('counts vessels per rating', () => {
    expect(countRatings(['A', 'C', null, 'C', 'E'])).toEqual({ A: 1, B: 0, C: 2, D: 0, E: 1, notRated: 1 });
  });
});
