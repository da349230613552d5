import type pg from 'pg';

export interface LatestValue {
  path: string;
  ts: Date;
  value: unknown;
}

const VALUE = 'coalesce(to_jsonb(value_num), value_json) AS value';

export async function latestValues(client: pg.ClientBase, vesselId: string): Promise<LatestValue[]> {
  const { rows } = await client.query<LatestValue>(
    `SELECT path, ts, ${VALUE} FROM performance.telemetry_latest WHERE vessel_id = $1 ORDER BY path`,
    [vesselId],
  );
  return rows;
}

export type Resolution = 'raw' | '1m' | '1h';

export interface RawSample {
  ts: Date;
  value: unknown;
}

export interface AggregateSample {
  ts: Date;
  min: number;
  max: number;
  avg: number;
  count: number;
}

export async function rawSeries(
  client: pg.ClientBase,
  query: { vesselId: string; path: string; from: Date; to: Date; limit: number },
): Promise<RawSample[]> {
  const { rows } = await client.query<RawSample>(
    `SELECT ts, ${VALUE} FROM performance.telemetry_points
      WHERE vessel_id = $1 AND path = $2 AND ts >= $3 AND ts < $4
      ORDER BY ts LIMIT $5`,
    [query.vesselId, query.path, query.from, query.to, query.limit],
  );
  return rows;
}

export async function rollupSeries(
  client: pg.ClientBase,
  resolution: '1m' | '1h',
  query: { vesselId: string; path: string; from: Date; to: Date; limit: number },
): Promise<AggregateSample[]> {
  const table = resolution === '1m' ? 'performance.telemetry_rollup_1m' : 'performance.telemetry_rollup_1h';
  const { rows } = await client.query<AggregateSample>(
    `SELECT bucket AS ts, min, max, sum / count AS avg, count::integer AS count FROM ${table}
      WHERE vessel_id = $1 AND path = $2 AND bucket >= $3 AND bucket < $4
      ORDER BY bucket LIMIT $5`,
    [query.vesselId, query.path, query.from, query.to, query.limit],
  );
  return rows;
}

/** Positions in the range, thinned evenly to at most `limit` (first and last kept). */
export async function track(
  client: pg.ClientBase,
  query: { vesselId: string; from: Date; to: Date; limit: number },
): Promise<{ ts: Date; latitude: number; longitude: number }[]> {
  const { rows } = await client.query<{ ts: Date; latitude: number; longitude: number }>(
    `WITH positions AS (
       SELECT ts, (value_json->>'latitude')::float8 AS latitude, (value_json->>'longitude')::float8 AS longitude,
              row_number() OVER (ORDER BY ts) AS n, count(*) OVER () AS total
         FROM performance.telemetry_points
        WHERE vessel_id = $1 AND path = 'navigation.position' AND ts >= $2 AND ts < $3
     )
     SELECT ts, latitude, longitude FROM positions
      WHERE total <= $4 OR (n - 1) % ceil(total::numeric / $4)::bigint = 0 OR n = total
      ORDER BY ts`,
    [query.vesselId, query.from, query.to, query.limit],
  );
  return rows;
}

export interface FleetRow {
  vessel_id: string;
  last_seen: Date;
  position: { latitude: number; longitude: number } | null;
  position_ts: Date | null;
  speed_over_ground: number | null;
}

/** Every vessel with telemetry in scope: when it was last heard of, where, how fast. */
export async function fleetOverview(client: pg.ClientBase): Promise<FleetRow[]> {
  const { rows } = await client.query<FleetRow>(
    `SELECT vessel_id,
            max(ts) AS last_seen,
            (array_agg(value_json) FILTER (WHERE path = 'navigation.position'))[1] AS position,
            max(ts) FILTER (WHERE path = 'navigation.position') AS position_ts,
            max(value_num) FILTER (WHERE path = 'navigation.speedOverGround') AS speed_over_ground
       FROM performance.telemetry_latest
      GROUP BY vessel_id
      ORDER BY vessel_id`,
  );
  return rows;
}
