import { type Position, formatTimestamp } from '@fleetwatch/telemetry-formats';
import type { ChannelPoint, Sample } from './channels.js';
import type { VesselSpec } from './vessel.js';

/**
 * The three bodies `POST /v1/performance/telemetry` takes: a canonical JSON batch, a Signal K delta
 * (both application/json) and NMEA 0183 sentences (text/plain).
 */
export type TelemetryFormat = 'json' | 'signalk' | 'nmea';
export const TELEMETRY_FORMATS: readonly TelemetryFormat[] = Object.freeze(['json', 'signalk', 'nmea']);

/** One vessel's samples of one link interval, in the format its gateway speaks. */
export interface Batch {
  vessel: VesselSpec;
  /** Per vessel, from 0, in the order the batches were formed. */
  sequence: number;
  format: TelemetryFormat;
  samples: Sample[];
}

export interface CanonicalPoint {
  path: string;
  /** RFC 3339, UTC, milliseconds. */
  ts: string;
  value: number | Position;
}

/** The API's canonical batch; `vessel` (the platform's vessel id) is required with a bearer token only. */
export interface CanonicalBatch {
  vessel?: string;
  points: CanonicalPoint[];
}

export interface SignalKUpdate {
  timestamp: string;
  $source: string;
  values: ChannelPoint[];
}

export interface SignalKDeltaMessage {
  context?: string;
  updates: SignalKUpdate[];
}

interface EncodedCommon {
  vesselIndex: number;
  sequence: number;
  /** Times of the first and last sample, RFC 3339. */
  from: string;
  to: string;
  /** Points the API should accept from this body as encoded (before any fault). */
  expectedPoints: number;
  /**
   * Distinct (path, time) pairs among them: what the store keeps. Less than `expectedPoints` for NMEA,
   * whose GGA and VTG repeat RMC's position, speed and course at the same time; the API counts each
   * as accepted, the store keeps one.
   */
  distinctPoints: number;
}

export type EncodedBatch = EncodedCommon &
  (
    | { format: 'json'; contentType: 'application/json'; body: CanonicalBatch }
    | { format: 'signalk'; contentType: 'application/json'; body: SignalKDeltaMessage }
    | { format: 'nmea'; contentType: 'text/plain'; body: string; pointsPerLine: number[] }
  );

/**
 * How a Signal K delta names its vessel. The API accepts the vessel's own MMSI or IMO number, or
 * `vessels.self`, or no context; any other context rejects the whole delta.
 */
export type ContextKind = 'mmsi' | 'imo' | 'self' | 'none';

export interface EncodeOptions {
  /** The platform's vessel id, put in canonical batches (needed when posting with a bearer token). */
  vesselId?: string;
  context?: ContextKind;
  /** Signal K `$source`. */
  source?: string;
}

export function encodeBatch(batch: Batch, options: EncodeOptions = {}): EncodedBatch {
  const { samples, vessel } = batch;
  const first = samples[0];
  const last = samples.at(-1);
  if (first === undefined || last === undefined) throw new RangeError('a batch needs at least one sample');
  const common: EncodedCommon = {
    vesselIndex: vessel.index,
    sequence: batch.sequence,
    from: formatTimestamp(first.time),
    to: formatTimestamp(last.time),
    expectedPoints: samples.reduce((sum, sample) => sum + sample.points.length, 0),
    distinctPoints: samples.reduce((sum, sample) => sum + sample.points.length, 0),
  };
  switch (batch.format) {
    case 'json':
      return {
        ...common,
        format: 'json',
        contentType: 'application/json',
        body: encodeCanonical(samples, options.vesselId),
      };
    case 'signalk':
      return {
        ...common,
        format: 'signalk',
        contentType: 'application/json',
        body: encodeSignalK(samples, signalKContext(vessel, options.context ?? 'mmsi'), options.source),
      };
    case 'nmea': {
      const { text, pointsPerLine, distinctPoints } = encodeNmea(samples);
      const expectedPoints = pointsPerLine.reduce((sum, count) => sum + count, 0);
      return {
        ...common,
        expectedPoints,
        distinctPoints,
        format: 'nmea',
        contentType: 'text/plain',
        body: text,
        pointsPerLine,
      };
    }
  }
}

/** The request body as text. */
export function bodyText(encoded: EncodedBatch): string {
  return typeof encoded.body === 'string' ? encoded.body : JSON.stringify(encoded.body);
}

