import type pg from 'pg';

export interface RestPeriodRow {
  id: string;
  tenant_id: string;
  seafarer_id: string;
  vessel_id: string;
  start: Date;
  end: Date;
  recorded_at: Date;
  recorded_by: string;
}

const COLUMNS = `id, tenant_id, seafarer_id, vessel_id, lower(period) AS start, upper(period) AS "end",
  recorded_at, recorded_by`;

/** Another record of the seafarer already covers part of the time. */
export function isRestOverlap(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: string }).code === '23P01' &&
    (error as { constraint?: string }).constraint === 'rest_periods_no_overlap'
  );
}

/** Inserts all the periods in one statement: all of them or, on any overlap, none. */
export async function insertRestPeriods(
  client: pg.ClientBase,
  record: { tenantId: string; seafarerId: string; vesselId: string; recordedBy: string },
  periods: { start: string; end: string }[],
): Promise<RestPeriodRow[]> {
  const { rows } = await client.query<RestPeriodRow>(
    `INSERT INTO crew.rest_periods (tenant_id, seafarer_id, vessel_id, recorded_by, period)
     SELECT $1, $2, $3, $4, tstzrange(p.start, p.end, '[)')
       FROM unnest($5::timestamptz[], $6::timestamptz[]) AS p(start, "end")
     RETURNING ${COLUMNS}`,
    [
      record.tenantId,
      record.seafarerId,
      record.vesselId,
      record.recordedBy,
      periods.map((p) => p.start),
      periods.map((p) => p.end),
    ],
  );
  return rows.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** The seafarer's records overlapping [from, to), oldest first. */
export async function restPeriodsOf(
  client: pg.ClientBase,
  seafarerId: string,
  from: string,
  to: string,
): Promise<RestPeriodRow[]> {
  const { rows } = await client.query<RestPeriodRow>(
    `SELECT ${COLUMNS} FROM crew.rest_periods
      WHERE seafarer_id = $1 AND period && tstzrange($2::timestamptz, $3::timestamptz, '[)')
      ORDER BY lower(period)`,
    [seafarerId, from, to],
  );
  return rows;
}

/** Seafarers with records on the vessel overlapping [from, to). */
export async function seafarersWithRestOn(
  client: pg.ClientBase,
  vesselId: string,
  from: string,
  to: string,
): Promise<string[]> {
  const { rows } = await client.query<{ seafarer_id: string }>(
    `SELECT DISTINCT seafarer_id FROM crew.rest_periods
      WHERE vessel_id = $1 AND period && tstzrange($2::timestamptz, $3::timestamptz, '[)')
      ORDER BY seafarer_id`,
    [vesselId, from, to],
  );
  return rows.map((row) => row.seafarer_id);
}

export async function deleteRestPeriod(
  client: pg.ClientBase,
  seafarerId: string,
  id: string,
): Promise<boolean> {
  const { rowCount } = await client.query(
    'DELETE FROM crew.rest_periods WHERE id = $1 AND seafarer_id = $2',
    [id, seafarerId],
  );
  return rowCount === 1;
}
