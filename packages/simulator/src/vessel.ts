import type { Position } from '@fleetwatch/telemetry-formats';
import { distanceNm, initialBearing, intermediatePoint, normalizeDegrees } from './geo.js';
import type { VesselIdentity } from './identity.js';
import { PORTS, type Port } from './ports.js';
import { type Random, createRandom, randomFromState, weightedPick } from './random.js';

/**
 * Ship types simulated, named as @fleetwatch/cii names them (snake_case). The fleet registry's API
 * spells them in kebab-case and shorter ('bulk-carrier', 'general-cargo'): map them when seeding.
 */
export type ShipType = 'bulk_carrier' | 'tanker' | 'container_ship' | 'general_cargo_ship' | 'lng_carrier';

type Range = readonly [min: number, max: number];

/** Plausible particulars per type; `share` is the type's weight in a generated fleet. */
export const SHIP_CLASSES: readonly {
  shipType: ShipType;
  share: number;
  dwt: Range;
  serviceSpeedKnots: Range;
  mcrRpm: Range;
  dailyFuelTonnes: Range;
}[] = Object.freeze([
  {
    shipType: 'bulk_carrier',
    share: 0.35,
    dwt: [35_000, 180_000],
    serviceSpeedKnots: [11, 13.5],
    mcrRpm: [70, 95],
    dailyFuelTonnes: [20, 42],
  },
  {
    shipType: 'tanker',
    share: 0.25,
    dwt: [40_000, 300_000],
    serviceSpeedKnots: [11.5, 14],
    mcrRpm: [70, 90],
    dailyFuelTonnes: [25, 60],
  },
  {
    shipType: 'container_ship',
    share: 0.25,
    dwt: [20_000, 150_000],
    serviceSpeedKnots: [13, 15],
    mcrRpm: [80, 110],
    dailyFuelTonnes: [30, 60],
  },
  {
    shipType: 'general_cargo_ship',
    share: 0.1,
    dwt: [5_000, 25_000],
    serviceSpeedKnots: [11, 13],
    mcrRpm: [95, 110],
    dailyFuelTonnes: [20, 26],
  },
  {
    shipType: 'lng_carrier',
    share: 0.05,
    dwt: [60_000, 100_000],
    serviceSpeedKnots: [13.5, 15],
    mcrRpm: [70, 85],
    dailyFuelTonnes: [45, 60],
  },
]);

/** A simulated vessel's fixed particulars. The caller maps `index` to a platform vessel id. */
export interface VesselSpec extends VesselIdentity {
  readonly index: number;
  /** Key of the vessel's own random streams (derived from the fleet seed and `index`). */
  readonly seed: string;
  readonly tenantIndex: number;
  readonly shipType: ShipType;
  readonly dwt: number;
  readonly yearBuilt: number;
  readonly serviceSpeedKnots: number;
  /** Speed at MCR revolutions (calm water, design draught): fixes the propeller-law constant. */
  readonly mcrSpeedKnots: number;
  readonly mcrRpm: number;
  /** Main engine HFO burn at service speed, tonnes per day. */
  readonly dailyFuelAtServiceTonnes: number;
  /** Auxiliary engines' MGO burn, tonnes per day, at sea and in port alike. */
  readonly auxDailyMgoTonnes: number;
  readonly hfoCapacityTonnes: number;
  readonly mgoCapacityTonnes: number;
  readonly loadedDraftM: number;
}

/** Draws a vessel's particulars from its own stream. */
export function createVesselSpec(
  base: { index: number; seed: string; tenantIndex: number } & VesselIdentity,
  random: Random,
): VesselSpec {
  const shipClass = weightedPick(random, SHIP_CLASSES, (candidate) => candidate.share);
  const size = random.next();
  const lerp = ([min, max]: Range, fraction: number): number => min + (max - min) * fraction;
  const serviceSpeedKnots = round(random.between(...shipClass.serviceSpeedKnots), 1);
  // Bigger ships of a class burn more; ±10 % for hull and engine differences.
  const dailyFuelAtServiceTonnes = round(
    clamp(lerp(shipClass.dailyFuelTonnes, size) * random.between(0.9, 1.1), ...shipClass.dailyFuelTonnes),
    1,
  );
  const auxDailyMgoTonnes = round(random.between(2, 5), 2);
  const dwt = Math.round(lerp(shipClass.dwt, size) / 100) * 100;
  return {
    ...base,
    shipType: shipClass.shipType,
    dwt,
    yearBuilt: random.int(2004, 2023),
    serviceSpeedKnots,
    mcrSpeedKnots: round(serviceSpeedKnots * random.between(1.06, 1.12), 2),
    mcrRpm: Math.round(random.between(...shipClass.mcrRpm)),
    dailyFuelAtServiceTonnes,
    auxDailyMgoTonnes,
    // 60+ days at service speed: the longest great-circle leg (about 10,800 nm at 11 kn, 41 days) fits
    // between the bunkering threshold and a full tank with a margin.
    hfoCapacityTonnes: Math.round(dailyFuelAtServiceTonnes * random.between(60, 80)),
    mgoCapacityTonnes: Math.round(auxDailyMgoTonnes * random.between(60, 90)),
    loadedDraftM: round(2 + 2.5 * (dwt / 1000) ** 0.35, 1),
  };
}

