import type { CiiRating } from '@fleetwatch/cii';
import type { VesselState } from '@fleetwatch/fleet-registry';
import { assessVesselCii, type YearTotals } from './vessel-cii.js';

export const NOT_IN_REGISTRY_NOTE =
  'The vessel is not in the fleet registry: its ship type and tonnage are not known.';

/** One vessel of a fleet's CII summary. */
export interface FleetVesselCii {
  vesselId: string;
  /** The vessel as the fleet registry knows it; null when it does not (then it is not rated). */
  vessel: VesselState | null;
  /** Year to date; null when not rated (see notes). */
  rating: CiiRating | null;
  projectedRating: CiiRating | null;
  applies: boolean | null;
  notes: string[];
}

/** The UTC calendar year, [from, to), whose noon reports count for its CII. */
export function calendarYear(year: number): { from: Date; to: Date } {
  return { from: new Date(Date.UTC(year, 0, 1)), to: new Date(Date.UTC(year + 1, 0, 1)) };
}

/**
 * Each vessel's CII rating for the year, from its summed noon reports (the rows of `yearTotals`) and
 * its ship type and tonnage in the fleet registry: the fleet summary of GET /fleet/cii and the
 * fleet_vessels_by_cii_rating gauge.
 */
export function assessFleetCii(input: {
  totals: readonly (YearTotals & { vesselId: string })[];
  vessel: (id: string) => VesselState | null;
  year: number;
  now: Date;
}): FleetVesselCii[] {
  const { year, now } = input;
  return input.totals.map((totals) => {
    const vessel = input.vessel(totals.vesselId);
    if (!vessel) {
      return {
        vesselId: totals.vesselId,
        vessel: null,
        rating: null,
        projectedRating: null,
        applies: null,
        notes: [NOT_IN_REGISTRY_NOTE],
      };
    }
    const assessment = assessVesselCii({ vessel, year, totals, now });
    return {
      vesselId: vessel.id,
      vessel,
      rating: assessment.yearToDate?.cii?.rating ?? null,
      projectedRating: assessment.projection?.cii?.rating ?? null,
      applies: assessment.applies,
      notes: assessment.notes,
    };
  });
}
