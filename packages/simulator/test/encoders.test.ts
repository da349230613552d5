import {
  NmeaError,
  contextIsVessel,
  decodeNmea0183,
  parseNmea0183,
  parseSignalKDelta,
  parseSignalKDeltas,
} from '@fleetwatch/telemetry-formats';
import { describe, expect, it } from 'vitest';
import {
  normalizeJson,
  normalizeNmea,
  validatePoints,
} from '../../../services/performance/src/ingest/normalize.js';
import {
  type Batch,
  type Sample,
  type VesselState,
  NMEA_PATHS,
  channelPoints,
  encodeBatch,
  encodeNmea,
  nmeaChecksum,
  step,
} from '../src/index.js';
import { SPEC, atSea, inPort } from './helpers.js';

const VESSEL_ID = '6f1c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const IDENTITY = { mmsi: SPEC.mmsi, imo: SPEC.imo };

/** Ten one-second samples of a vessel from `state`. */
function samplesFrom(state: VesselState, channels = 200): Sample[] {
  const samples: Sample[] = [];
  let current = state;
  for (let index = 0; index < 10; index += 1) {
    current = step(current, 1);
    samples.push({ time: current.time, points: channelPoints(current, channels) });
  }
  return samples;
}

const batchOf = (format: Batch['format'], samples: Sample[]): Batch => ({
  vessel: SPEC,
  sequence: 0,
  format,
  samples,
});

/** The API's view: what it would accept, with the receiving clock just after the last sample. */
function ingest(normalized: ReturnType<typeof normalizeJson>, samples: Sample[]) {
  const now = new Date((samples.at(-1)?.time ?? 0) + 30_000);
  return validatePoints(normalized, { now, retentionMs: 30 * 86_400_000 });
}

describe('canonical JSON', () => {
  it('is the batch the API takes, every point accepted with its sample time', () => {
    const samples = samplesFrom(atSea(300));
    const encoded = encodeBatch(batchOf('json', samples), { vesselId: VESSEL_ID });
    expect(encoded.contentType).toBe('application/json');
    if (encoded.format !== 'json') throw new Error('expected JSON');
    expect(encoded.body.vessel).toBe(VESSEL_ID);
    expect(encoded.expectedPoints).toBe(2_000);
    expect(encoded.distinctPoints).toBe(2_000);
    expect(encoded.body.points[0]).toEqual({
      path: 'navigation.position',
      ts: new Date(samples[0]?.time ?? 0).toISOString(),
      value: samples[0]?.points[0]?.value,
    });

    const normalized = normalizeJson(JSON.parse(JSON.stringify(encoded.body)), new Date().toISOString());
    expect(normalized.vessel).toBe(VESSEL_ID);
    const { accepted, series, rejections } = ingest(normalized, samples);
    expect(rejections).toEqual([]);
    expect(accepted).toBe(encoded.expectedPoints);
    expect(new Set(series.flatMap(({ times }) => times))).toEqual(new Set(samples.map(({ time }) => time)));
  });

  it('leaves the vessel out when no id is given (a device key names the vessel)', () => {
    const encoded = encodeBatch(batchOf('json', samplesFrom(atSea(300), 10)));
    expect(encoded.body).not.toHaveProperty('vessel');
  });
});

