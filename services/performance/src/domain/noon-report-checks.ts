import { FUEL_TYPES, type FuelType } from '@fleetwatch/cii';
import { periodStartOf, totalConsumption, type NoonReportFields } from './noon-report.js';

/**
 * Consistency checks of a noon report against its neighbours in time (DNV OVD practice). Two kinds:
 *
 * - errors, which make the report impossible to place in the vessel's sequence of reports (time going
 *   backwards, periods overlapping). The API refuses the report: storing it would corrupt the sequence
 *   the other checks and the CII sums rely on.
 * - warnings, which say the figures do not add up (ROB balance, distance against speed and time). The
 *   API stores the report with its warnings so nothing the vessel reported is lost, and the master can
 *   correct it.
 */
export const CHECK_NAMES = [
  'time-order',
  'period-overlap',
  'period-gap',
  'time-budget',
  'me-running-hours',
  'distance-speed',
  'rob-balance',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface CheckFinding {
  check: CheckName;
  /** JSON Pointer to the report field the finding is about. */
  pointer: string;
  message: string;
}

export interface CheckOutcome {
  errors: CheckFinding[];
  warnings: CheckFinding[];
}

export interface Neighbours {
  /** The vessel's report just before this one, if any. */
  previous: NoonReportFields | null;
  /** The report just after (corrections of an earlier report only), if any. */
  next: NoonReportFields | null;
}

/**
 * How far figures may disagree before a warning. Reported figures are rounded and tank soundings are
 * imprecise, so exact equality would flag nearly every report. One table, to tune in one place.
 */
export const TOLERANCES = Object.freeze({
  /** ROB balance: at least this many tonnes per fuel… */
  robTonnes: 0.5,
  /** …or this fraction of the expected ROB, whichever is larger. */
  robFraction: 0.01,
  /** distance vs speed × time sailing: this fraction of the expected distance… */
  distanceFraction: 0.1,
  /** …but at least this many nautical miles (short or idle periods). */
  distanceNm: 1,
  /** Period boundaries: times to the minute and hours to two decimals (36 s) differ by rounding. */
  periodMs: 60_000,
  /** Time budget (sailing + anchored + drifting, ME running hours) against the period. */
  hours: 0.1,
});

const HOUR_MS = 3_600_000;

export function checkNoonReport(report: NoonReportFields, { previous, next }: Neighbours): CheckOutcome {
  const errors: CheckFinding[] = [];
  const warnings: CheckFinding[] = [];
  const reportedAt = Date.parse(report.reportedAt);
  const periodStart = periodStartOf(report).getTime();

  if (previous) {
    const previousAt = Date.parse(previous.reportedAt);
    if (reportedAt <= previousAt) {
      errors.push({
        check: 'time-order',
        pointer: '/reportedAt',
        message: `must be after the previous report's time (${previous.reportedAt})`,
      });
    } else if (periodStart < previousAt - TOLERANCES.periodMs) {
      errors.push({
        check: 'period-overlap',
        pointer: '/timeSincePreviousReportHours',
        message: `the period from ${iso(periodStart)} overlaps the previous report's, which ends at ${previous.reportedAt} (${hours(reportedAt - previousAt)} h since it)`,
      });
    } else if (periodStart > previousAt + TOLERANCES.periodMs) {
      warnings.push({
        check: 'period-gap',
        pointer: '/timeSincePreviousReportHours',
        message: `${hours(periodStart - previousAt)} h between the previous report (${previous.reportedAt}) and the start of this period are not reported`,
      });
    }
  }

  if (next) {
    const nextAt = Date.parse(next.reportedAt);
    if (reportedAt >= nextAt) {
      errors.push({
        check: 'time-order',
        pointer: '/reportedAt',
        message: `must be before the next report's time (${next.reportedAt})`,
      });
    } else if (periodStartOf(next).getTime() < reportedAt - TOLERANCES.periodMs) {
      errors.push({
        check: 'period-overlap',
        pointer: '/reportedAt',
        message: `the next report's period starts at ${periodStartOf(next).toISOString()}, before this report's time`,
      });
    }
  }

  const accounted =
    report.timeSailingHours + (report.timeAnchoredHours ?? 0) + (report.timeDriftingHours ?? 0);
  if (accounted > report.timeSincePreviousReportHours + TOLERANCES.hours) {
    warnings.push({
      check: 'time-budget',
      pointer: '/timeSailingHours',
      message: `sailing, anchored and drifting add up to ${hours(accounted * HOUR_MS)} h, more than the ${report.timeSincePreviousReportHours} h since the previous report`,
    });
  }
  if (
    report.meRunningHours !== undefined &&
    report.meRunningHours > report.timeSincePreviousReportHours + TOLERANCES.hours
  ) {
    warnings.push({
      check: 'me-running-hours',
      pointer: '/meRunningHours',
      message: `${report.meRunningHours} h of main engine running is more than the ${report.timeSincePreviousReportHours} h since the previous report`,
    });
  }

  // Over ground: GPS speed and distance are both over ground; speed through water is not comparable.
  if (report.averageSpeedGpsKnots !== undefined) {
    const expected = report.averageSpeedGpsKnots * report.timeSailingHours;
    const allowed = Math.max(TOLERANCES.distanceNm, TOLERANCES.distanceFraction * expected);
    if (Math.abs(report.distanceNm - expected) > allowed) {
      warnings.push({
        check: 'distance-speed',
        pointer: '/distanceNm',
        message: `${report.distanceNm} nm differs from average GPS speed × time sailing (${report.averageSpeedGpsKnots} kn × ${report.timeSailingHours} h = ${round(expected)} nm) by more than ${round(allowed)} nm`,
      });
    }
  }

  if (previous) warnings.push(...robBalance(report, previous));
  return { errors, warnings };
}

/** Per fuel: ROB(previous) − consumed + bunkered ≈ ROB(now). A fuel absent from a record counts as 0. */
function robBalance(report: NoonReportFields, previous: NoonReportFields): CheckFinding[] {
  const consumed = totalConsumption(report.consumption);
  const bunkered = report.bunkered ?? {};
  const findings: CheckFinding[] = [];
  for (const fuel of FUEL_TYPES) {
    if (![previous.rob, consumed, bunkered, report.rob].some((record) => record[fuel] !== undefined))
      continue;
    const before = tonnes(previous.rob, fuel);
    const expected = before - tonnes(consumed, fuel) + tonnes(bunkered, fuel);
    const reported = tonnes(report.rob, fuel);
    const allowed = Math.max(TOLERANCES.robTonnes, TOLERANCES.robFraction * Math.abs(expected));
    if (Math.abs(reported - expected) > allowed) {
      findings.push({
        check: 'rob-balance',
        pointer: `/rob/${fuel}`,
        message: `${round(reported)} t reported, ${round(expected)} t expected (previous ROB ${round(before)} − consumed ${round(tonnes(consumed, fuel))} + bunkered ${round(tonnes(bunkered, fuel))})`,
      });
    }
  }
  return findings;
}

function tonnes(record: Partial<Record<FuelType, number>>, fuel: FuelType): number {
  return record[fuel] ?? 0;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function hours(ms: number): number {
  return round(ms / HOUR_MS);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
