import { type Sample, MIN_CHANNELS, channelPoints } from './channels.js';
import { type Batch, TELEMETRY_FORMATS, type TelemetryFormat } from './encoders.js';
import { vesselIdentity } from './identity.js';
import { type NoonReport, firstNoonAfter, noonReport } from './noon-reports.js';
import { createRandom, weightedPick } from './random.js';
import { type VesselSpec, type VesselState, createVesselSpec, initialState, step } from './vessel.js';

export interface FleetOptions {
  seed: number | string;
  /** Default 650. */
  vessels?: number;
  /** A number of equally weighted tenants (default 5), or one weight per tenant. */
  tenants?: number | readonly number[];
  /** Channels per vessel, default 200. */
  channels?: number;
  /** Simulated start: epoch milliseconds, a Date or an RFC 3339 string. */
  start: number | Date | string;
}

export interface Fleet {
  readonly seed: string;
  readonly start: number;
  readonly channels: number;
  readonly tenants: number;
  /** Vessel `index` is its position here; `tenantIndex` says which of the caller's tenants owns it. */
  readonly vessels: readonly VesselSpec[];
}

/**
 * The fleet's vessels, deterministic in the seed. Each vessel's particulars come from its own stream
 * (seed and index), and tenants are dealt by smooth weighted round-robin, which depends on the index
 * alone: a larger fleet keeps the smaller one's vessels unchanged and adds to them.
 */
export function createFleet(options: FleetOptions): Fleet {
  const { vessels = 650, tenants = 5, channels = 200 } = options;
  const start = typeof options.start === 'number' ? options.start : new Date(options.start).getTime();
  if (!Number.isFinite(start)) throw new RangeError(`start is not a time: ${String(options.start)}`);
  if (!Number.isInteger(vessels) || vessels < 0 || vessels > 100_000) {
    throw new RangeError(`vessels must be an integer in [0, 100000], got ${vessels}`);
  }
  if (!Number.isInteger(channels) || channels < MIN_CHANNELS) {
    throw new RangeError(`channels must be an integer ≥ ${MIN_CHANNELS}, got ${channels}`);
  }
  const weights = typeof tenants === 'number' ? Array.from({ length: tenants }, () => 1) : [...tenants];
  if (weights.length === 0 || weights.some((weight) => !(weight >= 0)) || !weights.some((w) => w > 0)) {
    throw new RangeError('tenants needs at least one tenant and weights ≥ 0, not all 0');
  }

  const seed = String(options.seed);
  const root = createRandom(seed);
  const offsetStream = root.fork('identity-offsets');
  const offsets = { imo: offsetStream.int(0, 99_999), mmsi: offsetStream.int(0, 999_999) };
  const tenantOf = tenantDealer(weights);
  const specs = Array.from({ length: vessels }, (_, index) => {
    const vesselSeed = `${seed}/vessel/${index}`;
    const random = createRandom(vesselSeed);
    const identity = vesselIdentity(index, offsets, random.fork('identity'));
    return createVesselSpec(
      { index, seed: vesselSeed, tenantIndex: tenantOf(index), ...identity },
      random.fork('particulars'),
    );
  });
  return Object.freeze({ seed, start, channels, tenants: weights.length, vessels: Object.freeze(specs) });
}

/** Smooth weighted round-robin (as nginx balances upstreams): interleaved, exact in the long run. */
function tenantDealer(weights: readonly number[]): (index: number) => number {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const current = weights.map(() => 0);
  const dealt: number[] = [];
  return (index) => {
    while (dealt.length <= index) {
      let best = 0;
      weights.forEach((weight, tenant) => {
        current[tenant] = (current[tenant] ?? 0) + weight;
        if ((current[tenant] ?? 0) > (current[best] ?? 0)) best = tenant;
      });
      current[best] = (current[best] ?? 0) - total;
      dealt.push(best);
    }
    return dealt[index] ?? 0;
  };
}

export interface SimulationOptions {
  /** Simulated seconds between samples of every channel; default 1. */
  sampleSeconds?: number;
  /** Simulated seconds of samples per batch (one satellite transmission); default 60. */
  batchSeconds?: number;
  /** Share of vessels per format; default 60 % JSON, 25 % Signal K, 15 % NMEA. */
  formatMix?: Partial<Record<TelemetryFormat, number>>;
  /** Simulated seconds per wall-clock second, for `advanceWallClock`; default 1. */
  acceleration?: number;
  /** Noon reports at 12:00 UTC; default true. */
  noonReports?: boolean;
  /**
   * Refuse settings whose batches would carry more points than this; default 20,000, the API's
   * MAX_POINTS_PER_REQUEST default (above it the API answers 413).
   */
  maxPointsPerBatch?: number;
}

export interface VesselNoonReport {
  vessel: VesselSpec;
  report: NoonReport;
}

export interface SimulationOutput {
  /** Batches completed, ordered by their last sample's time, then by vessel. */
  batches: Batch[];
  noonReports: VesselNoonReport[];
}

export interface Simulation {
  readonly fleet: Fleet;
  /** Simulated time, epoch milliseconds. */
  readonly now: number;
  readonly acceleration: number;
  state(index: number): VesselState;
  /** The format vessel `index`'s gateway speaks (fixed per vessel, as a gateway is). */
  format(index: number): TelemetryFormat;
  /** Advances every vessel by simulated seconds; the result does not depend on how time is sliced. */
  advance(simulatedSeconds: number): SimulationOutput;
  /** `advance(wallSeconds × acceleration)`. */
  advanceWallClock(wallSeconds: number): SimulationOutput;
  /** Batches of the samples taken since each vessel's last batch (at the end of a run). */
  flush(): Batch[];
}

