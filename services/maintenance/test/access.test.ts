import { randomInt, randomUUID } from 'node:crypto';
import { documentedRoutes, registeredRoutes } from '@fleetwatch/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startMaintenanceApp, type MaintenanceTestContext, type Role } from './helpers.js';

/**
 * Who may call what, on every endpoint of the maintenance service: tenant B's users against tenant A's
 * data (404 as if it did not exist, or 403 where the role check comes first, and nothing of A's in any
 * answer or list), the roles within A (a viewer reads only; only owner-admins and operators decide a
 * postponement), anonymous callers, platform operators and tokens with a malformed tenant. The route
 * table is checked against the routes the app registers, so a new endpoint fails here until it is added.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface OwnItems {
  /** The ids of the list's items. */
  ids: (body: unknown) => string[];
  /** The ids tenant B should see: its own only. */
  ofB: () => string[];
}

interface RouteCase {
  method: Method;
  /** The route as the OpenAPI document names it. */
  route: string;
  /** The request aimed at tenant A's data (ids are filled in by beforeAll). */
  url: () => string;
  body?: () => Record<string, unknown>;
  /** A's own callers get this: 200 for reads (any role), the success status for writes (writers). */
  ok: number;
  /** Reads: something of A's in the answer to A (a value not in the URL), which B must never see. */
  marker?: () => string;
  /** How tenant B's owner-admin and fleet-manager are answered (a viewer is refused writes first). */
  otherTenant: 404 | 403 | OwnItems;
  /** Deciding a postponement: owner-admins and platform operators only, so B's fleet-manager gets 403. */
  approval?: true;
  /** Writes: what A's writer's successful answer must show. */
  check?: (body: unknown) => void;
}

const today = '2026-03-01';
const API = '/v1/maintenance';

const a = {
  tenant: randomUUID(),
  componentName: `Main engine A-Confidential-${randomInt(1_000_000)}`,
  jobTitle: `Overhaul fuel valves A-Confidential-${randomInt(1_000_000)}`,
  job2Title: `Renew liner A-Confidential-${randomInt(1_000_000)}`,
  reason: `Spares delayed A-Confidential-${randomInt(1_000_000)}`,
  vessel: '',
  /** 601, with a counter on engine 'main' from 10 000 h. */
  component: '',
  /** 601.01 */
  child: '',
  /** The manual reading of 10 050 h on 2026-02-15. */
  reading: '',
  /** 601: every 6 months from 2025-08-01, so due 2026-02-01 and overdue. */
  job: '',
  workOrder: '',
  /** Pending on workOrder (to 2026-05-15): the one to reject. */
  postponement: '',
  /** 601.01: every 6 months from 2025-09-01, so due today. */
  job2: '',
  workOrder2: '',
  /** Pending on workOrder2 (to 2026-04-15): the one to approve. */
  postponement2: '',
  /** Annual survey 1 of the period from 2024-06-15 (window 2025-03-15..2025-09-15): overdue. */
  survey: '',
};
const b = { tenant: randomUUID(), vessel: '', component: '', workOrder: '' };

const itemIds = (body: unknown) => (body as { items: { id: string }[] }).items.map((item) => item.id);

