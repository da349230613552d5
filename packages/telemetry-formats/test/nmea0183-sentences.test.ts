import { describe, expect, it } from 'vitest';
import { decodeNmea0183, parseNmea0183 } from '../src/index.js';
import { REAL_WORLD_SENTENCES, expectNmeaError, nmea } from './helpers.js';

const KNOT = 1852 / 3600;
const DEGREE = Math.PI / 180;

/** The point at `path`, failing the test when there is none. */
function pointAt(points: ReturnType<typeof parseNmea0183>, path: string) {
  const point = points.find((candidate) => candidate.path === path);
  if (point === undefined) throw new Error(`no point at ${path} in ${JSON.stringify(points)}`);
  return point;
}

function numberAt(points: ReturnType<typeof parseNmea0183>, path: string): number {
  const { value } = pointAt(points, path);
  expect(typeof value).toBe('number');
  return value as number;
}

describe('RMC', () => {
  it('converts the gpsinformation.org example to Signal K in SI units, stamped with its date and time', () => {
    const points = parseNmea0183(REAL_WORLD_SENTENCES.rmcMunich);
    const timestamp = '1994-03-23T12:35:19.000Z';

    expect(points.map(({ path }) => path)).toEqual([
      'navigation.position',
      'navigation.speedOverGround',
      'navigation.courseOverGroundTrue',
      'navigation.magneticVariation',
      'navigation.datetime',
    ]);
    expect(points.every((point) => point.timestamp === timestamp)).toBe(true);
    const position = pointAt(points, 'navigation.position').value as { latitude: number; longitude: number };
    expect(position.latitude).toBeCloseTo(48 + 7.038 / 60, 9); // 4807.038 N
    expect(position.longitude).toBeCloseTo(11 + 31 / 60, 9); // 01131.000 E
    expect(numberAt(points, 'navigation.speedOverGround')).toBeCloseTo(22.4 * KNOT, 9); // 11.5236 m/s
    expect(numberAt(points, 'navigation.speedOverGround')).toBeCloseTo(11.523556, 6);
    expect(numberAt(points, 'navigation.courseOverGroundTrue')).toBeCloseTo(84.4 * DEGREE, 9);
    expect(numberAt(points, 'navigation.magneticVariation')).toBeCloseTo(-3.1 * DEGREE, 9); // 003.1 W
    expect(pointAt(points, 'navigation.datetime').value).toBe(timestamp);
  });

  it.each([
    [
      'southern and eastern hemispheres',
      REAL_WORLD_SENTENCES.rmcMelbourne,
      -(37 + 51.65 / 60),
      145 + 7.36 / 60,
    ],
    [
      'northern and western hemispheres',
      REAL_WORLD_SENTENCES.rmcVancouver,
      49 + 16.45 / 60,
      -(123 + 11.12 / 60),
    ],
    ['the equator and prime meridian region', REAL_WORLD_SENTENCES.rmcUblox, 36.27143 / 60, 42.93547 / 60],
  ])('signs positions in the %s', (_name, sentence, latitude, longitude) => {
    const position = pointAt(parseNmea0183(sentence), 'navigation.position').value as {
      latitude: number;
      longitude: number;
    };
    expect(position.latitude).toBeCloseTo(latitude, 9);
    expect(position.longitude).toBeCloseTo(longitude, 9);
  });

  it('keeps east variation positive and a course of 360 degrees as 2π', () => {
    const points = parseNmea0183(REAL_WORLD_SENTENCES.rmcMelbourne);
    expect(numberAt(points, 'navigation.magneticVariation')).toBeCloseTo(11.3 * DEGREE, 9);
    expect(numberAt(points, 'navigation.courseOverGroundTrue')).toBeCloseTo(2 * Math.PI, 9);
    expect(numberAt(points, 'navigation.speedOverGround')).toBe(0);
  });

  it('keeps fractional seconds as milliseconds and omits null variation', () => {
    const points = parseNmea0183(REAL_WORLD_SENTENCES.rmcUblox);
    expect(points[0]?.timestamp).toBe('2015-12-14T07:26:26.360Z');
    expect(points.map(({ path }) => path)).not.toContain('navigation.magneticVariation');
  });

  it.each([
    ['00', '2000'],
    ['79', '2079'],
    ['80', '1980'],
    ['99', '1999'],
  ])('reads the two-digit year %s as %s', (yy, year) => {
    const points = parseNmea0183(nmea(`GPRMC,000000,A,5000.000,N,00100.000,W,1.0,90.0,0101${yy},,`));
    expect(points[0]?.timestamp).toBe(`${year}-01-01T00:00:00.000Z`);
  });

  it('accepts 29 February in a leap year', () => {
    const points = parseNmea0183(nmea('GPRMC,235959.999,A,5000.000,N,00100.000,W,,,290224,,'));
    expect(points[0]?.timestamp).toBe('2024-02-29T23:59:59.999Z');
  });

  it('gives no speed or course point for null fields (a stationary receiver), not zeros', () => {
    const points = parseNmea0183(nmea('GPRMC,120000,A,5000.000,N,00100.000,W,,,010124,,'));
    expect(points.map(({ path }) => path)).toEqual(['navigation.position', 'navigation.datetime']);
  });

  it('stamps nothing and gives no datetime when the date is null (no guessed date)', () => {
    const points = parseNmea0183(nmea('GPRMC,120000,A,5000.000,N,00100.000,W,10.0,90.0,,,'));
    expect(points.map(({ path }) => path)).toEqual([
      'navigation.position',
      'navigation.speedOverGround',
      'navigation.courseOverGroundTrue',
    ]);
    expect(points.every((point) => point.timestamp === undefined)).toBe(true);
  });

  it('accepts the NMEA 2.3 mode indicator and 4.1 navigational status fields', () => {
    const points = parseNmea0183(nmea('GNRMC,120000,A,5000.000,N,00100.000,W,10.0,90.0,010124,2.0,E,A,S'));
    expect(points).toHaveLength(5);
  });

  it.each([
    [
      'status V (the verbatim example with V)',
      nmea('GPRMC,123519,V,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W'),
    ],
    ['status V with null fields', nmea('GPRMC,123519,V,,,,,,,230394,,,N')],
    [
      'mode indicator N under status A',
      nmea('GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W,N'),
    ],
  ])('rejects a void fix: %s', (_name, sentence) => {
    expectNmeaError(() => parseNmea0183(sentence), 'void-fix', 'RMC');
  });

  const valid = ['123519', 'A', '4807.038', 'N', '01131.000', 'E', '022.4', '084.4', '230394', '003.1', 'W'];
  const withField = (index: number, text: string) =>
    nmea(`GPRMC,${valid.map((field, at) => (at === index ? text : field)).join(',')}`);

  it.each([
    ['a time that is not hhmmss', 0, '12351', 'field 1'],
    ['hour 24', 0, '240000', 'field 1'],
    ['minute 60', 0, '126000', 'field 1'],
    ['a missing status', 1, '', 'field 2'],
    ['an unknown status', 1, 'X', 'field 2'],
    ['a latitude that is not a number', 2, '48O7.038', 'field 3'],
    ['latitude minutes of 60', 2, '4860.000', 'field 3'],
    ['a latitude beyond 90 degrees', 2, '9100.000', 'field 3'],
    ['a latitude without its hemisphere', 3, '', 'field 4'],
    ['a lower-case hemisphere', 3, 'n', 'field 4'],
    ['a hemisphere without its latitude', 2, '', 'field 3'],
    ['a longitude beyond 180 degrees', 4, '18100.000', 'field 5'],
    ['a latitude hemisphere on the longitude', 5, 'N', 'field 6'],
    ['a negative speed', 6, '-1.0', 'field 7'],
    ['a speed with two points', 6, '1.2.3', 'field 7'],
    ['a speed written as hex', 6, '0x1A', 'field 7'],
    ['a course over 360', 7, '360.1', 'field 8'],
    ['31 February', 8, '310294', 'field 9'],
    ['month 13', 8, '011394', 'field 9'],
    ['a four-digit year', 8, '23031994', 'field 9'],
    ['a variation without direction', 10, '', 'field 11'],
    ['a variation with direction N', 10, 'N', 'field 11'],
  ])('rejects %s as malformed, naming the field', (_name, index, text, field) => {
    expectNmeaError(() => parseNmea0183(withField(index, text)), 'malformed', field);
  });

  it('rejects a position with only one coordinate', () => {
    expectNmeaError(
      () => parseNmea0183(nmea('GPRMC,123519,A,4807.038,N,,,022.4,084.4,230394,003.1,W')),
      'malformed',
      'longitude',
    );
  });
});

