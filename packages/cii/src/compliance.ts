import { CII_RATINGS, type CiiRating } from './cii.js';
import { CiiInputError } from './errors.js';
import { requireNonNegative } from './validation.js';

/** MARPOL Annex VI regulation 28 applies the CII rating to ships of 5,000 GT and above. */
export const CII_MIN_GROSS_TONNAGE = 5_000;

/** Whether the CII rating applies to a ship of this gross tonnage (≥ 5,000 GT). */
export function ciiApplies(gt: number): boolean {
  return requireNonNegative('gt', gt) >= CII_MIN_GROSS_TONNAGE;
}

/** Ratings by calendar year, e.g. `{ 2023: 'D', 2024: 'D', 2025: 'D' }`; years may be missing. */
export type RatingsByYear = Readonly<Record<number, CiiRating>>;

const CONSECUTIVE_D_YEARS_FOR_PLAN = 3;

/**
 * Whether the ship's latest rating calls for a corrective action plan (MARPOL Annex VI regulation 28.6):
 * the latest rated year is E, or it and the two calendar years before it are all D. Judged on the latest
 * year in the record because the plan answers the latest rating: a ship rated E in 2023 and C since then
 * needs no new plan. A missing year breaks a run of D. No ratings: false.
 */
export function needsCorrectiveActionPlan(ratingsByYear: RatingsByYear): boolean {
  const ratings = requireRatingsByYear(ratingsByYear);
  if (ratings.size === 0) return false;

  const latestYear = Math.max(...ratings.keys());
  if (ratings.get(latestYear) === 'E') return true;
  for (let back = 0; back < CONSECUTIVE_D_YEARS_FOR_PLAN; back++) {
    if (ratings.get(latestYear - back) !== 'D') return false;
  }
  return true;
}

function isCiiRating(value: unknown): value is CiiRating {
  return typeof value === 'string' && (CII_RATINGS as readonly string[]).includes(value);
}

function requireRatingsByYear(value: unknown): Map<number, CiiRating> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CiiInputError('ratingsByYear', 'must be an object of ratings by year');
  }
  const ratings = new Map<number, CiiRating>();
  for (const [key, rating] of Object.entries(value)) {
    const field = `ratingsByYear.${key}`;
    // Object keys are strings: "2023" is a year; "2023.5", "-1" or "x" is not.
    if (!/^\d{4}$/.test(key)) throw new CiiInputError(field, 'is not a year');
    if (!isCiiRating(rating)) throw new CiiInputError(field, `must be one of ${CII_RATINGS.join(', ')}`);
    ratings.set(Number(key), rating);
  }
  return ratings;
}