describe('Signal K', () => {
  it('round-trips through parseSignalKDelta: same paths, values and times', () => {
    const samples = samplesFrom(atSea(300));
    const encoded = encodeBatch(batchOf('signalk', samples));
    if (encoded.format !== 'signalk') throw new Error('expected Signal K');
    const parsed = parseSignalKDelta(JSON.parse(JSON.stringify(encoded.body)));
    expect(parsed.context).toBe(`vessels.urn:mrn:imo:mmsi:${SPEC.mmsi}`);
    expect(contextIsVessel(parsed.context, IDENTITY)).toBe(true);
    const expected = samples.flatMap(({ time, points }) =>
      points.map(({ path, value }) => ({
        path,
        value,
        timestamp: new Date(time).toISOString(),
        source: 'fleetwatch-simulator',
      })),
    );
    expect(parsed.points).toEqual(expected);
  });

  it.each([
    { context: 'mmsi' as const, expected: `vessels.urn:mrn:imo:mmsi:${SPEC.mmsi}` },
    { context: 'imo' as const, expected: `vessels.urn:mrn:imo:imo-number:${SPEC.imo}` },
    { context: 'self' as const, expected: 'vessels.self' },
    { context: 'none' as const, expected: undefined },
  ])('names the vessel by $context, which the API accepts as this vessel', ({ context, expected }) => {
    const samples = samplesFrom(inPort(3), 20);
    const encoded = encodeBatch(batchOf('signalk', samples), { context });
    if (encoded.format !== 'signalk') throw new Error('expected Signal K');
    expect(encoded.body.context).toBe(expected);
    const body: unknown = JSON.parse(JSON.stringify(encoded.body));
    expect(parseSignalKDeltas([body]).every((result) => result.ok)).toBe(true);
    const { accepted, rejections } = ingest(normalizeJson(body, new Date().toISOString(), IDENTITY), samples);
    expect(rejections).toEqual([]);
    expect(accepted).toBe(encoded.expectedPoints);
  });

  it('is refused as another vessel by the API when the MMSI is not the registered one', () => {
    const samples = samplesFrom(inPort(3), 20);
    const encoded = encodeBatch(batchOf('signalk', samples));
    const normalized = normalizeJson(encoded.body, new Date().toISOString(), {
      mmsi: '244000001',
      imo: SPEC.imo,
    });
    expect(normalized.points).toEqual([]);
    expect(normalized.rejections[0]?.reason).toContain('names another vessel');
  });
});