const READS: RouteCase[] = [
  {
    method: 'GET',
    route: `${API}/vessels/{vesselId}/components`,
    url: () => `${API}/vessels/${a.vessel}/components`,
    ok: 200,
    marker: () => a.componentName,
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: `${API}/components/{id}`,
    url: () => `${API}/components/${a.component}`,
    ok: 200,
    marker: () => a.componentName,
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: `${API}/components/{id}/readings`,
    url: () => `${API}/components/${a.component}/readings`,
    ok: 200,
    marker: () => a.reading,
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: `${API}/components/{id}/history`,
    url: () => `${API}/components/${a.component}/history`,
    ok: 200,
    marker: () => a.jobTitle,
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: `${API}/components/{id}/jobs`,
    url: () => `${API}/components/${a.component}/jobs`,
    ok: 200,
    marker: () => a.jobTitle,
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: `${API}/jobs/{id}`,
    url: () => `${API}/jobs/${a.job}`,
    ok: 200,
    marker: () => a.workOrder,
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: `${API}/jobs/{id}/history`,
    url: () => `${API}/jobs/${a.job}/history`,
    ok: 200,
    marker: () => a.reason,
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: `${API}/vessels/{vesselId}/due-list`,
    url: () => `${API}/vessels/${a.vessel}/due-list`,
    ok: 200,
    marker: () => a.workOrder,
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: `${API}/due-list`,
    url: () => `${API}/due-list`,
    ok: 200,
    marker: () => a.workOrder2,
    otherTenant: { ids: itemIds, ofB: () => [b.workOrder] },
  },
  {
    method: 'GET',
    route: `${API}/work-orders/{id}`,
    url: () => `${API}/work-orders/${a.workOrder}`,
    ok: 200,
    marker: () => a.reason,
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: `${API}/vessels/{vesselId}/class-surveys`,
    url: () => `${API}/vessels/${a.vessel}/class-surveys`,
    ok: 200,
    marker: () => a.survey,
    otherTenant: 404,
  },
];

/**
 * Valid requests (so a refusal is about access, not validation). In this order A's writers can make
 * every one of them succeed, which the last block of tests does: the postponement is rejected before a
 * new one is requested, the other approved before its work order is completed.
 */
const WRITES: RouteCase[] = [
  {
    method: 'POST',
    route: `${API}/vessels/{vesselId}/components`,
    url: () => `${API}/vessels/${a.vessel}/components`,
    body: () => ({ code: '602', name: 'Forged auxiliary engine', criticality: 'low' }),
    ok: 201,
    otherTenant: 404,
  },
  {
    method: 'POST',
    route: `${API}/components/{id}/readings`,
    url: () => `${API}/components/${a.component}/readings`,
    body: () => ({ meter: 10_200, observedAt: '2026-02-28T08:00:00Z' }),
    ok: 201,
    otherTenant: 404,
  },
  {
    method: 'POST',
    route: `${API}/components/{id}/jobs`,
    url: () => `${API}/components/${a.component}/jobs`,
    body: () => ({
      title: 'Forged job',
      responsibleRank: 'third-engineer',
      calendarInterval: { unit: 'months', value: 12 },
      lastDoneOn: '2026-01-01',
    }),
    ok: 201,
    otherTenant: 404,
  },
  {
    method: 'POST',
    route: `${API}/work-orders/{id}/postponements/{postponementId}/reject`,
    url: () => `${API}/work-orders/${a.workOrder}/postponements/${a.postponement}/reject`,
    ok: 200,
    otherTenant: 404,
    approval: true,
    check: (body) =>
      expect(body).toMatchObject({
        id: a.workOrder,
        state: 'overdue',
        due: { dueDate: '2026-02-01' },
        postponements: [{ id: a.postponement, decision: 'rejected', decidedBy: `owner-admin@${a.tenant}` }],
      }),
  },
  {
    method: 'POST',
    route: `${API}/work-orders/{id}/postponements`,
    url: () => `${API}/work-orders/${a.workOrder}/postponements`,
    body: () => ({ dueDate: '2026-06-01', reason: 'Forged postponement' }),
    ok: 201,
    otherTenant: 404,
  },
  {
    method: 'POST',
    route: `${API}/work-orders/{id}/postponements/{postponementId}/approve`,
    url: () => `${API}/work-orders/${a.workOrder2}/postponements/${a.postponement2}/approve`,
    ok: 200,
    otherTenant: 404,
    approval: true,
    check: (body) =>
      expect(body).toMatchObject({
        id: a.workOrder2,
        state: 'planned',
        due: { dueDate: '2026-04-15' },
        postponements: [{ id: a.postponement2, decision: 'approved', decidedBy: `owner-admin@${a.tenant}` }],
      }),
  },
  {
    method: 'POST',
    route: `${API}/work-orders/{id}/complete`,
    url: () => `${API}/work-orders/${a.workOrder2}/complete`,
    body: () => ({
      completedOn: today,
      remarks: 'Forged completion',
      signedBy: { name: 'Nobody', rank: 'chief-engineer' },
    }),
    ok: 200,
    otherTenant: 404,
  },
  {
    method: 'POST',
    route: `${API}/vessels/{vesselId}/class-surveys`,
    url: () => `${API}/vessels/${a.vessel}/class-surveys`,
    body: () => ({ periodStart: '2029-06-15' }),
    ok: 201,
    otherTenant: 404,
  },
  {
    method: 'POST',
    route: `${API}/class-surveys/{id}/complete`,
    url: () => `${API}/class-surveys/${a.survey}/complete`,
    body: () => ({ completedOn: '2025-07-01', remarks: 'Forged survey' }),
    ok: 200,
    otherTenant: 404,
  },
];

