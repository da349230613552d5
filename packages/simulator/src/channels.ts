import {
  type Position,
  barsToPascals,
  celsiusToKelvin,
  degreesToRadians,
  knotsToMetresPerSecond,
  rpmToHertz,
} from '@fleetwatch/telemetry-formats';
import { hashNoise } from './random.js';
import { type VesselState, clamp, tankLevel } from './vessel.js';

/** One Signal K value at an instant: a path and its value in SI units. */
export interface ChannelPoint {
  path: string;
  value: number | Position;
}

/** All of a vessel's channels at one instant. */
export interface Sample {
  /** Epoch milliseconds. */
  time: number;
  points: ChannelPoint[];
}

/** Densities used to turn tonnes into cubic metres: HFO (main engine) and MGO (generators). */
export const FUEL_DENSITY_TONNES_PER_M3 = 0.96;
export const MGO_DENSITY_TONNES_PER_M3 = 0.85;

interface Instant {
  state: VesselState;
  /** Main engine load, the propeller law's cube of the RPM ratio. */
  load: number;
  running: boolean;
  /** Hours since 2020, for slow cycles and counters of machinery not modelled in the state. */
  hours: number;
}

interface Channel {
  path: string;
  /** `noise`: deterministic, in [-1, 1), per vessel, channel and second. */
  value: (at: Instant, noise: number) => number | Position;
}

const EPOCH_2020 = Date.UTC(2020, 0, 1);
const kelvin = (celsius: number): number => celsiusToKelvin(celsius);
const channel = (path: string, value: Channel['value']): Channel => ({ path, value });

/** Rough sea-surface temperature by latitude, °C. */
function waterCelsius(latitude: number): number {
  return clamp(29 - 0.4 * Math.abs(latitude), -1.5, 30);
}

/** The channels the brief and the platform's dashboards rely on; always emitted first. */
const CORE: readonly Channel[] = [
  channel('navigation.position', ({ state }) => ({ ...state.position })),
  channel('navigation.speedOverGround', ({ state }) => knotsToMetresPerSecond(state.speedKnots)),
  channel('navigation.courseOverGroundTrue', ({ state }) => degreesToRadians(state.courseDeg)),
  channel('navigation.headingTrue', ({ state }) => degreesToRadians(state.headingDeg)),
  channel('propulsion.main.revolutions', ({ state }) => rpmToHertz(state.rpm)),
  channel(
    'propulsion.main.fuel.rate',
    ({ state }) => state.fuelRateTonnesPerDay / FUEL_DENSITY_TONNES_PER_M3 / 86_400,
  ),
  channel('propulsion.main.runTime', ({ state }) => state.runTimeSeconds),
  channel('tanks.fuel.0.currentLevel', ({ state }) => tankLevel(state)),
  channel('environment.wind.speedApparent', ({ state }) => state.windApparentMs),
  channel('environment.water.temperature', ({ state }, noise) =>
    kelvin(waterCelsius(state.position.latitude) + 0.2 * noise),
  ),
];

