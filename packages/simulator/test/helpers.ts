import {
  type VesselSpec,
  type VesselState,
  distanceNm,
  initialState,
  portByLocode,
  step,
} from '../src/index.js';

/** A vessel with round particulars, so the expected figures in the tests can be worked out by hand. */
export const SPEC: VesselSpec = Object.freeze({
  index: 0,
  seed: 'test/vessel/0',
  tenantIndex: 0,
  imo: '9074729',
  mmsi: '257123450',
  name: 'Test Aurora',
  flag: 'NO',
  shipType: 'bulk_carrier',
  dwt: 80_000,
  yearBuilt: 2015,
  serviceSpeedKnots: 14,
  mcrSpeedKnots: 15,
  mcrRpm: 90,
  dailyFuelAtServiceTonnes: 40,
  auxDailyMgoTonnes: 3,
  hfoCapacityTonnes: 2_800,
  mgoCapacityTonnes: 240,
  loadedDraftM: 13,
});

export const START = Date.parse('2026-03-01T08:00:00Z');

/**
 * Rotterdam to Algeciras (1,034 nm on the great circle), one second after being `progressNm` along it
 * (the step sets position, course and engine from the leg).
 */
export function atSea(progressNm: number, overrides: Partial<VesselState> = {}): VesselState {
  const from = portByLocode('NLRTM');
  const to = portByLocode('ESALG');
  const base = initialState(SPEC, START);
  const legNm = distanceNm(from, to);
  return step(
    {
      ...base,
      mode: 'at-sea',
      from,
      to,
      legNm,
      progressNm,
      legSpeedKnots: 14,
      speedNoiseKnots: 0,
      yawDeg: 0,
      ...overrides,
    },
    1,
  );
}

/** In Rotterdam, bound for Algeciras, leaving after `hours`. */
export function inPort(hours: number, overrides: Partial<VesselState> = {}): VesselState {
  const port = portByLocode('NLRTM');
  const base = initialState(SPEC, START);
  return {
    ...base,
    mode: 'in-port',
    from: port,
    to: portByLocode('ESALG'),
    legNm: distanceNm(port, portByLocode('ESALG')),
    progressNm: 0,
    departAt: START + hours * 3_600_000,
    position: { latitude: port.latitude, longitude: port.longitude },
    speedKnots: 0,
    rpm: 0,
    fuelRateTonnesPerDay: 0,
    ...overrides,
  };
}

/** The states of a vessel every `everySeconds` for `hours`, starting with `state`. */
export function trajectory(state: VesselState, hours: number, everySeconds: number): VesselState[] {
  const states = [state];
  for (let elapsed = everySeconds; elapsed <= hours * 3600; elapsed += everySeconds) {
    states.push(step(states.at(-1) ?? state, everySeconds));
  }
  return states;
}
