import { validatePoint } from '@fleetwatch/telemetry-formats';
import { describe, expect, it } from 'vitest';
import {
  type VesselState,
  channelPaths,
  channelPoints,
  createFleet,
  initialState,
  MIN_CHANNELS,
} from '../src/index.js';
import { START, atSea, inPort, trajectory } from './helpers.js';

const RETENTION_MS = 30 * 24 * 3_600_000;

/** States of several vessels over three days: at sea, arriving, in port, departing. */
function fleetStates(): VesselState[] {
  const fleet = createFleet({ seed: 'channels', vessels: 20, start: START });
  return fleet.vessels.flatMap((spec) => trajectory(initialState(spec, START), 72, 3600));
}

describe('channelPoints', () => {
  it.each([MIN_CHANNELS, 50, 200, 500])('emits exactly %i distinct paths, in a fixed order', (count) => {
    const points = channelPoints(atSea(100), count);
    expect(points).toHaveLength(count);
    expect(new Set(points.map(({ path }) => path)).size).toBe(count);
    expect(points.map(({ path }) => path)).toEqual(channelPaths(count));
  });

  it('refuses fewer channels than the core ones', () => {
    expect(() => channelPoints(atSea(100), MIN_CHANNELS - 1)).toThrow(RangeError);
  });

  it('emits only points the platform validation accepts, at sea and in port', () => {
    const states = fleetStates();
    expect(states.some((state) => state.mode === 'in-port')).toBe(true);
    expect(states.some((state) => state.mode === 'at-sea')).toBe(true);
    const rejected: string[] = [];
    for (const state of states) {
      const timestamp = new Date(state.time).toISOString();
      for (const point of channelPoints(state, 200)) {
        const verdict = validatePoint(
          { ...point, timestamp },
          { now: new Date(state.time), retentionMs: RETENTION_MS },
        );
        if (!verdict.ok) rejected.push(`${point.path}: ${verdict.reason}`);
      }
    }
    expect(rejected.slice(0, 5)).toEqual([]);
  });

  it('validates the numbered channels of a large count too', () => {
    const state = atSea(100);
    const timestamp = new Date(state.time).toISOString();
    for (const point of channelPoints(state, 1_000)) {
      expect(
        validatePoint({ ...point, timestamp }, { now: new Date(state.time), retentionMs: RETENTION_MS }),
      ).toEqual({
        ok: true,
      });
    }
  });

  it('converts the core channels to SI units', () => {
    const state = atSea(300);
    const values = new Map(channelPoints(state, MIN_CHANNELS).map(({ path, value }) => [path, value]));
    expect(values.get('navigation.position')).toEqual(state.position);
    expect(values.get('navigation.speedOverGround')).toBeCloseTo((state.speedKnots * 1852) / 3600, 12);
    expect(values.get('navigation.courseOverGroundTrue')).toBeCloseTo((state.courseDeg * Math.PI) / 180, 12);
    expect(values.get('navigation.headingTrue')).toBeCloseTo((state.headingDeg * Math.PI) / 180, 12);
    expect(values.get('propulsion.main.revolutions')).toBeCloseTo(state.rpm / 60, 12);
    // t/day → m³/s: ÷ 0.96 t/m³ ÷ 86,400 s/day.
    expect(values.get('propulsion.main.fuel.rate')).toBeCloseTo(
      state.fuelRateTonnesPerDay / 0.96 / 86_400,
      15,
    );
    expect(values.get('propulsion.main.runTime')).toBe(state.runTimeSeconds);
    expect(values.get('tanks.fuel.0.currentLevel')).toBeCloseTo(state.hfoTonnes / 2_800, 12);
    expect(values.get('environment.wind.speedApparent')).toBe(state.windApparentMs);
    const water = values.get('environment.water.temperature');
    // Sea water between −2 °C and 31 °C, in kelvin.
    expect(typeof water === 'number' && water > 271 && water < 304.2).toBe(true);
  });

  it('reports a stopped engine in port', () => {
    const values = new Map(channelPoints(inPort(5), 200).map(({ path, value }) => [path, value]));
    expect(values.get('navigation.speedOverGround')).toBe(0);
    expect(values.get('propulsion.main.revolutions')).toBe(0);
    expect(values.get('propulsion.main.fuel.rate')).toBe(0);
    expect(values.get('propulsion.main.engineLoad')).toBe(0);
  });

  it('is a pure function of the state', () => {
    const state = atSea(300);
    expect(channelPoints(state, 200)).toEqual(channelPoints(structuredClone(state), 200));
  });
});
