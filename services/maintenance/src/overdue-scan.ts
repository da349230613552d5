import { withPlatformAccess } from '@fleetwatch/db';
import { enqueueOutbox } from '@fleetwatch/outbox';
import type pg from 'pg';
import { openWorkOrders } from './db/work-orders.js';
import { workOrderOverdueMessage, OUTBOX_SCHEMA, type WorkOrderOverdueData } from './events.js';
import { averagesOf, dueOfWorkOrder } from './planning.js';

/**
 * One pass across tenants: every open work order that is overdue today and has no notice for its due
 * date yet gets one, and its event goes into the outbox in the same transaction. The notice's primary
 * key makes concurrent scans (replicas) announce each once; a postponement (new due date) starts over.
 * Returns the events.
 */
export async function scanOverdueWorkOrders(pool: pg.Pool, now: Date): Promise<WorkOrderOverdueData[]> {
  const today = now.toISOString().slice(0, 10);
  return withPlatformAccess(pool, async (client) => {
    const open = await openWorkOrders(client, {});
    const averages = await averagesOf(
      client,
      open.filter((p) => p.job.interval_hours !== null).map((p) => p.workOrder.component_id),
      now,
    );
    const overdue = open
      .map((planned) => ({
        planned,
        due: dueOfWorkOrder(planned, today, averages.get(planned.workOrder.component_id) ?? null),
      }))
      .filter(({ due }) => due.status === 'overdue');
    const events: WorkOrderOverdueData[] = [];
    for (const { planned, due } of overdue) {
      const dueKey = `${due.dueDate ?? ''}|${due.dueHours ?? ''}`;
      const { rowCount } = await client.query(
        `INSERT INTO maintenance.overdue_notices (work_order_id, tenant_id, due_key) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [planned.workOrder.id, planned.workOrder.tenant_id, dueKey],
      );
      if (rowCount !== 1) continue;
      events.push({
        workOrderId: planned.workOrder.id,
        tenantId: planned.workOrder.tenant_id,
        vesselId: planned.workOrder.vessel_id,
        componentId: planned.workOrder.component_id,
        componentCode: planned.component.code,
        jobId: planned.job.id,
        jobTitle: planned.job.title,
        criticality: planned.component.criticality,
        dueDate: due.dueDate,
        dueHours: due.dueHours,
        overdueDays: due.overdueDays,
        overdueHours: due.overdueHours,
      });
    }
    // The transaction's last statement (packages/outbox README, "Ordering").
    await enqueueOutbox(client, OUTBOX_SCHEMA, events.map(workOrderOverdueMessage));
    return events;
  });
}
