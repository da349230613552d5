import { describe, expect, it } from 'vitest';
import {
  KNOWN_PATHS,
  MAX_FUTURE_SKEW_MS,
  type PointRejectionCode,
  type PointToValidate,
  expectedUnit,
  isWellFormedPath,
  parseNmea0183,
  validatePoint,
  createPointValidator,
} from '../src/index.js';
import { REAL_WORLD_SENTENCES, nmea } from './helpers.js';

const NOW = new Date('2024-01-07T12:00:00.000Z');
const DAY = 86_400_000;
const CLOCK = { now: NOW, retentionMs: 30 * DAY };
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();

describe('expectedUnit', () => {
  it.each([
    ['navigation.position', 'deg'],
    ['navigation.speedOverGround', 'm/s'],
    ['navigation.speedThroughWater', 'm/s'],
    ['navigation.courseOverGroundTrue', 'rad'],
    ['navigation.headingTrue', 'rad'],
    ['navigation.datetime', 'RFC 3339'],
    ['propulsion.0.revolutions', 'Hz'],
    ['propulsion.port.revolutions', 'Hz'],
    ['propulsion.engine_1.revolutions', 'Hz'],
    ['propulsion.main-engine.runTime', 's'],
    ['propulsion.0.fuel.rate', 'm3/s'],
    ['propulsion.0.engineLoad', 'ratio'],
    ['propulsion.0.temperature', 'K'],
    ['propulsion.0.oilPressure', 'Pa'],
    ['environment.wind.speedApparent', 'm/s'],
    ['environment.outside.temperature', 'K'],
    ['environment.outside.pressure', 'Pa'],
    ['tanks.fuel.0.currentLevel', 'ratio'],
    ['tanks.fuel.starboard.currentLevel', 'ratio'],
    ['design.draft.current', 'm'],
  ])('%s is in %s', (path, unit) => {
    expect(expectedUnit(path)).toBe(unit);
  });

  it.each([
    ['an unknown path', 'navigation.gnss.satellites'],
    ['a wildcard id spanning two segments', 'propulsion.main.engine.revolutions'],
    ['a missing id', 'propulsion.revolutions'],
    ['a known prefix only', 'navigation'],
    ['a known path with a suffix', 'navigation.headingTrue.value'],
    ['the wildcard itself', 'propulsion.*.revolutions'],
    ['an empty path', ''],
    ['a context-qualified path', 'vessels.self.navigation.headingTrue'],
  ])('is undefined for %s', (_name, path) => {
    expect(expectedUnit(path)).toBeUndefined();
  });

  it('lists each pattern once', () => {
    const patterns = KNOWN_PATHS.map(({ pattern }) => pattern);
    expect(new Set(patterns).size).toBe(patterns.length);
  });

  it('knows the unit of every path the NMEA parser emits', () => {
    const sentences = [
      ...Object.values(REAL_WORLD_SENTENCES).filter((sentence) => !/AIVDM|GSV/.test(sentence)),
      nmea('IIXDR,C,19.5,C,AIRTEMP,P,1.0132,B,BARO,A,-2.5,D,ROLL,A,1.0,D,PITCH,A,3.0,D,RUDDER'),
      nmea('IIXDR,C,8.5,C,ENV_WATER_T,C,21.0,C,ENV_INSIDE_T,H,40,P,ENV_OUTSIDE_H,H,45,P,ENV_INSIDE_H'),
      nmea('IIXDR,T,1200,R,ENGINE#1,C,85.0,C,ENGINE#1,P,400000,P,ENGINE#1,T,80,R,SHAFT#1'),
      nmea('IIRPM,S,1,80,,A'),
    ];
    for (const sentence of sentences) {
      for (const point of parseNmea0183(sentence)) {
        const stamped = { ...point, timestamp: point.timestamp ?? NOW.toISOString() };
        expect(validatePoint(stamped, { now: NOW, retentionMs: 100 * 365 * DAY }), point.path).toEqual({
          ok: true,
        });
      }
    }
  });
});

describe('isWellFormedPath', () => {
  it.each([
    ['propulsion.engine_1.revolutions', true],
    ['tanks.fuel.main-tank.currentLevel', true],
    ['a', true],
    ['', false],
    ['.navigation', false],
    ['navigation.', false],
    ['navigation..headingTrue', false],
    ['navigation.heading True', false],
    ['navigation/headingTrue', false],
    ['propulsion.*.revolutions', false],
  ])('%s → %s', (path, expected) => {
    expect(isWellFormedPath(path)).toBe(expected);
  });
});

