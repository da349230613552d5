import { createProducer, decodeEnvelope, ensureTopics, type MessageProducer } from '@fleetwatch/messaging';
import { createOutboxRelay, type OutboxRelay } from '@fleetwatch/outbox';
import type { Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTBOX_SCHEMA, WORK_ORDERS_TOPIC, WorkOrderOverdueData } from '../src/events.js';
import { scanOverdueWorkOrders } from '../src/overdue-scan.js';
import { post, startMaintenanceApp, type MaintenanceTestContext, type TestVessel } from './helpers.js';

describe('overdue events and class surveys', () => {
  let context: MaintenanceTestContext;
  let producer: MessageProducer;
  let relay: OutboxRelay;
  let reader: Consumer;
  const tenant = randomUUID();
  let vessel: TestVessel;
  let headers: { authorization: string };
  const received: WorkOrderOverdueData[] = [];

  beforeAll(async () => {
    context = await startMaintenanceApp({ today: '2026-03-01' });
    vessel = await context.fixture.addVessel(tenant);
    headers = await context.as('fleet-manager', tenant);
    await ensureTopics(context.kafka, [{ topic: WORK_ORDERS_TOPIC, numPartitions: 1 }]);
    producer = createProducer(context.kafka);
    await producer.connect();
    relay = createOutboxRelay({ pool: context.pool, schema: OUTBOX_SCHEMA, producer, pollIntervalMs: 200 });
    await relay.start();
    reader = context.kafka.consumer({ groupId: `maintenance-overdue-${randomUUID()}`, maxWaitTimeInMs: 500 });
    await reader.connect();
    await reader.subscribe({ topics: [WORK_ORDERS_TOPIC], fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const envelope = decodeEnvelope(message.value, WorkOrderOverdueData);
        if (envelope.tenant === tenant) received.push(envelope.data);
      },
    });
  });
  afterAll(async () => {
    await reader.disconnect();
    await relay.stop();
    await producer.disconnect();
    await context.close();
  });

  it('announces an overdue work order once per due date, and again after a postponement lapses', async () => {
    const pump = await post<{ id: string }>(
      context,
      `/v1/maintenance/vessels/${vessel.id}/components`,
      headers,
      {
        code: '801',
        name: 'Emergency fire pump',
        criticality: 'critical',
      },
    );
    const job = await post<{ id: string; openWorkOrderId: string }>(
      context,
      `/v1/maintenance/components/${pump.id}/jobs`,
      headers,
      {
        title: 'Weekly test',
        responsibleRank: 'third-engineer',
        calendarInterval: { unit: 'days', value: 7 },
        lastDoneOn: '2026-02-20',
      },
    );
    const mine = async (at: string) =>
      (await scanOverdueWorkOrders(context.pool, new Date(at))).filter((event) => event.tenantId === tenant);
    expect(await mine('2026-02-27T12:00:00Z')).toEqual([]);
    const first = await mine('2026-02-28T12:00:00Z');
    expect(first).toEqual([
      expect.objectContaining({
        workOrderId: job.openWorkOrderId,
        dueDate: '2026-02-27',
        overdueDays: 1,
        criticality: 'critical',
      }),
    ]);
    expect(await mine('2026-03-01T12:00:00Z')).toEqual([]);

    const requested = await post<{ id: string }>(
      context,
      `/v1/maintenance/work-orders/${job.openWorkOrderId}/postponements`,
      headers,
      { dueDate: '2026-03-05', reason: 'Pump parts ashore' },
    );
    await post(
      context,
      `/v1/maintenance/work-orders/${job.openWorkOrderId}/postponements/${requested.id}/approve`,
      await context.as('owner-admin', tenant),
      undefined,
      200,
    );
    expect(await mine('2026-03-05T12:00:00Z')).toEqual([]);
    expect(await mine('2026-03-06T12:00:00Z')).toEqual([expect.objectContaining({ dueDate: '2026-03-05' })]);

    const deadline = Date.now() + 20_000;
    while (received.length < 2) {
      if (Date.now() > deadline) throw new Error(`${received.length} of 2 events within 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(received.map((event) => event.dueDate)).toEqual(['2026-02-27', '2026-03-05']);
  });

  it('plans a class period’s surveys and tracks their windows', async () => {
    const created = await post<{
      items: {
        id: string;
        kind: string;
        number: number;
        dueDate: string;
        windowStart: string;
        state: string;
      }[];
    }>(context, `/v1/maintenance/vessels/${vessel.id}/class-surveys`, headers, { periodStart: '2024-06-15' });
    expect(
      created.items.map((item) => [item.kind, item.number, item.windowStart, item.dueDate, item.state]),
    ).toEqual([
      ['annual', 1, '2025-03-15', '2025-09-15', 'overdue'],
      ['annual', 2, '2026-03-15', '2026-09-15', 'not-yet-open'],
      ['annual', 3, '2027-03-15', '2027-09-15', 'not-yet-open'],
      ['intermediate', 1, '2026-03-15', '2027-09-15', 'not-yet-open'],
      ['annual', 4, '2028-03-15', '2028-09-15', 'not-yet-open'],
      ['special', 1, '2028-03-15', '2029-06-15', 'not-yet-open'],
    ]);
    // Entered twice: nothing changes.
    const again = await post<{ items: unknown[] }>(
      context,
      `/v1/maintenance/vessels/${vessel.id}/class-surveys`,
      headers,
      {
        periodStart: '2024-06-15',
      },
    );
    expect(again.items).toHaveLength(6);

    const annual1 = created.items[0]?.id;
    const early = await context.app.inject({
      method: 'POST',
      url: `/v1/maintenance/class-surveys/${annual1}/complete`,
      headers,
      payload: { completedOn: '2025-03-01', remarks: 'Before the window' },
    });
    expect(early.statusCode).toBe(400);
    const done = await post<{ state: string }>(
      context,
      `/v1/maintenance/class-surveys/${annual1}/complete`,
      headers,
      {
        completedOn: '2025-06-20',
        remarks: 'Annual survey held, no findings',
      },
      200,
    );
    expect(done.state).toBe('done');
  });
});