describe('GGA', () => {
  it('gives the position without a timestamp, and the time of day separately (GGA has no date)', () => {
    const decoded = decodeNmea0183(REAL_WORLD_SENTENCES.ggaMunich);
    expect(decoded.points).toEqual([
      { path: 'navigation.position', value: { latitude: 48 + 7.038 / 60, longitude: 11 + 31 / 60 } },
    ]);
    expect(decoded.timeOfDay).toBe('12:35:19.000');
  });

  it('reads the Dublin u-blox example with fractional seconds', () => {
    const decoded = decodeNmea0183(REAL_WORLD_SENTENCES.ggaDublin);
    const position = decoded.points[0]?.value as { latitude: number; longitude: number };
    expect(position.latitude).toBeCloseTo(53 + 21.6802 / 60, 9);
    expect(position.longitude).toBeCloseTo(-(6 + 30.3372 / 60), 9);
    expect(decoded.timeOfDay).toBe('09:27:50.000');
  });

  it.each(['1', '2', '4', '5', '6'])('accepts fix quality %s', (quality) => {
    expect(
      parseNmea0183(nmea(`GPGGA,120000,5000.000,N,00100.000,W,${quality},08,0.9,10.0,M,46.9,M,,`)),
    ).toHaveLength(1);
  });

  it.each([
    ['fix quality 0 with a position', nmea('GPGGA,123519,4807.038,N,01131.000,E,0,00,99.9,,M,,M,,')],
    ['a receiver without a fix (all fields null)', nmea('GPGGA,,,,,,0,,,,,,,,')],
  ])('rejects a void fix: %s', (_name, sentence) => {
    expectNmeaError(() => parseNmea0183(sentence), 'void-fix', 'GGA');
  });

  it.each([
    ['a null fix quality', nmea('GPGGA,123519,4807.038,N,01131.000,E,,08,0.9,545.4,M,46.9,M,,'), 'field 6'],
    ['fix quality 9', nmea('GPGGA,123519,4807.038,N,01131.000,E,9,08,0.9,545.4,M,46.9,M,,'), 'field 6'],
    ['a bad time', nmea('GPGGA,1235,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,'), 'field 1'],
    ['a bad hemisphere', nmea('GPGGA,123519,4807.038,X,01131.000,E,1,08,0.9,545.4,M,46.9,M,,'), 'field 3'],
  ])('rejects %s as malformed', (_name, sentence, field) => {
    expectNmeaError(() => parseNmea0183(sentence), 'malformed', field);
  });
});