const point = (overrides: Partial<PointToValidate> = {}): PointToValidate => ({
  path: 'navigation.speedOverGround',
  value: 5.2,
  timestamp: NOW.toISOString(),
  ...overrides,
});

const ACCEPTED: [string, PointToValidate][] = [
  ['a speed now', point()],
  ['a position', point({ path: 'navigation.position', value: { latitude: 59.9, longitude: 10.7 } })],
  [
    'the poles and the antimeridian',
    point({ path: 'navigation.position', value: { latitude: -90, longitude: 180 } }),
  ],
  [
    'a position with altitude',
    point({ path: 'navigation.position', value: { latitude: 90, longitude: -180, altitude: 3 } }),
  ],
  ['a date-time', point({ path: 'navigation.datetime', value: '2024-01-07T11:59:59.000Z' })],
  ['a negative number', point({ path: 'navigation.magneticVariation', value: -0.05 })],
  ['a timestamp exactly 5 minutes ahead', point({ timestamp: at(MAX_FUTURE_SKEW_MS) })],
  ['a timestamp exactly at the retention limit', point({ timestamp: at(-30 * DAY) })],
  ['a timestamp with an offset', point({ timestamp: '2024-01-07T14:04:59+02:00' })],
];

const REJECTED: [string, PointToValidate, PointRejectionCode][] = [
  [
    'a timestamp 5 minutes and 1 ms ahead',
    point({ timestamp: at(MAX_FUTURE_SKEW_MS + 1) }),
    'future-timestamp',
  ],
  [
    'an offset timestamp 5 min 1 s ahead',
    point({ timestamp: '2024-01-07T14:05:01+02:00' }),
    'future-timestamp',
  ],
  ['a timestamp 1 ms past the retention', point({ timestamp: at(-30 * DAY - 1) }), 'expired-timestamp'],
  ['no timestamp', point({ timestamp: undefined }), 'missing-timestamp'],
  ['a timestamp that is not RFC 3339', point({ timestamp: '07/01/2024 12:00' }), 'invalid-timestamp'],
  ['NaN', point({ value: NaN }), 'invalid-value'],
  ['Infinity', point({ value: Infinity }), 'invalid-value'],
  ['-Infinity', point({ value: -Infinity }), 'invalid-value'],
  ['a numeric string', point({ value: '5.2' }), 'invalid-value'],
  ['null', point({ value: null }), 'invalid-value'],
  ['an object for a number', point({ value: { value: 5.2 } }), 'invalid-value'],
  ['a number for a position', point({ path: 'navigation.position', value: 59.9 }), 'invalid-value'],
  ['null for a position', point({ path: 'navigation.position', value: null }), 'invalid-value'],
  [
    'a latitude above 90',
    point({ path: 'navigation.position', value: { latitude: 90.000001, longitude: 0 } }),
    'invalid-value',
  ],
  [
    'a latitude below -90',
    point({ path: 'navigation.position', value: { latitude: -91, longitude: 0 } }),
    'invalid-value',
  ],
  [
    'a longitude above 180',
    point({ path: 'navigation.position', value: { latitude: 0, longitude: 180.000001 } }),
    'invalid-value',
  ],
  [
    'a longitude below -180',
    point({ path: 'navigation.position', value: { latitude: 0, longitude: -181 } }),
    'invalid-value',
  ],
  [
    'a NaN latitude',
    point({ path: 'navigation.position', value: { latitude: NaN, longitude: 0 } }),
    'invalid-value',
  ],
  [
    'an infinite longitude',
    point({ path: 'navigation.position', value: { latitude: 0, longitude: Infinity } }),
    'invalid-value',
  ],
  ['a missing longitude', point({ path: 'navigation.position', value: { latitude: 10 } }), 'invalid-value'],
  [
    'string coordinates',
    point({ path: 'navigation.position', value: { latitude: '10', longitude: '10' } }),
    'invalid-value',
  ],
  [
    'a date-time that is not RFC 3339',
    point({ path: 'navigation.datetime', value: 'today' }),
    'invalid-value',
  ],
  ['an unknown path', point({ path: 'navigation.gnss.satellites', value: 8 }), 'unknown-path'],
  ['an unknown path with a well-formed id', point({ path: 'propulsion.0.torque', value: 1 }), 'unknown-path'],
  ['an empty path', point({ path: '' }), 'malformed-path'],
  ['a path with a blank', point({ path: 'navigation.speed OverGround' }), 'malformed-path'],
  ['a path with an empty segment', point({ path: 'navigation..speedOverGround' }), 'malformed-path'],
];

