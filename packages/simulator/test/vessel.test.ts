import { describe, expect, it } from 'vitest';
import {
  createFleet,
  distanceNm,
  initialBearing,
  initialState,
  mainEngineFuelTonnesPerDay,
  portByLocode,
  propellerRpm,
  step,
  tankLevel,
} from '../src/index.js';
import { SPEC, START, atSea, inPort, trajectory } from './helpers.js';

const HOUR = 3600;

describe('engine laws (SPEC: 90 rpm at 15 kn, 40 t/day at 14 kn)', () => {
  it.each([
    { speed: 0, rpm: 0 },
    { speed: 7.5, rpm: 45 }, // 90 × 7.5 / 15
    { speed: 12, rpm: 72 }, // 90 × 12 / 15
    { speed: 15, rpm: 90 },
  ])('propeller law: $speed kn → $rpm rpm', ({ speed, rpm }) => {
    expect(propellerRpm(SPEC, speed)).toBeCloseTo(rpm, 10);
  });

  it.each([
    { speed: 0, tonnes: 0 },
    { speed: 7, tonnes: 5 }, // 40 × 0.5³
    { speed: 11.2, tonnes: 20.48 }, // 40 × 0.8³ = 40 × 0.512
    { speed: 14, tonnes: 40 },
    { speed: 15.4, tonnes: 53.24 }, // 40 × 1.1³ = 40 × 1.331
  ])('cube law: $speed kn → $tonnes t/day', ({ speed, tonnes }) => {
    expect(mainEngineFuelTonnesPerDay(SPEC, speed)).toBeCloseTo(tonnes, 10);
  });

  it('sets RPM and fuel rate from the speed it sails at, along a voyage', () => {
    const states = trajectory(atSea(10), 48, 600).filter((state) => state.mode === 'at-sea');
    expect(states.length).toBeGreaterThan(200);
    for (const state of states) {
      expect(state.rpm).toBeCloseTo((90 * state.speedKnots) / 15, 9);
      expect(state.fuelRateTonnesPerDay).toBeCloseTo(40 * (state.speedKnots / 14) ** 3, 9);
    }
  });
});

describe('running hours', () => {
  it('do not move in port and grow by exactly the time under way', () => {
    const docked = inPort(10);
    const later = step(docked, 5 * HOUR);
    expect(later.mode).toBe('in-port');
    expect(later.runTimeSeconds).toBe(docked.runTimeSeconds);
    expect(later.sailingSeconds).toBe(docked.sailingSeconds);
    expect(later.hfoTonnes).toBe(docked.hfoTonnes);
    // Generators run in port: 3 t/day for 5 h = 0.625 t.
    expect(docked.mgoTonnes - later.mgoTonnes).toBeCloseTo(0.625, 9);

    // 7 h more: the stay ends at 10 h, then 2 h at sea.
    const sailing = step(later, 7 * HOUR);
    expect(sailing.mode).toBe('at-sea');
    expect(sailing.runTimeSeconds - docked.runTimeSeconds).toBeCloseTo(2 * HOUR, 6);
    expect(sailing.sailingSeconds - docked.sailingSeconds).toBeCloseTo(2 * HOUR, 6);
    expect(sailing.hfoTonnes).toBeLessThan(docked.hfoTonnes);
  });
});

