import { createEnvelope } from '@fleetwatch/messaging';
import type { OutboxMessage } from '@fleetwatch/outbox';
import { Type, type Static } from '@sinclair/typebox';

/** The schema whose outbox table carries this service's events. */
export const OUTBOX_SCHEMA = 'maintenance';

/** Work-order events, keyed by vessel so one vessel's events stay in order. */
export const WORK_ORDERS_TOPIC = 'maintenance.work-orders.v1';
export const WORK_ORDER_OVERDUE_EVENT = 'maintenance.work-order-overdue';
export const WORK_ORDER_OVERDUE_EVENT_VERSION = 1;

// Patterns, not formats: consumers check envelopes with TypeBox's Value, which knows no formats.
const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const DATE = '^\\d{4}-\\d{2}-\\d{2}$';

/** Sent once per work order and due date, the first time a scan finds it overdue. */
export const WorkOrderOverdueData = Type.Object({
  workOrderId: Type.String({ pattern: UUID }),
  tenantId: Type.String({ pattern: UUID }),
  vesselId: Type.String({ pattern: UUID }),
  componentId: Type.String({ pattern: UUID }),
  componentCode: Type.String(),
  jobId: Type.String({ pattern: UUID }),
  jobTitle: Type.String(),
  criticality: Type.String(),
  dueDate: Type.Union([Type.String({ pattern: DATE }), Type.Null()]),
  dueHours: Type.Union([Type.Number(), Type.Null()]),
  overdueDays: Type.Integer({ minimum: 0 }),
  overdueHours: Type.Number({ minimum: 0 }),
});
export type WorkOrderOverdueData = Static<typeof WorkOrderOverdueData>;

export function workOrderOverdueMessage(data: WorkOrderOverdueData): OutboxMessage {
  return {
    topic: WORK_ORDERS_TOPIC,
    key: data.vesselId,
    value: createEnvelope({
      type: WORK_ORDER_OVERDUE_EVENT,
      version: WORK_ORDER_OVERDUE_EVENT_VERSION,
      tenant: data.tenantId,
      data,
    }),
  };
}
