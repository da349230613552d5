import type pg from 'pg';

export interface PostponementRow {
  id: string;
  tenant_id: string;
  work_order_id: string;
  requested_due_date: string | null;
  requested_due_hours: number | null;
  reason: string;
  requested_by: string;
  requested_at: Date;
  decision: 'approved' | 'rejected' | null;
  decided_by: string | null;
  decided_at: Date | null;
}

const COLUMNS = `id, tenant_id, work_order_id, requested_due_date::text AS requested_due_date,
  requested_due_hours::float8 AS requested_due_hours, reason, requested_by, requested_at, decision, decided_by, decided_at`;

/** A second pending request for the same work order. */
export function isPendingAlready(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: string }).code === '23505' &&
    (error as { constraint?: string }).constraint === 'postponements_one_pending'
  );
}

export async function insertPostponement(
  client: pg.ClientBase,
  p: {
    tenantId: string;
    workOrderId: string;
    dueDate: string | null;
    dueHours: number | null;
    reason: string;
    requestedBy: string;
  },
): Promise<PostponementRow> {
  const { rows } = await client.query<PostponementRow>(
    `INSERT INTO maintenance.postponements (tenant_id, work_order_id, requested_due_date, requested_due_hours, reason, requested_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [p.tenantId, p.workOrderId, p.dueDate, p.dueHours, p.reason, p.requestedBy],
  );
  return rows[0] as PostponementRow;
}

export async function findPostponement(
  client: pg.ClientBase,
  workOrderId: string,
  id: string,
): Promise<PostponementRow | undefined> {
  const { rows } = await client.query<PostponementRow>(
    `SELECT ${COLUMNS} FROM maintenance.postponements WHERE id = $1 AND work_order_id = $2 FOR UPDATE`,
    [id, workOrderId],
  );
  return rows[0];
}

export async function postponementsOf(
  client: pg.ClientBase,
  workOrderId: string,
): Promise<PostponementRow[]> {
  const { rows } = await client.query<PostponementRow>(
    `SELECT ${COLUMNS} FROM maintenance.postponements WHERE work_order_id = $1 ORDER BY requested_at`,
    [workOrderId],
  );
  return rows;
}

export async function decidePostponement(
  client: pg.ClientBase,
  id: string,
  decision: 'approved' | 'rejected',
  decidedBy: string,
): Promise<PostponementRow> {
  const { rows } = await client.query<PostponementRow>(
    `UPDATE maintenance.postponements SET decision = $2, decided_by = $3, decided_at = now()
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, decision, decidedBy],
  );
  return rows[0] as PostponementRow;
}
