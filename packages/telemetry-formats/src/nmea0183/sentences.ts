import {
  degreesToRadians,
  kilometresPerHourToMetresPerSecond,
  knotsToMetresPerSecond,
  rpmToHertz,
} from '../conversions.js';
import { formatTimestamp, utcMilliseconds } from '../rfc3339.js';
import type { Position, TelemetryPoint } from '../types.js';
import { NmeaError } from './errors.js';
import { type CalendarDate, SentenceFields, type TimeOfDay, isCalendarDate } from './fields.js';

/**
 * Decoders for the fixed-layout sentences. Paths and conventions follow `@signalk/nmea0183-signalk`
 * (position in degrees, `navigation.datetime`, `propulsion.engine_<n>` / `propulsion.shaft_<n>`, west
 * variation negative), so data from this package and from a Signal K server agree; the tests compare
 * the two. The conversions are done here because that parser, for the sentences below, turns null
 * fields into zeros, fills a missing date from the machine's clock, ignores RMC's void status and
 * RPM's status, and throws TypeErrors on short sentences.
 */

/** What a decoder found: the points, and for sentences that carry only a time of day, that time. */
export interface DecodedFields {
  points: TelemetryPoint[];
  /** `hh:mm:ss.sss` UTC, for sentences with a time but no date (GGA). */
  timeOfDay?: string;
}

export type SentenceDecoder = (fields: readonly string[]) => DecodedFields;

/** RMC: recommended minimum data: time, status, position, SOG, COG, date, magnetic variation. */
export const decodeRmc: SentenceDecoder = (raw) => {
  const fields = SentenceFields.atLeast('RMC', raw, 11);
  const status = fields.letter(1, 'status', ['A', 'V']);
  if (status === undefined) throw fields.malformed(1, 'status', 'A or V');
  if (status === 'V') {
    throw new NmeaError('void-fix', 'RMC status V: the receiver reports no valid fix');
  }
  // NMEA 2.3 appended a mode indicator; N means "data not valid" even when the status says A.
  if (fields.text(11) === 'N') {
    throw new NmeaError('void-fix', 'RMC mode indicator N: the receiver reports the data not valid');
  }

  const time = fields.timeOfDay(0);
  const date = fields.dateDdMmYy(8);
  const position = positionAt(fields, 2, 4);
  const speedKnots = fields.number(6, 'speed over ground, knots', { min: 0 });
  const courseDegrees = fields.number(7, 'course over ground, degrees true', { min: 0, max: 360 });
  const variation = magneticVariation(fields, 9);
  // Only a sentence carrying both date and time is stamped: a time alone would need a guessed date.
  const timestamp = time !== undefined && date !== undefined ? isoTimestamp(date, time) : undefined;

  return {
    points: pointsAt(timestamp, [
      ['navigation.position', position],
      ['navigation.speedOverGround', mapDefined(speedKnots, knotsToMetresPerSecond)],
      ['navigation.courseOverGroundTrue', mapDefined(courseDegrees, degreesToRadians)],
      ['navigation.magneticVariation', mapDefined(variation, degreesToRadians)],
      ['navigation.datetime', timestamp],
    ]),
  };
};

const GGA_FIX_QUALITIES = ['0', '1', '2', '3', '4', '5', '6', '7', '8'] as const;

/**
 * GGA: GNSS fix: time of day, position, fix quality. It carries no date, so its points have no
 * timestamp; the time of day is returned for the caller to pair with a date it trusts.
 * Satellites, dilution and altitude are not converted: the platform has no use or unit for them.
 */
export const decodeGga: SentenceDecoder = (raw) => {
  const fields = SentenceFields.atLeast('GGA', raw, 6);
  const quality = fields.letter(5, 'fix quality', GGA_FIX_QUALITIES);
  if (quality === undefined) throw fields.malformed(5, 'fix quality', 'a digit 0-8');
  if (quality === '0') {
    throw new NmeaError('void-fix', 'GGA fix quality 0: the receiver reports no fix');
  }
  const time = fields.timeOfDay(0);
  const position = positionAt(fields, 1, 3);
  const decoded: DecodedFields = { points: pointsAt(undefined, [['navigation.position', position]]) };
  if (time !== undefined) decoded.timeOfDay = formatTimeOfDay(time);
  return decoded;
};

/** VTG: course (true and magnetic) and speed over ground, no time. */
export const decodeVtg: SentenceDecoder = (raw) => {
  const fields = SentenceFields.atLeast('VTG', raw, 8);
  fields.letter(1, 'true course marker', ['T']);
  fields.letter(3, 'magnetic course marker', ['M']);
  fields.letter(5, 'knots marker', ['N']);
  fields.letter(7, 'km/h marker', ['K']);
  if (fields.text(8) === 'N') {
    throw new NmeaError('void-fix', 'VTG mode indicator N: the receiver reports the data not valid');
  }
  const courseTrue = fields.number(0, 'course over ground, degrees true', { min: 0, max: 360 });
  const courseMagnetic = fields.number(2, 'course over ground, degrees magnetic', { min: 0, max: 360 });
  const speedKnots = fields.number(4, 'speed over ground, knots', { min: 0 });
  const speedKilometresPerHour = fields.number(6, 'speed over ground, km/h', { min: 0 });
  // Knots first: it is the marine unit, and the km/h field is normally derived from it.
  const speed =
    speedKnots !== undefined
      ? knotsToMetresPerSecond(speedKnots)
      : mapDefined(speedKilometresPerHour, kilometresPerHourToMetresPerSecond);

  return {
    points: pointsAt(undefined, [
      ['navigation.courseOverGroundTrue', mapDefined(courseTrue, degreesToRadians)],
      ['navigation.courseOverGroundMagnetic', mapDefined(courseMagnetic, degreesToRadians)],
      ['navigation.speedOverGround', speed],
    ]),
  };
};

