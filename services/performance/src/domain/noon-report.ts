import { FUEL_TYPES, type FuelType } from '@fleetwatch/cii';

/**
 * Report events, after the DNV OVD log abstract (the de-facto noon-report standard): the daily noon
 * report and the voyage events that close a reporting period early. One list, so adding an event is a
 * one-line change.
 */
export const NOON_REPORT_EVENTS = [
  'Noon',
  'Departure',
  'Arrival',
  'BeginSeaPassage',
  'EndSeaPassage',
  'BeginAnchoring',
  'EndAnchoring',
  'BeginDrifting',
  'EndDrifting',
  'BeginOffHire',
  'EndOffHire',
  'BeginCanalPassage',
  'EndCanalPassage',
  'Bunkering',
] as const;
export type NoonReportEvent = (typeof NOON_REPORT_EVENTS)[number];

/** Who burned the fuel: main engine, auxiliary engines (generators), boilers. */
export const CONSUMERS = ['ME', 'AE', 'Boiler'] as const;
export type Consumer = (typeof CONSUMERS)[number];

/** Tonnes per fuel, with @fleetwatch/cii's fuel keys so the CII can use the sums as they are. */
export type FuelTonnes = Partial<Record<FuelType, number>>;

/** A report's fields, as the API takes them (times in hours, distances in nautical miles). */
export interface NoonReportFields {
  /** UTC, RFC 3339. */
  reportedAt: string;
  event: NoonReportEvent;
  /** UN/LOCODE of the voyage's departure and destination ports. */
  voyageFrom?: string;
  voyageTo?: string;
  /** The period this report covers ends at reportedAt and is this long. */
  timeSincePreviousReportHours: number;
  timeSailingHours: number;
  timeAnchoredHours?: number;
  timeDriftingHours?: number;
  /** Over ground, during the period. */
  distanceNm: number;
  position?: { latitude: number; longitude: number };
  cargoTonnes?: number;
  /** Fuel burned during the period, per consumer and fuel. */
  consumption: Partial<Record<Consumer, FuelTonnes>>;
  /** Fuel taken on board during the period. */
  bunkered?: FuelTonnes;
  /** Remaining on board at reportedAt. */
  rob: FuelTonnes;
  averageSpeedGpsKnots?: number;
  averageSpeedThroughWaterKnots?: number;
  averagePropellerSpeedRpm?: number;
  windForceBft?: number;
  draftForeM?: number;
  draftAftM?: number;
  meRunningHours?: number;
  meWorkKwh?: number;
}

const HOUR_MS = 3_600_000;

/** Where the report's period starts: reportedAt minus the time since the previous report. */
export function periodStartOf(
  report: Pick<NoonReportFields, 'reportedAt' | 'timeSincePreviousReportHours'>,
): Date {
  return new Date(Date.parse(report.reportedAt) - report.timeSincePreviousReportHours * HOUR_MS);
}

/** The fuel burned by all consumers together, per fuel; fuels nobody burned are left out. */
export function totalConsumption(consumption: NoonReportFields['consumption']): FuelTonnes {
  const total: FuelTonnes = {};
  for (const consumer of CONSUMERS) {
    for (const fuel of FUEL_TYPES) {
      const tonnes = consumption[consumer]?.[fuel];
      if (tonnes !== undefined) total[fuel] = (total[fuel] ?? 0) + tonnes;
    }
  }
  return total;
}

/** The report with its time in one canonical form (UTC, milliseconds), as stored and returned. */
export function normalizeReport(report: NoonReportFields): NoonReportFields {
  return { ...report, reportedAt: new Date(report.reportedAt).toISOString() };
}
