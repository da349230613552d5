import { CiiInputError } from './errors.js';
import { FUEL_TYPES, type FuelType } from './tables.js';

/** Tonnes burned per fuel; an absent (or undefined) fuel was not burned. */
export type FuelTonnes = Partial<Record<FuelType, number>>;

// Inputs usually come from JSON through the API, so each check looks at the runtime value, not the type.

export function requireFiniteNumber(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CiiInputError(field, 'must be a finite number');
  }
  return value;
}

export function requireNonNegative(field: string, value: unknown): number {
  const number = requireFiniteNumber(field, value);
  if (number < 0) throw new CiiInputError(field, 'must not be negative');
  return number;
}

export function requirePositive(field: string, value: unknown): number {
  const number = requireFiniteNumber(field, value);
  if (number <= 0) throw new CiiInputError(field, 'must be greater than zero');
  return number;
}

export function requireInteger(field: string, value: unknown): number {
  const number = requireFiniteNumber(field, value);
  if (!Number.isInteger(number)) throw new CiiInputError(field, 'must be a whole number');
  return number;
}

function isFuelType(value: string): value is FuelType {
  return (FUEL_TYPES as readonly string[]).includes(value);
}

/**
 * Checks a record of tonnes per fuel: known fuel keys only, each amount finite and not negative.
 * Returns a copy without the undefined entries.
 */
export function requireFuelTonnes(field: string, value: unknown): FuelTonnes {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CiiInputError(field, 'must be an object of tonnes per fuel');
  }
  const checked: FuelTonnes = {};
  for (const [fuel, tonnes] of Object.entries(value)) {
    if (!isFuelType(fuel)) {
      throw new CiiInputError(`${field}.${fuel}`, `is not a known fuel (one of ${FUEL_TYPES.join(', ')})`);
    }
    if (tonnes === undefined) continue;
    checked[fuel] = requireNonNegative(`${field}.${fuel}`, tonnes);
  }
  return checked;
}
