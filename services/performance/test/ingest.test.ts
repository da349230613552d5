import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProducer, createKafka } from '@fleetwatch/messaging';
import { withTenant } from '@fleetwatch/db';
import { loadConfig } from '@fleetwatch/service-kit';
import { buildApiApp } from '../src/app.js';
import { apiConfigSchema } from '../src/config.js';
import { createTelemetryWriter } from '../src/writer/consumer.js';
import {
  deviceAuth,
  nmea,
  startPerformanceApp,
  storedPoints,
  waitForPoints,
  type PerformanceTestContext,
  type TestVessel,
} from './helpers.js';

interface IngestResult {
  batchId: string;
  accepted: number;
  rejected: number;
  rejections: { index: number; reason: string }[];
}

describe('telemetry ingestion → Kafka → writer → PostgreSQL', () => {
  let context: PerformanceTestContext;
  let writer: ReturnType<typeof createTelemetryWriter>;
  let vessel: TestVessel;
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

  beforeAll(async () => {
    context = await startPerformanceApp();
    const dlqProducer = createProducer(context.kafka);
    await dlqProducer.connect();
    writer = createTelemetryWriter({
      kafka: context.kafka,
      pool: context.pool,
      producer: dlqProducer,
      groupId: `writer-test-${randomUUID()}`,
      messagesPerTransaction: 100,
      partitionsConsumedConcurrently: 1,
    });
    await writer.start();
    Object.assign(context, { dlqProducer });
    vessel = await context.addVessel();
  });
  afterAll(async () => {
    await writer.stop();
    await (
      context as PerformanceTestContext & { dlqProducer: { disconnect(): Promise<void> } }
    ).dlqProducer.disconnect();
    await context.close();
  });

  async function post(
    target: TestVessel,
    payload: string | Buffer | object,
    contentType = 'application/json',
    headers: Record<string, string> = {},
  ) {
    return context.app.inject({
      method: 'POST',
      url: '/v1/performance/telemetry',
      headers: { ...deviceAuth(target), 'content-type': contentType, ...headers },
      payload: typeof payload === 'object' && !Buffer.isBuffer(payload) ? JSON.stringify(payload) : payload,
    });
  }

  it('stores a canonical JSON batch with its values, latest values and rollups', async () => {
    const ship = await context.addVessel();
    const ts1 = minutesAgo(3);
    const ts2 = minutesAgo(2);
    const response = await post(ship, {
      points: [
        { path: 'navigation.speedOverGround', ts: ts1, value: 6.2 },
        { path: 'navigation.speedOverGround', ts: ts2, value: 6.6 },
        { path: 'navigation.position', ts: ts2, value: { latitude: 59.9, longitude: 10.7 } },
      ],
    });
    expect(response.statusCode).toBe(202);
    expect(response.json<IngestResult>()).toMatchObject({ accepted: 3, rejected: 0, rejections: [] });

    const rows = await waitForPoints(context.pool, ship, 3);
    expect(rows.map((row) => [row.path, row.ts.toISOString(), row.value_num, row.value_json])).toEqual([
      ['navigation.position', ts2, null, { latitude: 59.9, longitude: 10.7 }],
      ['navigation.speedOverGround', ts1, 6.2, null],
      ['navigation.speedOverGround', ts2, 6.6, null],
    ]);
    const { latest, rollup } = await withTenant(context.pool, ship.tenantId, async (client) => ({
      latest: (
        await client.query<{ value_num: number }>(
          "SELECT value_num FROM performance.telemetry_latest WHERE vessel_id = $1 AND path = 'navigation.speedOverGround'",
          [ship.id],
        )
      ).rows,
      rollup: (
        await client.query<{ count: string; sum: number }>(
          "SELECT sum(count)::text AS count, sum(sum) AS sum FROM performance.telemetry_rollup_1h WHERE vessel_id = $1 AND path = 'navigation.speedOverGround'",
          [ship.id],
        )
      ).rows,
    }));
    expect(latest).toEqual([{ value_num: 6.6 }]);
    expect(rollup[0]?.count).toBe('2');
    expect(rollup[0]?.sum).toBeCloseTo(12.8, 9);
  });

  it('stores the same batch delivered twice only once', async () => {
    const ship = await context.addVessel();
    const batch = { points: [{ path: 'propulsion.main.revolutions', ts: minutesAgo(1), value: 1.5 }] };
    expect((await post(ship, batch)).statusCode).toBe(202);
    expect((await post(ship, batch)).statusCode).toBe(202);
    await waitForPoints(context.pool, ship, 1);
    // A later batch marks that the writer is past both deliveries.
    expect(
      (
        await post(ship, {
          points: [{ path: 'propulsion.main.revolutions', ts: minutesAgo(0.5), value: 1.6 }],
        })
      ).statusCode,
    ).toBe(202);
    const rows = await waitForPoints(context.pool, ship, 2);
    expect(rows).toHaveLength(2);
    const rollup = await withTenant(context.pool, ship.tenantId, (client) =>
      client.query<{ count: string }>(
        'SELECT sum(num_count)::text AS count FROM performance.telemetry_chunks WHERE vessel_id = $1',
        [ship.id],
      ),
    );
    expect(rollup.rows[0]?.count).toBe('2');
  });

  it('accepts Signal K deltas with $source, without context, as an array', async () => {
    const ship = await context.addVessel();
    const ts = minutesAgo(1);
    const response = await post(ship, [
      {
        updates: [
          {
            $source: 'nmea2000.1',
            timestamp: ts,
            values: [{ path: 'propulsion.main.revolutions', value: 16.34 }],
          },
        ],
      },
      {
        context: `vessels.urn:mrn:imo:mmsi:${ship.mmsi}`,
        updates: [
          {
            source: { label: 'N2000-01' },
            timestamp: ts,
            values: [{ path: 'navigation.headingTrue', value: 1.2 }],
          },
        ],
      },
      {
        context: 'vessels.urn:mrn:imo:mmsi:999999999',
        updates: [{ timestamp: ts, values: [{ path: 'navigation.headingTrue', value: 2 }] }],
      },
      {
        context: 'vessels.urn:mrn:signalk:uuid:c0d79334-4e25-4245-8892-54e8ccc8021d',
        updates: [{ timestamp: ts, values: [{ path: 'navigation.headingTrue', value: 3 }] }],
      },
    ]);
    expect(response.statusCode).toBe(202);
    const result = response.json<IngestResult>();
    expect(result.accepted).toBe(2);
    expect(result.rejections).toEqual([
      { index: 2, reason: expect.stringContaining('another vessel') as string },
      { index: 3, reason: expect.stringContaining('another vessel') as string },
    ]);
    const rows = await waitForPoints(context.pool, ship, 2);
    expect(rows.map((row) => [row.path, row.value_num])).toEqual([
      ['navigation.headingTrue', 1.2],
      ['propulsion.main.revolutions', 16.34],
    ]);
  });

  it('converts NMEA 0183 to SI units and reports bad sentences by line', async () => {
    const ship = await context.addVessel();
    const time = new Date(Date.now() - 60_000);
    const hhmmss = time.toISOString().slice(11, 19).replace(/:/g, '');
    const ddmmyy = `${time.toISOString().slice(8, 10)}${time.toISOString().slice(5, 7)}${time.toISOString().slice(2, 4)}`;
    const lines = [
      nmea(`GPRMC,${hhmmss}.00,A,5954.0000,N,01042.0000,E,10.0,90.0,${ddmmyy},,,A`),
      nmea('HEHDT,45.0,T'),
      '$GPHDT,45.0,T*00',
      nmea('GPXXX,1,2,3'),
    ];
    const response = await post(ship, lines.join('\r\n'), 'text/plain');
    expect(response.statusCode).toBe(202);
    const result = response.json<IngestResult>();
    expect(result.rejections.map((rejection) => rejection.index)).toEqual([2, 3]);
    expect(result.rejections[0]?.reason).toContain('checksum');
    const rows = await waitForPoints(context.pool, ship, result.accepted);
    const sog = rows.find((row) => row.path === 'navigation.speedOverGround');
    expect(sog?.value_num).toBeCloseTo((10 * 1852) / 3600, 6);
    const heading = rows.find((row) => row.path === 'navigation.headingTrue');
    expect(heading?.value_num).toBeCloseTo(Math.PI / 4, 6);
  });

  it('accepts gzip and NDJSON', async () => {
    const ship = await context.addVessel();
    const ndjson = [
      JSON.stringify({ path: 'environment.wind.speedApparent', ts: minutesAgo(2), value: 7.5 }),
      'not json',
      JSON.stringify({ path: 'environment.wind.speedApparent', ts: minutesAgo(1), value: 8.5 }),
    ].join('\n');
    const response = await post(ship, gzipSync(Buffer.from(ndjson)), 'application/x-ndjson', {
      'content-encoding': 'gzip',
    });
    expect(response.statusCode).toBe(202);
    expect(response.json<IngestResult>()).toMatchObject({
      accepted: 2,
      rejected: 1,
      rejections: [{ index: 1 }],
    });
    await waitForPoints(context.pool, ship, 2);
  });

  it('rejects points in the future, past retention, with unknown paths or non-finite values, by index', async () => {
    const response = await post(vessel, {
      points: [
        {
          path: 'navigation.speedOverGround',
          ts: new Date(Date.now() + 10 * 60_000).toISOString(),
          value: 1,
        },
        {
          path: 'navigation.speedOverGround',
          ts: new Date(Date.now() - 40 * 86_400_000).toISOString(),
          value: 1,
        },
        { path: 'made.up.path', ts: minutesAgo(1), value: 1 },
        { path: 'navigation.speedOverGround', ts: minutesAgo(1), value: 'fast' },
        { path: 'navigation.speedOverGround', ts: minutesAgo(1), value: 3 },
      ],
    });
    expect(response.statusCode).toBe(202);
    const result = response.json<IngestResult>();
    expect(result.accepted).toBe(1);
    expect(result.rejections.map((rejection) => rejection.index)).toEqual([0, 1, 2, 3]);
  });

  it('422 when nothing is acceptable, 413 over the size limit', async () => {
    const none = await post(vessel, { points: [{ path: 'made.up.path', ts: minutesAgo(1), value: 1 }] });
    expect(none.statusCode).toBe(422);
    expect(none.json<{ rejections: unknown[] }>().rejections).toHaveLength(1);
    const huge = await post(vessel, {
      points: [{ path: 'x', ts: minutesAgo(1), value: 'y'.repeat(6 * 1024 * 1024) }],
    });
    expect(huge.statusCode).toBe(413);
  });

  it('stores a request of the most points allowed, sent to Kafka as several messages', async () => {
    const ship = await context.addVessel();
    const channels = 200;
    const seconds = 100; // 20 000 points, MAX_POINTS_PER_REQUEST: about 1.7 MB as one message
    const first = Date.now() - 10 * 60_000;
    const points = Array.from({ length: seconds * channels }, (_unused, index) => ({
      path: `propulsion.engine_${index % channels}.revolutions`,
      ts: new Date(first + Math.floor(index / channels) * 1000).toISOString(),
      value: index,
    }));
    const response = await post(ship, { points });
    expect(response.statusCode).toBe(202);
    expect(response.json<IngestResult>()).toMatchObject({ accepted: 20_000, rejected: 0 });
    const rows = await waitForPoints(context.pool, ship, 20_000);
    expect(rows).toHaveLength(20_000);
    expect(
      rows.find(
        (row) => row.path === 'propulsion.engine_7.revolutions' && row.ts.getTime() === first + 99_000,
      ),
    ).toMatchObject({ value_num: 99 * channels + 7 });
  });

  it('lets a device key post for its own vessel only, and not once revoked', async () => {
    const other = await context.addVessel();
    const forOther = await post(vessel, {
      vessel: other.id,
      points: [{ path: 'navigation.speedOverGround', ts: minutesAgo(1), value: 1 }],
    });
    expect(forOther.statusCode).toBe(403);
    expect(await storedPoints(context.pool, other)).toEqual([]);

    const doomed = await context.addVessel();
    await context.revokeKey(doomed);
    const revoked = await post(doomed, {
      points: [{ path: 'navigation.speedOverGround', ts: minutesAgo(1), value: 1 }],
    });
    expect(revoked.statusCode).toBe(401);
  });

  it('accepts backfills from a fleet manager of the owner only', async () => {
    const ship = await context.addVessel();
    const batch = {
      vessel: ship.id,
      points: [{ path: 'navigation.speedOverGround', ts: minutesAgo(5), value: 4 }],
    };
    const own = await context.auth.token({ subject: 'fm', tenant: ship.tenantId, roles: ['fleet-manager'] });
    const stranger = await context.auth.token({
      subject: 'fm',
      tenant: randomUUID(),
      roles: ['fleet-manager'],
    });
    const viewer = await context.auth.token({ subject: 'v', tenant: ship.tenantId, roles: ['viewer'] });
    const send = (token: string) =>
      context.app.inject({
        method: 'POST',
        url: '/v1/performance/telemetry',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: batch,
      });
    expect((await send(stranger)).statusCode).toBe(404);
    expect((await send(viewer)).statusCode).toBe(403);
    expect((await send(own)).statusCode).toBe(202);
    await waitForPoints(context.pool, ship, 1);
  });

  it('answers 503 with Retry-After and acknowledges nothing when Kafka does not', async () => {
    const deadKafka = createKafka({ clientId: 'dead', brokers: ['127.0.0.1:1'] });
    const deadProducer = createProducer(deadKafka);
    const config = loadConfig(apiConfigSchema, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
      KAFKA_BROKERS: '127.0.0.1:1',
      PUBLISH_TIMEOUT_MS: '1500',
      AUTH_ISSUER: context.auth.issuer,
      AUTH_AUDIENCE: context.auth.audience,
      AUTH_JWKS_FILE: context.auth.jwksFile,
    });
    const app = await buildApiApp({
      config,
      registry: context.registry,
      producer: deadProducer,
      pool: context.pool,
    });
    try {
      const ship = await context.addVessel();
      const response = await app.inject({
        method: 'POST',
        url: '/v1/performance/telemetry',
        headers: { ...deviceAuth(ship), 'content-type': 'application/json' },
        payload: { points: [{ path: 'navigation.speedOverGround', ts: minutesAgo(1), value: 1 }] },
      });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('10');
      expect(response.headers['content-type']).toContain('application/problem+json');
    } finally {
      await app.close();
      await deadProducer.disconnect().catch(() => {});
    }
  });
});