describe('VTG', () => {
  it('converts the verbatim example: true and magnetic course, speed from knots', () => {
    const points = parseNmea0183(REAL_WORLD_SENTENCES.vtg);
    expect(points.map(({ path }) => path)).toEqual([
      'navigation.courseOverGroundTrue',
      'navigation.courseOverGroundMagnetic',
      'navigation.speedOverGround',
    ]);
    expect(numberAt(points, 'navigation.courseOverGroundTrue')).toBeCloseTo(54.7 * DEGREE, 9);
    expect(numberAt(points, 'navigation.courseOverGroundMagnetic')).toBeCloseTo(34.4 * DEGREE, 9);
    expect(numberAt(points, 'navigation.speedOverGround')).toBeCloseTo(5.5 * KNOT, 9);
    expect(points.every((point) => point.timestamp === undefined)).toBe(true);
  });

  it('falls back to km/h when the knots field is null', () => {
    const points = parseNmea0183(nmea('GPVTG,054.7,T,,M,,N,36.0,K'));
    expect(numberAt(points, 'navigation.speedOverGround')).toBeCloseTo(10, 9);
  });

  it('accepts the NMEA 2.3 mode indicator', () => {
    expect(parseNmea0183(nmea('GPVTG,054.7,T,034.4,M,005.5,N,010.2,K,A'))).toHaveLength(3);
  });

  it('gives no points, not a zero speed, when every field is null', () => {
    expect(parseNmea0183(nmea('GPVTG,,T,,M,,N,,K'))).toEqual([]);
    expect(parseNmea0183(nmea('GPVTG,,,,,,,,'))).toEqual([]);
  });

  it('rejects mode indicator N as a void fix', () => {
    expectNmeaError(() => parseNmea0183(nmea('GPVTG,054.7,T,034.4,M,005.5,N,010.2,K,N')), 'void-fix', 'VTG');
  });

  it.each([
    ['a knots marker that is not N', nmea('GPVTG,054.7,T,034.4,M,005.5,K,010.2,K'), 'field 6'],
    ['a true marker that is not T', nmea('GPVTG,054.7,M,034.4,M,005.5,N,010.2,K'), 'field 2'],
    ['a course over 360', nmea('GPVTG,400.0,T,034.4,M,005.5,N,010.2,K'), 'field 1'],
    ['a negative speed', nmea('GPVTG,054.7,T,034.4,M,-5.5,N,010.2,K'), 'field 5'],
  ])('rejects %s as malformed', (_name, sentence, field) => {
    expectNmeaError(() => parseNmea0183(sentence), 'malformed', field);
  });
});

