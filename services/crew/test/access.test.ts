import { randomInt, randomUUID } from 'node:crypto';
import { documentedRoutes, registeredRoutes } from '@fleetwatch/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSeafarer,
  post,
  seafarerBody,
  startCrewApp,
  type CrewTestContext,
  type Role,
} from './helpers.js';

/**
 * Who may call what, on every endpoint of the crew service: tenant B's users against tenant A's data
 * (404 as if it did not exist, or 403 where the role check or the own-tenant rule comes first, and
 * nothing of A's in any answer or list), the roles within A, anonymous callers, platform operators and
 * tokens with a malformed tenant. The route table is checked against the routes the app registers, so
 * a new endpoint fails here until it is added.
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
  headers?: Record<string, string>;
  /** A's own callers get this: 200 for reads (any role), the success status for writes (writers). */
  ok: number;
  /** Reads: something of A's in the answer to A (a value not in the URL), which B must never see. */
  marker?: () => string;
  /** How tenant B's owner-admin and fleet-manager are answered (a viewer is refused writes first). */
  otherTenant: 404 | 403 | OwnItems;
}

const today = '2026-03-01';
const REST_RANGE = 'from=2026-02-27T00:00:00Z&to=2026-03-01T00:00:00Z';

const a = {
  tenant: randomUUID(),
  familyName: `Aaltonen-Confidential-${randomInt(1_000_000)}`,
  certificateNumber: `A-MED-${randomInt(1_000_000)}`,
  vessel: '',
  seafarer: '',
  certificate: '',
  /** Planned 2026-02-01..2026-08-01, signed on 2026-02-01. */
  onBoard: '',
  /** Planned 2026-09-01..2026-12-01: the one to cancel. */
  toCancel: '',
  /** Planned 2027-01-01..2027-06-01: the one to sign on. */
  toSignOn: '',
  rest: '',
};
const b = { tenant: randomUUID(), vessel: '', seafarer: '', certificate: '' };

const itemIds = (body: unknown) => (body as { items: { id: string }[] }).items.map((item) => item.id);

const READS: RouteCase[] = [
  {
    method: 'GET',
    route: '/v1/crew/seafarers',
    url: () => '/v1/crew/seafarers?limit=200',
    ok: 200,
    marker: () => a.familyName,
    otherTenant: { ids: itemIds, ofB: () => [b.seafarer] },
  },
  {
    method: 'GET',
    route: '/v1/crew/seafarers/{id}',
    url: () => `/v1/crew/seafarers/${a.seafarer}`,
    ok: 200,
    marker: () => a.familyName,
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: '/v1/crew/seafarers/{seafarerId}/certificates',
    url: () => `/v1/crew/seafarers/${a.seafarer}/certificates`,
    ok: 200,
    marker: () => a.certificateNumber,
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: '/v1/crew/certificates/expiring',
    url: () => '/v1/crew/certificates/expiring?withinDays=90',
    ok: 200,
    marker: () => a.certificateNumber,
    otherTenant: {
      ids: (body) =>
        (body as { items: { certificate: { id: string } }[] }).items.map((item) => item.certificate.id),
      ofB: () => [b.certificate],
    },
  },
  {
    method: 'GET',
    route: '/v1/crew/assignments/{id}',
    url: () => `/v1/crew/assignments/${a.onBoard}`,
    ok: 200,
    marker: () => a.seafarer,
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: '/v1/crew/seafarers/{seafarerId}/assignments',
    url: () => `/v1/crew/seafarers/${a.seafarer}/assignments`,
    ok: 200,
    marker: () => a.onBoard,
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: '/v1/crew/vessels/{vesselId}/crew',
    url: () => `/v1/crew/vessels/${a.vessel}/crew?date=${today}`,
    ok: 200,
    marker: () => a.familyName,
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: '/v1/crew/vessels/{vesselId}/rotations',
    url: () => `/v1/crew/vessels/${a.vessel}/rotations?withinDays=365`,
    ok: 200,
    marker: () => a.familyName,
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: '/v1/crew/vessels/{vesselId}/safe-manning',
    url: () => `/v1/crew/vessels/${a.vessel}/safe-manning`,
    ok: 200,
    marker: () => 'able-seafarer-deck',
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: '/v1/crew/vessels/{vesselId}/compliance',
    url: () => `/v1/crew/vessels/${a.vessel}/compliance?date=${today}`,
    ok: 200,
    // A's seafarer lacks the AB certificate the safe manning asks for, so is named in the answer.
    marker: () => a.familyName,
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: '/v1/crew/vessels/{vesselId}/crew-settings',
    url: () => `/v1/crew/vessels/${a.vessel}/crew-settings`,
    ok: 200,
    marker: () => 'maximum-work',
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: '/v1/crew/seafarers/{seafarerId}/rest-periods',
    url: () => `/v1/crew/seafarers/${a.seafarer}/rest-periods?${REST_RANGE}`,
    ok: 200,
    marker: () => a.rest,
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: '/v1/crew/seafarers/{seafarerId}/hours-of-rest',
    url: () => `/v1/crew/seafarers/${a.seafarer}/hours-of-rest?vesselId=${a.vessel}&${REST_RANGE}`,
    ok: 200,
    marker: () => 'maximum-work',
    otherTenant: 404,
  },
  {
    method: 'GET',
    route: '/v1/crew/vessels/{vesselId}/hours-of-rest',
    url: () => `/v1/crew/vessels/${a.vessel}/hours-of-rest?${REST_RANGE}`,
    ok: 200,
    marker: () => a.seafarer,
    otherTenant: 404,
  },
];

