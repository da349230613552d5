import { CII_RATINGS, type CiiRating } from '@fleetwatch/cii';
import { withPlatformAccess } from '@fleetwatch/db';
import type { FleetRegistryView } from '@fleetwatch/fleet-registry';
import { registeredOnce, silentLogger, type Logger } from '@fleetwatch/messaging';
import type pg from 'pg';
import { Gauge, type Registry } from 'prom-client';
import { yearTotals } from './db/noon-reports.js';
import { assessFleetCii, calendarYear } from './domain/fleet-cii.js';

export const LAST_SEEN_METRIC = 'fleet_vessel_last_seen_timestamp_seconds';
export const REPORTING_METRIC = 'fleet_vessels_reporting';
export const CII_RATING_METRIC = 'fleet_vessels_by_cii_rating';

/** A vessel counts as reporting when its newest telemetry is at most this old. */
export const REPORTING_WINDOW_MS = 15 * 60_000;
const DEFAULT_TELEMETRY_CACHE_MS = 30_000;
const DEFAULT_CII_MAX_AGE_MS = 5 * 60_000;
/** The scrape waits for the latest-telemetry query at most this long (server side). */
const TELEMETRY_STATEMENT_TIMEOUT_MS = 5_000;

export interface FleetMetricsOptions {
  /** The app role's pool; the queries run with platform access (every tenant's rows). */
  pool: pg.Pool;
  /** Ship type and tonnage for the CII, archived flags. */
  registry: FleetRegistryView;
  metricsRegistry: Registry;
  logger?: Logger;
  /** The clock: the reporting window, the CII year, the cache ages. */
  now?: () => Date;
  /** How long one reading of the latest telemetry serves scrapes. Default 30 s. */
  telemetryCacheMs?: number;
  /**
   * How old the CII ratings may get: a scrape after that starts a refresh in the background and is
   * answered with the ratings it has. Default 5 min.
   */
  ciiMaxAgeMs?: number;
}

/** The newest telemetry time of a vessel. */
export interface VesselLastSeen {
  tenantId: string;
  vesselId: string;
  /** Unix seconds. */
  lastSeen: number;
}

/** Vessels rated per tenant and rating; tenants without any rated vessel are left out. */
export type RatingsByTenant = Map<string, Record<CiiRating, number>>;

/**
 * Reads a value at most once per `maxAgeMs`, however many scrapes ask: concurrent callers share the
 * reading in flight, which they wait for.
 */