describe('HDT', () => {
  it('converts the verbatim example to radians', () => {
    const points = parseNmea0183(REAL_WORLD_SENTENCES.hdt);
    expect(points).toHaveLength(1);
    expect(points[0]?.path).toBe('navigation.headingTrue');
    expect(points[0]?.value as number).toBeCloseTo(123.456 * DEGREE, 12);
    expect(points[0]?.value as number).toBeCloseTo(2.154714, 6);
  });

  it.each([
    ['a gyro talker', nmea('HEHDT,274.07,T'), 274.07],
    ['a null T marker', nmea('HEHDT,0.0,'), 0],
    ['north as 360', nmea('HEHDT,360.0,T'), 360],
  ])('accepts %s', (_name, sentence, degrees) => {
    expect(parseNmea0183(sentence)[0]?.value as number).toBeCloseTo(degrees * DEGREE, 12);
  });

  it('gives no points for a null heading', () => {
    expect(parseNmea0183(nmea('HEHDT,,T'))).toEqual([]);
  });

  it.each([
    ['a negative heading', nmea('HEHDT,-1.0,T')],
    ['a heading over 360', nmea('HEHDT,361.0,T')],
    ['a magnetic marker', nmea('HEHDT,123.4,M')],
    ['a non-numeric heading', nmea('HEHDT,abc,T')],
  ])('rejects %s as malformed', (_name, sentence) => {
    expectNmeaError(() => parseNmea0183(sentence), 'malformed', 'HDT field');
  });
});

describe('RPM', () => {
  it('converts the verbatim engine example from RPM to Hz', () => {
    const points = parseNmea0183(REAL_WORLD_SENTENCES.rpm);
    expect(points).toHaveLength(1);
    expect(points[0]?.path).toBe('propulsion.engine_1.revolutions');
    expect(points[0]?.value as number).toBeCloseTo(2418.2 / 60, 12);
    expect(points[0]?.value as number).toBeCloseTo(40.303333, 6);
  });

  it.each([
    ['a shaft', nmea('IIRPM,S,2,90.0,,A'), 'propulsion.shaft_2.revolutions', 1.5],
    ['engine 0', nmea('ERRPM,E,0,600,,A'), 'propulsion.engine_0.revolutions', 10],
    ['a zero-padded engine number', nmea('ERRPM,E,01,60,,A'), 'propulsion.engine_1.revolutions', 1],
    ['a shaft turning astern', nmea('IIRPM,S,1,-75.0,-40.0,A'), 'propulsion.shaft_1.revolutions', -1.25],
  ])('converts %s', (_name, sentence, path, hertz) => {
    const [point] = parseNmea0183(sentence);
    expect(point?.path).toBe(path);
    expect(point?.value as number).toBeCloseTo(hertz, 12);
  });

  it('gives no points for null revolutions, not zero', () => {
    expect(parseNmea0183(nmea('IIRPM,E,1,,,A'))).toEqual([]);
  });

  it('rejects status V as void data', () => {
    expectNmeaError(() => parseNmea0183(nmea('IIRPM,E,1,2418.2,10.5,V')), 'void-data', 'RPM status V');
  });

  it.each([
    ['an unknown source', nmea('IIRPM,X,1,2418.2,10.5,A'), 'field 1'],
    ['a null engine number', nmea('IIRPM,E,,2418.2,10.5,A'), 'field 2'],
    ['an engine name instead of a number', nmea('IIRPM,E,port,2418.2,10.5,A'), 'field 2'],
    ['a non-numeric speed', nmea('IIRPM,E,1,fast,10.5,A'), 'field 3'],
    ['a pitch over 100 %', nmea('IIRPM,E,1,2418.2,110.0,A'), 'field 4'],
    ['a null status', nmea('IIRPM,E,1,2418.2,10.5,'), 'field 5'],
  ])('rejects %s as malformed', (_name, sentence, field) => {
    expectNmeaError(() => parseNmea0183(sentence), 'malformed', field);
  });
});