describe('voyage', () => {
  it('sails about its speed for an hour, burning by the cube law, on the great circle', () => {
    const start = atSea(300);
    const hour = step(start, HOUR);
    const sailed = hour.logNm - start.logNm;
    // 14 kn with up to ±0.6 kn of drift.
    expect(sailed).toBeGreaterThan(13.3);
    expect(sailed).toBeLessThan(14.7);
    expect(hour.progressNm - start.progressNm).toBeCloseTo(sailed, 9);
    // 40 t/day at 14 kn: 1.667 t/h; (13.4/14)³ and (14.6/14)³ bound it at 1.46 and 1.89 t.
    const burned = hour.hfoBurnedTonnes - start.hfoBurnedTonnes;
    expect(burned).toBeGreaterThan(1.46);
    expect(burned).toBeLessThan(1.89);
    expect(start.hfoTonnes - hour.hfoTonnes).toBeCloseTo(burned, 9);
    expect(distanceNm(start.from, hour.position) + distanceNm(hour.position, start.to)).toBeCloseTo(
      start.legNm,
      6,
    );
  });

  it('heads for the destination: course is the bearing to it, heading within 3° yaw of the course', () => {
    for (const state of trajectory(atSea(50), 24, 900)) {
      expect(state.courseDeg).toBeCloseTo(initialBearing(state.position, state.to), 6);
      const yaw = ((state.headingDeg - state.courseDeg + 540) % 360) - 180;
      expect(Math.abs(yaw)).toBeLessThanOrEqual(3 + 1e-9);
    }
  });

  it('slows down near ports', () => {
    const leaving = step(atSea(0.5), 60);
    const open = step(atSea(300), 60);
    expect(leaving.speedKnots).toBeLessThan(0.5 * open.speedKnots);
  });

  it('arrives, stops the engine, stays 12–48 h and picks another port 500–6000 nm away', () => {
    const approaching = atSea(1_033);
    const remaining = approaching.legNm - approaching.progressNm;
    const arrived = step(approaching, HOUR);
    const algeciras = portByLocode('ESALG');
    expect(arrived.mode).toBe('in-port');
    expect(arrived.position).toEqual({ latitude: algeciras.latitude, longitude: algeciras.longitude });
    expect([arrived.speedKnots, arrived.rpm, arrived.fuelRateTonnesPerDay]).toEqual([0, 0, 0]);
    expect(arrived.logNm - approaching.logNm).toBeCloseTo(remaining, 9);
    // The engine ran only until arrival: well under the hour, and exactly as long as the vessel sailed.
    const underWay = arrived.sailingSeconds - approaching.sailingSeconds;
    expect(underWay).toBeLessThan(HOUR / 2);
    expect(arrived.runTimeSeconds - approaching.runTimeSeconds).toBeCloseTo(underWay, 6);
    // Arrived within the hour, so it has been in port for the rest of it.
    const stayHours = (arrived.departAt - arrived.time) / (HOUR * 1000);
    expect(stayHours).toBeGreaterThan(12 - 1);
    expect(stayHours).toBeLessThanOrEqual(48);
    expect(arrived.from.locode).toBe('ESALG');
    expect(arrived.to.locode).not.toBe('ESALG');
    expect(arrived.legNm).toBeGreaterThanOrEqual(500);
    expect(arrived.legNm).toBeLessThanOrEqual(6_000);
  });

  it('bunkers HFO to 90 % on arrival when below 30 %, and leaves a tank alone that has enough', () => {
    const low = atSea(1_033, { hfoTonnes: 0.2 * 2_800, mgoTonnes: 0.8 * 240 });
    const arrived = step(low, HOUR);
    expect(arrived.hfoTonnes).toBeCloseTo(0.9 * 2_800, 9);
    expect(tankLevel(arrived)).toBeCloseTo(0.9, 9);
    const burned = arrived.hfoBurnedTonnes - low.hfoBurnedTonnes;
    expect(arrived.hfoBunkeredTonnes - low.hfoBunkeredTonnes).toBeCloseTo(
      0.9 * 2_800 - (low.hfoTonnes - burned),
      9,
    );
    expect(arrived.mgoBunkeredTonnes).toBe(low.mgoBunkeredTonnes);

    const full = step(atSea(1_033, { hfoTonnes: 0.8 * 2_800 }), HOUR);
    expect(full.hfoBunkeredTonnes).toBe(low.hfoBunkeredTonnes);
  });

  it('is pure: the same state and seconds give the same state, and the input is left as it was', () => {
    const state = atSea(200);
    const before = structuredClone(state);
    expect(step(state, 3 * HOUR)).toEqual(step(state, 3 * HOUR));
    expect(state).toEqual(before);
    expect(() => step(state, -1)).toThrow(RangeError);
    expect(() => step(state, Number.NaN)).toThrow(RangeError);
  });

  it('keeps fuel on board over months of voyages, for every kind of vessel', () => {
    const fleet = createFleet({ seed: 'endurance', vessels: 12, start: START });
    for (const spec of fleet.vessels) {
      let state = initialState(spec, START);
      let arrivals = 0;
      for (let day = 0; day < 150; day += 1) {
        const next = step(state, 24 * HOUR);
        if (next.from.locode !== state.from.locode) arrivals += 1;
        state = next;
        expect(state.hfoTonnes).toBeGreaterThan(0);
        expect(state.mgoTonnes).toBeGreaterThan(0);
        expect(state.hfoTonnes).toBeLessThanOrEqual(spec.hfoCapacityTonnes);
      }
      expect(arrivals).toBeGreaterThanOrEqual(3);
    }
  });
});