/** Propeller law: revolutions proportional to speed through the water. */
export function propellerRpm(spec: VesselSpec, speedKnots: number): number {
  return (spec.mcrRpm * speedKnots) / spec.mcrSpeedKnots;
}

/** Cube law: fuel per day proportional to the cube of speed (power ∝ speed³ at a fixed draught). */
export function mainEngineFuelTonnesPerDay(spec: VesselSpec, speedKnots: number): number {
  return spec.dailyFuelAtServiceTonnes * (speedKnots / spec.serviceSpeedKnots) ** 3;
}

export type VesselMode = 'at-sea' | 'in-port';

/**
 * A vessel at one instant, as plain immutable data (its random generator included as `rng`), so a
 * state can be kept, compared and resumed. The counters (`logNm` … `mgoBunkeredTonnes`) only grow;
 * a noon report is the difference between two states.
 */
export interface VesselState {
  readonly spec: VesselSpec;
  /** Epoch milliseconds. */
  readonly time: number;
  readonly mode: VesselMode;
  /** At sea: the leg being sailed. In port: this port and the next destination. */
  readonly from: Port;
  readonly to: Port;
  readonly legNm: number;
  readonly progressNm: number;
  readonly legSpeedKnots: number;
  /** In port: when the stay ends. */
  readonly departAt: number;
  readonly position: Position;
  readonly speedKnots: number;
  readonly courseDeg: number;
  readonly headingDeg: number;
  readonly rpm: number;
  readonly fuelRateTonnesPerDay: number;
  readonly speedNoiseKnots: number;
  readonly yawDeg: number;
  readonly windApparentMs: number;
  readonly cargoTonnes: number;
  readonly hfoTonnes: number;
  readonly mgoTonnes: number;
  /** Main engine running-time counter, seconds; grows only while the engine turns. */
  readonly runTimeSeconds: number;
  /** Distance log, nautical miles over ground. */
  readonly logNm: number;
  readonly sailingSeconds: number;
  /** Main engine revolutions turned (for average RPM). */
  readonly revolutions: number;
  readonly hfoBurnedTonnes: number;
  readonly mgoBurnedTonnes: number;
  readonly hfoBunkeredTonnes: number;
  readonly mgoBunkeredTonnes: number;
  readonly rng: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const HOUR_MS = 3_600_000;
/** Longest internal step: speed, noise and bearings are re-evaluated at least this often. */
const MAX_CHUNK_SECONDS = 60;
/** Within this distance of either end of a leg the vessel slows down (pilotage, traffic). */
const SLOW_ZONE_NM = 20;
const MIN_RAMP = 0.35;
const MIN_SPEED_KNOTS = 3;
const PREFERRED_LEG_NM: Range = [500, 6000];
const BUNKER_BELOW = 0.3;
const BUNKER_TO = 0.9;
const RESERVE = 0.1;
const PORT_STAY_HOURS: Range = [12, 48];

/** Fuel in the main tanks as a ratio of capacity. */
export function tankLevel(state: VesselState): number {
  return clamp(state.hfoTonnes / state.spec.hfoCapacityTonnes, 0, 1);
}

/** Where a fleet member is at `start`: in port (about a third) or somewhere along a leg. */
export function initialState(spec: VesselSpec, start: number): VesselState {
  const random = createRandom(spec.seed).fork('voyage');
  const origin = random.pick(PORTS);
  const heading = random.between(0, 360);
  const s: Mutable<VesselState> = {
    spec,
    time: start,
    mode: 'in-port',
    from: origin,
    to: origin,
    legNm: 0,
    progressNm: 0,
    legSpeedKnots: spec.serviceSpeedKnots,
    departAt: start,
    position: positionOf(origin),
    speedKnots: 0,
    courseDeg: heading,
    headingDeg: heading,
    rpm: 0,
    fuelRateTonnesPerDay: 0,
    speedNoiseKnots: 0,
    yawDeg: 0,
    windApparentMs: random.between(3, 12),
    cargoTonnes: 0,
    hfoTonnes: round(spec.hfoCapacityTonnes * random.between(0.4, 0.9), 1),
    mgoTonnes: round(spec.mgoCapacityTonnes * random.between(0.4, 0.9), 1),
    runTimeSeconds: random.int(20_000, 120_000) * 3600,
    logNm: 0,
    sailingSeconds: 0,
    revolutions: 0,
    hfoBurnedTonnes: 0,
    mgoBurnedTonnes: 0,
    hfoBunkeredTonnes: 0,
    mgoBunkeredTonnes: 0,
    rng: 0,
  };
  beginLeg(s, origin, random);
  if (random.chance(0.35)) {
    s.departAt = start + random.between(0, PORT_STAY_HOURS[1]) * HOUR_MS;
    bunker(s);
  } else {
    depart(s, random);
    s.progressNm = s.legNm * random.between(0.05, 0.95);
    // A vessel mid-leg must not start with less than it needs to arrive.
    const needed = fuelForLeg(s.spec, s.legNm - s.progressNm);
    s.hfoTonnes = Math.max(s.hfoTonnes, needed.hfo + RESERVE * spec.hfoCapacityTonnes);
    s.mgoTonnes = Math.max(s.mgoTonnes, needed.mgo + RESERVE * spec.mgoCapacityTonnes);
    setEngine(s, s.legSpeedKnots);
    place(s);
  }
  s.rng = random.state;
  return s;
}

/** The state `seconds` later. Pure: the same state and seconds always give the same result. */
export function step(state: VesselState, seconds: number): VesselState {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`seconds must be a non-negative finite number, got ${seconds}`);
  }
  const random = randomFromState(state.rng);
  const s: Mutable<VesselState> = { ...state };
  let remaining = seconds;
  while (remaining > 0) {
    const chunk = Math.min(remaining, MAX_CHUNK_SECONDS);
    remaining -= s.mode === 'at-sea' ? sail(s, chunk, random) : stay(s, chunk, random);
  }
  // Exact, so that sample times do not drift by accumulated rounding.
  s.time = state.time + seconds * 1000;
  s.rng = random.state;
  return s;
}

