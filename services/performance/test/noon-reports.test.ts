import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckFinding } from '../src/domain/noon-report-checks.js';
import type { NoonReportFields } from '../src/domain/noon-report.js';
import { deviceAuth, startPerformanceApp, type PerformanceTestContext, type TestVessel } from './helpers.js';
import { bearer, dailyReport } from './noon-report-fixtures.js';

interface NoonReport extends NoonReportFields {
  id: string;
  vesselId: string;
  version: number;
  createdAt: string;
  recordedAt: string;
  recordedBy: string;
  warnings: CheckFinding[];
}

interface Problem {
  status: number;
  type: string;
  errors?: { in: string; pointer: string; message: string }[];
  violations?: CheckFinding[];
}

describe('noon reports API', () => {
  let context: PerformanceTestContext;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  let vesselA: TestVessel;
  let vesselB: TestVessel;
  // Reports in the past (a report may not be in the future), a fresh passage per test.
  const passage = (monthsAgo: number) => {
    const start = new Date();
    start.setUTCMonth(start.getUTCMonth() - monthsAgo, 1);
    start.setUTCHours(12, 0, 0, 0);
    return start;
  };

  beforeAll(async () => {
    context = await startPerformanceApp();
    vesselA = await context.addVessel(tenantA);
    vesselB = await context.addVessel(tenantB);
  });
  afterAll(async () => {
    await context.close();
  });

  const url = (vessel: TestVessel, suffix = '') =>
    `/v1/performance/vessels/${vessel.id}/noon-reports${suffix}`;
  const manager = () => bearer(context, tenantA, 'fleet-manager');

  async function submit(vessel: TestVessel, report: unknown, headers?: Record<string, string>) {
    return context.app.inject({
      method: 'POST',
      url: url(vessel),
      headers: headers ?? (await bearer(context, vessel.tenantId, 'fleet-manager')),
      payload: report as object,
    });
  }

  async function correct(vessel: TestVessel, id: string, report: unknown, headers: Record<string, string>) {
    return context.app.inject({
      method: 'PUT',
      url: url(vessel, `/${id}`),
      headers,
      payload: report as object,
    });
  }

  /** A vessel of tenant A with `days` consecutive reports; returns the stored reports. */
  async function vesselWithReports(days: number, start: Date): Promise<[TestVessel, NoonReport[]]> {
    const vessel = await context.addVessel(tenantA);
    const reports: NoonReport[] = [];
    for (let day = 0; day < days; day++) {
      const response = await submit(vessel, dailyReport(start, day));
      expect(response.statusCode, response.body).toBe(201);
      reports.push(response.json<NoonReport>());
    }
    return [vessel, reports];
  }

  it('stores a report (201, Location, ETag) and serves it with its ETag', async () => {
    const report = dailyReport(passage(6), 0);
    const response = await submit(vesselA, report, await manager());
    expect(response.statusCode, response.body).toBe(201);
    const stored = response.json<NoonReport>();
    expect(stored).toMatchObject({ ...report, vesselId: vesselA.id, version: 1, warnings: [] });
    expect(stored.recordedBy).toBe(`fleet-manager@${tenantA}`);
    expect(response.headers.etag).toBe('"1"');
    expect(response.headers.location).toBe(url(vesselA, `/${stored.id}`));

    const read = await context.app.inject({
      method: 'GET',
      url: url(vesselA, `/${stored.id}`),
      headers: await bearer(context, tenantA, 'viewer'),
    });
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.json()).toEqual(stored);

    const unchanged = await context.app.inject({
      method: 'GET',
      url: url(vesselA, `/${stored.id}`),
      headers: { ...(await bearer(context, tenantA, 'viewer')), 'if-none-match': '"1"' },
    });
    expect(unchanged.statusCode).toBe(304);
  });

  it("takes a vessel's own device key, and records the key as the author", async () => {
    const [vessel] = await vesselWithReports(1, passage(6));
    const response = await submit(vessel, dailyReport(passage(6), 1), deviceAuth(vessel));
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<NoonReport>()).toMatchObject({ recordedBy: `device-key:${vessel.deviceKeyId}` });
    const read = await context.app.inject({ method: 'GET', url: url(vessel), headers: deviceAuth(vessel) });
    expect(read.json<{ items: unknown[] }>().items).toHaveLength(2);
  });

  it('refuses a device key for another vessel (403)', async () => {
    const other = await context.addVessel(tenantA);
    for (const target of [other, vesselB]) {
      const response = await submit(target, dailyReport(passage(6), 0), deviceAuth(vesselA));
      expect(response.statusCode).toBe(403);
    }
    const read = await context.app.inject({ method: 'GET', url: url(other), headers: deviceAuth(vesselA) });
    expect(read.statusCode).toBe(403);
    const list = await context.app.inject({ method: 'GET', url: url(other), headers: await manager() });
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('stores figures that do not add up, with warnings for the master', async () => {
    const start = passage(6);
    const [vessel] = await vesselWithReports(1, start);
    // 20 t of HFO unaccounted for, and 360 nm where 12.5 kn × 24 h = 300 nm.
    const response = await submit(
      vessel,
      dailyReport(start, 1, { rob: { HFO: 950, MGO: 98 }, distanceNm: 360 }),
    );
    expect(response.statusCode, response.body).toBe(201);
    const warnings = response.json<NoonReport>().warnings;
    expect(warnings.map((warning) => [warning.check, warning.pointer])).toEqual([
      ['distance-speed', '/distanceNm'],
      ['rob-balance', '/rob/HFO'],
    ]);
    expect(warnings[1]?.message).toBe(
      '950 t reported, 970 t expected (previous ROB 1000 − consumed 30 + bunkered 0)',
    );
  });

  it('refuses time going backwards and overlapping periods (409), storing nothing', async () => {
    const start = passage(6);
    const [vessel] = await vesselWithReports(2, start);
    const cases: [NoonReportFields, string][] = [
      [dailyReport(start, 1), 'time-order'],
      [dailyReport(start, 0.5, { timeSincePreviousReportHours: 12 }), 'time-order'],
      [dailyReport(start, 2, { timeSincePreviousReportHours: 30 }), 'period-overlap'],
    ];
    for (const [report, check] of cases) {
      const response = await submit(vessel, report);
      expect(response.statusCode, response.body).toBe(409);
      expect(response.headers['content-type']).toContain('application/problem+json');
      const problem = response.json<Problem>();
      expect(problem.type).toBe('https://fleetwatch.dev/problems/noon-report-sequence');
      expect(problem.violations?.map((violation) => violation.check)).toEqual([check]);
    }
    const list = await context.app.inject({ method: 'GET', url: url(vessel), headers: await manager() });
    expect(list.json<{ items: unknown[] }>().items).toHaveLength(2);
  });

  it('stores one of four concurrent submissions of the same report and refuses the others (409)', async () => {
    const start = passage(6);
    const [vessel] = await vesselWithReports(1, start);
    const responses = await Promise.all(
      Array.from({ length: 4 }, async () => submit(vessel, dailyReport(start, 1))),
    );
    expect(responses.map((response) => response.statusCode).sort()).toEqual([201, 409, 409, 409]);
  });

  it('answers 400 naming each invalid field', async () => {
    const response = await submit(vesselA, {
      ...dailyReport(passage(6), 10),
      event: 'Lunch',
      voyageFrom: 'Rotterdam',
      windForceBft: 13,
      distanceNm: -1,
      position: { latitude: 91, longitude: 10 },
      consumption: { ME: { HFO: -1 }, Galley: { MGO: 1 } },
      rob: { VLSFO: 10 },
      reportedAt: 'yesterday',
    });
    expect(response.statusCode).toBe(400);
    const problem = response.json<Problem>();
    expect(problem.type).toBe('https://fleetwatch.dev/problems/validation-error');
    expect(problem.errors?.map((error) => error.pointer).sort()).toEqual(
      [
        '/consumption/Galley',
        '/consumption/ME/HFO',
        '/distanceNm',
        '/event',
        '/position/latitude',
        '/reportedAt',
        '/rob/VLSFO',
        '/voyageFrom',
        '/windForceBft',
      ].sort(),
    );

    const missing = await submit(vesselA, { reportedAt: '2026-01-01T12:00:00Z', event: 'Noon' });
    expect(
      missing
        .json<Problem>()
        .errors?.map((error) => error.pointer)
        .sort(),
    ).toEqual(['/consumption', '/distanceNm', '/rob', '/timeSailingHours', '/timeSincePreviousReportHours']);

    const future = await submit(vesselA, dailyReport(new Date(Date.now() + 86_400_000), 0));
    expect(future.statusCode).toBe(400);
    expect(future.json<Problem>().errors).toEqual([
      { in: 'body', pointer: '/reportedAt', message: 'must not be in the future' },
    ]);
  });

  it('corrects a report with If-Match: a new version, the old one kept in the history', async () => {
    const start = passage(5);
    const [vessel] = await vesselWithReports(1, start);
    const first = await submit(vessel, dailyReport(start, 1, { rob: { HFO: 950, MGO: 98 } }));
    const original = first.json<NoonReport>();
    expect(original.warnings).toHaveLength(1);

    const fixed = dailyReport(start, 1);
    const response = await correct(vessel, original.id, fixed, { ...(await manager()), 'if-match': '"1"' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    const corrected = response.json<NoonReport>();
    expect(corrected).toMatchObject({ ...fixed, id: original.id, version: 2, warnings: [] });
    expect(corrected.createdAt).toBe(original.createdAt);

    const current = await context.app.inject({
      method: 'GET',
      url: url(vessel, `/${original.id}`),
      headers: await manager(),
    });
    expect(current.json<NoonReport>()).toEqual(corrected);

    const history = await context.app.inject({
      method: 'GET',
      url: url(vessel, `/${original.id}/history`),
      headers: await bearer(context, tenantA, 'viewer'),
    });
    expect(history.statusCode).toBe(200);
    const versions = history.json<{ reportId: string; versions: NoonReport[] }>().versions;
    expect(versions.map((version) => [version.version, version.rob.HFO, version.warnings.length])).toEqual([
      [1, 950, 1],
      [2, 970, 0],
    ]);

    // The vessel may correct its own report too.
    const byDevice = await correct(vessel, original.id, dailyReport(start, 1, { windForceBft: 6 }), {
      ...deviceAuth(vessel),
      'if-match': '"2"',
    });
    expect(byDevice.statusCode, byDevice.body).toBe(200);
    expect(byDevice.json<NoonReport>()).toMatchObject({ version: 3, windForceBft: 6 });
  });

  it('answers 412 to a stale If-Match (with the current ETag) and 428 without one', async () => {
    const start = passage(5);
    const [vessel, [report]] = await vesselWithReports(1, start);
    const id = report?.id ?? '';
    const first = await correct(vessel, id, dailyReport(start, 0, { windForceBft: 5 }), {
      ...(await manager()),
      'if-match': '"1"',
    });
    expect(first.statusCode).toBe(200);

    const stale = await correct(vessel, id, dailyReport(start, 0, { windForceBft: 6 }), {
      ...(await manager()),
      'if-match': '"1"',
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers.etag).toBe('"2"');

    const missing = await correct(vessel, id, dailyReport(start, 0), await manager());
    expect(missing.statusCode).toBe(428);

    const history = await context.app.inject({
      method: 'GET',
      url: url(vessel, `/${id}/history`),
      headers: await manager(),
    });
    expect(history.json<{ versions: unknown[] }>().versions).toHaveLength(2);
  });

  it('refuses a correction that moves a report past its neighbours (409)', async () => {
    const start = passage(5);
    const [vessel, reports] = await vesselWithReports(3, start);
    const middle = reports[1]?.id ?? '';
    const past = await correct(vessel, middle, dailyReport(start, 2.5), {
      ...(await manager()),
      'if-match': '"1"',
    });
    expect(past.statusCode).toBe(409);
    expect(past.json<Problem>().violations?.map((violation) => violation.check)).toEqual(['time-order']);

    const overlapping = await correct(
      vessel,
      middle,
      dailyReport(start, 1, { timeSincePreviousReportHours: 36 }),
      {
        ...(await manager()),
        'if-match': '"1"',
      },
    );
    expect(overlapping.statusCode).toBe(409);
    expect(overlapping.json<Problem>().violations?.map((violation) => violation.check)).toEqual([
      'period-overlap',
    ]);
  });

  it('lists current versions by report time with cursor pages and from/to filters', async () => {
    const start = passage(4);
    const [vessel, reports] = await vesselWithReports(5, start);
    const headers = await bearer(context, tenantA, 'viewer');
    const ids = reports.map((report) => report.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof context.app.inject>> = await context.app.inject({
        method: 'GET',
        url: url(vessel, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`),
        headers,
      });
      expect(page.statusCode, page.body).toBe(200);
      const body: { items: NoonReport[]; nextCursor: string | null } = page.json();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const ascending = await context.app.inject({ method: 'GET', url: url(vessel, '?order=asc'), headers });
    expect(ascending.json<{ items: NoonReport[] }>().items.map((item) => item.id)).toEqual(ids);

    const from = reports[1]?.reportedAt ?? '';
    const to = reports[3]?.reportedAt ?? '';
    const range = await context.app.inject({
      method: 'GET',
      url: url(vessel, `?order=asc&from=${from}&to=${to}`),
      headers,
    });
    expect(range.json<{ items: NoonReport[] }>().items.map((item) => item.id)).toEqual(ids.slice(1, 3));

    const badCursor = await context.app.inject({
      method: 'GET',
      url: url(vessel, '?cursor=nonsense'),
      headers,
    });
    expect(badCursor.statusCode).toBe(400);
  });

  it('lets viewers read but not write (403)', async () => {
    const start = passage(3);
    const [vessel, [report]] = await vesselWithReports(1, start);
    const viewer = await bearer(context, tenantA, 'viewer');
    const read = await context.app.inject({ method: 'GET', url: url(vessel), headers: viewer });
    expect(read.statusCode).toBe(200);
    expect((await submit(vessel, dailyReport(start, 1), viewer)).statusCode).toBe(403);
    const put = await correct(vessel, report?.id ?? '', dailyReport(start, 0), {
      ...viewer,
      'if-match': '"1"',
    });
    expect(put.statusCode).toBe(403);
  });

  it("answers 404 to another tenant's users on every endpoint", async () => {
    const start = passage(3);
    const [vessel, [report]] = await vesselWithReports(1, start);
    const id = report?.id ?? '';
    for (const role of ['viewer', 'fleet-manager', 'owner-admin']) {
      const headers = await bearer(context, tenantB, role);
      const write = role !== 'viewer';
      const requests = [
        { method: 'GET' as const, url: url(vessel) },
        { method: 'GET' as const, url: url(vessel, `/${id}`) },
        { method: 'GET' as const, url: url(vessel, `/${id}/history`) },
        ...(write
          ? [
              { method: 'POST' as const, url: url(vessel), payload: dailyReport(start, 1) },
              {
                method: 'PUT' as const,
                url: url(vessel, `/${id}`),
                payload: dailyReport(start, 0),
                headers: { 'if-match': '"1"' },
              },
            ]
          : []),
      ];
      for (const request of requests) {
        const response = await context.app.inject({
          ...request,
          headers: { ...headers, ...('headers' in request ? request.headers : {}) },
        });
        expect(response.statusCode, `${role} ${request.method} ${request.url}`).toBe(404);
      }
    }
    // Tenant B's own vessel does not reach tenant A's report either.
    const crossed = await context.app.inject({
      method: 'GET',
      url: url(vesselB, `/${id}`),
      headers: await bearer(context, tenantB, 'viewer'),
    });
    expect(crossed.statusCode).toBe(404);
    // And tenant A's report is untouched.
    const history = await context.app.inject({
      method: 'GET',
      url: url(vessel, `/${id}/history`),
      headers: await manager(),
    });
    expect(history.json<{ versions: unknown[] }>().versions).toHaveLength(1);
  });

  it("lets platform operators read any tenant's reports", async () => {
    const [vessel, reports] = await vesselWithReports(1, passage(3));
    const response = await context.app.inject({
      method: 'GET',
      url: url(vessel),
      headers: await bearer(context, undefined, 'platform-admin'),
    });
    expect(response.json<{ items: NoonReport[] }>().items.map((item) => item.id)).toEqual([reports[0]?.id]);
  });

  it('refuses reports for an archived vessel (409)', async () => {
    const vessel = await context.addVessel(tenantA);
    await context.updateVessel(vessel, { version: 2, archived: true });
    const response = await submit(vessel, dailyReport(passage(3), 0));
    expect(response.statusCode).toBe(409);
  });
});
