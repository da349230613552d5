import { CiiInputError } from './errors.js';
import { FUEL_TYPES } from './tables.js';
import { requireFuelTonnes, requireInteger, requireNonNegative, type FuelTonnes } from './validation.js';

export interface YearToDate {
  /** Distance travelled from 1 January up to and including `dayOfYear`, nautical miles. */
  readonly distanceNmToDate: number;
  /** Fuel burned over the same days, tonnes per fuel. */
  readonly fuelTonnesToDate: FuelTonnes;
  /** How many days of the year the to-date figures cover: 1 for 1 January alone, up to `daysInYear`. */
  readonly dayOfYear: number;
  /** 365, or 366 in a leap year. */
  readonly daysInYear: number;
}

/** Full-year figures in the shape `computeCii` takes. */
export interface YearEndProjection {
  readonly distanceNm: number;
  readonly fuelTonnes: FuelTonnes;
}

/**
 * Projects year-to-date distance and fuel to the whole calendar year, naively and linearly: each figure
 * is scaled by daysInYear / dayOfYear, as if the ship kept the same average pace for the rest of the
 * year. It knows nothing of planned dry-docks, lay-ups, seasonal trades or speed changes, so early in the
 * year (a few days of data) the projection says little. The to-date distance may be zero (a ship at
 * anchor since 1 January): the projection is then zero too, which `computeCii` refuses to rate.
 */
export function projectToYearEnd(input: YearToDate): YearEndProjection {
  const daysInYear = requireInteger('daysInYear', input.daysInYear);
  if (daysInYear !== 365 && daysInYear !== 366) throw new CiiInputError('daysInYear', 'must be 365 or 366');
  const dayOfYear = requireInteger('dayOfYear', input.dayOfYear);
  if (dayOfYear < 1 || dayOfYear > daysInYear) {
    throw new CiiInputError('dayOfYear', `must be between 1 and daysInYear (${daysInYear})`);
  }
  const distanceNmToDate = requireNonNegative('distanceNmToDate', input.distanceNmToDate);
  const fuelTonnesToDate = requireFuelTonnes('fuelTonnesToDate', input.fuelTonnesToDate);

  const scale = daysInYear / dayOfYear;
  const fuelTonnes: FuelTonnes = {};
  for (const fuel of FUEL_TYPES) {
    const tonnes = fuelTonnesToDate[fuel];
    if (tonnes !== undefined) fuelTonnes[fuel] = tonnes * scale;
  }
  return { distanceNm: distanceNmToDate * scale, fuelTonnes };
}
