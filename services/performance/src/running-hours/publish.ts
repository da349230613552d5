import type { PublishedReading } from './events.js';

/**
 * A data-modifying CTE, `running_hours`, for the statement in storeBatches (src/writer/store.ts); it
 * reads that statement's `newest` CTE: the newest point (tenant_id, vessel_id, path, ts, value_num) of
 * each chunk row the statement added points to. A redelivered batch adds nothing, so it publishes
 * nothing either.
 *
 * Of those points it takes the newest propulsion.<id>.runTime reading per vessel and engine (at most
 * one event per engine and call, however many readings the call brings) and compares it with the one
 * published last, in running_hours_latest:
 *
 * - none published yet: publish it;
 * - not newer than the last published: ignore it (the consumer already has a later reading);
 * - newer, same counter: ignore it (the engine did not run; there is nothing new to tell);
 * - newer, higher counter: publish it;
 * - newer, lower counter: publish it with counter_reset (see the README's "Running hours").
 *
 * The comparison happens in ON CONFLICT DO UPDATE, against the row as this statement locked it, so
 * two writers storing readings of the same engine at once (a partition moving between writers) cannot
 * both publish against the same previous reading. RETURNING gives the readings to publish; `SET
 * counter_reset` can still see the previous counter (r), which RETURNING cannot before PostgreSQL 18.
 *
 * Negative counters are not readings of a running-time counter and are left out: stored as telemetry,
 * never published (the table's CHECK would otherwise fail the whole batch).
 */
export const RUNNING_HOURS_CTE = `running_hours AS (
        INSERT INTO performance.running_hours_latest AS r
               (tenant_id, vessel_id, engine, observed_at, counter_seconds, counter_reset)
        SELECT DISTINCT ON (vessel_id, engine) tenant_id, vessel_id, engine, ts, value_num, false
          FROM (
            SELECT tenant_id, vessel_id, ts, value_num,
                   substring(path FROM '^propulsion[.]([A-Za-z0-9_-]+)[.]runTime$') AS engine
              FROM newest
          ) AS reading
         WHERE engine IS NOT NULL AND value_num >= 0
         ORDER BY vessel_id, engine, ts DESC
        ON CONFLICT (vessel_id, engine) DO UPDATE
          SET observed_at = excluded.observed_at,
              counter_seconds = excluded.counter_seconds,
              counter_reset = excluded.counter_seconds < r.counter_seconds,
              published_at = now()
          WHERE excluded.observed_at > r.observed_at AND excluded.counter_seconds <> r.counter_seconds
        RETURNING tenant_id, vessel_id, engine, observed_at, counter_seconds, counter_reset
      )`;

/** The `running_hours` CTE's rows as one JSON array (empty when nothing is to be published). */
export const RUNNING_HOURS_JSON = `(SELECT coalesce(json_agg(running_hours ORDER BY vessel_id, engine), '[]'::json)
          FROM running_hours)`;

/** One element of RUNNING_HOURS_JSON, as node-postgres parses it. */
export interface RunningHoursRow {
  tenant_id: string;
  vessel_id: string;
  engine: string;
  /** PostgreSQL's JSON form of a timestamptz, with an offset: '2026-11-25T17:59:00.123+00:00'. */
  observed_at: string;
  counter_seconds: number;
  counter_reset: boolean;
}

export function publishedReadings(rows: RunningHoursRow[]): PublishedReading[] {
  return rows.map((row) => ({
    tenantId: row.tenant_id,
    vesselId: row.vessel_id,
    engine: row.engine,
    observedAt: new Date(row.observed_at),
    counterSeconds: row.counter_seconds,
    counterReset: row.counter_reset,
  }));
}
