import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startMaintenanceApp, type MaintenanceTestContext, type TestVessel } from './helpers.js';

interface DueStateBody {
  status: string;
  hoursLeft?: number | null;
  estimatedHoursDueDate?: string | null;
  governedBy?: string;
  dueDate: string | null;
  dueHours: number | null;
  effectiveDueDate: string | null;
  overdueDays: number;
}
interface WorkOrderBody {
  id: string;
  state: string;
  jobTitle: string;
  due: DueStateBody | null;
  postponements: { id: string; decision: string | null }[];
}
interface JobBody {
  id: string;
  openWorkOrderId: string;
  due: DueStateBody;
}

describe('jobs and work orders', () => {
  let context: MaintenanceTestContext;
  const tenant = randomUUID();
  let vessel: TestVessel;
  let manager: { authorization: string };
  let owner: { authorization: string };
  let engine: { id: string };
  let purifier: { id: string };

  beforeAll(async () => {
    context = await startMaintenanceApp({ today: '2026-03-01' });
    vessel = await context.fixture.addVessel(tenant);
    manager = await context.as('fleet-manager', tenant);
    owner = await context.as('owner-admin', tenant);
    engine = await post(context, `/v1/maintenance/vessels/${vessel.id}/components`, manager, {
      code: '601',
      name: 'Main engine',
      criticality: 'critical',
      hasCounter: true,
      initialRunningHours: 20_000,
    });
    purifier = await post(context, `/v1/maintenance/vessels/${vessel.id}/components`, manager, {
      code: '712',
      name: 'HFO purifier',
      criticality: 'medium',
    });
  });
  afterAll(async () => {
    await context.close();
  });

  const job = (componentId: string, body: Record<string, unknown>) =>
    post<JobBody>(context, `/v1/maintenance/components/${componentId}/jobs`, manager, {
      responsibleRank: 'second-engineer',
      ...body,
    });
  const workOrder = async (id: string) => {
    const response = await context.app.inject({ url: `/v1/maintenance/work-orders/${id}`, headers: manager });
    expect(response.statusCode).toBe(200);
    return response.json<WorkOrderBody>();
  };

  it('computes the due date from the last completion, calendar and hours, whichever comes first', async () => {
    const calendar = await job(purifier.id, {
      title: 'Clean bowl',
      calendarInterval: { unit: 'months', value: 1 },
      toleranceDays: 3,
      lastDoneOn: '2026-01-31',
    });
    // 31 January + 1 month = 28 February; 1 March is within the 3-day tolerance: due, not overdue.
    expect(calendar.due).toMatchObject({ dueDate: '2026-02-28', status: 'due', overdueDays: 0 });

    const both = await job(engine.id, {
      title: 'Overhaul fuel valves',
      calendarInterval: { unit: 'months', value: 12 },
      hoursInterval: 500,
      lastDoneOn: '2026-01-01',
      lastDoneHours: 19_600,
    });
    // 19 600 + 500 = 20 100 h; the counter is at 20 000 with no readings yet (no average): the calendar
    // date (2027-01-01) governs the date, the hours are 100 away.
    expect(both.due).toMatchObject({ dueDate: '2027-01-01', dueHours: 20_100, status: 'planned' });

    const refused = await context.app.inject({
      method: 'POST',
      url: `/v1/maintenance/components/${purifier.id}/jobs`,
      headers: manager,
      payload: {
        title: 'Hours on no counter',
        responsibleRank: 'oiler',
        hoursInterval: 100,
        lastDoneOn: '2026-01-01',
      },
    });
    expect(refused.statusCode).toBe(400);
    const noInterval = await context.app.inject({
      method: 'POST',
      url: `/v1/maintenance/components/${purifier.id}/jobs`,
      headers: manager,
      payload: { title: 'Never', responsibleRank: 'oiler', lastDoneOn: '2026-01-01' },
    });
    expect(noInterval.statusCode).toBe(400);
  });

  it('estimates when running hours fall due from the average of the last 30 days', async () => {
    const generator = await post<{ id: string }>(
      context,
      `/v1/maintenance/vessels/${vessel.id}/components`,
      manager,
      {
        code: '651',
        name: 'Diesel generator 1',
        criticality: 'high',
        hasCounter: true,
        initialRunningHours: 5_000,
      },
    );
    const read = (meter: number, observedAt: string) =>
      post(context, `/v1/maintenance/components/${generator.id}/readings`, manager, { meter, observedAt });
    await read(5_000, '2026-02-25T12:00:00Z');
    await read(5_080, '2026-03-01T12:00:00Z'); // 80 h in 4 days: 20 h a day
    const planned = await job(generator.id, {
      title: 'Change lube oil filter',
      hoursInterval: 180,
      lastDoneOn: '2026-02-20',
      lastDoneHours: 5_000,
    });
    // 5 180 h due, 100 h left at 20 h a day: 5 days from 2026-03-01.
    expect(planned.due).toMatchObject({
      dueHours: 5_180,
      hoursLeft: 100,
      estimatedHoursDueDate: '2026-03-06',
      effectiveDueDate: '2026-03-06',
      governedBy: 'hours',
      status: 'planned',
    });
  });

  it('changes the due date only when a postponement is approved, and records both in the history', async () => {
    const planned = await job(purifier.id, {
      title: 'Renew seals',
      calendarInterval: { unit: 'days', value: 30 },
      lastDoneOn: '2026-01-15',
    });
    expect(planned.due).toMatchObject({ dueDate: '2026-02-14', status: 'overdue', overdueDays: 15 });
    const url = `/v1/maintenance/work-orders/${planned.openWorkOrderId}`;

    const requested = await post<{ id: string }>(context, `${url}/postponements`, manager, {
      dueDate: '2026-04-01',
      reason: 'Seal kit on back order',
    });
    let current = await workOrder(planned.openWorkOrderId);
    expect(current.due).toMatchObject({ dueDate: '2026-02-14', status: 'overdue' });
    expect(current.postponements).toEqual([expect.objectContaining({ id: requested.id, decision: null })]);

    const second = await context.app.inject({
      method: 'POST',
      url: `${url}/postponements`,
      headers: manager,
      payload: { dueDate: '2026-05-01', reason: 'Another' },
    });
    expect(second.statusCode).toBe(409);
    const byManager = await context.app.inject({
      method: 'POST',
      url: `${url}/postponements/${requested.id}/approve`,
      headers: manager,
    });
    expect(byManager.statusCode).toBe(403);
    current = await workOrder(planned.openWorkOrderId);
    expect(current.due?.dueDate).toBe('2026-02-14');

    const approved = await post<WorkOrderBody>(
      context,
      `${url}/postponements/${requested.id}/approve`,
      owner,
      undefined,
      200,
    );
    expect(approved.due).toMatchObject({ dueDate: '2026-04-01', status: 'planned' });
    const again = await context.app.inject({
      method: 'POST',
      url: `${url}/postponements/${requested.id}/approve`,
      headers: owner,
    });
    expect(again.statusCode).toBe(409);

    const history = await context.app.inject({
      url: `/v1/maintenance/jobs/${planned.id}/history`,
      headers: manager,
    });
    expect(history.json<{ items: { kind: string }[] }>().items.map((entry) => entry.kind)).toEqual([
      'job-created',
      'postponement-requested',
      'postponement-approved',
    ]);
  });

  it('a rejected postponement leaves the due date', async () => {
    const planned = await job(purifier.id, {
      title: 'Check alarms',
      calendarInterval: { unit: 'days', value: 60 },
      lastDoneOn: '2026-01-10',
    });
    const url = `/v1/maintenance/work-orders/${planned.openWorkOrderId}`;
    const requested = await post<{ id: string }>(context, `${url}/postponements`, manager, {
      dueDate: '2026-04-30',
      reason: 'Drydock',
    });
    const rejected = await post<WorkOrderBody>(
      context,
      `${url}/postponements/${requested.id}/reject`,
      owner,
      undefined,
      200,
    );
    expect(rejected.due?.dueDate).toBe('2026-03-11');
    expect(rejected.postponements).toEqual([expect.objectContaining({ decision: 'rejected' })]);
  });

  it('completing a work order records it and opens the next cycle from the completion', async () => {
    const planned = await job(engine.id, {
      title: 'Indicator cards',
      calendarInterval: { unit: 'months', value: 3 },
      hoursInterval: 1_000,
      toleranceDays: 7,
      lastDoneOn: '2025-12-01',
      lastDoneHours: 19_500,
    });
    const url = `/v1/maintenance/work-orders/${planned.openWorkOrderId}`;
    const withoutHours = await context.app.inject({
      method: 'POST',
      url: `${url}/complete`,
      headers: manager,
      payload: {
        completedOn: '2026-02-25',
        remarks: 'ok',
        signedBy: { name: 'Ivan Petrov', rank: 'chief-engineer' },
      },
    });
    expect(withoutHours.statusCode).toBe(400);
    const done = await post<WorkOrderBody & { completion: unknown }>(
      context,
      `${url}/complete`,
      manager,
      {
        completedOn: '2026-02-25',
        runningHours: 19_980,
        remarks: 'Cards taken, all units within 2 bar',
        signedBy: { name: 'Ivan Petrov', rank: 'chief-engineer' },
      },
      200,
    );
    expect(done.state).toBe('done');
    expect(done.completion).toMatchObject({
      completedOn: '2026-02-25',
      runningHours: 19_980,
      signedBy: { name: 'Ivan Petrov', rank: 'chief-engineer' },
    });
    const twice = await context.app.inject({
      method: 'POST',
      url: `${url}/complete`,
      headers: manager,
      payload: {
        completedOn: '2026-02-26',
        runningHours: 19_990,
        remarks: 'again',
        signedBy: { name: 'x', rank: 'y' },
      },
    });
    expect(twice.statusCode).toBe(409);

    const next = await context.app.inject({ url: `/v1/maintenance/jobs/${planned.id}`, headers: manager });
    const nextJob = next.json<JobBody & { lastDoneOn: string; lastDoneHours: number }>();
    expect(nextJob).toMatchObject({ lastDoneOn: '2026-02-25', lastDoneHours: 19_980 });
    expect(nextJob.openWorkOrderId).not.toBe(planned.openWorkOrderId);
    // 25 February + 3 months = 25 May; 19 980 + 1 000 = 20 980 h.
    expect(nextJob.due).toMatchObject({ dueDate: '2026-05-25', dueHours: 20_980, status: 'planned' });
  });

  it('lists what is due: overdue first, then by date, filtered by criticality and component', async () => {
    const owner2 = randomUUID();
    const headers = await context.as('fleet-manager', owner2);
    const ship = await context.fixture.addVessel(owner2);
    const pump = await post<{ id: string }>(
      context,
      `/v1/maintenance/vessels/${ship.id}/components`,
      headers,
      {
        code: '801',
        name: 'Fire pump',
        criticality: 'critical',
      },
    );
    const fridge = await post<{ id: string }>(
      context,
      `/v1/maintenance/vessels/${ship.id}/components`,
      headers,
      {
        code: '901',
        name: 'Provision plant',
        criticality: 'low',
      },
    );
    const plan = (componentId: string, title: string, lastDoneOn: string, days: number) =>
      post<JobBody>(context, `/v1/maintenance/components/${componentId}/jobs`, headers, {
        title,
        responsibleRank: 'third-engineer',
        calendarInterval: { unit: 'days', value: days },
        lastDoneOn,
      });
    await plan(pump.id, 'Pump test soon', '2026-02-20', 20); // due 2026-03-12
    await plan(fridge.id, 'Defrost overdue', '2026-01-01', 30); // due 2026-01-31, overdue
    await plan(pump.id, 'Pump overdue', '2026-01-20', 30); // due 2026-02-19, overdue
    await plan(fridge.id, 'Far away', '2026-02-01', 365); // due 2027-02-01

    const list = async (query: string) => {
      const response = await context.app.inject({
        url: `/v1/maintenance/vessels/${ship.id}/due-list?${query}`,
        headers,
      });
      expect(response.statusCode).toBe(200);
      return response
        .json<{ items: { jobTitle: string; state: string }[] }>()
        .items.map((item) => [item.jobTitle, item.state]);
    };
    expect(await list('withinDays=30')).toEqual([
      ['Defrost overdue', 'overdue'],
      ['Pump overdue', 'overdue'],
      ['Pump test soon', 'planned'],
    ]);
    expect(await list('withinDays=30&criticality=critical')).toEqual([
      ['Pump overdue', 'overdue'],
      ['Pump test soon', 'planned'],
    ]);
    expect(await list(`withinDays=400&componentId=${fridge.id}`)).toEqual([
      ['Defrost overdue', 'overdue'],
      ['Far away', 'planned'],
    ]);
    const fleet = await context.app.inject({ url: '/v1/maintenance/due-list?withinDays=30', headers });
    expect(fleet.json<{ items: { jobTitle: string }[] }>().items.map((item) => item.jobTitle)).toEqual([
      'Defrost overdue',
      'Pump overdue',
      'Pump test soon',
    ]);
  });
});
