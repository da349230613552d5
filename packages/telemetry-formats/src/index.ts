export type { Position, TelemetryPoint } from './types.js';
export {
  KELVIN_AT_ZERO_CELSIUS,
  METRES_PER_SECOND_PER_KNOT,
  PASCALS_PER_BAR,
  RADIANS_PER_DEGREE,
  barsToPascals,
  celsiusToKelvin,
  degreesToRadians,
  kilometresPerHourToMetresPerSecond,
  knotsToMetresPerSecond,
  percentToRatio,
  rpmToHertz,
} from './conversions.js';
export { formatTimestamp, parseRfc3339 } from './rfc3339.js';

export { NmeaError, type NmeaErrorReason } from './nmea0183/errors.js';
export {
  type DecodedNmeaSentence,
  SUPPORTED_NMEA_SENTENCES,
  decodeNmea0183,
  parseNmea0183,
} from './nmea0183/parse.js';
export { timestampFromTimeOfDay } from './nmea0183/time-of-day.js';
export { XDR_NAMED_PATHS, XDR_PROPULSION_PATHS, XDR_TRANSDUCER_TYPES, xdrPath } from './nmea0183/xdr.js';

export {
  type ParsedSignalKDelta,
  type SignalKDelta,
  SignalKDeltaError,
  type SignalKDeltaErrorReason,
  type SignalKDeltaResult,
  SignalKDeltaSchema,
  type SignalKPoint,
  parseSignalKDelta,
  parseSignalKDeltas,
} from './signalk/delta.js';
export { type VesselIdentity, contextIsVessel, vesselIdFromContext } from './signalk/context.js';

export {
  KNOWN_PATHS,
  type KnownPath,
  MAX_FUTURE_SKEW_MS,
  type PointRejectionCode,
  type PointToValidate,
  type PointValidation,
  type SignalKUnit,
  type ValidationClock,
  type ValueKind,
  expectedUnit,
  isWellFormedPath,
  validatePoint,
  createPointValidator,
  type AcceptedTime,
} from './units.js';
