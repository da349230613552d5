import { daysInMonth } from '../rfc3339.js';
import { NmeaError } from './errors.js';
import { quote } from './frame.js';

export interface TimeOfDay {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const DIGITS = /^\d+$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const LATITUDE = /^(\d{1,2})(\d{2}(?:\.\d+)?)$/;
const LONGITUDE = /^(\d{1,3})(\d{2}(?:\.\d+)?)$/;
const TIME_OF_DAY = /^(\d{2})(\d{2})(\d{2})(?:\.(\d+))?$/;
const DATE_DDMMYY = /^(\d{2})(\d{2})(\d{2})$/;

/**
 * Typed access to a sentence's data fields. Every reader returns `undefined` for a null (empty) field,
 * which NMEA uses for "no value available", so that callers emit no point rather than a zero; anything
 * else that is not what the field should hold throws `NmeaError('malformed')` naming the field.
 * Field numbers in messages count from 1 after the address, as NMEA documentation does.
 */
export class SentenceFields {
  private constructor(
    private readonly sentenceType: string,
    private readonly fields: readonly string[],
  ) {}

  /**
   * Refuses a sentence with fewer fields than the last one its decoder reads; more are accepted,
   * because later NMEA versions append fields (RMC and VTG gained a mode indicator in 2.3).
   */
  static atLeast(sentenceType: string, fields: readonly string[], count: number): SentenceFields {
    if (fields.length < count) {
      throw new NmeaError(
        'malformed',
        `${sentenceType} is truncated: it needs at least ${count} fields, got ${fields.length}`,
      );
    }
    return new SentenceFields(sentenceType, fields);
  }

  get length(): number {
    return this.fields.length;
  }

  text(index: number): string {
    return this.fields[index] ?? '';
  }

  isNull(index: number): boolean {
    return this.text(index) === '';
  }

  malformed(index: number, label: string, expected: string): NmeaError {
    return new NmeaError(
      'malformed',
      `${this.sentenceType} field ${index + 1} (${label}): expected ${expected}, got ${quote(this.text(index))}`,
    );
  }

  /** One of `allowed` (exact, case-sensitive as NMEA defines them), or `undefined` when null. */
  letter<T extends string>(index: number, label: string, allowed: readonly T[]): T | undefined {
    const text = this.text(index);
    if (text === '') return undefined;
    const found = allowed.find((letter) => letter === text);
    if (found === undefined) throw this.malformed(index, label, `one of ${allowed.join(', ')}`);
    return found;
  }

  number(index: number, label: string, range: { min?: number; max?: number } = {}): number | undefined {
    const text = this.text(index);
    if (text === '') return undefined;
    if (!NUMBER.test(text)) throw this.malformed(index, label, 'a decimal number');
    const value = Number(text);
    const { min = -Infinity, max = Infinity } = range;
    if (value < min || value > max) throw this.malformed(index, label, `a number in [${min}, ${max}]`);
    return value;
  }

  /** An unsigned integer written as digits matching `pattern` (e.g. a 4-digit year). */
  integer(index: number, label: string, pattern: RegExp = DIGITS): number | undefined {
    const text = this.text(index);
    if (text === '') return undefined;
    if (!pattern.test(text)) throw this.malformed(index, label, `digits matching ${pattern.source}`);
    return Number(text);
  }

  /** Latitude `ddmm.mmmm` at `index` with its hemisphere (N/S) at `index + 1`, in signed degrees. */
  latitude(index: number): number | undefined {
    return this.coordinate(index, LATITUDE, 90, ['N', 'S'], 'latitude');
  }

  /** Longitude `dddmm.mmmm` at `index` with its hemisphere (E/W) at `index + 1`, in signed degrees. */
  longitude(index: number): number | undefined {
    return this.coordinate(index, LONGITUDE, 180, ['E', 'W'], 'longitude');
  }

  /** UTC time of day `hhmmss` or `hhmmss.ss`. */
  timeOfDay(index: number, label = 'UTC time'): TimeOfDay | undefined {
    const text = this.text(index);
    if (text === '') return undefined;
    const match = TIME_OF_DAY.exec(text);
    if (match === null) throw this.malformed(index, label, 'hhmmss[.ss]');
    const [hour, minute, second] = match.slice(1, 4).map(Number) as [number, number, number];
    if (hour > 23 || minute > 59 || second > 59) throw this.malformed(index, label, 'a valid time of day');
    const fraction = match[4] ?? '';
    return { hour, minute, second, millisecond: Number(fraction.slice(0, 3).padEnd(3, '0')) };
  }

  /**
   * Date `ddmmyy` (RMC). Two-digit years follow the convention `@signalk/nmea0183-utilities` uses
   * (IEC 61162-1): 00–79 are 2000–2079, 80–99 are 1980–1999.
   */
  dateDdMmYy(index: number, label = 'date'): CalendarDate | undefined {
    const text = this.text(index);
    if (text === '') return undefined;
    const match = DATE_DDMMYY.exec(text);
    if (match === null) throw this.malformed(index, label, 'ddmmyy');
    const [day, month, yy] = match.slice(1, 4).map(Number) as [number, number, number];
    const year = yy < 80 ? 2000 + yy : 1900 + yy;
    if (!isCalendarDate(year, month, day)) throw this.malformed(index, label, 'a date that exists');
    return { year, month, day };
  }

  private coordinate(
    index: number,
    pattern: RegExp,
    maxDegrees: number,
    hemispheres: readonly [positive: string, negative: string],
    label: string,
  ): number | undefined {
    const text = this.text(index);
    const hemisphere = this.text(index + 1);
    if (text === '' && hemisphere === '') return undefined;
    const match = pattern.exec(text);
    if (match === null) throw this.malformed(index, label, maxDegrees === 90 ? 'ddmm.mmmm' : 'dddmm.mmmm');
    const degrees = Number(match[1]);
    const minutes = Number(match[2]);
    const value = degrees + minutes / 60;
    if (minutes >= 60 || value > maxDegrees) {
      throw this.malformed(index, label, `at most ${maxDegrees} degrees and minutes below 60`);
    }
    const [positive, negative] = hemispheres;
    if (hemisphere === positive) return value;
    // 0 - value rather than -value, so that the equator and the prime meridian stay +0, not -0.
    if (hemisphere === negative) return 0 - value;
    throw this.malformed(index + 1, `${label} hemisphere`, `${positive} or ${negative}`);
  }
}

export function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}