describe('ZDA', () => {
  it('gives navigation.datetime for the verbatim example, stamped with its own time', () => {
    expect(parseNmea0183(REAL_WORLD_SENTENCES.zda)).toEqual([
      {
        path: 'navigation.datetime',
        value: '2002-07-04T20:15:30.000Z',
        timestamp: '2002-07-04T20:15:30.000Z',
      },
    ]);
  });

  it('ignores the local zone fields (ZDA time is UTC) and keeps milliseconds', () => {
    expect(parseNmea0183(nmea('GPZDA,235959.25,31,12,2023,-05,30'))[0]?.value).toBe(
      '2023-12-31T23:59:59.250Z',
    );
  });

  it('accepts a ZDA without local zone fields', () => {
    expect(parseNmea0183(nmea('GPZDA,000000,1,1,2024'))[0]?.value).toBe('2024-01-01T00:00:00.000Z');
  });

  it('gives no points when the receiver has no time (all fields null)', () => {
    expect(parseNmea0183(nmea('GPZDA,,,,,,'))).toEqual([]);
  });

  it.each([
    ['only the time', nmea('GPZDA,201530.00,,,,00,00'), 'only part'],
    ['no time', nmea('GPZDA,,04,07,2002,00,00'), 'only part'],
    ['a two-digit year', nmea('GPZDA,201530.00,04,07,02,00,00'), 'field 4'],
    ['29 February in a common year', nmea('GPZDA,201530.00,29,02,2023,00,00'), 'field 2'],
    ['day 0', nmea('GPZDA,201530.00,00,07,2002,00,00'), 'field 2'],
  ])('rejects %s as malformed', (_name, sentence, detail) => {
    expectNmeaError(() => parseNmea0183(sentence), 'malformed', detail);
  });
});

describe('unit conversions, checked numerically', () => {
  it.each([
    ['1 knot', nmea('GPVTG,,T,,M,1.0,N,,K'), 'navigation.speedOverGround', 0.514444],
    ['10 knots', nmea('GPVTG,,T,,M,10.0,N,,K'), 'navigation.speedOverGround', 5.144444],
    ['3.6 km/h', nmea('GPVTG,,T,,M,,N,3.6,K'), 'navigation.speedOverGround', 1],
    ['180 degrees', nmea('HEHDT,180.0,T'), 'navigation.headingTrue', Math.PI],
    ['90 degrees', nmea('HEHDT,90.0,T'), 'navigation.headingTrue', Math.PI / 2],
    ['1 degree', nmea('HEHDT,1.0,T'), 'navigation.headingTrue', 0.017453],
    ['60 RPM', nmea('ERRPM,E,1,60,,A'), 'propulsion.engine_1.revolutions', 1],
    ['90 RPM', nmea('ERRPM,E,1,90,,A'), 'propulsion.engine_1.revolutions', 1.5],
  ])('%s', (_name, sentence, path, expected) => {
    expect(numberAt(parseNmea0183(sentence), path)).toBeCloseTo(expected, 6);
  });
});