const DEFAULT_FORMAT_MIX: Record<TelemetryFormat, number> = { json: 0.6, signalk: 0.25, nmea: 0.15 };

interface Track {
  state: VesselState;
  format: TelemetryFormat;
  samplesTaken: number;
  batchEnd: number;
  pending: Sample[];
  sequence: number;
  reportedFrom: VesselState;
  nextNoon: number;
}

/**
 * Runs the fleet in simulated time. Timestamps are simulated: with an acceleration above 1 they run
 * ahead of the wall clock, and the API refuses points more than 5 minutes ahead of its clock (and
 * noon reports more than 15 minutes ahead). Start far enough in the past, e.g. `start = now −
 * (acceleration − 1) × run length`, so that simulated time reaches the present when the run ends; and
 * not before the API's retention (30 days by default).
 */
export function createSimulation(fleet: Fleet, options: SimulationOptions = {}): Simulation {
  const { sampleSeconds = 1, batchSeconds = 60, acceleration = 1, noonReports = true } = options;
  const { maxPointsPerBatch = 20_000 } = options;
  if (!(sampleSeconds > 0) || !(batchSeconds >= sampleSeconds) || !(acceleration > 0)) {
    throw new RangeError('need sampleSeconds > 0, batchSeconds ≥ sampleSeconds and acceleration > 0');
  }
  const pointsPerBatch = fleet.channels * Math.ceil(batchSeconds / sampleSeconds);
  if (pointsPerBatch > maxPointsPerBatch) {
    throw new RangeError(
      `${fleet.channels} channels × ${Math.ceil(batchSeconds / sampleSeconds)} samples = ${pointsPerBatch} points per batch, more than ${maxPointsPerBatch}`,
    );
  }
  const mix = { ...DEFAULT_FORMAT_MIX, ...options.formatMix };
  if (Object.values(mix).some((share) => !(share >= 0))) throw new RangeError('format shares must be ≥ 0');
  const sampleMs = sampleSeconds * 1000;
  const batchMs = batchSeconds * 1000;
  const firstNoon = firstNoonAfter(fleet.start);
  let now = fleet.start;

  const tracks: Track[] = fleet.vessels.map((spec) => {
    const random = createRandom(spec.seed).fork('link');
    const state = initialState(spec, fleet.start);
    // Staggered links: the fleet's batches do not all arrive in the same second.
    const phase = random.int(0, Math.max(0, Math.floor(batchSeconds) - 1)) * 1000;
    return {
      state,
      format: weightedPick(random, TELEMETRY_FORMATS, (format) => mix[format]),
      samplesTaken: 0,
      batchEnd: fleet.start + batchMs - phase,
      pending: [],
      sequence: 0,
      reportedFrom: state,
      nextNoon: firstNoon,
    };
  });

  const cut = (track: Track): Batch => {
    const batch = {
      vessel: track.state.spec,
      sequence: track.sequence,
      format: track.format,
      samples: track.pending,
    };
    track.sequence += 1;
    track.pending = [];
    return batch;
  };

  const trackAt = (index: number): Track => {
    const track = tracks[index];
    if (track === undefined) throw new RangeError(`no vessel ${index}`);
    return track;
  };

  const advance = (simulatedSeconds: number): SimulationOutput => {
    if (!(simulatedSeconds >= 0)) throw new RangeError(`cannot advance by ${simulatedSeconds} s`);
    const target = now + simulatedSeconds * 1000;
    const batches: Batch[] = [];
    const reports: VesselNoonReport[] = [];
    for (const track of tracks) {
      for (;;) {
        const nextSample = fleet.start + (track.samplesTaken + 1) * sampleMs;
        const nextNoon = noonReports ? track.nextNoon : Infinity;
        const next = Math.min(nextSample, nextNoon);
        if (next > target) break;
        track.state = step(track.state, (next - track.state.time) / 1000);
        if (next === nextNoon) {
          reports.push({ vessel: track.state.spec, report: noonReport(track.reportedFrom, track.state) });
          track.reportedFrom = track.state;
          track.nextNoon += 24 * 3_600_000;
        }
        if (next === nextSample) {
          track.samplesTaken += 1;
          track.pending.push({ time: next, points: channelPoints(track.state, fleet.channels) });
          if (next >= track.batchEnd) {
            batches.push(cut(track));
            while (track.batchEnd <= next) track.batchEnd += batchMs;
          }
        }
      }
    }
    now = target;
    batches.sort(
      (a, b) =>
        (a.samples.at(-1)?.time ?? 0) - (b.samples.at(-1)?.time ?? 0) || a.vessel.index - b.vessel.index,
    );
    return { batches, noonReports: reports };
  };

  return {
    fleet,
    get now() {
      return now;
    },
    acceleration,
    state: (index) => trackAt(index).state,
    format: (index) => trackAt(index).format,
    advance,
    advanceWallClock: (wallSeconds) => advance(wallSeconds * acceleration),
    flush: () => tracks.filter((track) => track.pending.length > 0).map(cut),
  };
}
