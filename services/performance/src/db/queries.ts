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

const MS_PER_MINUTE = 60_000;

/** The first minute bucket of telemetry_chunks that can hold points at or after `from`. */
function firstBucket(from: Date): Date {
  return new Date(Math.floor(from.getTime() / MS_PER_MINUTE) * MS_PER_MINUTE);
}

/**
 * The points of the chunks of one vessel and path in [from, to), one row each: the bounds on `bucket`
 * select the chunk rows by the primary key, the bounds on `ts` trim the first and last.
 */
const CHUNK_POINTS = `performance.telemetry_chunks c
  CROSS JOIN LATERAL unnest(c.ts, c.value_num, coalesce(c.value_json, array_fill(NULL::jsonb, ARRAY[c.points])))
    AS p(ts, value_num, value_json)
  WHERE c.vessel_id = $1 AND c.path = $2 AND c.bucket >= $3 AND c.bucket < $5 AND p.ts >= $4 AND p.ts < $5`;

export async function rawSeries(
  client: pg.ClientBase,
  query: { vesselId: string; path: string; from: Date; to: Date; limit: number },
): Promise<RawSample[]> {
  const { rows } = await client.query<RawSample>(
    `SELECT p.ts, coalesce(to_jsonb(p.value_num), p.value_json) AS value FROM ${CHUNK_POINTS}
      ORDER BY p.ts LIMIT $6`,
    [query.vesselId, query.path, firstBucket(query.from), query.from, query.to, query.limit],
  );
  return rows;
}

export async function rollupSeries(
  client: pg.ClientBase,
  resolution: '1m' | '1h',
  query: { vesselId: string; path: string; from: Date; to: Date; limit: number },
): Promise<AggregateSample[]> {
  // The minute rollup is the aggregate columns of the chunk rows; the hour rollup has its own table.
  const sql =
    resolution === '1m'
      ? `SELECT bucket AS ts, num_min AS min, num_max AS max, num_sum / num_count AS avg, num_count AS count
           FROM performance.telemetry_chunks
          WHERE vessel_id = $1 AND path = $2 AND bucket >= $3 AND bucket < $4 AND num_count > 0
          ORDER BY bucket LIMIT $5`
      : `SELECT bucket AS ts, min, max, sum / count AS avg, count::integer AS count
           FROM performance.telemetry_rollup_1h
          WHERE vessel_id = $1 AND path = $2 AND bucket >= $3 AND bucket < $4
          ORDER BY bucket LIMIT $5`;
  const { rows } = await client.query<AggregateSample>(sql, [
    query.vesselId,
    query.path,
    query.from,
    query.to,
    query.limit,
  ]);
  return rows;
}

/** Thins `positions` (ts, value_json) evenly to at most $6 rows, the first and last kept, in time order. */
const THINNED_POSITIONS = `numbered AS (
       SELECT ts, (value_json->>'latitude')::float8 AS latitude, (value_json->>'longitude')::float8 AS longitude,
              row_number() OVER (ORDER BY ts) AS n, count(*) OVER () AS total
         FROM positions
     )
     SELECT ts, latitude, longitude FROM numbered
      WHERE total <= $6 OR (n - 1) % ceil(total::numeric / $6)::bigint = 0 OR n = total
      ORDER BY ts`;

/**
 * Positions in the range, thinned evenly to at most `limit` (first and last kept). When the range
 * spans more minutes than `limit`, only the first position of each minute and the last of the range
 * are candidates: a month of 1 Hz positions is then 43,200 candidates instead of 2.6 million.
 */
export async function track(
  client: pg.ClientBase,
  query: { vesselId: string; from: Date; to: Date; limit: number },
): Promise<{ ts: Date; latitude: number; longitude: number }[]> {
  const minutes = (query.to.getTime() - query.from.getTime()) / MS_PER_MINUTE;
  const values = [
    query.vesselId,
    'navigation.position',
    firstBucket(query.from),
    query.from,
    query.to,
    query.limit,
  ];
  if (minutes <= query.limit) {
    const { rows } = await client.query<{ ts: Date; latitude: number; longitude: number }>(
      `WITH positions AS (SELECT p.ts, p.value_json FROM ${CHUNK_POINTS} AND p.value_json IS NOT NULL),
       ${THINNED_POSITIONS}`,
      values,
    );
    return rows;
  }
  // The points of a chunk are in time order: a minute's first position is its chunk's first point
  // when that is in range and a position (every minute but the range's first, as a rule); only the
  // others are unnested. The last chunk with a position in range holds the last one.
  const inRange = 'p.ts >= $4 AND p.ts < $5 AND p.value_json IS NOT NULL';
  const headInRange = 'chunk.ts[1] >= $4 AND chunk.ts[1] < $5 AND chunk.value_json[1] IS NOT NULL';
  const { rows } = await client.query<{ ts: Date; latitude: number; longitude: number }>(
    `WITH chunk AS NOT MATERIALIZED (
       SELECT c.bucket, c.ts, c.value_json FROM performance.telemetry_chunks c
        WHERE c.vessel_id = $1 AND c.path = $2 AND c.bucket >= $3 AND c.bucket < $5 AND c.value_json IS NOT NULL
     ),
     firsts AS (
       SELECT chunk.ts[1] AS ts, chunk.value_json[1] AS value_json FROM chunk WHERE ${headInRange}
       UNION ALL
       SELECT f.ts, f.value_json FROM chunk
        CROSS JOIN LATERAL (
          SELECT p.ts, p.value_json FROM unnest(chunk.ts, chunk.value_json) AS p(ts, value_json)
           WHERE ${inRange} ORDER BY p.ts LIMIT 1
        ) AS f
        WHERE NOT (${headInRange})
     ),
     last AS (
       SELECT l.ts, l.value_json FROM chunk
        CROSS JOIN LATERAL (
          SELECT p.ts, p.value_json FROM unnest(chunk.ts, chunk.value_json) WITH ORDINALITY AS p(ts, value_json, n)
           WHERE ${inRange} ORDER BY p.n DESC LIMIT 1
        ) AS l
        ORDER BY chunk.bucket DESC LIMIT 1
     ),
     positions AS (SELECT ts, value_json FROM firsts UNION SELECT ts, value_json FROM last),
     ${THINNED_POSITIONS}`,
    values,
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