describe('validatePoint', () => {
  it.each(ACCEPTED)('accepts %s', (_name, candidate) => {
    expect(validatePoint(candidate, CLOCK)).toEqual({ ok: true });
  });

  it.each(REJECTED)('rejects %s', (_name, candidate, code) => {
    const result = validatePoint(candidate, CLOCK);
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.code).toBe(code);
    expect(result.ok === false && result.reason).toMatch(/\S/);
  });

  it('says why in the reason', () => {
    const future = validatePoint(point({ timestamp: at(MAX_FUTURE_SKEW_MS + 1) }), CLOCK);
    expect(future.ok === false && future.reason).toContain('5 minutes');
    const unknown = validatePoint(point({ path: 'navigation.gnss.satellites' }), CLOCK);
    expect(unknown.ok === false && unknown.reason).toContain('known unit');
    const nan = validatePoint(point({ value: NaN }), CLOCK);
    expect(nan.ok === false && nan.reason).toContain('NaN');
    const circular: { self?: unknown } = {};
    circular.self = circular;
    const weird = validatePoint(point({ value: circular }), CLOCK);
    expect(weird.ok === false && weird.reason).toContain('object');
  });

  it('keeps the skew in one constant of 5 minutes', () => {
    expect(MAX_FUTURE_SKEW_MS).toBe(300_000);
  });

  it.each([NaN, -1, Infinity])('throws for a retention of %s (a caller bug, not bad data)', (retentionMs) => {
    expect(() => validatePoint(point(), { now: NOW, retentionMs })).toThrow(RangeError);
  });
});

describe('createPointValidator', () => {
  it('gives every point the verdict validatePoint gives it, also when its path and time were seen before', () => {
    const validate = createPointValidator(CLOCK);
    const cases = [...ACCEPTED, ...REJECTED].map(([, candidate]) => candidate);
    // Twice through the same validator: the second pass answers from what it remembered.
    for (const candidate of [...cases, ...cases]) {
      const verdict = validate(candidate);
      const expected = validatePoint(candidate, CLOCK);
      if (expected.ok) {
        const time = Date.parse(candidate.timestamp ?? '');
        expect(verdict).toEqual({ ok: true, time, canonicalTimestamp: new Date(time).toISOString() });
      } else expect(verdict).toEqual(expected);
    }
  });

  it('checks the value of every point, whatever it remembers of the path', () => {
    const validate = createPointValidator(CLOCK);
    expect(validate(point()).ok).toBe(true);
    expect(validate(point({ value: '5.2' }))).toMatchObject({ ok: false, code: 'invalid-value' });
    expect(validate(point({ value: 6 })).ok).toBe(true);
  });

  it('gives the canonical UTC form of a timestamp with an offset or more digits', () => {
    const validate = createPointValidator(CLOCK);
    expect(validate(point({ timestamp: '2024-01-07T13:59:59.1239+02:00' }))).toEqual({
      ok: true,
      time: Date.parse('2024-01-07T11:59:59.123Z'),
      canonicalTimestamp: '2024-01-07T11:59:59.123Z',
    });
  });

  it('keeps its verdicts right past the number of timestamps it remembers', () => {
    const validate = createPointValidator(CLOCK);
    for (let second = 0; second < 5000; second += 1) {
      const timestamp = at(-second * 1000);
      expect(validate(point({ timestamp }))).toMatchObject({ ok: true, canonicalTimestamp: timestamp });
    }
    expect(validate(point({ timestamp: at(MAX_FUTURE_SKEW_MS + 1) }))).toMatchObject({
      code: 'future-timestamp',
    });
  });

  it('throws for a retention that is no number of milliseconds', () => {
    expect(() => createPointValidator({ now: NOW, retentionMs: NaN })).toThrow(RangeError);
  });
});