/**
 * Valid requests (so a refusal is about access, not validation). In this order A's writers can make
 * every one of them succeed, which the last block of tests does; deleting the seafarer comes last.
 */
const WRITES: RouteCase[] = [
  {
    method: 'POST',
    route: '/v1/crew/seafarers',
    url: () => '/v1/crew/seafarers',
    body: () => seafarerBody({ familyName: 'Intruder', tenantId: a.tenant }),
    ok: 201,
    // Naming another tenant is refused outright.
    otherTenant: 403,
  },
  {
    method: 'PATCH',
    route: '/v1/crew/seafarers/{id}',
    url: () => `/v1/crew/seafarers/${a.seafarer}`,
    headers: { 'if-match': '"1"' },
    body: () => ({ familyName: 'Hijacked', status: 'inactive' }),
    ok: 200,
    otherTenant: 404,
  },
  {
    method: 'POST',
    route: '/v1/crew/seafarers/{seafarerId}/certificates',
    url: () => `/v1/crew/seafarers/${a.seafarer}/certificates`,
    body: () => ({
      type: 'medical-fitness',
      number: 'FORGED-1',
      issuingAuthority: 'Nobody',
      issuedOn: '2026-01-01',
      expiresOn: '2027-12-31',
    }),
    ok: 201,
    otherTenant: 404,
  },
  {
    method: 'PUT',
    route: '/v1/crew/seafarers/{seafarerId}/certificates/{id}',
    url: () => `/v1/crew/seafarers/${a.seafarer}/certificates/${a.certificate}`,
    body: () => ({
      type: 'medical-fitness',
      number: 'FORGED-2',
      issuingAuthority: 'Nobody',
      issuedOn: '2025-06-01',
      expiresOn: '2027-05-31',
    }),
    ok: 200,
    otherTenant: 404,
  },
  {
    method: 'DELETE',
    route: '/v1/crew/seafarers/{seafarerId}/certificates/{id}',
    url: () => `/v1/crew/seafarers/${a.seafarer}/certificates/${a.certificate}`,
    ok: 204,
    otherTenant: 404,
  },
  {
    method: 'POST',
    route: '/v1/crew/assignments',
    url: () => '/v1/crew/assignments',
    body: () => ({
      seafarerId: a.seafarer,
      vesselId: a.vessel,
      rank: 'able-seafarer',
      plannedSignOn: '2027-07-01',
      plannedSignOff: '2027-12-01',
    }),
    ok: 201,
    otherTenant: 404,
  },
  {
    method: 'POST',
    route: '/v1/crew/assignments/{id}/sign-on',
    url: () => `/v1/crew/assignments/${a.toSignOn}/sign-on`,
    body: () => ({ date: '2027-01-01' }),
    ok: 200,
    otherTenant: 404,
  },
  {
    method: 'POST',
    route: '/v1/crew/assignments/{id}/sign-off',
    url: () => `/v1/crew/assignments/${a.onBoard}/sign-off`,
    body: () => ({ date: today }),
    ok: 200,
    otherTenant: 404,
  },
  {
    method: 'POST',
    route: '/v1/crew/assignments/{id}/cancel',
    url: () => `/v1/crew/assignments/${a.toCancel}/cancel`,
    ok: 200,
    otherTenant: 404,
  },
  {
    method: 'PUT',
    route: '/v1/crew/vessels/{vesselId}/safe-manning',
    url: () => `/v1/crew/vessels/${a.vessel}/safe-manning`,
    body: () => ({ requirements: [] }),
    ok: 200,
    otherTenant: 404,
  },
  {
    method: 'PUT',
    route: '/v1/crew/vessels/{vesselId}/crew-settings',
    url: () => `/v1/crew/vessels/${a.vessel}/crew-settings`,
    body: () => ({ restRegime: 'minimum-rest' }),
    ok: 200,
    otherTenant: 404,
  },
  {
    method: 'POST',
    route: '/v1/crew/seafarers/{seafarerId}/rest-periods',
    url: () => `/v1/crew/seafarers/${a.seafarer}/rest-periods`,
    body: () => ({
      vesselId: a.vessel,
      periods: [{ start: '2026-02-28T08:00:00Z', end: '2026-02-28T12:00:00Z' }],
    }),
    ok: 201,
    otherTenant: 404,
  },
  {
    method: 'DELETE',
    route: '/v1/crew/seafarers/{seafarerId}/rest-periods/{id}',
    url: () => `/v1/crew/seafarers/${a.seafarer}/rest-periods/${a.rest}`,
    ok: 204,
    otherTenant: 404,
  },
  {
    method: 'DELETE',
    route: '/v1/crew/seafarers/{id}',
    url: () => `/v1/crew/seafarers/${a.seafarer}`,
    ok: 204,
    otherTenant: 404,
  },
];

