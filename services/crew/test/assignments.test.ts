import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeafarer, post, startCrewApp, type CrewTestContext, type TestVessel } from './helpers.js';

interface AssignmentResponse {
  id: string;
  status: string;
  [field: string]: unknown;
}

describe('assignments', () => {
  let context: CrewTestContext;
  const tenant = randomUUID();
  let vesselA: TestVessel;
  let vesselB: TestVessel;
  let headers: { authorization: string };

  beforeAll(async () => {
    context = await startCrewApp({ today: '2026-03-01' });
    vesselA = await context.fixture.addVessel(tenant);
    vesselB = await context.fixture.addVessel(tenant);
    headers = await context.as('fleet-manager', tenant);
  });
  afterAll(async () => {
    await context.close();
  });

  const assign = (body: Record<string, unknown>) =>
    context.app.inject({ method: 'POST', url: '/v1/crew/assignments', headers, payload: body });

  it('refuses an overlapping assignment with 409 naming the conflicting one', async () => {
    const seafarer = await createSeafarer(context, tenant);
    const first = await assign({
      seafarerId: seafarer.id,
      vesselId: vesselA.id,
      rank: 'able-seafarer',
      plannedSignOn: '2026-03-10',
      plannedSignOff: '2026-09-10',
    });
    expect(first.statusCode).toBe(201);
    const firstId = first.json<AssignmentResponse>().id;

    const overlapping = await assign({
      seafarerId: seafarer.id,
      vesselId: vesselB.id,
      rank: 'able-seafarer',
      plannedSignOn: '2026-09-01',
      plannedSignOff: '2027-01-01',
    });
    expect(overlapping.statusCode).toBe(409);
    expect(overlapping.headers['content-type']).toContain('application/problem+json');
    const problem = overlapping.json<{ detail: string; conflictingAssignmentId: string }>();
    expect(problem.conflictingAssignmentId).toBe(firstId);
    expect(problem.detail).toContain(firstId);
    expect(problem.detail).toContain('2026-03-10');

    // Signing off one vessel and on another the same day is a handover, not an overlap.
    const sameDay = await assign({
      seafarerId: seafarer.id,
      vesselId: vesselB.id,
      rank: 'able-seafarer',
      plannedSignOn: '2026-09-10',
      plannedSignOff: '2027-01-01',
    });
    expect(sameDay.statusCode).toBe(201);
  });

  it('refuses a planned sign-off before the sign-on with 400', async () => {
    const seafarer = await createSeafarer(context, tenant);
    const response = await assign({
      seafarerId: seafarer.id,
      vesselId: vesselA.id,
      rank: 'oiler',
      plannedSignOn: '2026-05-01',
      plannedSignOff: '2026-04-30',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ errors: { pointer: string }[] }>().errors[0]?.pointer).toBe('/plannedSignOff');
  });

  it('signs on and off with actual dates, refusing a sign-off before the sign-on (400) and out of order (409)', async () => {
    const seafarer = await createSeafarer(context, tenant);
    const created = await post<AssignmentResponse>(context, '/v1/crew/assignments', headers, {
      seafarerId: seafarer.id,
      vesselId: vesselA.id,
      rank: 'bosun',
      plannedSignOn: '2026-02-01',
      plannedSignOff: '2026-08-01',
    });
    const url = (action: string) => `/v1/crew/assignments/${created.id}/${action}`;
    const early = await context.app.inject({
      method: 'POST',
      url: url('sign-off'),
      headers,
      payload: { date: '2026-03-01' },
    });
    expect(early.statusCode).toBe(409);
    const signedOn = await post<AssignmentResponse>(
      context,
      url('sign-on'),
      headers,
      { date: '2026-02-03' },
      200,
    );
    expect(signedOn).toMatchObject({ status: 'on-board', actualSignOn: '2026-02-03' });
    const before = await context.app.inject({
      method: 'POST',
      url: url('sign-off'),
      headers,
      payload: { date: '2026-02-02' },
    });
    expect(before.statusCode).toBe(400);
    expect(before.json<{ errors: { pointer: string }[] }>().errors[0]?.pointer).toBe('/date');
    const cancel = await context.app.inject({ method: 'POST', url: url('cancel'), headers });
    expect(cancel.statusCode).toBe(409);
    const signedOff = await post<AssignmentResponse>(
      context,
      url('sign-off'),
      headers,
      { date: '2026-07-15' },
      200,
    );
    expect(signedOff).toMatchObject({ status: 'signed-off', actualSignOff: '2026-07-15', version: 3 });

    // With the actual sign-off earlier than planned, the seafarer is free from then on.
    const next = await assign({
      seafarerId: seafarer.id,
      vesselId: vesselB.id,
      rank: 'bosun',
      plannedSignOn: '2026-07-20',
      plannedSignOff: '2026-12-20',
    });
    expect(next.statusCode).toBe(201);
  });

  it('gives the crew list of a vessel on any date', async () => {
    const vessel = await context.fixture.addVessel(tenant);
    const [early, late, cancelled] = await Promise.all([
      createSeafarer(context, tenant, { familyName: 'Early' }),
      createSeafarer(context, tenant, { familyName: 'Late' }),
      createSeafarer(context, tenant, { familyName: 'Cancelled' }),
    ]);
    const plan = (seafarerId: string, on: string, off: string) =>
      post<AssignmentResponse>(context, '/v1/crew/assignments', headers, {
        seafarerId,
        vesselId: vessel.id,
        rank: 'oiler',
        plannedSignOn: on,
        plannedSignOff: off,
      });
    await plan(early.id, '2026-01-01', '2026-04-01');
    await plan(late.id, '2026-04-01', '2026-10-01');
    const dropped = await plan(cancelled.id, '2026-01-01', '2026-12-01');
    await post(context, `/v1/crew/assignments/${dropped.id}/cancel`, headers, undefined, 200);

    const crewOn = async (date: string) => {
      const response = await context.app.inject({
        url: `/v1/crew/vessels/${vessel.id}/crew?date=${date}`,
        headers: await context.as('viewer', tenant),
      });
      expect(response.statusCode).toBe(200);
      return response.json<{ crew: { seafarer: { id: string } }[] }>().crew.map((entry) => entry.seafarer.id);
    };
    expect(await crewOn('2026-03-31')).toEqual([early.id]);
    expect(await crewOn('2026-04-01')).toEqual([late.id]);
    expect(await crewOn('2026-12-01')).toEqual([]);
  });

  it('plans rotations: a reliever must join the same vessel and rank by the sign-off', async () => {
    const vessel = await context.fixture.addVessel(tenant);
    const [leaving, reliever, other] = await Promise.all([
      createSeafarer(context, tenant, { rank: 'chief-engineer' }),
      createSeafarer(context, tenant, { rank: 'chief-engineer' }),
      createSeafarer(context, tenant, { rank: 'chief-engineer' }),
    ]);
    const current = await post<AssignmentResponse>(context, '/v1/crew/assignments', headers, {
      seafarerId: leaving.id,
      vesselId: vessel.id,
      rank: 'chief-engineer',
      plannedSignOn: '2025-12-01',
      plannedSignOff: '2026-03-20',
    });
    const unrelieved = await post<AssignmentResponse>(context, '/v1/crew/assignments', headers, {
      seafarerId: other.id,
      vesselId: vessel.id,
      rank: 'chief-engineer',
      plannedSignOn: '2025-12-01',
      plannedSignOff: '2026-03-25',
    });
    const tooLate = await assign({
      seafarerId: reliever.id,
      vesselId: vessel.id,
      rank: 'chief-engineer',
      plannedSignOn: '2026-03-21',
      plannedSignOff: '2026-07-21',
      relievesAssignmentId: current.id,
    });
    expect(tooLate.statusCode).toBe(400);
    const wrongRank = await assign({
      seafarerId: reliever.id,
      vesselId: vessel.id,
      rank: 'second-engineer',
      plannedSignOn: '2026-03-18',
      plannedSignOff: '2026-07-18',
      relievesAssignmentId: current.id,
    });
    expect(wrongRank.statusCode).toBe(400);
    const relief = await post<AssignmentResponse>(context, '/v1/crew/assignments', headers, {
      seafarerId: reliever.id,
      vesselId: vessel.id,
      rank: 'chief-engineer',
      plannedSignOn: '2026-03-18',
      plannedSignOff: '2026-07-18',
      relievesAssignmentId: current.id,
    });

    const response = await context.app.inject({
      url: `/v1/crew/vessels/${vessel.id}/rotations?withinDays=30`,
      headers: await context.as('viewer', tenant),
    });
    expect(response.statusCode).toBe(200);
    const rotations = response.json<{
      items: { assignment: { id: string }; reliever: { id: string } | null; relieved: boolean }[];
    }>();
    expect(
      rotations.items.map((item) => [item.assignment.id, item.reliever?.id ?? null, item.relieved]),
    ).toEqual([
      [current.id, relief.id, true],
      [unrelieved.id, null, false],
    ]);
  });

  it('does not assign another owner’s seafarer, or to another owner’s vessel', async () => {
    const otherTenant = randomUUID();
    const foreignSeafarer = await createSeafarer(context, otherTenant);
    const foreignVessel = await context.fixture.addVessel(otherTenant);
    const own = await createSeafarer(context, tenant);
    const withForeignSeafarer = await assign({
      seafarerId: foreignSeafarer.id,
      vesselId: vesselA.id,
      rank: 'oiler',
      plannedSignOn: '2026-03-01',
      plannedSignOff: '2026-04-01',
    });
    expect(withForeignSeafarer.statusCode).toBe(404);
    const onForeignVessel = await assign({
      seafarerId: own.id,
      vesselId: foreignVessel.id,
      rank: 'oiler',
      plannedSignOn: '2026-03-01',
      plannedSignOff: '2026-04-01',
    });
    expect(onForeignVessel.statusCode).toBe(404);
  });
});
