import type pg from 'pg';

export interface HistoryRow {
  id: string;
  component_id: string;
  job_id: string | null;
  work_order_id: string | null;
  kind: string;
  details: Record<string, unknown>;
  actor: string;
  occurred_at: Date;
}

export interface HistoryEntry {
  tenantId: string;
  componentId: string;
  jobId?: string | null;
  workOrderId?: string | null;
  kind: string;
  details: Record<string, unknown>;
  actor: string;
}

export async function appendHistory(client: pg.ClientBase, entry: HistoryEntry): Promise<void> {
  await client.query(
    `INSERT INTO maintenance.maintenance_history (tenant_id, component_id, job_id, work_order_id, kind, details, actor)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      entry.tenantId,
      entry.componentId,
      entry.jobId ?? null,
      entry.workOrderId ?? null,
      entry.kind,
      JSON.stringify(entry.details),
      entry.actor,
    ],
  );
}

/** A component's or a job's history, oldest first. */
export async function historyOf(
  client: pg.ClientBase,
  of: { componentId: string } | { jobId: string },
): Promise<HistoryRow[]> {
  const [column, id] = 'componentId' in of ? ['component_id', of.componentId] : ['job_id', of.jobId];
  const { rows } = await client.query<HistoryRow>(
    // h.id, not id: ORDER BY id would sort the text output column ('10' before '9').
    `SELECT h.id::text AS id, h.component_id, h.job_id, h.work_order_id, h.kind, h.details, h.actor, h.occurred_at
       FROM maintenance.maintenance_history h WHERE h.${column} = $1 ORDER BY h.id`,
    [id],
  );
  return rows;
}
