import type pg from 'pg';
import type { CheckFinding } from '../domain/noon-report-checks.js';
import {
  periodStartOf,
  totalConsumption,
  type FuelTonnes,
  type NoonReportFields,
} from '../domain/noon-report.js';
import type { YearTotals } from '../domain/vessel-cii.js';

/** One version of a report (the current one, unless read from the history). */
export interface StoredReport {
  id: string;
  vesselId: string;
  version: number;
  /** When the report was first submitted. */
  createdAt: Date;
  /** When this version was recorded, and by whom. */
  recordedAt: Date;
  recordedBy: string;
  fields: NoonReportFields;
  warnings: CheckFinding[];
}

interface VersionRow {
  id: string;
  vessel_id: string;
  version: number;
  created_at: Date;
  recorded_at: Date;
  recorded_by: string;
  report: NoonReportFields;
  warnings: CheckFinding[];
}

function storedReport(row: VersionRow): StoredReport {
  return {
    id: row.id,
    vesselId: row.vessel_id,
    version: row.version,
    createdAt: row.created_at,
    recordedAt: row.recorded_at,
    recordedBy: row.recorded_by,
    fields: row.report,
    warnings: row.warnings,
  };
}

/** Each report joined with one of its versions: `v` is the current one unless a query says otherwise. */
const SELECT_REPORT = `
  SELECT r.id, r.vessel_id, v.version, r.created_at, v.recorded_at, v.recorded_by, v.report, v.warnings
    FROM performance.noon_reports r
    JOIN performance.noon_report_versions v ON v.report_id = r.id`;
const CURRENT = 'v.version = r.current_version';

/**
 * Serialises writes of one vessel's reports until the transaction ends, so two submissions cannot both
 * pass the time-order and overlap checks against the same predecessor.
 */
export async function lockVesselReports(client: pg.ClientBase, vesselId: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
    `performance.noon_reports:${vesselId}`,
  ]);
}

export async function findReport(
  client: pg.ClientBase,
  vesselId: string,
  reportId: string,
): Promise<StoredReport | null> {
  const { rows } = await client.query<VersionRow>(
    `${SELECT_REPORT} WHERE ${CURRENT} AND r.vessel_id = $1 AND r.id = $2`,
    [vesselId, reportId],
  );
  return rows[0] ? storedReport(rows[0]) : null;
}

/** The vessel's latest report, the predecessor of a new one. */
export async function latestReport(client: pg.ClientBase, vesselId: string): Promise<StoredReport | null> {
  const { rows } = await client.query<VersionRow>(
    `${SELECT_REPORT} WHERE ${CURRENT} AND r.vessel_id = $1 ORDER BY r.reported_at DESC LIMIT 1`,
    [vesselId],
  );
  return rows[0] ? storedReport(rows[0]) : null;
}

/** The reports just before and just after a stored report (by its current time). */
export async function neighboursOf(
  client: pg.ClientBase,
  report: StoredReport,
): Promise<{ previous: StoredReport | null; next: StoredReport | null }> {
  const at = new Date(report.fields.reportedAt);
  const previous = await client.query<VersionRow>(
    `${SELECT_REPORT} WHERE ${CURRENT} AND r.vessel_id = $1 AND r.reported_at < $2 AND r.id <> $3
      ORDER BY r.reported_at DESC LIMIT 1`,
    [report.vesselId, at, report.id],
  );
  const next = await client.query<VersionRow>(
    `${SELECT_REPORT} WHERE ${CURRENT} AND r.vessel_id = $1 AND r.reported_at > $2 AND r.id <> $3
      ORDER BY r.reported_at ASC LIMIT 1`,
    [report.vesselId, at, report.id],
  );
  return {
    previous: previous.rows[0] ? storedReport(previous.rows[0]) : null,
    next: next.rows[0] ? storedReport(next.rows[0]) : null,
  };
}

export interface NewVersion {
  fields: NoonReportFields;
  warnings: CheckFinding[];
  recordedBy: string;
}

