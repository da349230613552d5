import { withPlatformAccess } from '@fleetwatch/db';
import { enqueueOutbox } from '@fleetwatch/outbox';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { OUTBOX_SCHEMA, runningHoursMessage } from '../running-hours/events.js';
import {
  publishedReadings,
  RUNNING_HOURS_CTE,
  RUNNING_HOURS_JSON,
  type RunningHoursRow,
} from '../running-hours/publish.js';
import { asSeriesBatch, type TelemetryBatch, type TelemetryMessageData } from '../telemetry-batch.js';

/**
 * The steps of storeBatches, in order: connect (a pool connection, BEGIN, platform access), copy
 * (grouping the points into chunks, COPY into the staging table), insert (the one statement merging
 * the chunks, advancing rollups and latest values and picking running hours), outbox (enqueueing the
 * running-hours events), commit.
 */
export type WriteStage = 'connect' | 'copy' | 'insert' | 'outbox' | 'commit';
export const WRITE_STAGES: readonly WriteStage[] = ['connect', 'copy', 'insert', 'outbox', 'commit'];

/** COPY's text format: backslash, tab, newline and carriage return are escaped; \N is NULL. */
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (character) =>
    character === '\\' ? '\\\\' : character === '\t' ? '\\t' : character === '\n' ? '\\n' : '\\r',
  );
}

