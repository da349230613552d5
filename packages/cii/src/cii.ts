import { CiiInputError } from './errors.js';
import {
  CAPACITY_MEASURE,
  CARBON_FACTORS,
  FUEL_TYPES,
  REDUCTION_FACTORS,
  REFERENCE_LINES,
  SHIP_TYPES,
  type ReferenceLine,
  type ShipType,
} from './tables.js';
import {
  requireFuelTonnes,
  requireInteger,
  requireNonNegative,
  requirePositive,
  type FuelTonnes,
} from './validation.js';

export const CII_RATINGS = Object.freeze(['A', 'B', 'C', 'D', 'E'] as const);
export type CiiRating = (typeof CII_RATINGS)[number];

export interface CiiInput {
  readonly shipType: ShipType;
  /** Deadweight tonnage; required for the ship types whose capacity is DWT. Null: not known. */
  readonly dwt?: number | null;
  /** Gross tonnage; required for the ro-ro and cruise types, whose capacity is GT. Null: not known. */
  readonly gt?: number | null;
  /** Distance travelled in the calendar year, nautical miles. */
  readonly distanceNm: number;
  /** Fuel burned in the calendar year, tonnes per fuel. */
  readonly fuelTonnes: FuelTonnes;
  /** The calendar year rated (2019–2030: the years with an adopted reduction factor). */
  readonly year: number;
}

export interface CiiBoundaries {
  readonly superior: number;
  readonly lower: number;
  readonly upper: number;
  readonly inferior: number;
}

/** CII values in g CO2 per capacity-unit (DWT or GT) per nautical mile, unrounded. */
export interface CiiResult {
  readonly attained: number;
  readonly required: number;
  readonly boundaries: CiiBoundaries;
  readonly rating: CiiRating;
}

const GRAMS_PER_TONNE = 1_000_000;

/**
 * Attained and required CII of one ship for one calendar year, the rating boundaries and the rating
 * (MEPC.352(78), MEPC.353(78), MEPC.354(78)). Throws CiiInputError for input it cannot rate.
 *
 * The attained CII divides by the ship's own DWT or GT (MEPC.352(78)); the fixed capacities of some
 * size bands (279,000 DWT for the largest bulk carriers, 65,000 DWT for the smallest LNG carriers,
 * 57,700 GT for the largest vehicle carriers) apply to the reference line only (MEPC.353(78)).
 */
export function computeCii(input: CiiInput): CiiResult {
  const shipType = requireShipType(input.shipType);
  const reductionPercent = reductionFactorFor(input.year);
  const size = shipSize(shipType, input);
  const distanceNm = requirePositive('distanceNm', input.distanceNm);
  const fuelTonnes = requireFuelTonnes('fuelTonnes', input.fuelTonnes);

  const attained = co2Grams(fuelTonnes) / (size * distanceNm);

  const line = referenceLineFor(shipType, size);
  const referenceCapacity = line.fixedCapacity ?? size;
  const required = (1 - reductionPercent / 100) * line.a * referenceCapacity ** -line.c;
  const boundaries: CiiBoundaries = {
    superior: required * line.boundaryFactors.superior,
    lower: required * line.boundaryFactors.lower,
    upper: required * line.boundaryFactors.upper,
    inferior: required * line.boundaryFactors.inferior,
  };
  return { attained, required, boundaries, rating: ratingFor(attained, boundaries) };
}

/** The rating band the attained CII falls in; a value on a boundary gets the worse rating. */
function ratingFor(attained: number, boundaries: CiiBoundaries): CiiRating {
  if (attained < boundaries.superior) return 'A';
  if (attained < boundaries.lower) return 'B';
  if (attained < boundaries.upper) return 'C';
  if (attained < boundaries.inferior) return 'D';
  return 'E';
}

function co2Grams(fuelTonnes: FuelTonnes): number {
  let grams = 0;
  for (const fuel of FUEL_TYPES) {
    const tonnes = fuelTonnes[fuel];
    if (tonnes !== undefined) grams += tonnes * GRAMS_PER_TONNE * CARBON_FACTORS[fuel];
  }
  return grams;
}

function isShipType(value: unknown): value is ShipType {
  return typeof value === 'string' && (SHIP_TYPES as readonly string[]).includes(value);
}

function requireShipType(value: unknown): ShipType {
  if (!isShipType(value)) throw new CiiInputError('shipType', `must be one of ${SHIP_TYPES.join(', ')}`);
  return value;
}

function reductionFactorFor(value: unknown): number {
  const year = requireInteger('year', value);
  const reductionPercent = REDUCTION_FACTORS[year];
  if (reductionPercent === undefined) {
    const years = Object.keys(REDUCTION_FACTORS);
    throw new CiiInputError(
      'year',
      `has no adopted reduction factor: CII can be rated for ${years[0]}–${years[years.length - 1]}`,
    );
  }
  return reductionPercent;
}

/**
 * The ship's own capacity: DWT or GT by ship type. The other measure is optional, but checked when given
 * so that bad data does not pass silently.
 */
function shipSize(shipType: ShipType, input: CiiInput): number {
  const measure = CAPACITY_MEASURE[shipType];
  const other = measure === 'dwt' ? 'gt' : 'dwt';
  if (input[other] !== undefined && input[other] !== null) requireNonNegative(other, input[other]);

  const value = input[measure];
  if (value === undefined || value === null) {
    throw new CiiInputError(measure, `is required for a ${shipType} (its CII capacity)`);
  }
  return requirePositive(measure, value);
}

function referenceLineFor(shipType: ShipType, size: number): ReferenceLine {
  const line = REFERENCE_LINES[shipType].find(
    (candidate) => size >= candidate.sizeFrom && (candidate.sizeBelow === null || size < candidate.sizeBelow),
  );
  // The bands of each ship type cover every positive size, so this is a defect in the table.
  if (line === undefined) throw new Error(`no CII reference line for a ${shipType} of size ${size}`);
  return line;
}
