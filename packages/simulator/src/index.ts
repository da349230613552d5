export { type Random, createRandom, hashNoise, hashString, randomFromState, weightedPick } from './random.js';
export { PORTS, type Port, portByLocode } from './ports.js';
export { EARTH_RADIUS_NM, distanceNm, initialBearing, intermediatePoint, normalizeDegrees } from './geo.js';
export {
  FLAGS,
  type VesselIdentity,
  imoCheckDigit,
  isValidImo,
  isValidShipMmsi,
  vesselIdentity,
} from './identity.js';
export {
  SHIP_CLASSES,
  type ShipType,
  type VesselMode,
  type VesselSpec,
  type VesselState,
  createVesselSpec,
  initialState,
  mainEngineFuelTonnesPerDay,
  propellerRpm,
  step,
  tankLevel,
} from './vessel.js';
export {
  type ChannelPoint,
  FUEL_DENSITY_TONNES_PER_M3,
  MGO_DENSITY_TONNES_PER_M3,
  MIN_CHANNELS,
  type Sample,
  channelPaths,
  channelPoints,
  draftM,
} from './channels.js';
export {
  type Batch,
  type CanonicalBatch,
  type CanonicalPoint,
  type ContextKind,
  type EncodeOptions,
  type EncodedBatch,
  NMEA_PATHS,
  type SignalKDeltaMessage,
  type SignalKUpdate,
  TELEMETRY_FORMATS,
  type TelemetryFormat,
  bodyText,
  encodeBatch,
  encodeCanonical,
  encodeNmea,
  encodeSignalK,
  nmeaChecksum,
  signalKContext,
} from './encoders.js';
export {
  type Delivery,
  type FaultInjector,
  type FaultKind,
  type FaultOutcome,
  type FaultRates,
  createFaultInjector,
} from './faults.js';
export { type NoonReport, beaufort, firstNoonAfter, noonReport } from './noon-reports.js';
export {
  type Fleet,
  type FleetOptions,
  type Simulation,
  type SimulationOptions,
  type SimulationOutput,
  type VesselNoonReport,
  createFleet,
  createSimulation,
} from './fleet.js';
