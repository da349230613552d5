import {
  CII_MIN_GROSS_TONNAGE,
  CiiInputError,
  ciiApplies,
  computeCii,
  projectToYearEnd,
  type CiiRating,
  type CiiResult,
  type ShipType as CiiShipType,
} from '@fleetwatch/cii';
import type { VesselState } from '@fleetwatch/fleet-registry';
import { CII_SHIP_TYPE } from './cii-ship-types.js';
import type { FuelTonnes } from './noon-report.js';

/** The current versions of a vessel's noon reports of one calendar year, summed. */
export interface YearTotals {
  reports: number;
  distanceNm: number;
  fuelTonnes: FuelTonnes;
  /** The latest report counted: the year to date runs to its day. */
  lastReportedAt: Date;
}

export interface CiiFigures {
  distanceNm: number;
  fuelTonnes: FuelTonnes;
  /** Null when the vessel is not rated (see the assessment's notes). */
  cii: CiiResult | null;
}

export interface VesselCiiAssessment {
  year: number;
  shipType: CiiShipType;
  dwt: number | null;
  gt: number | null;
  /** Whether the CII applies (5,000 GT and above); null when the registry has no GT. */
  applies: boolean | null;
  /** Why a rating is missing or uncertain. */
  notes: string[];
  reports: number;
  yearToDate: (CiiFigures & { through: string; dayOfYear: number }) | null;
  projection: (CiiFigures & { daysInYear: number }) | null;
}

const DAY_MS = 86_400_000;

export function daysInYear(year: number): number {
  return (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / DAY_MS;
}

/** 1 for 1 January (UTC). */
export function dayOfYear(date: Date): number {
  const year = date.getUTCFullYear();
  const midnight = Date.UTC(year, date.getUTCMonth(), date.getUTCDate());
  return (midnight - Date.UTC(year, 0, 1)) / DAY_MS + 1;
}

/**
 * A vessel's CII for a calendar year from its noon reports: attained year to date, and a naive linear
 * projection to the year end (@fleetwatch/cii projectToYearEnd), each rated with computeCii.
 *
 * The year to date runs from 1 January to the day of the latest report counted; once the year is over
 * it is the whole year, and the projection equals it. Ships below 5,000 GT are not rated (MARPOL Annex
 * VI regulation 28); their distance and fuel are still given.
 */
export function assessVesselCii(input: {
  vessel: Pick<VesselState, 'shipType' | 'dwt' | 'gt'>;
  year: number;
  totals: YearTotals | null;
  now: Date;
}): VesselCiiAssessment {
  const { vessel, year, totals, now } = input;
  const shipType = CII_SHIP_TYPE[vessel.shipType];
  const notes = new Set<string>();

  let applies: boolean | null = null;
  if (vessel.gt === null) {
    notes.add(
      `The fleet registry has no gross tonnage for this vessel: whether the CII applies (${CII_MIN_GROSS_TONNAGE.toLocaleString('en')} GT and above) is not known.`,
    );
  } else {
    applies = ciiApplies(vessel.gt);
    if (!applies) {
      notes.add(
        `The CII applies to ships of ${CII_MIN_GROSS_TONNAGE.toLocaleString('en')} GT and above; this vessel is ${vessel.gt.toLocaleString('en')} GT, so it is not rated.`,
      );
    }
  }

  const base = { year, shipType, dwt: vessel.dwt, gt: vessel.gt, applies };
  if (totals === null || totals.reports === 0) {
    notes.add(`No noon reports in ${year}.`);
    return { ...base, notes: [...notes], reports: 0, yearToDate: null, projection: null };
  }

  const rate = (distanceNm: number, fuelTonnes: FuelTonnes): CiiResult | null => {
    if (applies === false) return null;
    try {
      return computeCii({ shipType, dwt: vessel.dwt, gt: vessel.gt, distanceNm, fuelTonnes, year });
    } catch (error) {
      // Input the formulas cannot rate (no DWT in the registry, no distance yet): say why, rate nothing.
      if (error instanceof CiiInputError) {
        notes.add(`Not rated: ${error.message}.`);
        return null;
      }
      throw error;
    }
  };

  const days = daysInYear(year);
  const yearIsOver = now.getTime() >= Date.UTC(year + 1, 0, 1);
  const coveredDays = yearIsOver ? days : dayOfYear(totals.lastReportedAt);
  const projected = projectToYearEnd({
    distanceNmToDate: totals.distanceNm,
    fuelTonnesToDate: totals.fuelTonnes,
    dayOfYear: coveredDays,
    daysInYear: days,
  });
  const yearToDate = {
    through: totals.lastReportedAt.toISOString(),
    dayOfYear: coveredDays,
    distanceNm: totals.distanceNm,
    fuelTonnes: totals.fuelTonnes,
    cii: rate(totals.distanceNm, totals.fuelTonnes),
  };
  const projection = {
    daysInYear: days,
    distanceNm: projected.distanceNm,
    fuelTonnes: projected.fuelTonnes,
    cii: rate(projected.distanceNm, projected.fuelTonnes),
  };
  return { ...base, notes: [...notes], reports: totals.reports, yearToDate, projection };
}

export type RatingCounts = Record<CiiRating | 'notRated', number>;

/** How many vessels have each rating; vessels without one count as notRated. */
export function countRatings(ratings: readonly (CiiRating | null)[]): RatingCounts {
  const counts: RatingCounts = { A: 0, B: 0, C: 0, D: 0, E: 0, notRated: 0 };
  for (const rating of ratings) counts[rating ?? 'notRated'] += 1;
  return counts;
}