/** HDT: true heading (gyro compass), no time. */
export const decodeHdt: SentenceDecoder = (raw) => {
  const fields = SentenceFields.atLeast('HDT', raw, 2);
  fields.letter(1, 'true heading marker', ['T']);
  const heading = fields.number(0, 'heading, degrees true', { min: 0, max: 360 });
  return { points: pointsAt(undefined, [['navigation.headingTrue', mapDefined(heading, degreesToRadians)]]) };
};

/**
 * RPM: engine or shaft revolutions, no time. The path is `propulsion.engine_<n>.revolutions` or
 * `propulsion.shaft_<n>.revolutions` (the Signal K parser's naming), n without leading zeros. A
 * negative value (shaft turning astern) is kept. Propeller pitch is not converted.
 */
export const decodeRpm: SentenceDecoder = (raw) => {
  const fields = SentenceFields.atLeast('RPM', raw, 5);
  const source = fields.letter(0, 'source', ['E', 'S']);
  if (source === undefined) throw fields.malformed(0, 'source', 'E (engine) or S (shaft)');
  const number = fields.integer(1, 'engine or shaft number');
  if (number === undefined) throw fields.malformed(1, 'engine or shaft number', 'digits');
  const rpm = fields.number(2, 'revolutions per minute');
  fields.number(3, 'propeller pitch, percent', { min: -100, max: 100 });
  const status = fields.letter(4, 'status', ['A', 'V']);
  if (status === undefined) throw fields.malformed(4, 'status', 'A or V');
  if (status === 'V') {
    throw new NmeaError('void-data', 'RPM status V: the instrument reports the reading not valid');
  }
  const path = `propulsion.${source === 'S' ? 'shaft' : 'engine'}_${number}.revolutions`;
  return { points: pointsAt(undefined, [[path, mapDefined(rpm, rpmToHertz)]]) };
};

const DAY_OR_MONTH = /^\d{1,2}$/;
const YEAR = /^\d{4}$/;

/**
 * ZDA: UTC date and time (the local zone fields are informational and not read). Points are stamped
 * with the time they carry. A receiver without time sends all fields null: no points.
 */
export const decodeZda: SentenceDecoder = (raw) => {
  const fields = SentenceFields.atLeast('ZDA', raw, 4);
  if ([0, 1, 2, 3].every((index) => fields.isNull(index))) return { points: [] };
  const time = fields.timeOfDay(0);
  const day = fields.integer(1, 'day', DAY_OR_MONTH);
  const month = fields.integer(2, 'month', DAY_OR_MONTH);
  const year = fields.integer(3, 'year', YEAR);
  if (time === undefined || day === undefined || month === undefined || year === undefined) {
    throw new NmeaError('malformed', 'ZDA carries only part of its time and date (fields 1-4)');
  }
  if (!isCalendarDate(year, month, day)) throw fields.malformed(1, 'day', 'a date that exists');

  const timestamp = isoTimestamp({ year, month, day }, time);
  return { points: pointsAt(timestamp, [['navigation.datetime', timestamp]]) };
};

/** Points for the entries whose value is defined (a null field gives no point, never a zero). */
function pointsAt(
  timestamp: string | undefined,
  entries: [path: string, value: unknown][],
): TelemetryPoint[] {
  const points: TelemetryPoint[] = [];
  for (const [path, value] of entries) {
    if (value === undefined) continue;
    points.push(timestamp === undefined ? { path, value } : { path, value, timestamp });
  }
  return points;
}

function mapDefined(value: number | undefined, convert: (value: number) => number): number | undefined {
  return value === undefined ? undefined : convert(value);
}

function positionAt(
  fields: SentenceFields,
  latitudeIndex: number,
  longitudeIndex: number,
): Position | undefined {
  const latitude = fields.latitude(latitudeIndex);
  const longitude = fields.longitude(longitudeIndex);
  if (latitude === undefined && longitude === undefined) return undefined;
  if (latitude === undefined)
    throw fields.malformed(latitudeIndex, 'latitude', 'a latitude with the longitude');
  if (longitude === undefined) {
    throw fields.malformed(longitudeIndex, 'longitude', 'a longitude with the latitude');
  }
  return { latitude, longitude };
}

/** Signed magnetic variation in degrees, east positive, from a value field and an E/W field after it. */
function magneticVariation(fields: SentenceFields, index: number): number | undefined {
  const degrees = fields.number(index, 'magnetic variation, degrees', { min: 0, max: 180 });
  const direction = fields.letter(index + 1, 'magnetic variation direction', ['E', 'W']);
  if (degrees === undefined) return undefined;
  if (direction === undefined) throw fields.malformed(index + 1, 'magnetic variation direction', 'E or W');
  return direction === 'W' ? 0 - degrees : degrees;
}

function isoTimestamp(date: CalendarDate, time: TimeOfDay): string {
  return formatTimestamp(
    utcMilliseconds(date.year, date.month, date.day, time.hour, time.minute, time.second, time.millisecond),
  );
}

function formatTimeOfDay({ hour, minute, second, millisecond }: TimeOfDay): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return `${two(hour)}:${two(minute)}:${two(second)}.${String(millisecond).padStart(3, '0')}`;
}
