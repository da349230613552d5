/**
 * The demo `make dev` and `make soak` run: demo tenants with their fleets, crews and maintenance plans
 * (seeded once, kept across restarts), and the simulator's fleet posting telemetry and noon reports.
 */
import { devKeyFiles, mintDevToken } from '@fleetwatch/service-kit';
import { createFleet, createSimulation, type FaultRates, type Fleet } from '@fleetwatch/simulator';
import { startRunner, type Runner } from './runner.js';
import { seedDemo, type DemoState, type DemoVesselSpec } from './seed.js';

export interface DemoOptions {
  urls: { fleet: string; performance: string; crew: string; maintenance: string };
  /** The dev signing key's folder (`make token` and the services' AUTH_JWKS_FILE use it). */
  devAuthDir: string;
  statePath: string;
  seed: string;
  vessels: number;
  tenantNames: string[];
  channels: number;
  sampleSeconds: number;
  batchSeconds: number;
  acceleration: number;
  /** How long the run is meant to last (wall clock); with acceleration it fixes the simulated start. */
  runSeconds?: number;
  faults: FaultRates;
  crewedVesselsPerTenant: number;
  log: (line: string) => void;
}

export interface Demo {
  state: DemoState;
  fleet: Fleet;
  runner: Runner;
  /** Ready-to-use bearer tokens of the first demo tenant's roles, and the operator's. */
  tokens: Record<string, string>;
}

/** The simulator names ship types as the CII tables do; the fleet registry in kebab case. */
const FLEET_SHIP_TYPES: Record<string, string> = {
  bulk_carrier: 'bulk-carrier',
  tanker: 'tanker',
  container_ship: 'container-ship',
  general_cargo_ship: 'general-cargo',
  lng_carrier: 'lng-carrier',
};

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const keys = devKeyFiles(options.devAuthDir);
  const token = (role: string, tenant?: string) =>
    mintDevToken(keys, { subject: `demo-${role}`, roles: [role], ...(tenant ? { tenant } : {}) });
  const today = new Date().toISOString().slice(0, 10);
  // Simulated time runs `acceleration` times the wall clock; starting that far back keeps the
  // telemetry's timestamps from running into the future (which the API refuses) during the run.
  const start = Date.now() - (options.acceleration - 1) * (options.runSeconds ?? 3_600) * 1000;
  const fleet = createFleet({
    seed: options.seed,
    vessels: options.vessels,
    tenants: options.tenantNames.length,
    channels: options.channels,
    start,
  });
  const specs: DemoVesselSpec[] = fleet.vessels.map((vessel) => ({
    index: vessel.index,
    name: vessel.name,
    imo: vessel.imo,
    mmsi: vessel.mmsi,
    flag: vessel.flag,
    shipType: FLEET_SHIP_TYPES[vessel.shipType] ?? 'general-cargo',
    dwt: Math.round(vessel.dwt),
    gt: Math.round(vessel.dwt * 0.55),
    yearBuilt: vessel.yearBuilt,
    tenant: vessel.tenantIndex,
  }));
  const state = await seedDemo({
    urls: options.urls,
    token,
    tenantNames: options.tenantNames,
    vessels: specs,
    crewedVesselsPerTenant: options.crewedVesselsPerTenant,
    statePath: options.statePath,
    today,
    log: options.log,
  });
  const simulation = createSimulation(fleet, {
    sampleSeconds: options.sampleSeconds,
    batchSeconds: options.batchSeconds,
    acceleration: options.acceleration,
  });
  const managers = new Map<string, Promise<string>>();
  const runner = startRunner({
    performanceUrl: `${options.urls.performance}/v1/performance`,
    simulation,
    vessels: state.vessels,
    faults: options.faults,
    managerToken: (tenantId) => {
      const cached = managers.get(tenantId) ?? token('fleet-manager', tenantId);
      managers.set(tenantId, cached);
      return cached;
    },
    log: options.log,
  });
  const first = state.tenants[0]?.id;
  const tokens: Record<string, string> = { 'platform-admin': await token('platform-admin') };
  if (first) {
    for (const role of ['owner-admin', 'fleet-manager', 'viewer']) tokens[role] = await token(role, first);
  }
  return { state, fleet, runner, tokens };
}
