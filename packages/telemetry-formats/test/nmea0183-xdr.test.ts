import { describe, expect, it } from 'vitest';
import { XDR_NAMED_PATHS, expectedUnit, parseNmea0183, xdrPath } from '../src/index.js';
import { expectNmeaError, nmea } from './helpers.js';

const DEGREE = Math.PI / 180;

describe('XDR', () => {
  it('converts several groups, each to its path and SI unit', () => {
    const points = parseNmea0183(
      nmea(
        'IIXDR,C,19.5,C,AIRTEMP,P,1.01325,B,BARO,A,-2.5,D,ROLL,A,1.5,D,PTCH,T,1200,R,ENGINE#1,C,85.0,C,ENGINE#1,P,400000,P,ENGINE#1',
      ),
    );
    const expected: [string, number][] = [
      ['environment.outside.temperature', 292.65],
      ['environment.outside.pressure', 101_325],
      ['navigation.attitude.roll', -2.5 * DEGREE],
      ['navigation.attitude.pitch', 1.5 * DEGREE],
      ['propulsion.engine_1.revolutions', 20],
      ['propulsion.engine_1.temperature', 358.15],
      ['propulsion.engine_1.oilPressure', 400_000],
    ];
    expect(points.map(({ path }) => path)).toEqual(expected.map(([path]) => path));
    points.forEach((point, index) => {
      expect(point.value as number).toBeCloseTo(expected[index]?.[1] ?? NaN, 9);
      expect(point.timestamp).toBeUndefined();
    });
  });

  it.each([
    ['0 °C', 'C,0,C,AIRTEMP', 'environment.outside.temperature', 273.15],
    ['-40 °C', 'C,-40.0,C,ENV_OUTAIR_T', 'environment.outside.temperature', 233.15],
    ['sea water', 'C,6.2,C,Sea_T', 'environment.water.temperature', 279.35],
    ['inside', 'C,+21.0,C,ENV_INSIDE_T', 'environment.inside.temperature', 294.15],
    ['1 bar', 'P,1,B,Barometer', 'environment.outside.pressure', 100_000],
    ['pascals', 'P,101400,P,ENV_ATMOS_P', 'environment.outside.pressure', 101_400],
    ['180 degrees of rudder', 'A,180,D,RUDDER', 'steering.rudderAngle', Math.PI],
    ['heel as roll', 'A,-90,D,HEEL', 'navigation.attitude.roll', -Math.PI / 2],
    ['60 RPM', 'T,60,R,ENGINE#0', 'propulsion.engine_0.revolutions', 1],
    ['shaft RPM', 'T,90,R,SHAFT#2', 'propulsion.shaft_2.revolutions', 1.5],
    ['humidity', 'H,59.5,P,ENV_INSIDE_H', 'environment.inside.relativeHumidity', 0.595],
  ])('converts %s', (_name, group, path, value) => {
    const [point] = parseNmea0183(nmea(`YDXDR,${group}`));
    expect(point?.path).toBe(path);
    expect(point?.value as number).toBeCloseTo(value, 9);
  });

  it('reads the Yacht Devices example (water, inside humidity and temperature)', () => {
    const points = parseNmea0183(nmea('YDXDR,C,6.2,C,Sea_T,H,59.5,P,ENV_INSIDE_H,C,15.6,C,ENV_INSIDE_T'));
    expect(points.map(({ path }) => path)).toEqual([
      'environment.water.temperature',
      'environment.inside.relativeHumidity',
      'environment.inside.temperature',
    ]);
  });

  it.each([
    ['ENGINE#0', 'propulsion.engine_0.revolutions'],
    ['engine#0', 'propulsion.engine_0.revolutions'],
    ['ENGINE1', 'propulsion.engine_1.revolutions'],
    ['ENGINE#01', 'propulsion.engine_1.revolutions'],
  ])('names engine %s the way RPM does', (name, path) => {
    expect(xdrPath('T', name)).toBe(path);
  });

  it('gives engine RPM from XDR and RPM sentences the same path', () => {
    expect(parseNmea0183(nmea('IIXDR,T,1200,R,ENGINE#1'))[0]?.path).toBe(
      parseNmea0183(nmea('IIRPM,E,1,1200,,A'))[0]?.path,
    );
  });

  it('skips a group whose measurement is null, and padding with null fields', () => {
    expect(parseNmea0183(nmea('IIXDR,C,,C,AIRTEMP,P,1.02,B,BARO')).map(({ path }) => path)).toEqual([
      'environment.outside.pressure',
    ]);
    expect(parseNmea0183(nmea('WIXDR,C,022.0,C,AIRTEMP,'))).toHaveLength(1);
    expect(parseNmea0183(nmea('WIXDR,C,022.0,C,AIRTEMP,,,,'))).toHaveLength(1);
    expect(parseNmea0183(nmea('IIXDR,,,,,,,,,,,,'))).toEqual([]);
  });

  it.each([
    [
      'an unsupported transducer type (generic)',
      'HCXDR,A,171,D,PITCH,A,-37,D,ROLL,G,367,,MAGX',
      'group 3',
      'type "G"',
    ],
    ['voltage', 'IIXDR,U,12.85,V,BAT_00', 'group 1', 'type "U"'],
    ['Fahrenheit', 'IIXDR,C,70.0,F,AIRTEMP', 'group 1', 'unit "F"'],
    ['a pressure in percent', 'IIXDR,P,43.1,P,ENGINE#0,P,1,X,BARO', 'group 2', 'unit "X"'],
    ['an unknown transducer name', 'SDXDR,C,23.15,C,WTHI', 'group 1', 'named "WTHI"'],
    ['an empty transducer name', 'WIXDR,C,022.0,C,,', 'group 1', 'named ""'],
    ['an engine name for an unmapped quantity', 'IIXDR,A,5.0,D,ENGINE#0', 'group 1', 'named "ENGINE#0"'],
    ['a shaft temperature', 'IIXDR,C,40.0,C,SHAFT#1', 'group 1', 'named "SHAFT#1"'],
    ['a name that is an Object property', 'IIXDR,C,40.0,C,constructor', 'group 1', 'named "constructor"'],
    [
      'a type that is an Object property',
      'IIXDR,constructor,40.0,C,AIRTEMP',
      'group 1',
      'type "constructor"',
    ],
    ['a unit that is an Object property', 'IIXDR,C,40.0,toString,AIRTEMP', 'group 1', 'unit "toString"'],
  ])('rejects %s as unsupported, naming the group', (_name, body, group, detail) => {
    const error = expectNmeaError(() => parseNmea0183(nmea(body)), 'unsupported', group);
    expect(error.message).toContain(detail);
  });

  it.each([
    ['a group without its name (three fields)', 'YXXDR,P,0.98966,B'],
    ['five fields with a non-null fifth', 'IIXDR,C,19.5,C,AIRTEMP,P'],
    ['no fields', 'IIXDR'],
    ['a non-numeric measurement', 'IIXDR,C,warm,C,AIRTEMP'],
    ['a missing transducer type', 'IIXDR,,19.5,C,AIRTEMP'],
  ])('rejects %s as malformed', (_name, body) => {
    expectNmeaError(() => parseNmea0183(nmea(body)), 'malformed', 'XDR');
  });

  it('maps every listed name to a path with a known unit', () => {
    for (const { type, names, path } of XDR_NAMED_PATHS) {
      expect(expectedUnit(path), path).toBeDefined();
      for (const name of names) expect(xdrPath(type, name)).toBe(path);
    }
    for (const path of [xdrPath('C', 'ENGINE#3'), xdrPath('P', 'ENGINE#3'), xdrPath('T', 'SHAFT#3')]) {
      expect(expectedUnit(path ?? ''), path).toBeDefined();
    }
  });
});
