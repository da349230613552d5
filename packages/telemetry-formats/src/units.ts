import { formatTimestamp, parseRfc3339 } from './rfc3339.js';

/**
 * The one place that says which Signal K paths the platform stores and in which unit, and how far a
 * point's timestamp may be ahead of the receiving clock. Paths not listed here are refused by
 * `validatePoint`: a value whose unit we do not know cannot be compared, charted or converted, so it is
 * better reported than stored. Add a row here (and to the README) to accept a new path.
 */

/** SI units as Signal K names them; `deg` only for navigation.position, `RFC 3339` for date-times. */
export type SignalKUnit =
  'deg' | 'm/s' | 'rad' | 'K' | 'Pa' | 'Hz' | 's' | 'm' | 'm3/s' | 'ratio' | 'RFC 3339';

/** What a path's value must look like. */
export type ValueKind = 'number' | 'position' | 'date-time';

export interface KnownPath {
  /** Dot-separated Signal K path; `*` stands for one id segment (`propulsion.*.revolutions`). */
  readonly pattern: string;
  readonly unit: SignalKUnit;
  readonly kind: ValueKind;
}

const number = (pattern: string, unit: Exclude<SignalKUnit, 'deg' | 'RFC 3339'>): KnownPath => ({
  pattern,
  unit,
  kind: 'number',
});

export const KNOWN_PATHS: readonly KnownPath[] = [
  // Navigation (NMEA RMC, GGA, VTG, HDT, ZDA and Signal K)
  { pattern: 'navigation.position', unit: 'deg', kind: 'position' },
  { pattern: 'navigation.datetime', unit: 'RFC 3339', kind: 'date-time' },
  number('navigation.speedOverGround', 'm/s'),
  number('navigation.speedThroughWater', 'm/s'),
  number('navigation.courseOverGroundTrue', 'rad'),
  number('navigation.courseOverGroundMagnetic', 'rad'),
  number('navigation.headingTrue', 'rad'),
  number('navigation.headingMagnetic', 'rad'),
  number('navigation.magneticVariation', 'rad'),
  number('navigation.attitude.roll', 'rad'),
  number('navigation.attitude.pitch', 'rad'),
  number('steering.rudderAngle', 'rad'),
  // Propulsion (NMEA RPM, XDR and Signal K)
  number('propulsion.*.revolutions', 'Hz'),
  number('propulsion.*.runTime', 's'),
  number('propulsion.*.fuel.rate', 'm3/s'),
  number('propulsion.*.engineLoad', 'ratio'),
  number('propulsion.*.temperature', 'K'),
  number('propulsion.*.oilTemperature', 'K'),
  number('propulsion.*.coolantTemperature', 'K'),
  number('propulsion.*.exhaustTemperature', 'K'),
  number('propulsion.*.oilPressure', 'Pa'),
  // Environment (NMEA XDR and Signal K)
  number('environment.wind.speedApparent', 'm/s'),
  number('environment.wind.angleApparent', 'rad'),
  number('environment.wind.speedTrue', 'm/s'),
  number('environment.wind.directionTrue', 'rad'),
  number('environment.outside.temperature', 'K'),
  number('environment.outside.pressure', 'Pa'),
  number('environment.outside.relativeHumidity', 'ratio'),
  number('environment.inside.temperature', 'K'),
  number('environment.inside.relativeHumidity', 'ratio'),
  number('environment.water.temperature', 'K'),
  number('environment.depth.belowKeel', 'm'),
  // Tanks and design
  number('tanks.fuel.*.currentLevel', 'ratio'),
  number('design.draft.current', 'm'),
];

/** How far a point's timestamp may be ahead of the receiving clock (vessel clocks drift). */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

/** One path segment: a Signal K key or id such as `propulsion`, `engine_1`, `0` or `main-engine`. */
const SEGMENT = '[A-Za-z0-9_-]+';
const WELL_FORMED_PATH = new RegExp(`^${SEGMENT}(?:\\.${SEGMENT})*$`);

const exactPaths = new Map<string, KnownPath>();
const wildcardPaths: { regex: RegExp; known: KnownPath }[] = [];
for (const known of KNOWN_PATHS) {
  if (known.pattern.includes('*')) {
    const source = known.pattern
      .split('.')
      .map((segment) => (segment === '*' ? SEGMENT : segment))
      .join('\\.');
    wildcardPaths.push({ regex: new RegExp(`^${source}$`), known });
  } else {
    exactPaths.set(known.pattern, known);
  }
}

export function isWellFormedPath(path: string): boolean {
  return WELL_FORMED_PATH.test(path);
}

function knownPath(path: string): KnownPath | undefined {
  const exact = exactPaths.get(path);
  if (exact !== undefined) return exact;
  if (!isWellFormedPath(path)) return undefined;
  return wildcardPaths.find(({ regex }) => regex.test(path))?.known;
}

/** The SI unit the platform stores `path` in, or `undefined` when the path is not in `KNOWN_PATHS`. */
export function expectedUnit(path: string): SignalKUnit | undefined {
  return knownPath(path)?.unit;
}

export type PointRejectionCode =
  | 'malformed-path'
  | 'unknown-path'
  | 'invalid-value'
  | 'missing-timestamp'
  | 'invalid-timestamp'
  | 'future-timestamp'
  | 'expired-timestamp';

export type PointValidation = { ok: true } | { ok: false; code: PointRejectionCode; reason: string };

export interface PointToValidate {
  path: string;
  value: unknown;
  timestamp?: string;
}

export interface ValidationClock {
  /** The receiving clock. */
  now: Date;
  /** Points older than this (relative to `now`) are past the store's retention and refused. */
  retentionMs: number;
}