/** Further channels, realistic ones first; the rest are numbered machinery sensors (below). */
const EXTRAS: readonly Channel[] = [
  channel('propulsion.main.engineLoad', ({ load }) => load),
  channel('propulsion.main.temperature', ({ load, running }, noise) =>
    kelvin(running ? 40 + 40 * load + noise : 35),
  ),
  channel('propulsion.main.oilTemperature', ({ load, running }, noise) =>
    kelvin(running ? 45 + 10 * load + noise : 38),
  ),
  channel('propulsion.main.coolantTemperature', ({ load, running }, noise) =>
    kelvin(running ? 78 + 6 * load + 0.5 * noise : 45),
  ),
  channel('propulsion.main.exhaustTemperature', ({ load, running }, noise) =>
    kelvin(running ? 230 + 170 * load + 3 * noise : 40),
  ),
  channel('propulsion.main.oilPressure', ({ load, running }, noise) =>
    barsToPascals(running ? 3.8 + 0.6 * load + 0.05 * noise : 0.3),
  ),
  channel('navigation.speedThroughWater', ({ state }, noise) =>
    knotsToMetresPerSecond(Math.max(0, state.speedKnots + (state.mode === 'at-sea' ? 0.3 * noise : 0))),
  ),
  channel('navigation.attitude.roll', ({ state, hours }) =>
    degreesToRadians((state.windApparentMs / 6) * Math.sin(hours * 3600 * 0.5)),
  ),
  channel('navigation.attitude.pitch', ({ state, hours }) =>
    degreesToRadians((state.windApparentMs / 15) * Math.sin(hours * 3600 * 0.8)),
  ),
  channel('steering.rudderAngle', ({ state }) => degreesToRadians(-2 * state.yawDeg)),
  channel('environment.wind.angleApparent', ({ hours }) => Math.sin(hours / 5) * Math.PI * 0.9),
  channel('environment.wind.speedTrue', ({ state }) =>
    Math.max(0, state.windApparentMs - 0.5 * knotsToMetresPerSecond(state.speedKnots)),
  ),
  channel('environment.wind.directionTrue', ({ hours }) => ((((hours / 7) % 1) + 1) % 1) * 2 * Math.PI),
  channel('environment.outside.temperature', ({ state }, noise) =>
    kelvin(waterCelsius(state.position.latitude) - 1 + 0.3 * noise),
  ),
  channel('environment.outside.pressure', ({ hours }) => 101_325 + 1_200 * Math.sin(hours / 30)),
  channel('environment.outside.relativeHumidity', (_at, noise) => 0.75 + 0.05 * noise),
  channel('environment.inside.temperature', (_at, noise) => kelvin(22 + 0.2 * noise)),
  channel('environment.inside.relativeHumidity', (_at, noise) => 0.45 + 0.02 * noise),
  channel('environment.depth.belowKeel', ({ state }, noise) =>
    state.mode === 'at-sea' ? 800 + 200 * noise : 4 + 0.1 * noise,
  ),
  channel('design.draft.current', ({ state }) => draftM(state)),
];

/** Main engine cylinders: per-cylinder exhaust, jacket cooling and liner temperatures. */
const CYLINDERS = 12;
/** Generators 1 and 2 run (sharing the load), 3 and 4 stand by. */
const GENERATORS = 4;
const SERVICE_TANKS = 8;

function cylinderChannels(cylinder: number): Channel[] {
  const id = `propulsion.main_cylinder_${cylinder}`;
  // A fixed per-cylinder offset: cylinders never read exactly alike.
  const offset = hashNoise(cylinder, 7);
  return [
    channel(`${id}.exhaustTemperature`, ({ load, running }, noise) =>
      kelvin(running ? 230 + 170 * load + 8 * offset + 2 * noise : 40),
    ),
    channel(`${id}.coolantTemperature`, ({ load, running }, noise) =>
      kelvin(running ? 80 + 5 * load + offset + 0.3 * noise : 45),
    ),
    channel(`${id}.temperature`, ({ load, running }, noise) =>
      kelvin(running ? 150 + 60 * load + 4 * offset + noise : 40),
    ),
  ];
}