/** Sails for up to `seconds`, less when the vessel arrives first; returns the seconds used. */
function sail(s: Mutable<VesselState>, seconds: number, random: Random): number {
  wander(s, seconds, random);
  const remainingNm = s.legNm - s.progressNm;
  const ramp = clamp(Math.min(s.progressNm, remainingNm) / SLOW_ZONE_NM, MIN_RAMP, 1);
  const speed = Math.max(MIN_SPEED_KNOTS, s.legSpeedKnots * ramp + s.speedNoiseKnots);
  const reachNm = (speed * seconds) / 3600;
  const arrives = reachNm >= remainingNm;
  const used = arrives ? (remainingNm / speed) * 3600 : seconds;
  const sailed = arrives ? remainingNm : reachNm;

  setEngine(s, speed);
  const burned = (s.fuelRateTonnesPerDay * used) / 86_400;
  s.hfoTonnes -= burned;
  s.hfoBurnedTonnes += burned;
  s.runTimeSeconds += used;
  s.sailingSeconds += used;
  s.revolutions += (s.rpm * used) / 60;
  s.logNm += sailed;
  s.progressNm += sailed;
  burnAuxiliary(s, used);
  s.time += used * 1000;
  if (arrives) arrive(s, random);
  else place(s);
  return used;
}

/** Stays in port for up to `seconds`, less when the stay ends first; returns the seconds used. */
function stay(s: Mutable<VesselState>, seconds: number, random: Random): number {
  wander(s, seconds, random);
  const untilDeparture = Math.max(0, (s.departAt - s.time) / 1000);
  if (untilDeparture > seconds) {
    burnAuxiliary(s, seconds);
    s.time += seconds * 1000;
    return seconds;
  }
  burnAuxiliary(s, untilDeparture);
  // Set rather than added: adding a sub-millisecond remainder to an epoch time can round to nothing.
  s.time = Math.max(s.time, s.departAt);
  depart(s, random);
  return untilDeparture;
}

