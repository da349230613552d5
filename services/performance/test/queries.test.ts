import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProducer } from '@fleetwatch/messaging';
import { createTelemetryWriter } from '../src/writer/consumer.js';
import { resolutionFor } from '../src/routes/queries/index.js';
import {
  deviceAuth,
  startPerformanceApp,
  waitForPoints,
  type PerformanceTestContext,
  type TestVessel,
} from './helpers.js';

describe('resolution by range', () => {
  it.each([
    [60_000, 'raw'],
    [6 * 3_600_000, 'raw'],
    [6 * 3_600_000 + 1, '1m'],
    [7 * 86_400_000, '1m'],
    [7 * 86_400_000 + 1, '1h'],
  ])('%i ms → %s', (range, resolution) => {
    expect(resolutionFor(range)).toBe(resolution);
  });
});

describe('query API', () => {
  let context: PerformanceTestContext;
  let writer: ReturnType<typeof createTelemetryWriter>;
  let dlq: ReturnType<typeof createProducer>;
  let vesselA: TestVessel;
  let vesselB: TestVessel;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const start = new Date(Date.now() - 2 * 3_600_000);
  start.setUTCMinutes(0, 0, 0);
  const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000).toISOString();

  beforeAll(async () => {
    context = await startPerformanceApp();
    dlq = createProducer(context.kafka);
    await dlq.connect();
    writer = createTelemetryWriter({
      kafka: context.kafka,
      pool: context.pool,
      producer: dlq,
      groupId: `query-test-${randomUUID()}`,
      messagesPerTransaction: 100,
      partitionsConsumedConcurrently: 1,
    });
    await writer.start();
    vesselA = await context.addVessel(tenantA);
    vesselB = await context.addVessel(tenantB);
    // 90 minutes of speed, one point a minute, and a track of positions.
    const points = Array.from({ length: 90 }, (_unused, minute) => [
      { path: 'navigation.speedOverGround', ts: at(minute), value: 5 + (minute % 10) / 10 },
      { path: 'navigation.position', ts: at(minute), value: { latitude: 59 + minute / 100, longitude: 10 } },
    ]).flat();
    for (const vessel of [vesselA, vesselB]) {
      const response = await context.app.inject({
        method: 'POST',
        url: '/v1/performance/telemetry',
        headers: { ...deviceAuth(vessel), 'content-type': 'application/json' },
        payload: { points },
      });
      expect(response.statusCode).toBe(202);
      await waitForPoints(context.pool, vessel, points.length);
    }
  });
  afterAll(async () => {
    await writer.stop();
    await dlq.disconnect();
    await context.close();
  });

  const as = async (tenant: string, role = 'viewer') => ({
    authorization: `Bearer ${await context.auth.token({ subject: 'u', tenant, roles: [role] })}`,
  });

  it('returns the latest value of each path', async () => {
    const response = await context.app.inject({
      method: 'GET',
      url: `/v1/performance/vessels/${vesselA.id}/latest`,
      headers: await as(tenantA),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      vesselId: vesselA.id,
      values: [
        { path: 'navigation.position', ts: at(89), value: { latitude: 59.89, longitude: 10 } },
        { path: 'navigation.speedOverGround', ts: at(89), value: 5.9 },
      ],
    });
  });

  it('returns raw points for a short range and rollups when the cap or the range asks for them', async () => {
    const url = (query: string) =>
      `/v1/performance/vessels/${vesselA.id}/series?path=navigation.speedOverGround&${query}`;
    const raw = await context.app.inject({
      method: 'GET',
      url: url(`from=${at(0)}&to=${at(10)}`),
      headers: await as(tenantA),
    });
    expect(raw.json()).toMatchObject({ resolution: 'raw', truncated: false });
    expect(raw.json<{ points: unknown[] }>().points).toHaveLength(10);

    const capped = await context.app.inject({
      method: 'GET',
      url: url(`from=${at(0)}&to=${at(90)}&maxPoints=5`),
      headers: await as(tenantA),
    });
    const hourly = capped.json<{
      resolution: string;
      points: { count: number; min: number; max: number; avg: number }[];
    }>();
    expect(hourly.resolution).toBe('1h');
    expect(hourly.points).toHaveLength(2);
    expect(hourly.points[0]).toMatchObject({ count: 60, min: 5, max: 5.9 });
    expect(hourly.points[0]?.avg).toBeCloseTo(5.45, 9);
  });

  it('thins a track to the cap, keeping the first and last positions', async () => {
    const response = await context.app.inject({
      method: 'GET',
      url: `/v1/performance/vessels/${vesselA.id}/track?from=${at(0)}&to=${at(90)}&maxPoints=10`,
      headers: await as(tenantA),
    });
    const points = response.json<{ points: { ts: string; latitude: number }[] }>().points;
    expect(points.length).toBeLessThanOrEqual(11);
    expect(points[0]?.ts).toBe(at(0));
    expect(points.at(-1)?.ts).toBe(at(89));
  });

  it('samples a long track by minute: the first position of each, and the last of the range', async () => {
    // A tenant of its own, so the fleet overview below still sees one vessel per tenant.
    const tenantC = randomUUID();
    const dense = await context.addVessel(tenantC);
    // A position every 5 seconds for 30 minutes: 360 positions in 30 one-minute chunks.
    const positions = Array.from({ length: 360 }, (_unused, index) => ({
      path: 'navigation.position',
      ts: at(index / 12),
      value: { latitude: 50 + index / 1000, longitude: 3 },
    }));
    const posted = await context.app.inject({
      method: 'POST',
      url: '/v1/performance/telemetry',
      headers: { ...deviceAuth(dense), 'content-type': 'application/json' },
      payload: { points: positions },
    });
    expect(posted.statusCode).toBe(202);
    await waitForPoints(context.pool, dense, positions.length);
    const trackOf = async (from: string, to: string, maxPoints: number) =>
      (
        await context.app.inject({
          method: 'GET',
          url: `/v1/performance/vessels/${dense.id}/track?from=${from}&to=${to}&maxPoints=${maxPoints}`,
          headers: await as(tenantC),
        })
      ).json<{ points: { ts: string; latitude: number }[] }>().points;

    // 30 minutes, at most 1000 points: every position.
    expect((await trackOf(at(0), at(30), 1000)).map((point) => point.ts)).toEqual(positions.map((p) => p.ts));

    // 30 minutes, at most 20 points: minutes' first positions and the last, thinned.
    const sampled = await trackOf(at(0), at(30), 20);
    expect(sampled.length).toBeGreaterThan(10);
    expect(sampled.length).toBeLessThanOrEqual(21);
    expect(sampled[0]).toMatchObject({ ts: at(0), latitude: 50 });
    expect(sampled.at(-1)).toMatchObject({ ts: at(359 / 12), latitude: 50.359 });
    for (const point of sampled.slice(0, -1)) expect(new Date(point.ts).getUTCSeconds()).toBe(0);

    // Bounds inside minutes: the first position at or after `from`, the last before `to`.
    const inner = await trackOf(at(0.5), at(20.25), 5);
    expect(inner[0]?.ts).toBe(at(0.5));
    expect(inner.at(-1)?.ts).toBe(at(20 + 10 / 60));
    expect(inner.length).toBeLessThanOrEqual(6);
  });

  it("shows a tenant's fleet only, and operators every fleet", async () => {
    const own = await context.app.inject({
      method: 'GET',
      url: '/v1/performance/fleet/overview',
      headers: await as(tenantA),
    });
    const vessels = own.json<{
      vessels: { vesselId: string; speedOverGround: number; position: unknown }[];
    }>().vessels;
    expect(vessels.map((vessel) => vessel.vesselId)).toEqual([vesselA.id]);
    expect(vessels[0]).toMatchObject({ speedOverGround: 5.9, position: { latitude: 59.89, longitude: 10 } });

    const operator = await context.app.inject({
      method: 'GET',
      url: '/v1/performance/fleet/overview',
      headers: {
        authorization: `Bearer ${await context.auth.token({ subject: 'op', roles: ['platform-admin'] })}`,
      },
    });
    const ids = operator.json<{ vessels: { vesselId: string }[] }>().vessels.map((vessel) => vessel.vesselId);
    expect(ids).toEqual(expect.arrayContaining([vesselA.id, vesselB.id]));
  });

  it.each([
    'latest',
    'series?path=navigation.speedOverGround&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z',
    'track?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z',
  ])("answers 404 to another tenant's users for %s", async (endpoint) => {
    for (const role of ['viewer', 'fleet-manager', 'owner-admin']) {
      const response = await context.app.inject({
        method: 'GET',
        url: `/v1/performance/vessels/${vesselA.id}/${endpoint}`,
        headers: await as(tenantB, role),
      });
      expect(response.statusCode, role).toBe(404);
    }
  });

  it('does not answer device keys or anonymous callers', async () => {
    for (const headers of [deviceAuth(vesselA), {}]) {
      const response = await context.app.inject({
        method: 'GET',
        url: '/v1/performance/fleet/overview',
        headers,
      });
      expect(response.statusCode).toBe(401);
    }
  });
});
