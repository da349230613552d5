import {
  barsToPascals,
  celsiusToKelvin,
  degreesToRadians,
  percentToRatio,
  rpmToHertz,
} from '../conversions.js';
import type { TelemetryPoint } from '../types.js';
import { NmeaError } from './errors.js';
import type { DecodedFields } from './sentences.js';
import { SentenceFields } from './fields.js';

/**
 * XDR (transducer measurements): repeated groups of four fields, transducer type, value, unit and
 * transducer name. Names are free text chosen by the instrument maker, so a name becomes a Signal K
 * path only through the tables below; a group whose type, unit or name is not listed makes the whole
 * sentence `unsupported` (with the group in the message) rather than being stored under a guessed
 * path or silently dropped. Extend the tables (and the README) when a vessel reports a new name.
 */

/** Transducer types converted, with the units accepted for each and their conversion to SI. */
export const XDR_TRANSDUCER_TYPES: Readonly<
  Record<string, { quantity: string; units: Readonly<Record<string, (value: number) => number>> }>
> = {
  C: { quantity: 'temperature', units: { C: celsiusToKelvin } },
  P: { quantity: 'pressure', units: { B: barsToPascals, P: (pascals) => pascals } },
  A: { quantity: 'angular displacement', units: { D: degreesToRadians } },
  T: { quantity: 'tachometer', units: { R: rpmToHertz } },
  H: { quantity: 'humidity', units: { P: percentToRatio } },
};

/** Fixed transducer names (compared case-insensitively) and the path each type of reading goes to. */
export const XDR_NAMED_PATHS: readonly { type: string; names: readonly string[]; path: string }[] = [
  {
    type: 'C',
    names: ['AIRTEMP', 'TEMPAIR', 'ENV_OUTAIR_T', 'ENV_OUTSIDE_T'],
    path: 'environment.outside.temperature',
  },
  {
    type: 'C',
    names: ['WATERTEMP', 'TEMPWATER', 'SEA_T', 'ENV_WATER_T'],
    path: 'environment.water.temperature',
  },
  { type: 'C', names: ['ENV_INSIDE_T'], path: 'environment.inside.temperature' },
  { type: 'P', names: ['BARO', 'BAROMETER', 'ENV_ATMOS_P'], path: 'environment.outside.pressure' },
  { type: 'A', names: ['PTCH', 'PITCH'], path: 'navigation.attitude.pitch' },
  { type: 'A', names: ['ROLL', 'HEEL'], path: 'navigation.attitude.roll' },
  { type: 'A', names: ['RUDDER'], path: 'steering.rudderAngle' },
  { type: 'H', names: ['ENV_OUTSIDE_H'], path: 'environment.outside.relativeHumidity' },
  { type: 'H', names: ['ENV_INSIDE_H'], path: 'environment.inside.relativeHumidity' },
];

/**
 * Numbered engines and shafts, `ENGINE#0`, `ENGINE1`, `SHAFT#1` (the convention of OpenCPN's engine
 * dashboard and NMEA 2000 gateways), into the same `propulsion.engine_<n>` / `propulsion.shaft_<n>`
 * ids the RPM sentence uses, so an engine's RPM and XDR readings meet under one id.
 */
const NUMBERED_PROPULSION = /^(ENGINE|SHAFT)#?(\d+)$/i;
export const XDR_PROPULSION_PATHS: Readonly<Record<'ENGINE' | 'SHAFT', Readonly<Record<string, string>>>> = {
  ENGINE: { C: 'temperature', P: 'oilPressure', T: 'revolutions' },
  SHAFT: { T: 'revolutions' },
};

const namedPaths = new Map<string, string>(
  XDR_NAMED_PATHS.flatMap(({ type, names, path }) => names.map((name) => [`${type}:${name}`, path] as const)),
);

/** The Signal K path for a reading of transducer `type` named `name`, or `undefined` if none is listed. */
export function xdrPath(type: string, name: string): string | undefined {
  const upperName = name.trim().toUpperCase();
  const named = namedPaths.get(`${type}:${upperName}`);
  if (named !== undefined) return named;
  const numbered = NUMBERED_PROPULSION.exec(upperName);
  if (numbered === null) return undefined;
  const kind = numbered[1] as 'ENGINE' | 'SHAFT';
  const leaf = ownValue(XDR_PROPULSION_PATHS[kind], type);
  return leaf === undefined ? undefined : `propulsion.${kind.toLowerCase()}_${Number(numbered[2])}.${leaf}`;
}

const GROUP_SIZE = 4;

export function decodeXdr(raw: readonly string[]): DecodedFields {
  // Some instruments pad the sentence with null fields (`$WIXDR,C,022.0,C,,*52`): null fields after
  // the last whole group, and groups of four null fields, carry nothing and are ignored.
  const wholeGroups = Math.floor(raw.length / GROUP_SIZE) * GROUP_SIZE;
  const leftover = raw.slice(wholeGroups);
  if (wholeGroups === 0 || leftover.some((field) => field !== '')) {
    throw new NmeaError(
      'malformed',
      `XDR needs groups of four fields (type, value, unit, name), got ${raw.length} fields`,
    );
  }
  const fields = SentenceFields.atLeast('XDR', raw, GROUP_SIZE);
  const points: TelemetryPoint[] = [];
  for (let start = 0; start < wholeGroups; start += GROUP_SIZE) {
    if ([0, 1, 2, 3].every((offset) => fields.isNull(start + offset))) continue;
    const group = `XDR group ${start / GROUP_SIZE + 1}`;
    const type = fields.text(start);
    const unit = fields.text(start + 2);
    const name = fields.text(start + 3);
    if (type === '') throw fields.malformed(start, 'transducer type', 'a transducer type letter');
    const transducer = ownValue(XDR_TRANSDUCER_TYPES, type);
    if (transducer === undefined) {
      throw new NmeaError(
        'unsupported',
        `${group}: transducer type "${type}" is not supported (supported: ${Object.keys(XDR_TRANSDUCER_TYPES).join(', ')})`,
      );
    }
    const convert = ownValue(transducer.units, unit);
    if (convert === undefined) {
      throw new NmeaError(
        'unsupported',
        `${group}: unit "${unit}" for ${transducer.quantity} is not supported (supported: ${Object.keys(transducer.units).join(', ')})`,
      );
    }
    const path = xdrPath(type, name);
    if (path === undefined) {
      throw new NmeaError(
        'unsupported',
        `${group}: no Signal K path for ${transducer.quantity} transducer named "${name}"`,
      );
    }
    const measurement = fields.number(start + 1, `${transducer.quantity} measurement`);
    // A null measurement is a sensor with nothing to report right now: no point, not an error.
    if (measurement !== undefined) points.push({ path, value: convert(measurement) });
  }
  return { points };
}

/** `record[key]` for the record's own keys only: a field reading "constructor" must not find Object's. */
function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