function arrive(s: Mutable<VesselState>, random: Random): void {
  const port = s.to;
  s.mode = 'in-port';
  s.position = positionOf(port);
  setEngine(s, 0);
  s.departAt = s.time + random.between(...PORT_STAY_HOURS) * HOUR_MS;
  beginLeg(s, port, random);
  bunker(s);
}

function depart(s: Mutable<VesselState>, random: Random): void {
  s.mode = 'at-sea';
  s.legSpeedKnots = s.spec.serviceSpeedKnots * random.between(0.92, 1.04);
}

/** Chooses the next destination (and cargo) while in `port`, preferring legs of 500–6000 nm. */
function beginLeg(s: Mutable<VesselState>, port: Port, random: Random): void {
  const others = PORTS.filter((candidate) => candidate.locode !== port.locode);
  const preferred = others.filter((candidate) => {
    const nm = distanceNm(port, candidate);
    return nm >= PREFERRED_LEG_NM[0] && nm <= PREFERRED_LEG_NM[1];
  });
  const next = random.pick(preferred.length > 0 ? preferred : others);
  s.from = port;
  s.to = next;
  s.legNm = distanceNm(port, next);
  s.progressNm = 0;
  s.cargoTonnes = random.chance(0.65) ? Math.round(s.spec.dwt * random.between(0.7, 0.95)) : 0;
}

/** Fuel for `nm` at up to 4 % above service speed (the cube law makes that 12.5 % more), plus a port stay. */
function fuelForLeg(spec: VesselSpec, nm: number): { hfo: number; mgo: number } {
  const days = nm / (spec.serviceSpeedKnots * 24);
  return {
    hfo: days * spec.dailyFuelAtServiceTonnes * 1.125,
    mgo: (days + PORT_STAY_HOURS[1] / 24) * spec.auxDailyMgoTonnes,
  };
}

/** Bunkers to 90 % when a tank is below 30 % or would not last the next leg with a reserve. */
function bunker(s: Mutable<VesselState>): void {
  const { spec } = s;
  const needed = fuelForLeg(spec, s.legNm);
  const refill = (onBoard: number, capacity: number, need: number): number =>
    onBoard < BUNKER_BELOW * capacity || onBoard - need < RESERVE * capacity
      ? Math.max(0, BUNKER_TO * capacity - onBoard)
      : 0;
  const hfo = refill(s.hfoTonnes, spec.hfoCapacityTonnes, needed.hfo);
  const mgo = refill(s.mgoTonnes, spec.mgoCapacityTonnes, needed.mgo);
  s.hfoTonnes += hfo;
  s.hfoBunkeredTonnes += hfo;
  s.mgoTonnes += mgo;
  s.mgoBunkeredTonnes += mgo;
}

function burnAuxiliary(s: Mutable<VesselState>, seconds: number): void {
  const burned = (s.spec.auxDailyMgoTonnes * seconds) / 86_400;
  s.mgoTonnes -= burned;
  s.mgoBurnedTonnes += burned;
}

function setEngine(s: Mutable<VesselState>, speedKnots: number): void {
  s.speedKnots = speedKnots;
  s.rpm = propellerRpm(s.spec, speedKnots);
  s.fuelRateTonnesPerDay = mainEngineFuelTonnesPerDay(s.spec, speedKnots);
}

/** Position on the great circle; course towards the destination, heading off it by the yaw. */
function place(s: Mutable<VesselState>): void {
  s.position = intermediatePoint(s.from, s.to, s.progressNm / s.legNm);
  s.courseDeg = initialBearing(s.position, s.to);
  s.headingDeg = normalizeDegrees(s.courseDeg + s.yawDeg);
}

/** Slow random walks (mean-reverting) of speed, yaw and apparent wind. */
function wander(s: Mutable<VesselState>, seconds: number, random: Random): void {
  const scale = Math.sqrt(seconds);
  const decay = Math.exp(-seconds / 600);
  s.windApparentMs = clamp(
    s.windApparentMs + ((9 - s.windApparentMs) * seconds) / 7200 + random.between(-0.1, 0.1) * scale,
    0.5,
    30,
  );
  if (s.mode !== 'at-sea') return;
  s.speedNoiseKnots = clamp(s.speedNoiseKnots * decay + random.between(-0.05, 0.05) * scale, -0.6, 0.6);
  s.yawDeg = clamp(s.yawDeg * decay + random.between(-0.3, 0.3) * scale, -3, 3);
}

function positionOf(port: Port): Position {
  return { latitude: port.latitude, longitude: port.longitude };
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