async function insertVersion(
  client: pg.ClientBase,
  head: { id: string; tenant_id: string; vessel_id: string; version: number },
  { fields, warnings, recordedBy }: NewVersion,
): Promise<void> {
  await client.query(
    `INSERT INTO performance.noon_report_versions
       (tenant_id, report_id, version, vessel_id, reported_at, distance_nm, fuel_consumed, report, warnings, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      head.tenant_id,
      head.id,
      head.version,
      head.vessel_id,
      new Date(fields.reportedAt),
      fields.distanceNm,
      JSON.stringify(totalConsumption(fields.consumption)),
      JSON.stringify(fields),
      JSON.stringify(warnings),
      recordedBy,
    ],
  );
}

/** A new report, at version 1. */
export async function insertReport(
  client: pg.ClientBase,
  tenantId: string,
  vesselId: string,
  version: NewVersion,
): Promise<StoredReport> {
  const { rows } = await client.query<{ id: string; tenant_id: string; vessel_id: string; version: number }>(
    `INSERT INTO performance.noon_reports (tenant_id, vessel_id, current_version, reported_at, period_start)
     VALUES ($1, $2, 1, $3, $4)
     RETURNING id, tenant_id, vessel_id, current_version AS version`,
    [tenantId, vesselId, new Date(version.fields.reportedAt), periodStartOf(version.fields)],
  );
  const head = rows[0];
  if (!head) throw new Error('INSERT … RETURNING returned no row');
  await insertVersion(client, head, version);
  const stored = await findReport(client, vesselId, head.id);
  if (!stored) throw new Error('the report just inserted was not found');
  return stored;
}

/** A correction: the next version, which becomes the current one. */
export async function insertCorrection(
  client: pg.ClientBase,
  current: StoredReport,
  version: NewVersion,
): Promise<StoredReport> {
  const { rows } = await client.query<{ id: string; tenant_id: string; vessel_id: string; version: number }>(
    `UPDATE performance.noon_reports
        SET current_version = current_version + 1, reported_at = $2, period_start = $3, updated_at = now()
      WHERE id = $1
      RETURNING id, tenant_id, vessel_id, current_version AS version`,
    [current.id, new Date(version.fields.reportedAt), periodStartOf(version.fields)],
  );
  const head = rows[0];
  if (!head) throw new Error('the report to correct was not found');
  await insertVersion(client, head, version);
  const stored = await findReport(client, current.vesselId, current.id);
  if (!stored) throw new Error('the report just corrected was not found');
  return stored;
}

export interface ListQuery {
  vesselId: string;
  from?: Date;
  to?: Date;
  order: 'asc' | 'desc';
  /** Start strictly after this (reportedAt, id) in the list's order. */
  after?: { reportedAt: Date; id: string };
  limit: number;
}

export async function listReports(client: pg.ClientBase, query: ListQuery): Promise<StoredReport[]> {
  const conditions = [CURRENT, 'r.vessel_id = $1'];
  const values: unknown[] = [query.vesselId];
  const parameter = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  if (query.from) conditions.push(`r.reported_at >= ${parameter(query.from)}`);
  if (query.to) conditions.push(`r.reported_at < ${parameter(query.to)}`);
  if (query.after) {
    const comparison = query.order === 'asc' ? '>' : '<';
    conditions.push(
      `(r.reported_at, r.id) ${comparison} (${parameter(query.after.reportedAt)}, ${parameter(query.after.id)}::uuid)`,
    );
  }
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  const { rows } = await client.query<VersionRow>(
    `${SELECT_REPORT} WHERE ${conditions.join(' AND ')}
      ORDER BY r.reported_at ${direction}, r.id ${direction} LIMIT ${parameter(query.limit)}`,
    values,
  );
  return rows.map(storedReport);
}

/** Every version of a report, oldest first; empty when the report does not exist (for this vessel). */
export async function reportHistory(
  client: pg.ClientBase,
  vesselId: string,
  reportId: string,
): Promise<StoredReport[]> {
  const { rows } = await client.query<VersionRow>(
    `${SELECT_REPORT} WHERE r.vessel_id = $1 AND r.id = $2 ORDER BY v.version`,
    [vesselId, reportId],
  );
  return rows.map(storedReport);
}

export interface VesselYearTotals extends YearTotals {
  vesselId: string;
}

/**
 * Distance and fuel (all consumers) summed over the current versions of the reports whose time falls
 * in [from, to), per vessel: one vessel, or every vessel the transaction's tenant (or platform access)
 * can see.
 */
export async function yearTotals(
  client: pg.ClientBase,
  query: { from: Date; to: Date; vesselId?: string },
): Promise<VesselYearTotals[]> {
  const { rows } = await client.query<{
    vessel_id: string;
    reports: number;
    distance_nm: number;
    last_reported_at: Date;
    fuel_tonnes: FuelTonnes;
  }>(
    `WITH current AS (
       SELECT r.vessel_id, r.reported_at, v.distance_nm, v.fuel_consumed
         FROM performance.noon_reports r
         JOIN performance.noon_report_versions v ON v.report_id = r.id AND v.version = r.current_version
        WHERE r.reported_at >= $1 AND r.reported_at < $2 AND ($3::uuid IS NULL OR r.vessel_id = $3::uuid)
     ),
     distance AS (
       SELECT vessel_id, count(*)::integer AS reports, sum(distance_nm) AS distance_nm,
              max(reported_at) AS last_reported_at
         FROM current GROUP BY vessel_id
     ),
     fuel AS (
       SELECT vessel_id, jsonb_object_agg(fuel, tonnes) AS fuel_tonnes
         FROM (SELECT vessel_id, key AS fuel, sum(value::double precision) AS tonnes
                 FROM current, jsonb_each_text(fuel_consumed)
                GROUP BY vessel_id, key) per_fuel
        GROUP BY vessel_id
     )
     SELECT d.vessel_id, d.reports, d.distance_nm, d.last_reported_at,
            coalesce(f.fuel_tonnes, '{}'::jsonb) AS fuel_tonnes
       FROM distance d LEFT JOIN fuel f USING (vessel_id)
      ORDER BY d.vessel_id`,
    [query.from, query.to, query.vesselId ?? null],
  );
  return rows.map((row) => ({
    vesselId: row.vessel_id,
    reports: row.reports,
    distanceNm: row.distance_nm,
    lastReportedAt: row.last_reported_at,
    fuelTonnes: row.fuel_tonnes,
  }));
}