/**
 * Checks one point before it is stored: a known path, a value of the path's kind (finite numbers; a
 * position with latitude in [-90, 90] and longitude in [-180, 180]; a date-time in RFC 3339), and a
 * timestamp at most `MAX_FUTURE_SKEW_MS` ahead of `now` and at most `retentionMs` behind it (both
 * bounds inclusive). A point without a timestamp is refused: stamp it (e.g. with the receive time)
 * first, so the decision of which clock to trust is the caller's and is made explicitly.
 * `code` is stable (for metrics and tests); `reason` is for people and does not repeat the path,
 * which the caller already has.
 */
export function validatePoint(point: PointToValidate, clock: ValidationClock): PointValidation {
  const verdict = createPointValidator(clock)(point);
  return verdict.ok ? { ok: true } : verdict;
}

/** An accepted point's timestamp: epoch milliseconds and the canonical form (UTC, milliseconds, `Z`). */
export interface AcceptedTime {
  readonly ok: true;
  readonly time: number;
  readonly canonicalTimestamp: string;
}

/** How many distinct timestamps a validator remembers before it starts over. */
const REMEMBERED_TIMESTAMPS = 4096;

/**
 * `validatePoint` for the many points of one request against one clock, with the same verdicts. The
 * points of a batch share a few dozen paths and one timestamp per second of data, so each path's
 * verdict and each timestamp's parse are remembered (up to REMEMBERED_TIMESTAMPS timestamps); values
 * are checked point by point. An accepted point's verdict carries its time and canonical timestamp.
 */
export function createPointValidator(
  clock: ValidationClock,
): (point: PointToValidate) => AcceptedTime | Exclude<PointValidation, { ok: true }> {
  if (!Number.isFinite(clock.retentionMs) || clock.retentionMs < 0) {
    throw new RangeError(`retentionMs must be a non-negative finite number, got ${clock.retentionMs}`);
  }
  const now = clock.now.getTime();
  const paths = new Map<string, KnownPath | Rejection>();
  const timestamps = new Map<string, AcceptedTime | Rejection>();

  function pathVerdict(path: string): KnownPath | Rejection {
    if (!isWellFormedPath(path)) {
      return reject('malformed-path', `path ${JSON.stringify(path)} is not a dot-separated Signal K path`);
    }
    return knownPath(path) ?? reject('unknown-path', 'the path is not one with a known unit (KNOWN_PATHS)');
  }

  function timestampVerdict(timestamp: string): AcceptedTime | Rejection {
    const time = parseRfc3339(timestamp);
    if (time === undefined) {
      return reject('invalid-timestamp', `timestamp ${JSON.stringify(timestamp)} is not RFC 3339`);
    }
    if (time > now + MAX_FUTURE_SKEW_MS) {
      return reject(
        'future-timestamp',
        `timestamp ${timestamp} is more than ${MAX_FUTURE_SKEW_MS / 60_000} minutes ahead of ${formatTimestamp(now)}`,
      );
    }
    if (time < now - clock.retentionMs) {
      return reject(
        'expired-timestamp',
        `timestamp ${timestamp} is older than the retention of ${clock.retentionMs} ms`,
      );
    }
    return { ok: true, time, canonicalTimestamp: formatTimestamp(time) };
  }

  return ({ path, value, timestamp }) => {
    let known = paths.get(path);
    if (known === undefined) {
      known = pathVerdict(path);
      paths.set(path, known);
    }
    if ('ok' in known) return known;
    const valueProblem = checkValue(known, value);
    if (valueProblem !== undefined) return reject('invalid-value', valueProblem);
    if (timestamp === undefined) return reject('missing-timestamp', 'the point has no timestamp');
    let verdict = timestamps.get(timestamp);
    if (verdict === undefined) {
      verdict = timestampVerdict(timestamp);
      if (timestamps.size >= REMEMBERED_TIMESTAMPS) timestamps.clear();
      timestamps.set(timestamp, verdict);
    }
    return verdict;
  };
}

type Rejection = Exclude<PointValidation, { ok: true }>;

function reject(code: PointRejectionCode, reason: string): Rejection {
  return { ok: false, code, reason };
}

/** Why `value` does not fit `known`, or `undefined` when it does. */
function checkValue(known: KnownPath, value: unknown): string | undefined {
  switch (known.kind) {
    case 'number':
      return isFiniteNumber(value)
        ? undefined
        : `expected a finite number (${known.unit}), got ${describe(value)}`;
    case 'date-time':
      return typeof value === 'string' && parseRfc3339(value) !== undefined
        ? undefined
        : `expected an RFC 3339 date-time, got ${describe(value)}`;
    case 'position':
      return checkPosition(value);
  }
}

function checkPosition(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) {
    return `expected { latitude, longitude } in degrees, got ${describe(value)}`;
  }
  const { latitude, longitude } = value as { latitude?: unknown; longitude?: unknown };
  if (!isFiniteNumber(latitude) || latitude < -90 || latitude > 90) {
    return `latitude must be a finite number in [-90, 90], got ${describe(latitude)}`;
  }
  if (!isFiniteNumber(longitude) || longitude < -180 || longitude > 180) {
    return `longitude must be a finite number in [-180, 180], got ${describe(longitude)}`;
  }
  return undefined;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A short rendering of a rejected value for messages (JSON.stringify turns NaN into null). */
function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  let json: string | undefined;
  try {
    // Typed as string, but undefined for functions, symbols and undefined itself.
    json = JSON.stringify(value);
  } catch {
    json = undefined; // circular structures
  }
  if (json === undefined) return typeof value;
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