const ROUTES = [...READS, ...WRITES];
const APPROVALS = WRITES.filter((route) => route.approval);
const label = (route: RouteCase) => `${route.method} ${route.route}`;

function routeOf(name: string): RouteCase {
  const route = ROUTES.find((candidate) => label(candidate) === name);
  if (!route) throw new Error(`no route ${name} in the table`);
  return route;
}
const B_ROLES = ['owner-admin', 'fleet-manager', 'viewer'] as const satisfies readonly Role[];

/** Everything of A's that B must never see, less what the request path names itself. */
function secretsOf(url: string): string[] {
  const path = url.split('?')[0] ?? '';
  return [
    a.tenant,
    a.componentName,
    a.jobTitle,
    a.job2Title,
    a.reason,
    a.vessel,
    a.component,
    a.child,
    a.reading,
    a.job,
    a.workOrder,
    a.postponement,
    a.job2,
    a.workOrder2,
    a.postponement2,
    a.survey,
  ].filter((secret) => !path.includes(secret));
}

describe('maintenance access control', () => {
  let context: MaintenanceTestContext;
  let before: Record<string, unknown>;

  const send = async (route: RouteCase, headers: Record<string, string>) =>
    context.app.inject({
      method: route.method,
      url: route.url(),
      headers,
      ...(route.body ? { payload: route.body() } : {}),
    });

  const expectProblem = (response: { headers: Record<string, unknown> }) =>
    expect(String(response.headers['content-type'])).toContain('application/problem+json');

  /** Everything of A's the tests could change, as A's viewer reads it. */
  const stateOfA = async () => {
    const headers = await context.as('viewer', a.tenant);
    const read = async (url: string) => {
      const response = await context.app.inject({ method: 'GET', url, headers });
      expect(response.statusCode, url).toBe(200);
      return response.json<unknown>();
    };
    return {
      components: await read(`${API}/vessels/${a.vessel}/components`),
      component: await read(`${API}/components/${a.component}`),
      readings: await read(`${API}/components/${a.component}/readings?days=3660`),
      componentHistory: await read(`${API}/components/${a.component}/history`),
      childHistory: await read(`${API}/components/${a.child}/history`),
      jobs: await read(`${API}/components/${a.component}/jobs`),
      childJobs: await read(`${API}/components/${a.child}/jobs`),
      job: await read(`${API}/jobs/${a.job}`),
      job2: await read(`${API}/jobs/${a.job2}`),
      jobHistory: await read(`${API}/jobs/${a.job}/history`),
      job2History: await read(`${API}/jobs/${a.job2}/history`),
      workOrder: await read(`${API}/work-orders/${a.workOrder}`),
      workOrder2: await read(`${API}/work-orders/${a.workOrder2}`),
      vesselDueList: await read(`${API}/vessels/${a.vessel}/due-list?withinDays=3660`),
      dueList: await read(`${API}/due-list?withinDays=3660`),
      surveys: await read(`${API}/vessels/${a.vessel}/class-surveys`),
    };
  };

  /** A's state is still what beforeAll made it. */
  const expectAUnchanged = async () => {
    const now = await stateOfA();
    expect(itemIds(now.components)).toEqual([a.component, a.child]);
    expect(now.component).toMatchObject({
      name: a.componentName,
      runningHours: 10_050,
      counterMeter: 10_050,
    });
    expect(itemIds(now.readings)).toEqual([a.reading]);
    expect(itemIds(now.jobs)).toEqual([a.job]);
    expect(itemIds(now.childJobs)).toEqual([a.job2]);
    expect(now.workOrder).toMatchObject({
      state: 'overdue',
      due: { dueDate: '2026-02-01' },
      completion: null,
      postponements: [{ id: a.postponement, decision: null }],
    });
    expect(now.workOrder2).toMatchObject({
      state: 'due',
      due: { dueDate: today },
      completion: null,
      postponements: [{ id: a.postponement2, decision: null }],
    });
    expect(itemIds(now.dueList)).toEqual([a.workOrder, a.workOrder2]);
    const surveys = (now.surveys as { items: { id: string; completedOn: string | null }[] }).items;
    expect(surveys).toHaveLength(6);
    expect(surveys.filter((survey) => survey.completedOn !== null)).toEqual([]);
    expect(surveys.map((survey) => survey.id)).toContain(a.survey);
    expect(now).toEqual(before);
  };

  beforeAll(async () => {
    context = await startMaintenanceApp({ today });
    const [vesselA, vesselB] = await Promise.all([
      context.fixture.addVessel(a.tenant),
      context.fixture.addVessel(b.tenant),
    ]);
    a.vessel = vesselA.id;
    b.vessel = vesselB.id;

    const writerA = await context.as('fleet-manager', a.tenant);
    a.component = (
      await post<{ id: string }>(context, `${API}/vessels/${a.vessel}/components`, writerA, {
        code: '601',
        name: a.componentName,
        criticality: 'critical',
        hasCounter: true,
        telemetryEngine: 'main',
        initialRunningHours: 10_000,
      })
    ).id;
    a.child = (
      await post<{ id: string }>(context, `${API}/vessels/${a.vessel}/components`, writerA, {
        parentId: a.component,
        code: '601.01',
        name: 'Cylinder unit 1',
        criticality: 'high',
      })
    ).id;
    await post(context, `${API}/components/${a.component}/readings`, writerA, {
      meter: 10_050,
      observedAt: '2026-02-15T08:00:00Z',
    });
    const readings = await context.app.inject({
      url: `${API}/components/${a.component}/readings`,
      headers: writerA,
    });
    a.reading = itemIds(readings.json())[0] ?? '';

    /** Plans a 6-monthly job, requests a postponement of its work order, returns the three ids. */
    const planAndPostpone = async (
      componentId: string,
      title: string,
      lastDoneOn: string,
      dueDate: string,
    ) => {
      const job = await post<{ id: string }>(context, `${API}/components/${componentId}/jobs`, writerA, {
        title,
        responsibleRank: 'second-engineer',
        calendarInterval: { unit: 'months', value: 6 },
        lastDoneOn,
      });
      const read = await context.app.inject({ url: `${API}/jobs/${job.id}`, headers: writerA });
      expect(read.statusCode, read.body).toBe(200);
      const workOrder = read.json<{ openWorkOrderId: string | null }>().openWorkOrderId ?? '';
      const postponement = await post<{ id: string }>(
        context,
        `${API}/work-orders/${workOrder}/postponements`,
        writerA,
        { dueDate, reason: a.reason },
      );
      return { job: job.id, workOrder, postponement: postponement.id };
    };
    ({
      job: a.job,
      workOrder: a.workOrder,
      postponement: a.postponement,
    } = await planAndPostpone(a.component, a.jobTitle, '2025-08-01', '2026-05-15'));
    ({
      job: a.job2,
      workOrder: a.workOrder2,
      postponement: a.postponement2,
    } = await planAndPostpone(a.child, a.job2Title, '2025-09-01', '2026-04-15'));

    const surveys = await post<{ items: { id: string; kind: string; number: number; state: string }[] }>(
      context,
      `${API}/vessels/${a.vessel}/class-surveys`,
      writerA,
      { periodStart: '2024-06-15' },
    );
    const annual1 = surveys.items.find((survey) => survey.kind === 'annual' && survey.number === 1);
    expect(annual1).toMatchObject({ state: 'overdue' });
    a.survey = annual1?.id ?? '';

    const writerB = await context.as('fleet-manager', b.tenant);
    b.component = (
      await post<{ id: string }>(context, `${API}/vessels/${b.vessel}/components`, writerB, {
        code: '601',
        name: 'Bergen main engine',
        criticality: 'high',
      })
    ).id;
    b.workOrder =
      (
        await post<{ openWorkOrderId: string | null }>(
          context,
          `${API}/components/${b.component}/jobs`,
          writerB,
          {
            title: 'Monthly test',
            responsibleRank: 'chief-engineer',
            calendarInterval: { unit: 'months', value: 1 },
            lastDoneOn: '2026-02-01',
          },
        )
      ).openWorkOrderId ?? '';

    before = await stateOfA();
  });
  afterAll(async () => {
    await context?.close();
  });

  describe('the route table', () => {
    it('lists exactly the routes in the OpenAPI document', () => {
      const documented = documentedRoutes(context.app, '/v1/maintenance/');
      expect(ROUTES.map(label).sort()).toEqual(documented.sort());
    });

    it('lists exactly the routes Fastify registers, including any hidden from the document', () => {
      const registered = registeredRoutes(context.app, '/v1/maintenance/');
      const listed = ROUTES.map((route) => `${route.method} ${route.route.replace(/\{\w+\}/g, '{}')}`).sort();
      expect(listed).toEqual(registered);
    });
  });

  describe("tenant B against tenant A's data", () => {
    it.each(B_ROLES.flatMap((role) => ROUTES.map((route) => ({ role, ...route }))))(
      '$role of B: $method $route',
      async ({ role, ...route }) => {
        const response = await send(route, await context.as(role, b.tenant));
        const { otherTenant } = route;
        const expected =
          (role === 'viewer' && route.method !== 'GET') || (role !== 'owner-admin' && route.approval)
            ? 403
            : typeof otherTenant === 'number'
              ? otherTenant
              : 200;
        expect(response.statusCode, response.body).toBe(expected);
        if (expected !== 200) expectProblem(response);
        if (typeof otherTenant !== 'number' && expected === 200) {
          expect(otherTenant.ids(response.json()).sort()).toEqual(otherTenant.ofB().sort());
        }
        // Problem details name the request path; nothing else of A's may appear.
        for (const secret of secretsOf(route.url())) expect(response.body).not.toContain(secret);
      },
    );

    const MIXED: { name: string; role: Role; route: RouteCase; status: number; says: string }[] = [
      {
        name: "adds a sub-component of A's component to B's vessel",
        role: 'fleet-manager',
        status: 400,
        says: 'is not a component of this vessel',
        route: {
          ...routeOf(`POST ${API}/vessels/{vesselId}/components`),
          url: () => `${API}/vessels/${b.vessel}/components`,
          body: () => ({ parentId: a.component, code: '601.02', name: 'Intruder', criticality: 'low' }),
        },
      },
      {
        name: "filters B's vessel due list by A's component",
        role: 'fleet-manager',
        status: 200,
        says: '"items":[]',
        route: {
          ...routeOf(`GET ${API}/vessels/{vesselId}/due-list`),
          url: () => `${API}/vessels/${b.vessel}/due-list?withinDays=3660&componentId=${a.component}`,
        },
      },
      {
        name: "filters the fleet due list by A's component",
        role: 'fleet-manager',
        status: 200,
        says: '"items":[]',
        route: {
          ...routeOf(`GET ${API}/due-list`),
          url: () => `${API}/due-list?withinDays=3660&componentId=${a.component}`,
        },
      },
      {
        name: "approves A's postponement under B's work order",
        role: 'owner-admin',
        status: 404,
        says: 'Postponement was not found',
        route: {
          ...routeOf(`POST ${API}/work-orders/{id}/postponements/{postponementId}/approve`),
          url: () => `${API}/work-orders/${b.workOrder}/postponements/${a.postponement2}/approve`,
        },
      },
      {
        name: "rejects A's postponement under B's work order",
        role: 'owner-admin',
        status: 404,
        says: 'Postponement was not found',
        route: {
          ...routeOf(`POST ${API}/work-orders/{id}/postponements/{postponementId}/reject`),
          url: () => `${API}/work-orders/${b.workOrder}/postponements/${a.postponement}/reject`,
        },
      },
    ];

    it.each(MIXED)("$role of B, with B's own ids, $name → $status", async ({ role, route, status, says }) => {
      const response = await send(route, await context.as(role, b.tenant));
      expect(response.statusCode, response.body).toBe(status);
      expect(response.body).toContain(says);
      for (const secret of secretsOf(route.url())) expect(response.body).not.toContain(secret);
    });

    it("B's own vessel due list has B's work order only", async () => {
      const response = await context.app.inject({
        url: `${API}/vessels/${b.vessel}/due-list?withinDays=3660`,
        headers: await context.as('viewer', b.tenant),
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(itemIds(response.json())).toEqual([b.workOrder]);
    });

    it("leaves every record of A's as it was", async () => {
      await expectAUnchanged();
    });
  });

  describe("roles within tenant A and callers without a tenant's token", () => {
    it.each(WRITES)('viewer of A: $method $route → 403 problem', async (route) => {
      const response = await send(route, await context.as('viewer', a.tenant));
      expect(response.statusCode, response.body).toBe(403);
      expectProblem(response);
      expect(response.json()).toMatchObject({ status: 403, title: 'Forbidden' });
    });

    it.each(APPROVALS)('fleet-manager of A: $method $route → 403 problem', async (route) => {
      const response = await send(route, await context.as('fleet-manager', a.tenant));
      expect(response.statusCode, response.body).toBe(403);
      expectProblem(response);
      const problem = response.json<{ status: number; title: string; detail: string }>();
      expect(problem).toMatchObject({ status: 403, title: 'Forbidden' });
      expect(problem.detail).toContain('owner-admin');
      expect(problem.detail).not.toContain('fleet-manager');
    });

    it.each([
      // Each postponement is pending on the other work order.
      { decision: 'approve', workOrder: () => a.workOrder2, postponement: () => a.postponement },
      { decision: 'reject', workOrder: () => a.workOrder, postponement: () => a.postponement2 },
    ])(
      'owner-admin of A: $decision a postponement under the wrong work order → 404',
      async ({ decision, workOrder, postponement }) => {
        const response = await context.app.inject({
          method: 'POST',
          url: `${API}/work-orders/${workOrder()}/postponements/${postponement()}/${decision}`,
          headers: await context.as('owner-admin', a.tenant),
        });
        expect(response.statusCode, response.body).toBe(404);
        expectProblem(response);
        expect(response.body).toContain('Postponement was not found');
      },
    );

    it.each(READS)('viewer of A: $method $route → 200 with A’s data', async (route) => {
      const response = await send(route, await context.as('viewer', a.tenant));
      expect(response.statusCode, response.body).toBe(200);
      expect(response.body).toContain(route.marker?.() ?? 'no marker');
    });

    it.each(ROUTES)('no token: $method $route → 401 problem', async (route) => {
      const response = await send(route, {});
      expect(response.statusCode, response.body).toBe(401);
      expectProblem(response);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(response.body).not.toContain(a.componentName);
    });

    it.each(READS)('platform-admin: $method $route → 200 with A’s data', async (route) => {
      const response = await send(route, await context.as('platform-admin'));
      expect(response.statusCode, response.body).toBe(200);
      // The fleet due list spans every tenant (it has no paging), so it holds A's work orders too.
      expect(response.body).toContain(route.marker?.() ?? 'no marker');
    });

    it("platform-admin reads A's work order with its pending postponement", async () => {
      const response = await context.app.inject({
        url: `${API}/work-orders/${a.workOrder}`,
        headers: await context.as('platform-admin'),
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({
        id: a.workOrder,
        vesselId: a.vessel,
        componentId: a.component,
        componentCode: '601',
        componentName: a.componentName,
        jobId: a.job,
        jobTitle: a.jobTitle,
        state: 'overdue',
        due: { dueDate: '2026-02-01', overdueDays: 28 },
        completion: null,
        postponements: [
          {
            id: a.postponement,
            requestedDueDate: '2026-05-15',
            reason: a.reason,
            requestedBy: `fleet-manager@${a.tenant}`,
            decision: null,
          },
        ],
      });
    });

    it.each(ROUTES)('token whose tenant claim is not a uuid: $method $route → 403', async (route) => {
      // An owner-admin for the decisions, so the tenant check is what refuses them, not the role check.
      const role = route.approval ? 'owner-admin' : 'fleet-manager';
      const token = await context.auth.token({
        subject: `${role}@acme`,
        roles: [role],
        tenant: 'acme-shipping',
      });
      const response = await send(route, { authorization: `Bearer ${token}` });
      expect(response.statusCode, response.body).toBe(403);
      expectProblem(response);
      expect(response.body).toContain('carries no tenant');
    });

    it("leaves every record of A's as it was", async () => {
      await expectAUnchanged();
    });
  });

  /** These run in table order and depend on it: each write leaves A's data ready for the next. */
  describe("tenant A's writers", () => {
    // Owner-admins decide the postponements; the other writes alternate between the two writer roles.
    const writers: Role[] = ['owner-admin', 'fleet-manager'];
    let turn = 0;
    it.each(
      WRITES.map((route) => ({
        role: route.approval ? 'owner-admin' : (writers[turn++ % 2] ?? 'owner-admin'),
        ...route,
      })),
    )('$role of A: $method $route → $ok', async ({ role, ...route }) => {
      const response = await send(route, await context.as(role, a.tenant));
      expect(response.statusCode, response.body).toBe(route.ok);
      route.check?.(response.json());
    });

    it('the changes took effect', async () => {
      const now = await stateOfA();
      expect(
        (now.components as { items: { code: string }[] }).items.map((component) => component.code),
      ).toEqual(['601', '601.01', '602']);
      expect(now.component).toMatchObject({ runningHours: 10_200, counterMeter: 10_200 });
      expect(itemIds(now.jobs)).toHaveLength(2);
      expect(now.workOrder).toMatchObject({
        state: 'overdue',
        due: { dueDate: '2026-02-01' },
        postponements: [
          { id: a.postponement, decision: 'rejected' },
          { requestedDueDate: '2026-06-01', decision: null, requestedBy: `fleet-manager@${a.tenant}` },
        ],
      });
      expect(now.workOrder2).toMatchObject({
        state: 'done',
        due: null,
        completion: { completedOn: today, signedBy: { name: 'Nobody', rank: 'chief-engineer' } },
        postponements: [{ id: a.postponement2, decision: 'approved' }],
      });
      const job2 = now.job2 as { openWorkOrderId: string | null; due: { dueDate: string } | null };
      expect(job2.openWorkOrderId).not.toBeNull();
      expect(job2.openWorkOrderId).not.toBe(a.workOrder2);
      expect(job2.due).toMatchObject({ dueDate: '2026-09-01' });
      expect((now.job2History as { items: { kind: string }[] }).items.map((entry) => entry.kind)).toEqual([
        'job-created',
        'postponement-requested',
        'postponement-approved',
        'work-order-completed',
      ]);
      const surveys = (now.surveys as { items: { id: string; completedOn: string | null; state: string }[] })
        .items;
      expect(surveys).toHaveLength(12);
      expect(surveys.find((survey) => survey.id === a.survey)).toMatchObject({
        completedOn: '2025-07-01',
        state: 'done',
      });
    });
  });
});