export function encodeCanonical(samples: readonly Sample[], vesselId?: string): CanonicalBatch {
  const points = samples.flatMap(({ time, points }) => {
    const ts = formatTimestamp(time);
    return points.map(({ path, value }) => ({ path, ts, value }));
  });
  return vesselId === undefined ? { points } : { vessel: vesselId, points };
}

/** One delta with an update per sample. */
export function encodeSignalK(
  samples: readonly Sample[],
  context: string | undefined,
  source = 'fleetwatch-simulator',
): SignalKDeltaMessage {
  const updates = samples.map(({ time, points }) => ({
    timestamp: formatTimestamp(time),
    $source: source,
    values: points.map(({ path, value }) => ({ path, value })),
  }));
  return context === undefined ? { updates } : { context, updates };
}

export function signalKContext(
  vessel: Pick<VesselSpec, 'mmsi' | 'imo'>,
  kind: ContextKind,
): string | undefined {
  switch (kind) {
    case 'mmsi':
      return `vessels.urn:mrn:imo:mmsi:${vessel.mmsi}`;
    case 'imo':
      return `vessels.urn:mrn:imo:imo-number:${vessel.imo}`;
    case 'self':
      return 'vessels.self';
    case 'none':
      return undefined;
  }
}

/**
 * XDR transducers for channels NMEA has no sentence of its own for, named as
 * @fleetwatch/telemetry-formats maps them (its XDR_NAMED_PATHS and ENGINE#n convention).
 */
const XDR_GROUPS: readonly {
  path: string;
  type: string;
  unit: string;
  name: string;
  fromSi: (value: number) => number;
  digits: number;
}[] = [
  { path: 'propulsion.main.temperature', type: 'C', unit: 'C', name: 'ENGINE#1', fromSi: celsius, digits: 1 },
  { path: 'propulsion.main.oilPressure', type: 'P', unit: 'B', name: 'ENGINE#1', fromSi: bars, digits: 3 },
  {
    path: 'environment.water.temperature',
    type: 'C',
    unit: 'C',
    name: 'WATERTEMP',
    fromSi: celsius,
    digits: 1,
  },
  {
    path: 'environment.outside.temperature',
    type: 'C',
    unit: 'C',
    name: 'AIRTEMP',
    fromSi: celsius,
    digits: 1,
  },
  { path: 'environment.outside.pressure', type: 'P', unit: 'B', name: 'BARO', fromSi: bars, digits: 5 },
  { path: 'navigation.attitude.roll', type: 'A', unit: 'D', name: 'ROLL', fromSi: degrees, digits: 2 },
  { path: 'navigation.attitude.pitch', type: 'A', unit: 'D', name: 'PITCH', fromSi: degrees, digits: 2 },
  { path: 'steering.rudderAngle', type: 'A', unit: 'D', name: 'RUDDER', fromSi: degrees, digits: 2 },
];

/**
 * Where a simulator path lands when it travels as NMEA: the parser names engines `engine_<n>` (RPM and
 * XDR `ENGINE#n`), so the main engine's NMEA readings are stored under `propulsion.engine_1`, not
 * `propulsion.main`. Paths not listed keep their name; channels without an NMEA sentence are not sent.
 */
export const NMEA_PATHS: Readonly<Record<string, string>> = Object.freeze({
  'propulsion.main.revolutions': 'propulsion.engine_1.revolutions',
  'propulsion.main.temperature': 'propulsion.engine_1.temperature',
  'propulsion.main.oilPressure': 'propulsion.engine_1.oilPressure',
});

/**
 * NMEA 0183 sentences, CR LF terminated, per sample: RMC (time, date, position, SOG, COG), GGA, VTG,
 * HDT, RPM and one XDR. RMC leads each sample because the API stamps GGA and the sentences without a
 * time (VTG, HDT, RPM, XDR) with the latest RMC's time. Times are rounded to 10 ms (`hhmmss.ss`).
 * `pointsPerLine` is what the API's parser takes from each line; `distinctPoints` the (path, time)
 * pairs among them.
 */
