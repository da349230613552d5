import { computeCii, projectToYearEnd, type CiiResult } from '@fleetwatch/cii';
import { loadConfig, type ServiceApp } from '@fleetwatch/service-kit';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiApp } from '../src/app.js';
import { apiConfigSchema } from '../src/config.js';
import type { NoonReportFields } from '../src/domain/noon-report.js';
import { startPerformanceApp, type PerformanceTestContext, type TestVessel } from './helpers.js';
import { bearer, dailyReport } from './noon-report-fixtures.js';

interface VesselCii {
  vesselId: string;
  year: number;
  shipType: string;
  applies: boolean | null;
  notes: string[];
  reports: number;
  yearToDate: {
    through: string;
    dayOfYear: number;
    distanceNm: number;
    fuelTonnes: Record<string, number>;
    cii: CiiResult | null;
  } | null;
  projection: {
    daysInYear: number;
    distanceNm: number;
    fuelTonnes: Record<string, number>;
    cii: CiiResult | null;
  } | null;
}

interface FleetCii {
  year: number;
  counts: Record<string, number>;
  projectedCounts: Record<string, number>;
  vessels: {
    vesselId: string;
    rating: string | null;
    projectedRating: string | null;
    applies: boolean | null;
  }[];
}

/** Every figure compared with computeCii's own, to floating-point noise (sums come from SQL). */
function expectCii(actual: CiiResult | null | undefined, expected: CiiResult): void {
  expect(actual?.rating).toBe(expected.rating);
  expect(actual?.attained).toBeCloseTo(expected.attained, 9);
  expect(actual?.required).toBeCloseTo(expected.required, 9);
  for (const boundary of ['superior', 'lower', 'upper', 'inferior'] as const)
    expect(actual?.boundaries[boundary]).toBeCloseTo(expected.boundaries[boundary], 9);
}

