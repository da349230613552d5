import type pg from 'pg';
import type { Criticality } from './components.js';
import { JOB_COLUMNS, type JobRow } from './jobs.js';

export interface WorkOrderRow {
  id: string;
  tenant_id: string;
  vessel_id: string;
  component_id: string;
  job_id: string;
  postponed_due_date: string | null;
  postponed_due_hours: number | null;
  completed_on: string | null;
  completed_hours: number | null;
  remarks: string | null;
  signed_by_name: string | null;
  signed_by_rank: string | null;
  completed_by: string | null;
  created_at: Date;
  completed_at: Date | null;
}

const COLUMNS = `w.id, w.tenant_id, w.vessel_id, w.component_id, w.job_id, w.postponed_due_date::text AS postponed_due_date,
  w.postponed_due_hours::float8 AS postponed_due_hours, w.completed_on::text AS completed_on,
  w.completed_hours::float8 AS completed_hours, w.remarks, w.signed_by_name, w.signed_by_rank, w.completed_by,
  w.created_at, w.completed_at`;

/** A work order with what its due state depends on: the job's schedule and the component's counter. */
export interface PlannedWorkOrder {
  workOrder: WorkOrderRow;
  job: JobRow;
  component: {
    code: string;
    name: string;
    criticality: Criticality;
    runningHours: number;
    hasCounter: boolean;
  };
}

interface JoinedRow extends WorkOrderRow {
  job: JobRow;
  component_code: string;
  component_name: string;
  criticality: Criticality;
  running_hours: number;
  has_counter: boolean;
}

function planned(row: JoinedRow): PlannedWorkOrder {
  const { job, component_code, component_name, criticality, running_hours, has_counter, ...workOrder } = row;
  return {
    workOrder,
    // Through to_jsonb the job's timestamp arrives as text.
    job: { ...job, created_at: new Date(job.created_at) },
    component: {
      code: component_code,
      name: component_name,
      criticality,
      runningHours: running_hours,
      hasCounter: has_counter,
    },
  };
}

const JOINED = `SELECT ${COLUMNS}, (SELECT to_jsonb(x) FROM (SELECT ${JOB_COLUMNS}) x) AS job,
    c.code AS component_code, c.name AS component_name, c.criticality, c.running_hours::float8 AS running_hours,
    c.has_counter
  FROM maintenance.work_orders w
  JOIN maintenance.jobs j ON j.id = w.job_id
  JOIN maintenance.components c ON c.id = w.component_id`;

export async function insertWorkOrder(client: pg.ClientBase, job: JobRow): Promise<WorkOrderRow> {
  const { rows } = await client.query<WorkOrderRow>(
    `INSERT INTO maintenance.work_orders AS w (tenant_id, vessel_id, component_id, job_id)
     VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
    [job.tenant_id, job.vessel_id, job.component_id, job.id],
  );
  return rows[0] as WorkOrderRow;
}

export async function findWorkOrder(
  client: pg.ClientBase,
  id: string,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<PlannedWorkOrder | undefined> {
  const { rows } = await client.query<JoinedRow>(
    `${JOINED} WHERE w.id = $1${forUpdate ? ' FOR UPDATE OF w' : ''}`,
    [id],
  );
  return rows[0] && planned(rows[0]);
}

/** Open work orders, of one vessel or (vesselId undefined) every vessel the transaction sees. */
export async function openWorkOrders(
  client: pg.ClientBase,
  filter: { vesselId?: string; componentId?: string; criticality?: Criticality },
): Promise<PlannedWorkOrder[]> {
  const { rows } = await client.query<JoinedRow>(
    `${JOINED}
      WHERE w.completed_on IS NULL
        AND ($1::uuid IS NULL OR w.vessel_id = $1)
        AND ($2::uuid IS NULL OR w.component_id = $2 OR c.parent_id = $2)
        AND ($3::text IS NULL OR c.criticality = $3)`,
    [filter.vesselId ?? null, filter.componentId ?? null, filter.criticality ?? null],
  );
  return rows.map(planned);
}

export async function workOrdersOfJob(client: pg.ClientBase, jobId: string): Promise<PlannedWorkOrder[]> {
  const { rows } = await client.query<JoinedRow>(`${JOINED} WHERE w.job_id = $1 ORDER BY w.created_at DESC`, [
    jobId,
  ]);
  return rows.map(planned);
}

export async function completeWorkOrder(
  client: pg.ClientBase,
  id: string,
  completion: {
    completedOn: string;
    runningHours: number | null;
    remarks: string;
    signedByName: string;
    signedByRank: string;
    completedBy: string;
  },
): Promise<void> {
  await client.query(
    `UPDATE maintenance.work_orders
        SET completed_on = $2, completed_hours = $3, remarks = $4, signed_by_name = $5, signed_by_rank = $6,
            completed_by = $7, completed_at = now()
      WHERE id = $1`,
    [
      id,
      completion.completedOn,
      completion.runningHours,
      completion.remarks,
      completion.signedByName,
      completion.signedByRank,
      completion.completedBy,
    ],
  );
}

export async function postponeWorkOrder(
  client: pg.ClientBase,
  id: string,
  to: { dueDate: string | null; dueHours: number | null },
): Promise<void> {
  await client.query(
    `UPDATE maintenance.work_orders
        SET postponed_due_date = coalesce($2, postponed_due_date), postponed_due_hours = coalesce($3, postponed_due_hours)
      WHERE id = $1`,
    [id, to.dueDate, to.dueHours],
  );
}