/** An element of a PostgreSQL array literal, quoted: backslash and double quote are escaped. */
function arrayElement(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

const MS_PER_MINUTE = 60_000;

/**
 * The points of one vessel, path and minute in this write, a row of telemetry_chunks: times in epoch
 * milliseconds, ascending and distinct, and the values in the same order (numbers, or anything else
 * JSON can hold).
 */
export interface Chunk {
  tenantId: string;
  vesselId: string;
  path: string;
  bucket: number;
  times: number[];
  values: unknown[];
}

/**
 * Groups the batches' points by vessel, path and minute (UTC), each group in time order with one
 * point per time (the first one given: as when a point is delivered twice, the first value stays).
 * The API has already validated every point; a series whose times are not whole milliseconds or do
 * not match its values in number means the message is not one the API wrote, and fails the whole call
 * (it goes to the dead letters after the retries). Chunks come out ordered by vessel, path and minute.
 */
export function groupIntoChunks(batches: readonly TelemetryBatch[]): Chunk[] {
  // vessel → path → minute: no key string to build per point.
  const byVessel = new Map<string, Map<string, Map<number, Chunk>>>();
  for (const batch of batches) {
    let byPath = byVessel.get(batch.vesselId);
    if (byPath === undefined) {
      byPath = new Map();
      byVessel.set(batch.vesselId, byPath);
    }
    for (const { path, times, values } of batch.series) {
      if (times.length !== values.length) {
        throw new Error(
          `batch ${batch.batchId}: ${path} has ${times.length} times and ${values.length} values`,
        );
      }
      let byBucket = byPath.get(path);
      if (byBucket === undefined) {
        byBucket = new Map();
        byPath.set(path, byBucket);
      }
      // A series is usually in time order: the next point is most likely in the same minute.
      let chunk: Chunk | undefined;
      for (let index = 0; index < times.length; index += 1) {
        const time = times[index] ?? NaN;
        if (!Number.isSafeInteger(time)) throw new Error(`batch ${batch.batchId}: unreadable time ${time}`);
        const bucket = time - (((time % MS_PER_MINUTE) + MS_PER_MINUTE) % MS_PER_MINUTE);
        if (chunk?.bucket !== bucket) {
          chunk = byBucket.get(bucket);
          if (chunk === undefined) {
            chunk = {
              tenantId: batch.tenantId,
              vesselId: batch.vesselId,
              path,
              bucket,
              times: [],
              values: [],
            };
            byBucket.set(bucket, chunk);
          }
        }
        chunk.times.push(time);
        chunk.values.push(values[index]);
      }
    }
  }
  const chunks: Chunk[] = [];
  for (const vesselId of [...byVessel.keys()].sort()) {
    const byPath = byVessel.get(vesselId);
    for (const path of [...(byPath?.keys() ?? [])].sort()) {
      const byBucket = byPath?.get(path);
      for (const bucket of [...(byBucket?.keys() ?? [])].sort((x, y) => x - y)) {
        const chunk = byBucket?.get(bucket);
        if (chunk !== undefined) chunks.push(inTimeOrder(chunk));
      }
    }
  }
  return chunks;
}

/** The chunk with its points ascending by time, the first of equal times kept; as is when already so. */
function inTimeOrder(chunk: Chunk): Chunk {
  const { times, values } = chunk;
  let ordered = true;
  for (let index = 1; index < times.length && ordered; index += 1) {
    ordered = (times[index - 1] ?? 0) < (times[index] ?? 0);
  }
  if (ordered) return chunk;
  // Array.prototype.sort is stable: of equal times, the first given comes first.
  const order = times.map((_time, index) => index).sort((x, y) => (times[x] ?? 0) - (times[y] ?? 0));
  const kept = order.filter(
    (index, position) => position === 0 || times[index] !== times[order[position - 1] ?? 0],
  );
  return {
    ...chunk,
    times: kept.map((index) => times[index] ?? 0),
    values: kept.map((index) => values[index]),
  };
}

/** About this many characters per write to the COPY stream: one write per row would cost a syscall each. */
const COPY_CHUNK_CHARACTERS = 256 * 1024;

/** The columns of telemetry_chunks (and of the writer's staging table) that copyRows writes, in order. */
export const CHUNK_COPY_COLUMNS =
  'tenant_id, vessel_id, path, bucket, ts, value_num, value_json, points, num_count, num_min, num_max, num_sum';

/**
 * The chunks as rows of CHUNK_COPY_COLUMNS in COPY text: arrays of times and values, and the
 * aggregates of the numeric values.
 */
export function* copyRows(chunks: Chunk[]): Generator<string> {
  // Chunks of one write share their seconds (every path of a vessel, every vessel): format each once.
  const formatted = new Map<number, string>();
  const timestamp = (time: number): string => {
    let text = formatted.get(time);
    if (text === undefined) {
      // Formatted from the parsed time: nothing but a canonical timestamp goes into the array literal.
      text = new Date(time).toISOString();
      if (formatted.size >= 100_000) formatted.clear();
      formatted.set(time, text);
    }
    return text;
  };
  let text = '';
  for (const chunk of chunks) {
    let numCount = 0;
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let anyJson = false;
    let times = '';
    let numbers = '';
    let json = '';
    for (let index = 0; index < chunk.times.length; index += 1) {
      const separator = index === 0 ? '' : ',';
      times += separator + timestamp(chunk.times[index] ?? 0);
      const value = chunk.values[index];
      if (typeof value === 'number' && Number.isFinite(value)) {
        numCount += 1;
        if (value < min) min = value;
        if (value > max) max = value;
        sum += value;
        numbers += separator + String(value);
        json += separator + 'NULL';
      } else {
        anyJson = true;
        numbers += separator + 'NULL';
        json += separator + arrayElement(JSON.stringify(value) ?? 'null');
      }
    }
    const aggregates = numCount > 0 ? `${min}\t${max}\t${sum}` : '\\N\t\\N\t\\N';
    text += `${chunk.tenantId}\t${chunk.vesselId}\t${copyText(chunk.path)}\t${new Date(chunk.bucket).toISOString()}\t{${times}}\t{${numbers}}\t${anyJson ? copyText(`{${json}}`) : '\\N'}\t${chunk.times.length}\t${numCount}\t${aggregates}\n`;
    if (text.length >= COPY_CHUNK_CHARACTERS) {
      yield text;
      text = '';
    }
  }
  if (text.length > 0) yield text;
}

/**
 * Stores the points of the batches in one transaction: groups them into chunks (one per vessel, path
 * and minute), COPYs those into a staging table, then one statement merges them into
 * telemetry_chunks (telemetry_chunk_merge: appended when later than what is stored, else merged by
 * time with stored points kept; rows whose points are all stored already are not touched) and, from
 * exactly what that added, advances the 1-hour rollups and the latest values, and picks the
 * running-hours readings to publish (src/running-hours), whose events go into the outbox in the same
 * transaction. A batch delivered twice therefore changes and publishes nothing the second time.
 * Returns the number of new points.
 *
 * `onStage` is told each step as it begins (see WriteStage), so a caller can tell where a failure
 * happened; it is not called at all when there is nothing to store (no transaction).
 */
export async function storeBatches(
  pool: pg.Pool,
  batches: readonly TelemetryMessageData[],
  onStage: (stage: WriteStage) => void = () => {},
): Promise<number> {
  const isEmpty = (batch: TelemetryMessageData): boolean =>
    'series' in batch ? batch.series.every((series) => series.times.length === 0) : batch.points.length === 0;
  if (batches.every(isEmpty)) return 0;
  onStage('connect');
  // The writer serves every tenant; row-level security still checks each row it writes.
  return withPlatformAccess(pool, async (client) => {
    onStage('copy');
    const chunks = groupIntoChunks(batches.map(asSeriesBatch));
    await client.query(`CREATE TEMP TABLE telemetry_staging (
        tenant_id uuid, vessel_id uuid, path text, bucket timestamptz, ts timestamptz[],
        value_num double precision[], value_json jsonb[], points integer, num_count integer,
        num_min double precision, num_max double precision, num_sum double precision
      ) ON COMMIT DROP`);
    await pipeline(
      Readable.from(copyRows(chunks)),
      client.query(copyFrom(`COPY telemetry_staging (${CHUNK_COPY_COLUMNS}) FROM STDIN`)),
    );
    onStage('insert');
    const { rows } = await client.query<{ inserted: string; running_hours: RunningHoursRow[] }>(`
      WITH written AS (
        INSERT INTO performance.telemetry_chunks AS c
               (tenant_id, vessel_id, path, bucket, ts, value_num, value_json, points,
                num_count, num_min, num_max, num_sum, added_points, added_num_count, added_num_sum)
        SELECT tenant_id, vessel_id, path, bucket, ts, value_num, value_json, points,
               num_count, num_min, num_max, num_sum, points, num_count, num_sum
          FROM telemetry_staging
        ON CONFLICT (vessel_id, path, bucket) DO UPDATE
          SET (ts, value_num, value_json, points, num_count, num_min, num_max, num_sum,
               added_points, added_num_count, added_num_sum) =
              (SELECT m.ts, m.value_num, m.value_json, m.points, m.num_count, m.num_min, m.num_max, m.num_sum,
                      m.added_points, m.added_num_count, m.added_num_sum
                 FROM performance.telemetry_chunk_merge(c, excluded) AS m)
          WHERE excluded.ts[1] > c.ts[c.points] OR NOT excluded.ts <@ c.ts
        RETURNING tenant_id, vessel_id, path, bucket, num_min, num_max,
                  added_points, added_num_count, added_num_sum,
                  ts[points] AS last_ts, value_num[points] AS last_num, value_json[points] AS last_json
      ),
      hour AS (
        INSERT INTO performance.telemetry_rollup_1h AS r (tenant_id, vessel_id, path, bucket, min, max, sum, count)
        SELECT tenant_id, vessel_id, path, date_trunc('hour', bucket, 'UTC'),
               min(num_min), max(num_max), sum(added_num_sum), sum(added_num_count)
          FROM written WHERE added_num_count > 0
         GROUP BY tenant_id, vessel_id, path, date_trunc('hour', bucket, 'UTC')
        ON CONFLICT (vessel_id, path, bucket) DO UPDATE
          SET min = least(r.min, excluded.min), max = greatest(r.max, excluded.max),
              sum = r.sum + excluded.sum, count = r.count + excluded.count
      ),
      latest AS (
        INSERT INTO performance.telemetry_latest AS l (tenant_id, vessel_id, path, ts, value_num, value_json)
        SELECT DISTINCT ON (vessel_id, path) tenant_id, vessel_id, path, last_ts, last_num, last_json
          FROM written ORDER BY vessel_id, path, last_ts DESC
        ON CONFLICT (vessel_id, path) DO UPDATE
          SET ts = excluded.ts, value_num = excluded.value_num, value_json = excluded.value_json
          WHERE l.ts < excluded.ts
      ),
      newest AS (
        SELECT tenant_id, vessel_id, path, last_ts AS ts, last_num AS value_num FROM written
      ),
      ${RUNNING_HOURS_CTE}
      SELECT (SELECT coalesce(sum(added_points), 0) FROM written)::text AS inserted,
             ${RUNNING_HOURS_JSON} AS running_hours`);
    const readings = publishedReadings(rows[0]?.running_hours ?? []);
    // The transaction's last statement: it locks the vessels' outbox keys until commit, which must
    // come right after (see "Ordering" in packages/outbox/README.md).
    onStage('outbox');
    await enqueueOutbox(client, OUTBOX_SCHEMA, readings.map(runningHoursMessage));
    onStage('commit');
    return Number(rows[0]?.inserted ?? 0);
  });
}

/** Creates the daily partitions for the retention window and ahead, and drops those past retention. */
export async function maintainPartitions(
  pool: pg.Pool,
  { retentionDays, aheadDays }: { retentionDays: number; aheadDays: number },
): Promise<{ created: number; dropped: number }> {
  const created = await pool.query<{ n: number }>(
    'SELECT performance.ensure_telemetry_partitions($1, $2) AS n',
    [retentionDays + 1, aheadDays],
  );
  const dropped = await pool.query<{ n: number }>(
    'SELECT performance.drop_telemetry_partitions_before(current_date - $1::integer) AS n',
    [retentionDays + 1],
  );
  return { created: created.rows[0]?.n ?? 0, dropped: dropped.rows[0]?.n ?? 0 };
}