describe('CII API', () => {
  let context: PerformanceTestContext;
  /** The same service with its clock on 1 March 2026, so the year to date and projection are fixed. */
  let app: ServiceApp;
  const now = new Date('2026-03-01T00:00:00Z');
  const tenant = randomUUID();
  const otherTenant = randomUUID();
  let laden: TestVessel;
  let small: TestVessel;
  let frugal: TestVessel;
  // Noon on 31 December 2025, then 1 and 2 January 2026.
  const start = new Date('2025-12-31T12:00:00Z');
  const bulker = { shipType: 'bulk_carrier', dwt: 80_000, gt: 43_000 } as const;

  const get = async <T>(url: string, tenantId: string | undefined, role = 'viewer') => {
    const response = await app.inject({ method: 'GET', url, headers: await bearer(context, tenantId, role) });
    return { status: response.statusCode, body: response.json<T>() };
  };

  async function submitAll(vessel: TestVessel, reports: NoonReportFields[]): Promise<string[]> {
    const headers = await bearer(context, vessel.tenantId, 'fleet-manager');
    const ids: string[] = [];
    for (const report of reports) {
      const response = await app.inject({
        method: 'POST',
        url: `/v1/performance/vessels/${vessel.id}/noon-reports`,
        headers,
        payload: report,
      });
      expect(response.statusCode, response.body).toBe(201);
      ids.push(response.json<{ id: string }>().id);
    }
    return ids;
  }

  beforeAll(async () => {
    context = await startPerformanceApp();
    const config = loadConfig(apiConfigSchema, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '100000',
      DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
      KAFKA_BROKERS: '127.0.0.1:1',
      AUTH_ISSUER: context.auth.issuer,
      AUTH_AUDIENCE: context.auth.audience,
      AUTH_JWKS_FILE: context.auth.jwksFile,
    });
    app = await buildApiApp({
      config,
      registry: context.registry,
      producer: context.producer,
      pool: context.pool,
      now: () => now,
    });
    await app.ready();

    // 80,000 DWT bulk carrier: three days, the last one corrected to 280 nm and 28 t of HFO.
    laden = await context.addVessel(tenant);
    const [, , last] = await submitAll(
      laden,
      [0, 1, 2].map((day) => dailyReport(start, day)),
    );
    const correction = await app.inject({
      method: 'PUT',
      url: `/v1/performance/vessels/${laden.id}/noon-reports/${last}`,
      headers: { ...(await bearer(context, tenant, 'fleet-manager')), 'if-match': '"1"' },
      payload: dailyReport(start, 2, {
        distanceNm: 280,
        averageSpeedGpsKnots: 11.7,
        consumption: { ME: { HFO: 28 }, AE: { MGO: 2 } },
        rob: { HFO: 942, MGO: 96 },
      }),
    });
    expect(correction.statusCode, correction.body).toBe(200);

    // 4,000 GT: below the CII's 5,000 GT.
    small = await context.addVessel(tenant);
    await context.updateVessel(small, {
      version: 2,
      shipType: 'general-cargo',
      dwt: 5_500,
      gt: 4_000,
    });
    await submitAll(
      small,
      [1, 2].map((day) => dailyReport(start, day)),
    );

    // Half the fuel for the same distance.
    frugal = await context.addVessel(tenant);
    await submitAll(
      frugal,
      [1, 2].map((day) =>
        dailyReport(start, day, {
          consumption: { ME: { HFO: 15 } },
          rob: { HFO: 1_000 - 15 * day, MGO: 100 },
        }),
      ),
    );
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  it('rates the year to date from the current report versions and projects it to the year end', async () => {
    const { status, body } = await get<VesselCii>(
      `/v1/performance/vessels/${laden.id}/cii?year=2026`,
      tenant,
    );
    expect(status).toBe(200);
    // 2026 holds the reports of 1 January (300 nm, 30 t HFO, 2 t MGO) and 2 January as corrected
    // (280 nm, 28 t HFO, 2 t MGO); 31 December 2025 belongs to 2025.
    const toDate = { distanceNm: 580, fuelTonnes: { HFO: 58, MGO: 4 } };
    expect(body).toMatchObject({
      vesselId: laden.id,
      year: 2026,
      shipType: 'bulk_carrier',
      applies: true,
      notes: [],
      reports: 2,
    });
    expect(body.yearToDate).toMatchObject({ through: '2026-01-02T12:00:00.000Z', dayOfYear: 2, ...toDate });
    expectCii(body.yearToDate?.cii, computeCii({ ...bulker, year: 2026, ...toDate }));

    const projected = projectToYearEnd({
      distanceNmToDate: 580,
      fuelTonnesToDate: { HFO: 58, MGO: 4 },
      dayOfYear: 2,
      daysInYear: 365,
    });
    expect(body.projection?.daysInYear).toBe(365);
    expect(body.projection?.distanceNm).toBeCloseTo(projected.distanceNm, 9);
    expect(body.projection?.fuelTonnes.HFO).toBeCloseTo(projected.fuelTonnes.HFO ?? NaN, 9);
    expectCii(body.projection?.cii, computeCii({ ...bulker, year: 2026, ...projected }));
  });

  it('takes a past year whole: the projection is the year itself', async () => {
    const { body } = await get<VesselCii>(`/v1/performance/vessels/${laden.id}/cii?year=2025`, tenant);
    const year = { distanceNm: 300, fuelTonnes: { HFO: 30, MGO: 2 } };
    expect(body.yearToDate).toMatchObject({ dayOfYear: 365, ...year });
    expect(body.projection).toMatchObject({ daysInYear: 365, ...year });
    expectCii(body.yearToDate?.cii, computeCii({ ...bulker, year: 2025, ...year }));
  });

  it('says when the CII does not apply (below 5,000 GT)', async () => {
    const { body } = await get<VesselCii>(`/v1/performance/vessels/${small.id}/cii?year=2026`, tenant);
    expect(body).toMatchObject({
      shipType: 'general_cargo_ship',
      applies: false,
      notes: ['The CII applies to ships of 5,000 GT and above; this vessel is 4,000 GT, so it is not rated.'],
      reports: 2,
      yearToDate: { distanceNm: 600, cii: null },
      projection: { cii: null },
    });
  });

  it('answers a year without reports, and refuses a year the CII has no factor for (400)', async () => {
    const empty = await get<VesselCii>(`/v1/performance/vessels/${laden.id}/cii?year=2024`, tenant);
    expect(empty.body).toMatchObject({ reports: 0, yearToDate: null, projection: null });
    expect(empty.body.notes).toEqual(['No noon reports in 2024.']);
    const unrated = await get(`/v1/performance/vessels/${laden.id}/cii?year=2031`, tenant);
    expect(unrated.status).toBe(400);
    const current = await get<VesselCii>(`/v1/performance/vessels/${laden.id}/cii`, tenant);
    expect(current.body.year).toBe(2026);
  });

  it("summarises the tenant's fleet: each vessel's rating and the counts", async () => {
    const { status, body } = await get<FleetCii>('/v1/performance/fleet/cii?year=2026', tenant);
    expect(status).toBe(200);
    const ladenRating = computeCii({
      ...bulker,
      year: 2026,
      distanceNm: 580,
      fuelTonnes: { HFO: 58, MGO: 4 },
    }).rating;
    const frugalRating = computeCii({
      ...bulker,
      year: 2026,
      distanceNm: 600,
      fuelTonnes: { HFO: 30 },
    }).rating;
    expect(ladenRating).not.toBe(frugalRating);

    expect(body.vessels).toHaveLength(3);
    const byId = new Map(body.vessels.map((vessel) => [vessel.vesselId, vessel]));
    expect(byId.get(laden.id)).toMatchObject({
      rating: ladenRating,
      projectedRating: ladenRating,
      applies: true,
    });
    expect(byId.get(frugal.id)).toMatchObject({ rating: frugalRating, applies: true });
    expect(byId.get(small.id)).toMatchObject({ rating: null, projectedRating: null, applies: false });

    const expected: Record<string, number> = { A: 0, B: 0, C: 0, D: 0, E: 0, notRated: 1 };
    for (const rating of [ladenRating, frugalRating]) expected[rating] = (expected[rating] ?? 0) + 1;
    expect(body.counts).toEqual(expected);
    expect(body.projectedCounts).toEqual(expected);
  });

  it('keeps other tenants out (404, an empty fleet) and shows operators every fleet', async () => {
    for (const role of ['viewer', 'fleet-manager', 'owner-admin']) {
      const vessel = await get(`/v1/performance/vessels/${laden.id}/cii?year=2026`, otherTenant, role);
      expect(vessel.status, role).toBe(404);
    }
    const fleet = await get<FleetCii>('/v1/performance/fleet/cii?year=2026', otherTenant);
    expect(fleet.body.vessels).toEqual([]);
    expect(fleet.body.counts).toEqual({ A: 0, B: 0, C: 0, D: 0, E: 0, notRated: 0 });

    const operator = await get<FleetCii>('/v1/performance/fleet/cii?year=2026', undefined, 'platform-admin');
    expect(operator.body.vessels.map((vessel) => vessel.vesselId)).toEqual(
      expect.arrayContaining([laden.id, small.id, frugal.id]),
    );
  });
});
