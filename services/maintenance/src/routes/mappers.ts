import type { Static } from '@sinclair/typebox';
import type { ComponentRow } from '../db/components.js';
import type { HistoryRow } from '../db/history.js';
import type { JobRow } from '../db/jobs.js';
import type { PostponementRow } from '../db/postponements.js';
import type { ReadingRow } from '../db/readings.js';
import type { PlannedWorkOrder } from '../db/work-orders.js';
import type { DueState as DueStateValue } from '../domain/due.js';
import type { Component, HistoryEntry, Job, Postponement, Reading, WorkOrder } from './schemas.js';

export function componentResource(row: ComponentRow): Static<typeof Component> {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    vesselId: row.vessel_id,
    parentId: row.parent_id,
    code: row.code,
    name: row.name,
    maker: row.maker,
    model: row.model,
    serialNumber: row.serial_number,
    criticality: row.criticality,
    hasCounter: row.has_counter,
    telemetryEngine: row.telemetry_engine,
    runningHours: row.running_hours,
    counterMeter: row.counter_meter,
    counterObservedAt: row.counter_observed_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

export function readingResource(row: ReadingRow): Static<typeof Reading> {
  return {
    id: row.id,
    componentId: row.component_id,
    kind: row.kind,
    meter: row.meter,
    runningHours: row.running_hours,
    observedAt: row.observed_at.toISOString(),
    source: row.source,
    recordedBy: row.recorded_by,
  };
}

export function jobResource(
  row: JobRow,
  open: { workOrderId: string; due: DueStateValue } | null,
): Static<typeof Job> {
  return {
    id: row.id,
    componentId: row.component_id,
    vesselId: row.vessel_id,
    title: row.title,
    instructions: row.instructions,
    responsibleRank: row.responsible_rank,
    calendarInterval:
      row.interval_unit && row.interval_value ? { unit: row.interval_unit, value: row.interval_value } : null,
    hoursInterval: row.interval_hours,
    toleranceDays: row.tolerance_days,
    toleranceHours: row.tolerance_hours,
    lastDoneOn: row.last_done_on,
    lastDoneHours: row.last_done_hours,
    openWorkOrderId: open?.workOrderId ?? null,
    due: open?.due ?? null,
  };
}

export function postponementResource(row: PostponementRow): Static<typeof Postponement> {
  return {
    id: row.id,
    workOrderId: row.work_order_id,
    requestedDueDate: row.requested_due_date,
    requestedDueHours: row.requested_due_hours,
    reason: row.reason,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at.toISOString(),
    decision: row.decision,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
  };
}

export function workOrderResource(
  { workOrder, job, component }: PlannedWorkOrder,
  due: DueStateValue | null,
  postponements: PostponementRow[],
): Static<typeof WorkOrder> {
  return {
    id: workOrder.id,
    vesselId: workOrder.vessel_id,
    componentId: workOrder.component_id,
    componentCode: component.code,
    componentName: component.name,
    criticality: component.criticality,
    jobId: job.id,
    jobTitle: job.title,
    responsibleRank: job.responsible_rank,
    state: workOrder.completed_on ? 'done' : (due?.status ?? 'planned'),
    due: workOrder.completed_on ? null : due,
    completion: workOrder.completed_on
      ? {
          completedOn: workOrder.completed_on,
          runningHours: workOrder.completed_hours,
          remarks: workOrder.remarks ?? '',
          signedBy: { name: workOrder.signed_by_name ?? '', rank: workOrder.signed_by_rank ?? '' },
          recordedBy: workOrder.completed_by ?? '',
        }
      : null,
    postponements: postponements.map(postponementResource),
    createdAt: workOrder.created_at.toISOString(),
  };
}

export function historyResource(row: HistoryRow): Static<typeof HistoryEntry> {
  return {
    kind: row.kind,
    componentId: row.component_id,
    jobId: row.job_id,
    workOrderId: row.work_order_id,
    details: row.details,
    actor: row.actor,
    occurredAt: row.occurred_at.toISOString(),
  };
}