function generatorChannels(generator: number): Channel[] {
  const id = `propulsion.generator_${generator}`;
  const runs = generator <= 2;
  const load = (noise: number): number => (runs ? 0.55 + 0.05 * noise : 0);
  return [
    channel(`${id}.revolutions`, () => rpmToHertz(runs ? 720 : 0)),
    // Running gensets accumulate hours; standby ones keep the counter they have.
    channel(`${id}.runTime`, ({ hours }) => Math.round((runs ? hours * 0.5 : 0) * 3600) + generator * 3.6e7),
    channel(`${id}.engineLoad`, (_at, noise) => load(noise)),
    channel(`${id}.temperature`, (_at, noise) => kelvin(runs ? 70 + 15 * load(noise) : 35)),
    channel(`${id}.oilTemperature`, (_at, noise) => kelvin(runs ? 60 + 10 * load(noise) : 35)),
    channel(`${id}.coolantTemperature`, (_at, noise) => kelvin(runs ? 82 + 3 * load(noise) : 40)),
    channel(`${id}.exhaustTemperature`, (_at, noise) => kelvin(runs ? 300 + 120 * load(noise) : 40)),
    channel(`${id}.oilPressure`, (_at, noise) => barsToPascals(runs ? 4.2 + 0.3 * load(noise) : 0.2)),
    channel(`${id}.fuel.rate`, ({ state }) =>
      runs ? state.spec.auxDailyMgoTonnes / 2 / MGO_DENSITY_TONNES_PER_M3 / 86_400 : 0,
    ),
  ];
}

function serviceTankChannel(tank: number): Channel {
  return channel(`tanks.fuel.${tank}.currentLevel`, ({ hours }) => 0.7 + 0.2 * Math.sin(hours / 6 + tank));
}

/** Numbered auxiliary machinery (pumps, compressors, purifiers) to reach any channel count. */
function auxiliaryChannels(unit: number): Channel[] {
  const id = `propulsion.aux_${unit}`;
  return [
    channel(`${id}.temperature`, (_at, noise) => kelvin(50 + 2 * noise)),
    channel(`${id}.oilTemperature`, (_at, noise) => kelvin(45 + noise)),
    channel(`${id}.coolantTemperature`, (_at, noise) => kelvin(38 + noise)),
    channel(`${id}.oilPressure`, (_at, noise) => barsToPascals(2.5 + 0.1 * noise)),
  ];
}

function* allChannels(): Generator<Channel> {
  yield* CORE;
  yield* EXTRAS;
  for (let cylinder = 1; cylinder <= CYLINDERS; cylinder += 1) yield* cylinderChannels(cylinder);
  for (let generator = 1; generator <= GENERATORS; generator += 1) yield* generatorChannels(generator);
  for (let tank = 1; tank <= SERVICE_TANKS; tank += 1) yield serviceTankChannel(tank);
  for (let unit = 1; ; unit += 1) yield* auxiliaryChannels(unit);
}

const channelCache = new Map<number, readonly Channel[]>();

function channelsFor(count: number): readonly Channel[] {
  if (!Number.isInteger(count) || count < CORE.length) {
    throw new RangeError(`channels per vessel must be an integer ≥ ${CORE.length}, got ${count}`);
  }
  const cached = channelCache.get(count);
  if (cached !== undefined) return cached;
  const channels: Channel[] = [];
  for (const next of allChannels()) {
    if (channels.length === count) break;
    channels.push(next);
  }
  channelCache.set(count, channels);
  return channels;
}

/** The paths of the first `count` channels, in emission order. */
export function channelPaths(count: number): string[] {
  return channelsFor(count).map(({ path }) => path);
}

/** The smallest channel count: the core channels. */
export const MIN_CHANNELS = CORE.length;

/** The vessel's `count` channels at the state's instant; a pure function of the state. */
export function channelPoints(state: VesselState, count: number): ChannelPoint[] {
  const load = (state.rpm / state.spec.mcrRpm) ** 3;
  const second = Math.floor(state.time / 1000);
  const at: Instant = { state, load, running: state.rpm > 0, hours: (state.time - EPOCH_2020) / 3_600_000 };
  return channelsFor(count).map(({ path, value }, index) => ({
    path,
    value: value(at, hashNoise(state.spec.index, index, second)),
  }));
}

/** Mean draught from the cargo on board: about 45 % of the loaded draught in ballast. */
export function draftM(state: VesselState): number {
  const { loadedDraftM, dwt } = state.spec;
  return loadedDraftM * (0.45 + 0.55 * (state.cargoTonnes / dwt));
}