describe('NMEA 0183', () => {
  it.each([
    // 33.59° S = 33° 35.4′; 71.62° W = 71° 37.2′
    { latitude: -33.59, longitude: -71.62, lat: '3335.4000,S', lon: '07137.2000,W' },
    // 1.26° N = 1° 15.6′; 103.84° E = 103° 50.4′
    { latitude: 1.26, longitude: 103.84, lat: '0115.6000,N', lon: '10350.4000,E' },
    // 59.9999999° is 59° 59.999994′, which rounds up to a whole degree rather than to 59° 60.0000′
    { latitude: 59.9999999, longitude: 0.5, lat: '6000.0000,N', lon: '00030.0000,E' },
  ])('writes $latitude, $longitude as $lat, $lon', ({ latitude, longitude, lat, lon }) => {
    const { text } = encodeNmea([
      {
        time: Date.parse('2026-03-01T08:00:00Z'),
        points: [{ path: 'navigation.position', value: { latitude, longitude } }],
      },
    ]);
    expect(text).toContain(`$GPRMC,080000.00,A,${lat},${lon},,,010326,,,A*`);
  });

  it('computes the checksum as the XOR of the characters between $ and *', () => {
    // G^P = 0x17, ^R = 0x45, ^M = 0x08, ^C = 0x4B
    expect(nmeaChecksum('GPRMC')).toBe('4B');
    expect(nmeaChecksum('')).toBe('00');
  });

  it('round-trips through parseNmea0183 within the precision written', () => {
    for (const state of [atSea(300), atSea(700, { from: SPEC_SOUTH.from, to: SPEC_SOUTH.to }), inPort(2)]) {
      const samples = samplesFrom(state, 200);
      const { text, pointsPerLine } = encodeNmea(samples);
      const lines = text.split('\r\n').filter((line) => line !== '');
      expect(lines).toHaveLength(pointsPerLine.length);
      // Six sentences per sample, RMC first.
      expect(lines.filter((line) => line.startsWith('$GPRMC'))).toHaveLength(samples.length);
      expect(lines[0]?.startsWith('$GPRMC')).toBe(true);

      let sample = -1;
      lines.forEach((line, index) => {
        const points = parseNmea0183(line);
        expect(points).toHaveLength(pointsPerLine[index] ?? -1);
        if (line.startsWith('$GPRMC')) sample += 1;
        const source = samples[sample];
        if (source === undefined) throw new Error('no sample');
        const expected = new Map(source.points.map(({ path, value }) => [NMEA_PATHS[path] ?? path, value]));
        for (const point of points) {
          if (point.path === 'navigation.datetime') {
            expect(point.value).toBe(new Date(source.time).toISOString());
            continue;
          }
          const want = expected.get(point.path);
          if (point.path === 'navigation.position') {
            const got = point.value as { latitude: number; longitude: number };
            const near = want as { latitude: number; longitude: number };
            // 0.0001′ = 1.7e-6°
            expect(Math.abs(got.latitude - near.latitude)).toBeLessThan(2e-6);
            expect(Math.abs(got.longitude - near.longitude)).toBeLessThan(2e-6);
          } else {
            expect(typeof want, point.path).toBe('number');
            // Half the last digit written: 0.05 °C or rpm (0.05 K, 0.0008 Hz), 0.005 kn or ° (0.0026 m/s,
            // 0.0001 rad); pressures 0.0005 bar = 50 Pa.
            const tolerance = /pressure$/i.test(point.path) ? 50 : 0.05;
            expect(Math.abs((point.value as number) - (want as number)), point.path).toBeLessThanOrEqual(
              tolerance + 1e-9,
            );
          }
        }
      });
    }
  });

  it('is stamped by the API with the sample times, GGA and the untimed sentences included', () => {
    const samples = samplesFrom(atSea(300), 200);
    const { text, pointsPerLine } = encodeNmea(samples);
    // A receiving clock far from the samples: no point may take its time from it.
    const normalized = normalizeNmea(text, '2026-06-01T00:00:00.000Z');
    expect(normalized.rejections).toEqual([]);
    expect(normalized.points).toHaveLength(pointsPerLine.reduce((sum, count) => sum + count, 0));
    const times = new Set(samples.map(({ time }) => new Date(time).toISOString()));
    for (const point of normalized.points)
      expect(times.has(new Date(point.ts).toISOString()), point.ts).toBe(true);
    expect(new Set(normalized.points.map(({ ts }) => new Date(ts).toISOString())).size).toBe(samples.length);
    const { accepted, rejections } = ingest(normalized, samples);
    expect(rejections).toEqual([]);
    expect(accepted).toBe(normalized.points.length);
  });

  it('encodes a batch as text/plain with the parsed point count', () => {
    const encoded = encodeBatch(batchOf('nmea', samplesFrom(atSea(300), 200)));
    expect(encoded.contentType).toBe('text/plain');
    if (encoded.format !== 'nmea') throw new Error('expected NMEA');
    const parsed = encoded.body
      .split('\r\n')
      .filter((line) => line !== '')
      .flatMap((line) => decodeNmea0183(line).points);
    expect(encoded.expectedPoints).toBe(parsed.length);
    // RMC 4 + GGA 1 + VTG 2 + HDT 1 + RPM 1 + XDR 8 = 17 points a second.
    expect(encoded.expectedPoints).toBe(170);
    // GGA's position and VTG's speed and course repeat RMC's at the same time: 14 distinct a second.
    const distinct = new Set(
      normalizeNmea(encoded.body, new Date().toISOString()).points.map(({ path, ts }) => `${path}@${ts}`),
    );
    expect(encoded.distinctPoints).toBe(distinct.size);
    expect(encoded.distinctPoints).toBe(140);
  });

  it('is refused with a checksum error when a character changes in transit', () => {
    const { text } = encodeNmea(samplesFrom(atSea(300), 10));
    const line = text.split('\r\n')[0] ?? '';
    const garbled = line.replace('$GPRMC,', '$GPRMC,1');
    expect(() => parseNmea0183(garbled)).toThrow(NmeaError);
    expect(() => parseNmea0183(garbled)).toThrow(/checksum/);
  });
});

/** A leg in the southern and western hemispheres: Santos to Buenos Aires. */
const SPEC_SOUTH = {
  from: { locode: 'BRSSZ', name: 'Santos', latitude: -23.98, longitude: -46.3 },
  to: { locode: 'ARBUE', name: 'Buenos Aires', latitude: -34.58, longitude: -58.36 },
};
