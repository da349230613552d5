import type pg from 'pg';

export interface JobRow {
  id: string;
  tenant_id: string;
  vessel_id: string;
  component_id: string;
  title: string;
  instructions: string;
  responsible_rank: string;
  interval_unit: 'days' | 'months' | null;
  interval_value: number | null;
  interval_hours: number | null;
  tolerance_days: number;
  tolerance_hours: number;
  last_done_on: string;
  last_done_hours: number | null;
  created_at: Date;
}

export const JOB_COLUMNS = `j.id, j.tenant_id, j.vessel_id, j.component_id, j.title, j.instructions, j.responsible_rank,
  j.interval_unit, j.interval_value, j.interval_hours::float8 AS interval_hours, j.tolerance_days,
  j.tolerance_hours::float8 AS tolerance_hours, j.last_done_on::text AS last_done_on,
  j.last_done_hours::float8 AS last_done_hours, j.created_at`;

export interface NewJob {
  tenantId: string;
  vesselId: string;
  componentId: string;
  title: string;
  instructions: string;
  responsibleRank: string;
  calendarInterval: { unit: 'days' | 'months'; value: number } | null;
  hoursInterval: number | null;
  toleranceDays: number;
  toleranceHours: number;
  lastDoneOn: string;
  lastDoneHours: number | null;
}

export async function insertJob(client: pg.ClientBase, job: NewJob): Promise<JobRow> {
  const { rows } = await client.query<JobRow>(
    `INSERT INTO maintenance.jobs AS j (tenant_id, vessel_id, component_id, title, instructions, responsible_rank,
       interval_unit, interval_value, interval_hours, tolerance_days, tolerance_hours, last_done_on, last_done_hours)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${JOB_COLUMNS}`,
    [
      job.tenantId,
      job.vesselId,
      job.componentId,
      job.title,
      job.instructions,
      job.responsibleRank,
      job.calendarInterval?.unit ?? null,
      job.calendarInterval?.value ?? null,
      job.hoursInterval,
      job.toleranceDays,
      job.toleranceHours,
      job.lastDoneOn,
      job.lastDoneHours,
    ],
  );
  return rows[0] as JobRow;
}

export async function findJob(client: pg.ClientBase, id: string): Promise<JobRow | undefined> {
  const { rows } = await client.query<JobRow>(
    `SELECT ${JOB_COLUMNS} FROM maintenance.jobs j WHERE j.id = $1`,
    [id],
  );
  return rows[0];
}

export async function jobsOf(client: pg.ClientBase, componentId: string): Promise<JobRow[]> {
  const { rows } = await client.query<JobRow>(
    `SELECT ${JOB_COLUMNS} FROM maintenance.jobs j WHERE j.component_id = $1 ORDER BY j.title, j.id`,
    [componentId],
  );
  return rows;
}

/** A completion becomes the baseline the next due is counted from. */
export async function setBaseline(
  client: pg.ClientBase,
  id: string,
  baseline: { date: string; runningHours: number | null },
): Promise<void> {
  await client.query('UPDATE maintenance.jobs SET last_done_on = $2, last_done_hours = $3 WHERE id = $1', [
    id,
    baseline.date,
    baseline.runningHours,
  ]);
}
