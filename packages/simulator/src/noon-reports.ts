import type { Position } from '@fleetwatch/telemetry-formats';
import { draftM } from './channels.js';
import { type VesselState, round } from './vessel.js';

type Tonnes = { HFO?: number; MGO?: number };

/**
 * A report in the shape `POST /v1/performance/vessels/{vesselId}/noon-reports` takes (the service's
 * NoonReportInput), limited to the fields and fuels the simulator produces: HFO for the main engine,
 * MGO for the auxiliary engines.
 */
export interface NoonReport {
  reportedAt: string;
  event: 'Noon';
  voyageFrom: string;
  voyageTo: string;
  timeSincePreviousReportHours: number;
  timeSailingHours: number;
  distanceNm: number;
  position: Position;
  cargoTonnes: number;
  consumption: { ME: Tonnes; AE: Tonnes };
  bunkered?: Tonnes;
  rob: Tonnes;
  averageSpeedGpsKnots?: number;
  averagePropellerSpeedRpm?: number;
  windForceBft: number;
  draftForeM: number;
  draftAftM: number;
  meRunningHours: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const NOON_MS = 12 * HOUR_MS;
/** The first report of a run covers at least this much (the API refuses an empty period). */
const MIN_FIRST_PERIOD_MS = HOUR_MS;

/**
 * The first 12:00 UTC at least an hour after `time`. Reports are at noon UTC rather than ship's local
 * noon: the platform only needs them in order and without overlap, and UTC keeps every period 24 h.
 */
export function firstNoonAfter(time: number): number {
  const earliest = time + MIN_FIRST_PERIOD_MS;
  const noon = Math.floor((earliest - NOON_MS) / DAY_MS) * DAY_MS + NOON_MS;
  return noon >= earliest ? noon : noon + DAY_MS;
}

/**
 * The report for the period from `previous` to `current` (two states of one vessel): the differences
 * of the states' counters, rounded as a master would report them (hours and tonnes to 0.01, miles to
 * 0.1). Rounding each figure from the exact counters keeps the ROB balance within a few hundredths of
 * a tonne, far inside the platform's tolerance, however many reports follow each other.
 */
export function noonReport(previous: VesselState, current: VesselState): NoonReport {
  if (current.time <= previous.time) throw new RangeError('a report period must move forward in time');
  const sailingHours = (current.sailingSeconds - previous.sailingSeconds) / 3600;
  const distance = current.logNm - previous.logNm;
  const hfoBunkered = current.hfoBunkeredTonnes - previous.hfoBunkeredTonnes;
  const mgoBunkered = current.mgoBunkeredTonnes - previous.mgoBunkeredTonnes;
  const draft = draftM(current);
  const report: NoonReport = {
    reportedAt: new Date(current.time).toISOString(),
    event: 'Noon',
    voyageFrom: current.from.locode,
    voyageTo: current.to.locode,
    timeSincePreviousReportHours: round((current.time - previous.time) / HOUR_MS, 2),
    timeSailingHours: round(sailingHours, 2),
    distanceNm: round(distance, 1),
    position: {
      latitude: round(current.position.latitude, 4),
      longitude: round(current.position.longitude, 4),
    },
    cargoTonnes: current.cargoTonnes,
    consumption: {
      ME: { HFO: round(current.hfoBurnedTonnes - previous.hfoBurnedTonnes, 2) },
      AE: { MGO: round(current.mgoBurnedTonnes - previous.mgoBurnedTonnes, 2) },
    },
    rob: { HFO: round(current.hfoTonnes, 2), MGO: round(current.mgoTonnes, 2) },
    windForceBft: beaufort(current.windApparentMs),
    // A slight trim by the stern, as loaded ships usually sail.
    draftForeM: round(draft - 0.2, 2),
    draftAftM: round(draft + 0.2, 2),
    meRunningHours: round((current.runTimeSeconds - previous.runTimeSeconds) / 3600, 2),
  };
  if (hfoBunkered > 0 || mgoBunkered > 0) {
    report.bunkered = {
      ...(hfoBunkered > 0 ? { HFO: round(hfoBunkered, 2) } : {}),
      ...(mgoBunkered > 0 ? { MGO: round(mgoBunkered, 2) } : {}),
    };
  }
  if (sailingHours > 0) {
    report.averageSpeedGpsKnots = round(distance / sailingHours, 2);
    report.averagePropellerSpeedRpm = round(
      (current.revolutions - previous.revolutions) / (sailingHours * 60),
      1,
    );
  }
  return report;
}

/** Upper limits (m/s) of Beaufort forces 0–11; above the last is force 12. */
const BEAUFORT_LIMITS = [0.5, 1.5, 3.3, 5.5, 7.9, 10.7, 13.8, 17.1, 20.7, 24.4, 28.4, 32.6];

export function beaufort(windMs: number): number {
  const force = BEAUFORT_LIMITS.findIndex((limit) => windMs <= limit);
  return force === -1 ? 12 : force;
}
