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
import type { TelemetryBatch } from '../telemetry-batch.js';

/**
 * The steps of storeBatches, in order: connect (a pool connection, BEGIN, platform access), copy
 * (COPY into the staging table), insert (the one statement inserting points, rollups, latest values
 * and picking running hours), outbox (enqueueing the running-hours events), commit.
 */
export type WriteStage = 'connect' | 'copy' | 'insert' | 'outbox' | 'commit';
export const WRITE_STAGES: readonly WriteStage[] = ['connect', 'copy', 'insert', 'outbox', 'commit'];

/** COPY's text format: backslash, tab, newline and carriage return are escaped; \N is NULL. */
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (character) =>
    character === '\\' ? '\\\\' : character === '\t' ? '\\t' : character === '\n' ? '\\n' : '\\r',
  );
}

/** About this many characters per write to the COPY stream: one write per row would cost a syscall each. */
const COPY_CHUNK_CHARACTERS = 256 * 1024;

function* copyRows(batches: TelemetryBatch[]): Generator<string> {
  let chunk = '';
  for (const batch of batches) {
    for (const point of batch.points) {
      const numeric = typeof point.value === 'number' && Number.isFinite(point.value);
      chunk +=
        [
          batch.tenantId,
          batch.vesselId,
          copyText(point.path),
          point.ts,
          numeric ? String(point.value) : '\\N',
          numeric ? '\\N' : copyText(JSON.stringify(point.value)),
        ].join('\t') + '\n';
      if (chunk.length >= COPY_CHUNK_CHARACTERS) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Stores the points of the batches in one transaction: COPY into a staging table, then one statement
 * that inserts what is new (a redelivered point hits the primary key and is skipped) and, from exactly
 * the rows it inserted, advances the 1-minute and 1-hour rollups and the latest values, and picks the
 * running-hours readings to publish (src/running-hours), whose events go into the outbox in the same
 * transaction. A batch delivered twice therefore changes and publishes nothing the second time.
 * Returns the number of new points.
 *
 * `onStage` is told each step as it begins (see WriteStage), so a caller can tell where a failure
 * happened; it is not called at all when there is nothing to store (no transaction).
 */
export async function storeBatches(
  pool: pg.Pool,
  batches: TelemetryBatch[],
  onStage: (stage: WriteStage) => void = () => {},
): Promise<number> {
  if (batches.every((batch) => batch.points.length === 0)) return 0;
  onStage('connect');
  // The writer serves every tenant; row-level security still checks each row it writes.
  return withPlatformAccess(pool, async (client) => {
    onStage('copy');
    await client.query(`CREATE TEMP TABLE telemetry_staging (
        tenant_id uuid, vessel_id uuid, path text, ts timestamptz, value_num double precision, value_json jsonb
      ) ON COMMIT DROP`);
    await pipeline(
      Readable.from(copyRows(batches)),
      client.query(copyFrom('COPY telemetry_staging FROM STDIN')),
    );
    onStage('insert');
    const { rows } = await client.query<{ inserted: string; running_hours: RunningHoursRow[] }>(`
      WITH inserted AS (
        INSERT INTO performance.telemetry_points (tenant_id, vessel_id, path, ts, value_num, value_json)
        SELECT tenant_id, vessel_id, path, ts, value_num, value_json FROM telemetry_staging
        ON CONFLICT DO NOTHING
        RETURNING tenant_id, vessel_id, path, ts, value_num, value_json
      ),
      minute AS (
        INSERT INTO performance.telemetry_rollup_1m AS r (tenant_id, vessel_id, path, bucket, min, max, sum, count)
        SELECT tenant_id, vessel_id, path, date_trunc('minute', ts), min(value_num), max(value_num), sum(value_num), count(*)
          FROM inserted WHERE value_num IS NOT NULL
         GROUP BY tenant_id, vessel_id, path, date_trunc('minute', ts)
        ON CONFLICT (vessel_id, path, bucket) DO UPDATE
          SET min = least(r.min, excluded.min), max = greatest(r.max, excluded.max),
              sum = r.sum + excluded.sum, count = r.count + excluded.count
      ),
      hour AS (
        INSERT INTO performance.telemetry_rollup_1h AS r (tenant_id, vessel_id, path, bucket, min, max, sum, count)
        SELECT tenant_id, vessel_id, path, date_trunc('hour', ts), min(value_num), max(value_num), sum(value_num), count(*)
          FROM inserted WHERE value_num IS NOT NULL
         GROUP BY tenant_id, vessel_id, path, date_trunc('hour', ts)
        ON CONFLICT (vessel_id, path, bucket) DO UPDATE
          SET min = least(r.min, excluded.min), max = greatest(r.max, excluded.max),
              sum = r.sum + excluded.sum, count = r.count + excluded.count
      ),
      latest AS (
        INSERT INTO performance.telemetry_latest AS l (tenant_id, vessel_id, path, ts, value_num, value_json)
        SELECT DISTINCT ON (vessel_id, path) tenant_id, vessel_id, path, ts, value_num, value_json
          FROM inserted ORDER BY vessel_id, path, ts DESC
        ON CONFLICT (vessel_id, path) DO UPDATE
          SET ts = excluded.ts, value_num = excluded.value_num, value_json = excluded.value_json
          WHERE l.ts < excluded.ts
      ),
      ${RUNNING_HOURS_CTE}
      SELECT (SELECT count(*) FROM inserted)::text AS inserted, ${RUNNING_HOURS_JSON} AS running_hours`);
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
