import { REGISTRY_EVENT_VERSION, VESSEL_STATE_EVENT, type VesselState } from '@fleetwatch/fleet-registry';
import { createEnvelope } from '@fleetwatch/messaging';
import type { NoonReportFields } from '../src/domain/noon-report.js';
import type { PerformanceTestContext, TestVessel } from './helpers.js';

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

/** Publishes a changed state of a test vessel (version 2, 3, …) and waits until the view has it. */
export async function publishVesselState(
  context: PerformanceTestContext,
  vessel: TestVessel,
  changes: Partial<VesselState> & { version: number },
): Promise<void> {
  const state: VesselState = {
    id: vessel.id,
    tenantId: vessel.tenantId,
    imo: vessel.imo,
    mmsi: vessel.mmsi,
    name: 'Test Vessel',
    shipType: 'bulk-carrier',
    flag: 'NO',
    status: 'active',
    dwt: 80_000,
    gt: 43_000,
    archived: false,
    updatedAt: new Date().toISOString(),
    ...changes,
  };
  await context.producer.publish(context.registryTopics.vessels, [
    {
      key: vessel.id,
      value: createEnvelope({
        type: VESSEL_STATE_EVENT,
        version: REGISTRY_EVENT_VERSION,
        tenant: vessel.tenantId,
        data: state,
      }),
    },
  ]);
  const deadline = Date.now() + 15_000;
  while (context.registry.vessel(vessel.id)?.version !== changes.version) {
    if (Date.now() > deadline) throw new Error('the registry view did not take the vessel state');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
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
