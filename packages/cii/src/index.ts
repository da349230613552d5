export { CII_RATINGS, computeCii } from './cii.js';
export type { CiiBoundaries, CiiInput, CiiRating, CiiResult } from './cii.js';
export { CII_MIN_GROSS_TONNAGE, ciiApplies, needsCorrectiveActionPlan } from './compliance.js';
export type { RatingsByYear } from './compliance.js';
export { CiiInputError } from './errors.js';
export { projectToYearEnd } from './projection.js';
export type { YearEndProjection, YearToDate } from './projection.js';
export {
  CAPACITY_MEASURE,
  CARBON_FACTORS,
  FUEL_TYPES,
  REDUCTION_FACTORS,
  REFERENCE_LINES,
  SHIP_TYPES,
} from './tables.js';
export type { BoundaryFactors, FuelType, ReferenceLine, ShipType } from './tables.js';
export type { FuelTonnes } from './validation.js';