function cachedReading<T>(read: () => Promise<T>, maxAgeMs: number, clock: () => number): () => Promise<T> {
  let cached: { value: T; at: number } | undefined;
  let inFlight: Promise<T> | undefined;
  return async () => {
    if (cached !== undefined && clock() - cached.at < maxAgeMs) return cached.value;
    inFlight ??= read()
      .then((value) => {
        cached = { value, at: clock() };
        return value;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}

/**
 * A value read in the background, never waited for: a caller gets the latest value read (undefined
 * until the first reading ends) and, when that is missing or older than `maxAgeMs`, starts a new
 * reading unless one is running.
 */
function backgroundReading<T>(
  read: () => Promise<T>,
  maxAgeMs: number,
  clock: () => number,
  onError: (error: unknown) => void,
): () => T | undefined {
  let cached: { value: T; at: number } | undefined;
  let reading = false;
  return () => {
    if (!reading && (cached === undefined || clock() - cached.at >= maxAgeMs)) {
      reading = true;
      read()
        .then((value) => {
          cached = { value, at: clock() };
        }, onError)
        .finally(() => {
          reading = false;
        });
    }
    return cached?.value;
  };
}

/** What the gauges of one registry read; replaced by a later reportFleetMetrics call. */
interface FleetSource {
  lastSeen: () => Promise<VesselLastSeen[]>;
  /** Undefined until the first computation has finished. */
  ratings: () => RatingsByTenant | undefined;
  now: () => Date;
  logger: Logger;
}

const sourcesByRegistry = new WeakMap<Registry, { source: FleetSource | undefined }>();

/**
 * The fleet gauges, computed at scrape time from PostgreSQL across tenants (platform access, in
 * their own transactions, never within a request):
 *
 * - fleet_vessel_last_seen_timestamp_seconds{tenant, vessel} and fleet_vessels_reporting{tenant}
 *   from one query of telemetry_latest, cached for 30 s; archived vessels are left out.
 * - fleet_vessels_by_cii_rating{tenant, rating} from the same query and rating as GET /fleet/cii
 *   (current UTC year, year-to-date rating), computed in the background, never waited for by a
 *   scrape: the first scrape starts it (the series appear once it is done), and a scrape that finds
 *   the ratings older than 5 min starts a new computation and is answered with the older ratings.
 *
 * Meant for the API process only (every replica reports the same values: aggregate with max by).
 * Returns a function that stops reporting; a later call for the same registry replaces this one.
 */
export function reportFleetMetrics(options: FleetMetricsOptions): () => void {
  const {
    pool,
    registry,
    metricsRegistry,
    logger = silentLogger,
    now = () => new Date(),
    telemetryCacheMs = DEFAULT_TELEMETRY_CACHE_MS,
    ciiMaxAgeMs = DEFAULT_CII_MAX_AGE_MS,
  } = options;
  const clock = () => now().getTime();
  let stopped = false;
  const source: FleetSource = {
    now,
    logger,
    lastSeen: cachedReading(
      async () => {
        const rows = await readLastSeen(pool);
        // An archived vessel is no longer expected to report; one the view does not know is kept.
        return rows.filter((row) => registry.vessel(row.vesselId)?.archived !== true);
      },
      telemetryCacheMs,
      clock,
    ),
    // About a second for 650 vessels with a year of noon reports: never waited for by a scrape.
    ratings: backgroundReading(
      () => readRatings(pool, registry, now(), logger),
      ciiMaxAgeMs,
      clock,
      (error) => {
        // A computation still running when the process shuts down fails with its pool: not news.
        if (!stopped)
          logger.warn({ err: error, metric: CII_RATING_METRIC }, 'could not compute the fleet CII ratings');
      },
    ),
  };
  const state = fleetGauges(metricsRegistry);
  state.source = source;
  return () => {
    stopped = true;
    if (state.source === source) state.source = undefined;
  };
}

/** The newest telemetry time of every vessel with telemetry, across tenants. */
export async function readLastSeen(pool: pg.Pool): Promise<VesselLastSeen[]> {
  return withPlatformAccess(pool, async (client) => {
    await client.query("SELECT set_config('statement_timeout', $1, true)", [
      String(TELEMETRY_STATEMENT_TIMEOUT_MS),
    ]);
    // telemetry_latest holds one row per vessel and path: a few dozen per vessel, read whole.
    const { rows } = await client.query<{ tenant_id: string; vessel_id: string; last_seen: number }>(
      `SELECT tenant_id, vessel_id, extract(epoch FROM max(ts))::float8 AS last_seen
         FROM performance.telemetry_latest
        GROUP BY tenant_id, vessel_id`,
    );
    return rows.map((row) => ({ tenantId: row.tenant_id, vesselId: row.vessel_id, lastSeen: row.last_seen }));
  });
}

/**
 * The vessels per tenant and year-to-date CII rating for `now`'s year, as GET /fleet/cii rates them;
 * vessels that are not rated (below 5,000 GT, not in the registry, no DWT or distance) are left out.
 */
export async function readRatings(
  pool: pg.Pool,
  registry: FleetRegistryView,
  now: Date,
  logger: Logger = silentLogger,
): Promise<RatingsByTenant> {
  const started = performance.now();
  const year = now.getUTCFullYear();
  const totals = await withPlatformAccess(pool, (client) => yearTotals(client, calendarYear(year)));
  const queried = performance.now();
  const vessels = assessFleetCii({ totals, vessel: (id) => registry.vessel(id), year, now });
  const ratings: RatingsByTenant = new Map();
  for (const { vessel, rating } of vessels) {
    if (vessel === null || rating === null) continue;
    let counts = ratings.get(vessel.tenantId);
    if (counts === undefined) {
      counts = { A: 0, B: 0, C: 0, D: 0, E: 0 };
      ratings.set(vessel.tenantId, counts);
    }
    counts[rating] += 1;
  }
  logger.debug(
    {
      year,
      vessels: vessels.length,
      queryMs: Math.round(queried - started),
      rateMs: Math.round(performance.now() - queried),
    },
    'fleet CII ratings computed for the metrics',
  );
  return ratings;
}

/** The gauges of one registry, created once; they read whatever source is current at scrape time. */
function fleetGauges(metricsRegistry: Registry): { source: FleetSource | undefined } {
  const existing = sourcesByRegistry.get(metricsRegistry);
  if (existing) return existing;
  const state: { source: FleetSource | undefined } = { source: undefined };
  sourcesByRegistry.set(metricsRegistry, state);

  /** Rebuilds the gauge at every scrape; a failing query leaves its series out and is logged. */
  const collecting = <T>(
    metric: string,
    read: (source: FleetSource) => Promise<T> | T,
    fill: (value: T, now: Date) => void,
  ) =>
    async function (this: Gauge<string>): Promise<void> {
      this.reset();
      const { source } = state;
      if (source === undefined) return;
      try {
        fill(await read(source), source.now());
      } catch (error) {
        source.logger.warn({ err: error, metric }, 'could not read the fleet metrics');
      }
    };

  registeredOnce(metricsRegistry, LAST_SEEN_METRIC, Gauge, () => {
    const gauge: Gauge<'tenant' | 'vessel'> = new Gauge({
      name: LAST_SEEN_METRIC,
      help: 'Time of the newest telemetry point of the vessel (its timestamp, from telemetry_latest), in Unix seconds; archived vessels are left out; read at most every 30 s',
      labelNames: ['tenant', 'vessel'],
      registers: [metricsRegistry],
      collect: collecting(
        LAST_SEEN_METRIC,
        (source) => source.lastSeen(),
        (vessels) => {
          for (const { tenantId, vesselId, lastSeen } of vessels)
            gauge.set({ tenant: tenantId, vessel: vesselId }, lastSeen);
        },
      ),
    });
    return gauge;
  });

  registeredOnce(metricsRegistry, REPORTING_METRIC, Gauge, () => {
    const gauge: Gauge<'tenant'> = new Gauge({
      name: REPORTING_METRIC,
      help: 'Vessels of the tenant whose newest telemetry point is at most 15 minutes old; tenants whose vessels have telemetry, archived vessels left out; read at most every 30 s',
      labelNames: ['tenant'],
      registers: [metricsRegistry],
      collect: collecting(
        REPORTING_METRIC,
        (source) => source.lastSeen(),
        (vessels, now) => {
          const since = (now.getTime() - REPORTING_WINDOW_MS) / 1000;
          const reporting = new Map<string, number>();
          for (const { tenantId, lastSeen } of vessels)
            reporting.set(tenantId, (reporting.get(tenantId) ?? 0) + (lastSeen >= since ? 1 : 0));
          for (const [tenant, count] of reporting) gauge.set({ tenant }, count);
        },
      ),
    });
    return gauge;
  });

  registeredOnce(metricsRegistry, CII_RATING_METRIC, Gauge, () => {
    const gauge: Gauge<'tenant' | 'rating'> = new Gauge({
      name: CII_RATING_METRIC,
      help: 'Vessels of the tenant per IMO CII rating (A-E) attained in the current UTC year to date, as GET /fleet/cii rates them; vessels not rated are left out, tenants with a rated vessel get all five ratings; computed in the background when a scrape finds them missing or older than 5 minutes',
      labelNames: ['tenant', 'rating'],
      registers: [metricsRegistry],
      collect: collecting(
        CII_RATING_METRIC,
        (source) => source.ratings(),
        (ratings) => {
          for (const [tenant, counts] of ratings ?? [])
            for (const rating of CII_RATINGS) gauge.set({ tenant, rating }, counts[rating]);
        },
      ),
    });
    return gauge;
  });

  return state;
}
