import type { NoonReportFields } from '../src/domain/noon-report.js';
import type { PerformanceTestContext } from './helpers.js';

const DAY_MS = 86_400_000;

/**
 * The report of day `day` of a steady passage starting at `start`: 24 h at 12.5 kn (300 nm), 30 t HFO
 * in the main engine and 2 t MGO in the auxiliaries a day, ROB falling to match, so consecutive days
 * pass every consistency check.
 */
export function dailyReport(
  start: Date,
  day: number,
  changes: Partial<NoonReportFields> = {},
): NoonReportFields {
  return {
    reportedAt: new Date(start.getTime() + day * DAY_MS).toISOString(),
    event: 'Noon',
    voyageFrom: 'NLRTM',
    voyageTo: 'BRSSZ',
    timeSincePreviousReportHours: 24,
    timeSailingHours: 24,
    distanceNm: 300,
    position: { latitude: 40 - day, longitude: -12 },
    cargoTonnes: 74_500,
    consumption: { ME: { HFO: 30 }, AE: { MGO: 2 } },
    rob: { HFO: 1_000 - 30 * day, MGO: 100 - 2 * day },
    averageSpeedGpsKnots: 12.5,
    averageSpeedThroughWaterKnots: 12.1,
    averagePropellerSpeedRpm: 86,
    windForceBft: 4,
    draftForeM: 12.1,
    draftAftM: 12.4,
    meRunningHours: 24,
    meWorkKwh: 170_000,
    ...changes,
  };
}

/** Authorization headers for a bearer token of the tenant (none: platform operator) and role. */
export async function bearer(
  context: PerformanceTestContext,
  tenant: string | undefined,
  role: string,
): Promise<{ authorization: string }> {
  const token = await context.auth.token({
    subject: `${role}@${tenant ?? 'platform'}`,
    roles: [role],
    ...(tenant ? { tenant } : {}),
  });
  return { authorization: `Bearer ${token}` };
}