export function encodeNmea(samples: readonly Sample[]): {
  text: string;
  pointsPerLine: number[];
  distinctPoints: number;
} {
  const lines: string[] = [];
  const pointsPerLine: number[] = [];
  let distinctPoints = 0;
  const add = (body: string, points: number): void => {
    lines.push(`$${body}*${nmeaChecksum(body)}`);
    pointsPerLine.push(points);
  };
  for (const { time, points } of samples) {
    const values = new Map(points.map(({ path, value }) => [path, value]));
    const number = (path: string): number | undefined => {
      const value = values.get(path);
      return typeof value === 'number' ? value : undefined;
    };
    const position = values.get('navigation.position') as Position | undefined;
    const speed = mapDefined(number('navigation.speedOverGround'), (ms) => (ms * 3600) / 1852);
    const course = mapDefined(number('navigation.courseOverGroundTrue'), degrees);
    const heading = mapDefined(number('navigation.headingTrue'), degrees);
    const rpm = mapDefined(number('propulsion.main.revolutions'), (hertz) => hertz * 60);

    const stamp = new Date(Math.round(time / 10) * 10);
    const clock = `${pad(stamp.getUTCHours())}${pad(stamp.getUTCMinutes())}${pad(stamp.getUTCSeconds())}.${pad(Math.floor(stamp.getUTCMilliseconds() / 10))}`;
    const date = `${pad(stamp.getUTCDate())}${pad(stamp.getUTCMonth() + 1)}${pad(stamp.getUTCFullYear() % 100)}`;
    const lat = position === undefined ? ['', ''] : coordinate(position.latitude, 2, 'N', 'S');
    const lon = position === undefined ? ['', ''] : coordinate(position.longitude, 3, 'E', 'W');
    const speedText = fixed(speed, 2);
    const courseText = fixed(course, 2);

    const rmcPoints = 1 + [position, speed, course].filter((value) => value !== undefined).length;
    add(
      `GPRMC,${clock},A,${lat.join(',')},${lon.join(',')},${speedText},${courseText},${date},,,A`,
      rmcPoints,
    );
    if (position !== undefined)
      add(`GPGGA,${clock},${lat.join(',')},${lon.join(',')},1,10,0.9,10.0,M,45.0,M,,`, 1);
    if (speed !== undefined || course !== undefined) {
      const kmh = fixed(
        mapDefined(speed, (knots) => knots * 1.852),
        2,
      );
      add(
        `GPVTG,${courseText},T,,M,${speedText},N,${kmh},K,A`,
        [speed, course].filter((v) => v !== undefined).length,
      );
    }
    if (heading !== undefined) add(`HEHDT,${heading.toFixed(2)},T`, 1);
    if (rpm !== undefined) add(`ERRPM,E,1,${rpm.toFixed(1)},,A`, 1);
    const groups = XDR_GROUPS.flatMap(({ path, type, unit, name, fromSi, digits }) => {
      const value = number(path);
      return value === undefined ? [] : [`${type},${fromSi(value).toFixed(digits)},${unit},${name}`];
    });
    if (groups.length > 0) add(`IIXDR,${groups.join(',')}`, groups.length);
    // GGA and VTG only repeat what RMC already said at this time.
    distinctPoints +=
      rmcPoints + (heading === undefined ? 0 : 1) + (rpm === undefined ? 0 : 1) + groups.length;
  }
  return { text: lines.map((line) => `${line}\r\n`).join(''), pointsPerLine, distinctPoints };
}

/** XOR of the characters between `$` and `*`, two upper-case hex digits. */
export function nmeaChecksum(body: string): string {
  let checksum = 0;
  for (let index = 0; index < body.length; index += 1) checksum ^= body.charCodeAt(index);
  return checksum.toString(16).toUpperCase().padStart(2, '0');
}

/** `ddmm.mmmm` / `dddmm.mmmm` and the hemisphere; minutes are rounded before splitting, so never 60. */
function coordinate(
  value: number,
  degreeDigits: number,
  positive: string,
  negative: string,
): [string, string] {
  const tenThousandthsOfMinute = Math.round(Math.abs(value) * 600_000);
  const wholeDegrees = Math.floor(tenThousandthsOfMinute / 600_000);
  const minutes = (tenThousandthsOfMinute % 600_000) / 10_000;
  return [
    `${String(wholeDegrees).padStart(degreeDigits, '0')}${minutes.toFixed(4).padStart(7, '0')}`,
    value < 0 ? negative : positive,
  ];
}

function fixed(value: number | undefined, digits: number): string {
  return value === undefined ? '' : value.toFixed(digits);
}

function mapDefined(value: number | undefined, convert: (value: number) => number): number | undefined {
  return value === undefined ? undefined : convert(value);
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function celsius(kelvin: number): number {
  return kelvin - 273.15;
}

function bars(pascals: number): number {
  return pascals / 100_000;
}

function degrees(radians: number): number {
  return (radians * 180) / Math.PI;
}