const ROUTES = [...READS, ...WRITES];
const label = (route: RouteCase) => `${route.method} ${route.route}`;

function routeOf(name: string): RouteCase {
  const route = ROUTES.find((candidate) => label(candidate) === name);
  if (!route) throw new Error(`no route ${name} in the table`);
  return route;
}
const B_ROLES = ['owner-admin', 'fleet-manager', 'viewer'] as const satisfies readonly Role[];

describe('crew access control', () => {
  let context: CrewTestContext;
  let before: Record<string, unknown>;

  const send = async (route: RouteCase, headers: Record<string, string>) =>
    context.app.inject({
      method: route.method,
      url: route.url(),
      headers: { ...headers, ...route.headers },
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
      seafarers: await read('/v1/crew/seafarers?limit=200'),
      seafarer: await read(`/v1/crew/seafarers/${a.seafarer}`),
      certificates: await read(`/v1/crew/seafarers/${a.seafarer}/certificates`),
      assignments: await read(`/v1/crew/seafarers/${a.seafarer}/assignments`),
      safeManning: await read(`/v1/crew/vessels/${a.vessel}/safe-manning`),
      crewSettings: await read(`/v1/crew/vessels/${a.vessel}/crew-settings`),
      restPeriods: await read(
        `/v1/crew/seafarers/${a.seafarer}/rest-periods?from=2026-02-01T00:00:00Z&to=2026-03-03T00:00:00Z`,
      ),
    };
  };

  /** A's state is still what beforeAll made it. */
  const expectAUnchanged = async () => {
    const now = await stateOfA();
    expect(now.seafarer).toMatchObject({ familyName: a.familyName, status: 'active', version: 1 });
    expect(itemIds(now.seafarers)).toEqual([a.seafarer]);
    expect(now.certificates).toMatchObject({
      items: [{ id: a.certificate, number: a.certificateNumber, expiresOn: '2026-04-15' }],
    });
    expect((now.certificates as { items: unknown[] }).items).toHaveLength(1);
    const statuses = Object.fromEntries(
      (now.assignments as { items: { id: string; status: string }[] }).items.map((item) => [
        item.id,
        item.status,
      ]),
    );
    expect(statuses).toEqual({ [a.onBoard]: 'on-board', [a.toCancel]: 'planned', [a.toSignOn]: 'planned' });
    expect(now.safeManning).toEqual({
      vesselId: a.vessel,
      requirements: [
        {
          rank: 'able-seafarer',
          minimum: 1,
          requiredCertificates: ['able-seafarer-deck', 'medical-fitness'],
        },
      ],
    });
    expect(now.crewSettings).toEqual({ vesselId: a.vessel, restRegime: 'maximum-work' });
    expect(itemIds(now.restPeriods)).toEqual([a.rest]);
    expect(now).toEqual(before);
  };

  beforeAll(async () => {
    context = await startCrewApp({ today });
    const [vesselA, vesselB] = await Promise.all([
      context.fixture.addVessel(a.tenant),
      context.fixture.addVessel(b.tenant),
    ]);
    a.vessel = vesselA.id;
    b.vessel = vesselB.id;

    const writerA = await context.as('fleet-manager', a.tenant);
    a.seafarer = (await createSeafarer(context, a.tenant, { familyName: a.familyName })).id;
    a.certificate = (
      await post<{ id: string }>(context, `/v1/crew/seafarers/${a.seafarer}/certificates`, writerA, {
        type: 'medical-fitness',
        number: a.certificateNumber,
        issuingAuthority: 'Flag administration',
        issuedOn: '2025-06-01',
        expiresOn: '2026-04-15',
      })
    ).id;
    const plan = async (plannedSignOn: string, plannedSignOff: string) =>
      (
        await post<{ id: string }>(context, '/v1/crew/assignments', writerA, {
          seafarerId: a.seafarer,
          vesselId: a.vessel,
          rank: 'able-seafarer',
          plannedSignOn,
          plannedSignOff,
        })
      ).id;
    a.onBoard = await plan('2026-02-01', '2026-08-01');
    await post(context, `/v1/crew/assignments/${a.onBoard}/sign-on`, writerA, { date: '2026-02-01' }, 200);
    a.toCancel = await plan('2026-09-01', '2026-12-01');
    a.toSignOn = await plan('2027-01-01', '2027-06-01');
    for (const [url, payload] of [
      [
        `/v1/crew/vessels/${a.vessel}/safe-manning`,
        {
          requirements: [
            {
              rank: 'able-seafarer',
              minimum: 1,
              requiredCertificates: ['able-seafarer-deck', 'medical-fitness'],
            },
          ],
        },
      ],
      [`/v1/crew/vessels/${a.vessel}/crew-settings`, { restRegime: 'maximum-work' }],
    ] as const) {
      const response = await context.app.inject({ method: 'PUT', url, headers: writerA, payload });
      expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
    }
    const rest = await post<{ items: { id: string }[] }>(
      context,
      `/v1/crew/seafarers/${a.seafarer}/rest-periods`,
      writerA,
      { vesselId: a.vessel, periods: [{ start: '2026-02-27T20:00:00Z', end: '2026-02-28T06:00:00Z' }] },
    );
    a.rest = rest.items[0]?.id ?? '';

    b.seafarer = (await createSeafarer(context, b.tenant, { familyName: 'Bergstrom' })).id;
    b.certificate = (
      await post<{ id: string }>(
        context,
        `/v1/crew/seafarers/${b.seafarer}/certificates`,
        await context.as('fleet-manager', b.tenant),
        {
          type: 'medical-fitness',
          number: 'B-MED-1',
          issuingAuthority: 'Flag administration',
          issuedOn: '2024-05-01',
          expiresOn: '2026-04-01',
        },
      )
    ).id;

    before = await stateOfA();
  });
  afterAll(async () => {
    await context?.close();
  });

  describe('the route table', () => {
    it('lists exactly the routes in the OpenAPI document', () => {
      const documented = documentedRoutes(context.app, '/v1/crew/');
      expect(ROUTES.map(label).sort()).toEqual(documented.sort());
    });

    it('lists exactly the routes Fastify registers, including any hidden from the document', () => {
      const registered = registeredRoutes(context.app, '/v1/crew/');
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
          role === 'viewer' && route.method !== 'GET'
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
        const path = route.url().split('?')[0] ?? '';
        const secrets = [
          a.familyName,
          a.certificateNumber,
          a.tenant,
          a.vessel,
          a.seafarer,
          a.certificate,
          a.onBoard,
          a.toCancel,
          a.toSignOn,
          a.rest,
        ].filter((secret) => !path.includes(secret));
        for (const secret of secrets) expect(response.body).not.toContain(secret);
      },
    );

    const MIXED: { name: string; route: RouteCase; status: number; says?: string }[] = [
      {
        name: "assigns A's seafarer to B's vessel",
        status: 404,
        says: 'Seafarer was not found',
        route: {
          ...routeOf('POST /v1/crew/assignments'),
          body: () => ({
            seafarerId: a.seafarer,
            vesselId: b.vessel,
            rank: 'able-seafarer',
            plannedSignOn: '2027-07-01',
            plannedSignOff: '2027-12-01',
          }),
        },
      },
      {
        name: "lets B's seafarer relieve A's assignment",
        status: 400,
        says: 'is not a live assignment',
        route: {
          ...routeOf('POST /v1/crew/assignments'),
          body: () => ({
            seafarerId: b.seafarer,
            vesselId: b.vessel,
            rank: 'able-seafarer',
            plannedSignOn: '2026-04-01',
            plannedSignOff: '2026-09-01',
            relievesAssignmentId: a.onBoard,
          }),
        },
      },
      {
        name: "records rest for A's seafarer on B's vessel",
        status: 404,
        says: 'Seafarer was not found',
        route: {
          ...routeOf('POST /v1/crew/seafarers/{seafarerId}/rest-periods'),
          body: () => ({
            vesselId: b.vessel,
            periods: [{ start: '2026-02-28T08:00:00Z', end: '2026-02-28T12:00:00Z' }],
          }),
        },
      },
      {
        name: "evaluates A's seafarer's rest on B's vessel",
        status: 404,
        says: 'Seafarer was not found',
        route: {
          ...routeOf('GET /v1/crew/seafarers/{seafarerId}/hours-of-rest'),
          url: () => `/v1/crew/seafarers/${a.seafarer}/hours-of-rest?vesselId=${b.vessel}&${REST_RANGE}`,
        },
      },
      {
        name: "lists expiring certificates of A's vessel",
        status: 404,
        says: 'Vessel was not found',
        route: {
          ...routeOf('GET /v1/crew/certificates/expiring'),
          url: () => `/v1/crew/certificates/expiring?vesselId=${a.vessel}`,
        },
      },
      {
        name: "lists A's seafarers by tenant filter",
        status: 400,
        says: 'is for platform operators only',
        route: { ...routeOf('GET /v1/crew/seafarers'), url: () => `/v1/crew/seafarers?tenantId=${a.tenant}` },
      },
      {
        name: "lists A's expiring certificates by tenant filter",
        status: 400,
        says: 'is for platform operators only',
        route: {
          ...routeOf('GET /v1/crew/certificates/expiring'),
          url: () => `/v1/crew/certificates/expiring?tenantId=${a.tenant}`,
        },
      },
      {
        name: "finds A's seafarer by name",
        status: 200,
        says: '"items":[]',
        route: { ...routeOf('GET /v1/crew/seafarers'), url: () => `/v1/crew/seafarers?q=${a.familyName}` },
      },
      {
        name: "corrects A's certificate under B's seafarer",
        status: 404,
        says: 'Certificate was not found',
        route: {
          ...routeOf('PUT /v1/crew/seafarers/{seafarerId}/certificates/{id}'),
          url: () => `/v1/crew/seafarers/${b.seafarer}/certificates/${a.certificate}`,
        },
      },
      {
        name: "deletes A's certificate under B's seafarer",
        status: 404,
        says: 'Certificate was not found',
        route: {
          ...routeOf('DELETE /v1/crew/seafarers/{seafarerId}/certificates/{id}'),
          url: () => `/v1/crew/seafarers/${b.seafarer}/certificates/${a.certificate}`,
        },
      },
      {
        name: "deletes A's rest record under B's seafarer",
        status: 404,
        says: 'Rest period was not found',
        route: {
          ...routeOf('DELETE /v1/crew/seafarers/{seafarerId}/rest-periods/{id}'),
          url: () => `/v1/crew/seafarers/${b.seafarer}/rest-periods/${a.rest}`,
        },
      },
    ];

    it.each(MIXED)(
      "fleet-manager of B, with B's own ids, $name → $status",
      async ({ route, status, says }) => {
        const response = await send(route, await context.as('fleet-manager', b.tenant));
        expect(response.statusCode, response.body).toBe(status);
        if (says) expect(response.body).toContain(says);
        expect(response.body).not.toContain(a.familyName);
        expect(response.body).not.toContain(a.vessel);
      },
    );

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
      expect(response.body).not.toContain(a.familyName);
    });

    it.each(READS)('platform-admin: $method $route → 200', async (route) => {
      const response = await send(route, await context.as('platform-admin'));
      expect(response.statusCode, response.body).toBe(200);
      // Lists span every tenant in the shared database, so only single resources must show A's data.
      if (typeof route.otherTenant === 'number') expect(response.body).toContain(route.marker?.() ?? 'none');
    });

    it("platform-admin reads A's seafarer and A's vessel compliance", async () => {
      const headers = await context.as('platform-admin');
      const seafarer = await context.app.inject({ url: `/v1/crew/seafarers/${a.seafarer}`, headers });
      expect(seafarer.statusCode).toBe(200);
      expect(seafarer.json()).toMatchObject({ id: a.seafarer, tenantId: a.tenant, familyName: a.familyName });
      const compliance = await context.app.inject({
        url: `/v1/crew/vessels/${a.vessel}/compliance?date=${today}`,
        headers,
      });
      expect(compliance.statusCode).toBe(200);
      expect(compliance.json()).toMatchObject({
        vesselId: a.vessel,
        compliant: false,
        ranks: [{ rank: 'able-seafarer', minimum: 1, aboard: 1, qualified: 0 }],
        missingCertificates: [
          { seafarerId: a.seafarer, rank: 'able-seafarer', certificateType: 'able-seafarer-deck' },
        ],
      });
    });

    it.each(ROUTES)('fleet-manager whose tenant claim is not a uuid: $method $route → 403', async (route) => {
      const token = await context.auth.token({
        subject: 'fleet-manager@acme',
        roles: ['fleet-manager'],
        tenant: 'acme-shipping',
      });
      const response = await send(route, { authorization: `Bearer ${token}` });
      expect(response.statusCode, response.body).toBe(403);
      expectProblem(response);
    });

    it("leaves every record of A's as it was", async () => {
      await expectAUnchanged();
    });
  });

  /** These run in table order and depend on it: each write leaves A's data ready for the next. */
  describe("tenant A's writers", () => {
    const writers: Role[] = ['owner-admin', 'fleet-manager'];
    it.each(WRITES.map((route, index) => ({ role: writers[index % 2] ?? 'owner-admin', ...route })))(
      '$role of A: $method $route → $ok',
      async ({ role, ...route }) => {
        const response = await send(route, await context.as(role, a.tenant));
        expect(response.statusCode, response.body).toBe(route.ok);
      },
    );

    it('the changes took effect', async () => {
      const headers = await context.as('viewer', a.tenant);
      const seafarer = await context.app.inject({ url: `/v1/crew/seafarers/${a.seafarer}`, headers });
      expect(seafarer.statusCode).toBe(404);
      const crew = await context.app.inject({ url: `/v1/crew/vessels/${a.vessel}/crew-settings`, headers });
      expect(crew.json()).toEqual({ vesselId: a.vessel, restRegime: 'minimum-rest' });
      const list = await context.app.inject({ url: '/v1/crew/seafarers', headers });
      expect(list.json<{ items: { familyName: string; tenantId: string }[] }>().items).toMatchObject([
        { familyName: 'Intruder', tenantId: a.tenant },
      ]);
    });
  });
});
