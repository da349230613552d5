import { computeCii, type CiiRating } from '@fleetwatch/cii';
import { createPool, withTenant } from '@fleetwatch/db';
import {
  createEnvelope,
  createKafka,
  createProducer,
  ensureTopics,
  type MessageConsumer,
} from '@fleetwatch/messaging';
import { loadConfig, type ServiceApp } from '@fleetwatch/service-kit';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { buildApiApp } from '../src/app.js';
import { apiConfigSchema } from '../src/config.js';
import { reportFleetMetrics } from '../src/fleet-metrics.js';
import { batchOutcome } from '../src/ingest/metrics.js';
import type { TelemetryBatchV1, TelemetryPoint } from '../src/telemetry-batch.js';
import { TELEMETRY_EVENT, TELEMETRY_EVENT_VERSION } from '../src/topics.js';
import { createTelemetryWriter, storeMeasured } from '../src/writer/consumer.js';
import { writerMetrics } from '../src/writer/metrics.js';
import { storeBatches } from '../src/writer/store.js';
import {
  appPool,
  deviceAuth,
  nmea,
  startPerformanceApp,
  type PerformanceTestContext,
  type TestVessel,
} from './helpers.js';
import { bearer, dailyReport } from './noon-report-fixtures.js';

/**
 * The samples of one metric as `series → value`, series written as in the exposition format
 * (`name{label="value",...}`), read from registry.getSingleMetricAsString (which runs collect()).
 * With `only`, the series whose text contains none of those strings are left out (other tests'
 * tenants in the shared database).
 */
async function samples(registry: Registry, name: string, only?: string[]): Promise<Record<string, number>> {
  const text = await registry.getSingleMetricAsString(name);
  const result: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const cut = line.lastIndexOf(' ');
    const series = line.slice(0, cut);
    if (only && !only.some((part) => series.includes(part))) continue;
    result[series] = Number(line.slice(cut + 1));
  }
  return result;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

function apiConfig(context: PerformanceTestContext, env: Record<string, string> = {}) {
  return loadConfig(apiConfigSchema, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_MAX: '100000',
    DATABASE_URL: inject('databaseUrl'),
    KAFKA_BROKERS: inject('kafkaBrokers').join(','),
    AUTH_ISSUER: context.auth.issuer,
    AUTH_AUDIENCE: context.auth.audience,
    AUTH_JWKS_FILE: context.auth.jwksFile,
    ...env,
  });
}

let context: PerformanceTestContext;
beforeAll(async () => {
  context = await startPerformanceApp();
});
afterAll(async () => {
  await context.close();
});

describe('ingestion metrics (API process)', () => {
  let app: ServiceApp;
  const metricsRegistry = new Registry();

  beforeAll(async () => {
    app = await buildApiApp({
      config: apiConfig(context, { MAX_POINTS_PER_REQUEST: '5' }),
      registry: context.registry,
      producer: context.producer,
      pool: context.pool,
      metricsRegistry,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (headers: Record<string, string>, contentType: string, payload: string | object) =>
    app.inject({
      method: 'POST',
      url: '/v1/performance/telemetry',
      headers: { ...headers, 'content-type': contentType },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  it('counts points per format and outcome as the responses report them, and batches per outcome', async () => {
    const ship = await context.addVessel();
    const other = await context.addVessel();
    const auth = deviceAuth(ship);
    const answers: number[] = [];

    // Canonical JSON: 2 accepted, 1 rejected (unknown path).
    let response = await post(auth, 'application/json', {
      points: [
        { path: 'navigation.speedOverGround', ts: minutesAgo(2), value: 6 },
        { path: 'navigation.speedOverGround', ts: minutesAgo(1), value: 6.5 },
        { path: 'made.up.path', ts: minutesAgo(1), value: 1 },
      ],
    });
    expect(response.json()).toMatchObject({ accepted: 2, rejected: 1 });
    answers.push(response.statusCode);
    // Signal K: a delta with two values (2 points) and one naming another vessel (1 rejection).
    response = await post(auth, 'application/json', [
      {
        updates: [
          {
            timestamp: minutesAgo(1),
            values: [
              { path: 'propulsion.main.revolutions', value: 16 },
              { path: 'navigation.headingTrue', value: 1.2 },
            ],
          },
        ],
      },
      {
        context: 'vessels.urn:mrn:imo:mmsi:999999999',
        updates: [{ timestamp: minutesAgo(1), values: [{ path: 'navigation.headingTrue', value: 2 }] }],
      },
    ]);
    expect(response.json()).toMatchObject({ accepted: 2, rejected: 1 });
    answers.push(response.statusCode);
    // NDJSON: one good line, two bad ones.
    response = await post(
      auth,
      'application/x-ndjson',
      [
        JSON.stringify({ path: 'environment.wind.speedApparent', ts: minutesAgo(1), value: 7.5 }),
        'not json',
        JSON.stringify({ path: 'environment.wind.speedApparent', ts: minutesAgo(1), value: Number.NaN }),
      ].join('\n'),
    );
    expect(response.json()).toMatchObject({ accepted: 1, rejected: 2 });
    answers.push(response.statusCode);
    // NMEA 0183: a heading (1 point), a sentence with a bad checksum.
    response = await post(auth, 'text/plain', [nmea('HEHDT,45.0,T'), '$GPHDT,45.0,T*00'].join('\r\n'));
    expect(response.json()).toMatchObject({ accepted: 1, rejected: 1 });
    answers.push(response.statusCode);
    // 422: nothing acceptable; its rejection is counted, the batch is invalid.
    response = await post(auth, 'application/json', {
      points: [{ path: 'made.up.path', ts: minutesAgo(1), value: 1 }],
    });
    answers.push(response.statusCode);
    // 413: more than MAX_POINTS_PER_REQUEST (5) points; the response counts none of them.
    response = await post(
      auth,
      'application/x-ndjson',
      [
        ...Array.from({ length: 6 }, (_, index) =>
          JSON.stringify({ path: 'navigation.speedOverGround', ts: minutesAgo(1 + index), value: 1 }),
        ),
      ].join('\n'),
    );
    answers.push(response.statusCode);
    // 403: a device key posting for another vessel; 401: an unknown key; 400: a body the schema refuses.
    response = await post(auth, 'application/json', {
      vessel: other.id,
      points: [{ path: 'navigation.speedOverGround', ts: minutesAgo(1), value: 1 }],
    });
    answers.push(response.statusCode);
    response = await post({ authorization: 'DeviceKey fwdk_nope.nope' }, 'application/json', {
      points: [{ path: 'navigation.speedOverGround', ts: minutesAgo(1), value: 1 }],
    });
    answers.push(response.statusCode);
    response = await post(auth, 'application/json', { points: [] });
    answers.push(response.statusCode);
    expect(answers).toEqual([202, 202, 202, 202, 422, 413, 403, 401, 400]);

    expect(await samples(metricsRegistry, 'telemetry_points_received_total')).toEqual({
      'telemetry_points_received_total{format="json",outcome="accepted"}': 2,
      'telemetry_points_received_total{format="json",outcome="rejected"}': 2,
      'telemetry_points_received_total{format="ndjson",outcome="accepted"}': 1,
      'telemetry_points_received_total{format="ndjson",outcome="rejected"}': 2,
      'telemetry_points_received_total{format="signalk",outcome="accepted"}': 2,
      'telemetry_points_received_total{format="signalk",outcome="rejected"}': 1,
      'telemetry_points_received_total{format="nmea0183",outcome="accepted"}': 1,
      'telemetry_points_received_total{format="nmea0183",outcome="rejected"}': 1,
    });
    expect(await samples(metricsRegistry, 'telemetry_batches_total')).toEqual({
      'telemetry_batches_total{outcome="acknowledged"}': 4,
      'telemetry_batches_total{outcome="unavailable"}': 0,
      'telemetry_batches_total{outcome="invalid"}': 5,
    });
  });

  it('counts a batch Kafka did not acknowledge (503) as unavailable, and none of its points', async () => {
    const deadRegistry = new Registry();
    const deadProducer = createProducer(createKafka({ clientId: 'dead', brokers: ['127.0.0.1:1'] }));
    const deadApp = await buildApiApp({
      config: apiConfig(context, { KAFKA_BROKERS: '127.0.0.1:1', PUBLISH_TIMEOUT_MS: '1000' }),
      registry: context.registry,
      producer: deadProducer,
      pool: context.pool,
      metricsRegistry: deadRegistry,
    });
    try {
      const ship = await context.addVessel();
      const response = await deadApp.inject({
        method: 'POST',
        url: '/v1/performance/telemetry',
        headers: { ...deviceAuth(ship), 'content-type': 'application/json' },
        payload: { points: [{ path: 'navigation.speedOverGround', ts: minutesAgo(1), value: 1 }] },
      });
      expect(response.statusCode).toBe(503);
      expect(await samples(deadRegistry, 'telemetry_batches_total')).toEqual({
        'telemetry_batches_total{outcome="acknowledged"}': 0,
        'telemetry_batches_total{outcome="unavailable"}': 1,
        'telemetry_batches_total{outcome="invalid"}': 0,
      });
      const points = await samples(deadRegistry, 'telemetry_points_received_total');
      expect(Object.values(points).every((value) => value === 0)).toBe(true);
    } finally {
      await deadApp.close();
      await deadProducer.disconnect().catch(() => {});
    }
  });

  it('tells the batch outcome from the answer', () => {
    expect(batchOutcome(202, false)).toBe('acknowledged');
    expect(batchOutcome(503, true)).toBe('unavailable');
    // A 503 for another reason (the registry view still loading) is none of the three.
    expect(batchOutcome(503, false)).toBeNull();
    expect(batchOutcome(500, false)).toBeNull();
    for (const status of [400, 401, 403, 404, 409, 413, 415, 422, 429])
      expect(batchOutcome(status, false)).toBe('invalid');
  });

  it('serves the metrics at /metrics of an app on the default registry', async () => {
    const response = await context.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    for (const name of [
      'telemetry_points_received_total',
      'telemetry_batches_total',
      'fleet_vessel_last_seen_timestamp_seconds',
      'fleet_vessels_reporting',
      'fleet_vessels_by_cii_rating',
    ])
      expect(response.body).toContain(`# TYPE ${name} `);
  });
});

describe('writer metrics (writer process)', () => {
  const topic = `telemetry.points.v1.metrics-test-${randomUUID()}`;
  const deadLetterTopic = `${topic}.dlq`;
  const groupId = `writer-metrics-test-${randomUUID()}`;
  const writerRegistry = new Registry();
  let writer: MessageConsumer;
  let ship: TestVessel;

  const batchOf = (points: TelemetryPoint[], receivedAt: Date): TelemetryBatchV1 => ({
    batchId: randomUUID(),
    tenantId: ship.tenantId,
    vesselId: ship.id,
    receivedAt: receivedAt.toISOString(),
    points,
  });
  const publish = (batches: TelemetryBatchV1[]) =>
    context.producer.publish(
      topic,
      batches.map((batch) => ({
        key: batch.vesselId,
        value: createEnvelope({
          type: TELEMETRY_EVENT,
          version: TELEMETRY_EVENT_VERSION,
          tenant: batch.tenantId,
          data: batch,
        }),
      })),
    );
  const consumed = async (result: string): Promise<number> =>
    (await samples(writerRegistry, 'kafka_consumer_messages_total', [`result="${result}"`]))[
      `kafka_consumer_messages_total{group="${groupId}",topic="${topic}",result="${result}"}`
    ] ?? 0;

  beforeAll(async () => {
    ship = await context.addVessel();
    await ensureTopics(context.kafka, [
      { topic, numPartitions: 1 },
      { topic: deadLetterTopic, numPartitions: 1 },
    ]);
    writer = createTelemetryWriter({
      kafka: context.kafka,
      pool: context.pool,
      producer: context.producer,
      groupId,
      messagesPerTransaction: 100,
      partitionsConsumedConcurrently: 1,
      registry: writerRegistry,
      topic,
      deadLetterTopic,
    });
    await writer.start();
  });
  afterAll(async () => {
    await writer.stop();
  });

  it('counts inserted points, times transactions and the delay from receipt to commit, once per new batch', async () => {
    const sog = (minutes: number, value: number): TelemetryPoint => ({
      path: 'navigation.speedOverGround',
      ts: minutesAgo(minutes),
      value,
    });
    const first = [sog(3, 5), sog(2, 5.5), sog(1, 6)];
    // Received 6 s and 100 s ago: delays in (5, 10] and (60, 120].
    await publish([
      batchOf(first, new Date(Date.now() - 6_000)),
      batchOf([sog(4, 4), sog(5, 3)], new Date(Date.now() - 100_000)),
    ]);
    await waitFor('two batches consumed', async () => (await consumed('ok')) === 2);

    expect(await samples(writerRegistry, 'telemetry_points_written_total')).toEqual({
      telemetry_points_written_total: 5,
    });
    const delay = await samples(writerRegistry, 'telemetry_ingest_delay_seconds');
    expect(delay).toMatchObject({
      'telemetry_ingest_delay_seconds_bucket{le="5"}': 0,
      'telemetry_ingest_delay_seconds_bucket{le="10"}': 1,
      'telemetry_ingest_delay_seconds_bucket{le="60"}': 1,
      'telemetry_ingest_delay_seconds_bucket{le="120"}': 2,
      'telemetry_ingest_delay_seconds_bucket{le="+Inf"}': 2,
      telemetry_ingest_delay_seconds_count: 2,
    });
    // The two batches were stored in one transaction or two, depending on how they were fetched.
    const duration = await samples(writerRegistry, 'telemetry_write_duration_seconds');
    const transactions = duration.telemetry_write_duration_seconds_count ?? 0;
    expect([1, 2]).toContain(transactions);
    expect(duration['telemetry_write_duration_seconds_bucket{le="30"}']).toBe(transactions);
    expect(duration.telemetry_write_duration_seconds_sum).toBeGreaterThan(0);

    // The same points again (a retried request): a transaction that inserts nothing.
    await publish([batchOf(first, new Date())]);
    await waitFor('the duplicate consumed', async () => (await consumed('ok')) === 3);
    expect(
      (await samples(writerRegistry, 'telemetry_points_written_total')).telemetry_points_written_total,
    ).toBe(5);
    expect(
      (await samples(writerRegistry, 'telemetry_ingest_delay_seconds')).telemetry_ingest_delay_seconds_count,
    ).toBe(2);
    expect(
      (await samples(writerRegistry, 'telemetry_write_duration_seconds'))
        .telemetry_write_duration_seconds_count,
    ).toBe(transactions + 1);
    expect(await samples(writerRegistry, 'telemetry_writer_errors_total')).toEqual({
      'telemetry_writer_errors_total{stage="connect"}': 0,
      'telemetry_writer_errors_total{stage="copy"}': 0,
      'telemetry_writer_errors_total{stage="insert"}': 0,
      'telemetry_writer_errors_total{stage="outbox"}': 0,
      'telemetry_writer_errors_total{stage="commit"}': 0,
    });
  });

  it('counts failed attempts by stage, and dead letters in kafka_consumer_messages_total', async () => {
    // Not an envelope: dead-lettered without a write attempt.
    await context.producer.publishRaw(topic, [{ key: ship.id, value: 'not json' }]);
    // A point a year old has no partition: the insert fails at each of its 4 attempts (3 retries).
    await publish([
      batchOf([{ path: 'navigation.speedOverGround', ts: minutesAgo(365 * 24 * 60), value: 1 }], new Date()),
    ]);
    await waitFor('both dead-lettered', async () => (await consumed('dead_lettered')) === 2);
    expect(await samples(writerRegistry, 'telemetry_writer_errors_total')).toEqual({
      'telemetry_writer_errors_total{stage="connect"}': 0,
      'telemetry_writer_errors_total{stage="copy"}': 0,
      'telemetry_writer_errors_total{stage="insert"}': 4,
      'telemetry_writer_errors_total{stage="outbox"}': 0,
      'telemetry_writer_errors_total{stage="commit"}': 0,
    });
    expect(await samples(writerRegistry, 'kafka_consumer_messages_total')).toEqual({
      [`kafka_consumer_messages_total{group="${groupId}",topic="${topic}",result="ok"}`]: 3,
      [`kafka_consumer_messages_total{group="${groupId}",topic="${topic}",result="dead_lettered"}`]: 2,
    });
  });

  it('names the connect and copy stages of a failed write', async () => {
    const registry = new Registry();
    const metrics = writerMetrics(registry);
    const unreachable = createPool({
      connectionString: 'postgres://nobody:nothing@127.0.0.1:1/none',
      applicationName: 'metrics-test',
      connectionTimeoutMs: 2_000,
      onError: () => {},
    });
    const batch = batchOf([{ path: 'navigation.speedOverGround', ts: minutesAgo(1), value: 1 }], new Date());
    try {
      await expect(storeMeasured(unreachable, [batch], metrics)).rejects.toThrow();
    } finally {
      await unreachable.end();
    }
    // A timestamp that is none fails the copy stage (grouping the points into chunks for COPY).
    const garbled = {
      ...batch,
      points: [{ path: 'navigation.speedOverGround', ts: 'the twelfth of never!', value: 1 }],
    };
    await expect(storeMeasured(context.pool, [garbled], metrics)).rejects.toThrow(/unreadable ts/);
    expect(await samples(registry, 'telemetry_writer_errors_total')).toMatchObject({
      'telemetry_writer_errors_total{stage="connect"}': 1,
      'telemetry_writer_errors_total{stage="copy"}': 1,
      'telemetry_writer_errors_total{stage="insert"}': 0,
    });
    expect(await samples(registry, 'telemetry_write_duration_seconds')).toMatchObject({
      telemetry_write_duration_seconds_count: 0,
    });
  });
});

describe('fleet operations gauges (API process)', () => {
  const tenant = randomUUID();
  const otherTenant = randomUUID();
  const metricsRegistry = new Registry();
  /** One connection, so a platform-access setting leaking past its transaction would show. */
  let pool: pg.Pool;
  let stop: () => void;
  /** The gauges' clock: real time plus what a test adds. */
  let offsetMs = 0;
  let reporting: TestVessel;
  let silent: TestVessel;
  let archived: TestVessel;
  let otherReporting: TestVessel;
  let small: TestVessel;
  const seen: Record<string, string> = {};

  async function telemetryAt(vessel: TestVessel, ts: string): Promise<void> {
    seen[vessel.id] = ts;
    await storeBatches(context.pool, [
      {
        batchId: randomUUID(),
        tenantId: vessel.tenantId,
        vesselId: vessel.id,
        receivedAt: new Date().toISOString(),
        points: [
          {
            path: 'navigation.speedOverGround',
            ts: new Date(Date.parse(ts) - 30_000).toISOString(),
            value: 5,
          },
          { path: 'navigation.headingTrue', ts, value: 1 },
        ],
      },
    ]);
  }

  async function noonReport(vessel: TestVessel, consumption: Record<string, Record<string, number>>) {
    // Reported now: within the current year, and not in the future.
    const reportedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const response = await context.app.inject({
      method: 'POST',
      url: `/v1/performance/vessels/${vessel.id}/noon-reports`,
      headers: await bearer(context, vessel.tenantId, 'fleet-manager'),
      payload: dailyReport(reportedAt, 0, { consumption, rob: { HFO: 900, MGO: 90 } }),
    });
    expect(response.statusCode, response.body).toBe(201);
  }

  const ours = [tenant, otherTenant].map((id) => `tenant="${id}"`);
  const epoch = (vessel: TestVessel) => Date.parse(seen[vessel.id] ?? '') / 1000;
  const rating = (distanceNm: number, fuelTonnes: Record<string, number>): CiiRating =>
    computeCii({
      shipType: 'bulk_carrier',
      dwt: 80_000,
      gt: 43_000,
      year: new Date().getUTCFullYear(),
      distanceNm,
      fuelTonnes,
    }).rating;
  const allRatings = (counts: Partial<Record<CiiRating, number>>): Record<string, number> =>
    Object.fromEntries(
      (['A', 'B', 'C', 'D', 'E'] as const).map((letter) => [
        `fleet_vessels_by_cii_rating{tenant="${tenant}",rating="${letter}"}`,
        counts[letter] ?? 0,
      ]),
    );

  beforeAll(async () => {
    pool = createPool({
      connectionString: inject('databaseUrl'),
      applicationName: 'fleet-metrics-test',
      max: 1,
      onError: () => {},
    });
    stop = reportFleetMetrics({
      pool,
      registry: context.registry,
      metricsRegistry,
      now: () => new Date(Date.now() + offsetMs),
    });
    reporting = await context.addVessel(tenant);
    silent = await context.addVessel(tenant);
    archived = await context.addVessel(tenant);
    otherReporting = await context.addVessel(otherTenant);
    small = await context.addVessel(otherTenant, { shipType: 'general-cargo', dwt: 5_500, gt: 4_000 });
    await telemetryAt(reporting, minutesAgo(1));
    await telemetryAt(silent, minutesAgo(40));
    await telemetryAt(archived, minutesAgo(1));
    await telemetryAt(otherReporting, minutesAgo(2));
    await context.updateVessel(archived, { version: 2, archived: true });
    // 300 nm each; the silent vessel burns half the fuel.
    await noonReport(reporting, { ME: { HFO: 30 }, AE: { MGO: 2 } });
    await noonReport(silent, { ME: { HFO: 15 } });
    await noonReport(small, { ME: { HFO: 10 } });
  });
  afterAll(async () => {
    stop();
    await pool.end();
  });

  it('reports when each vessel was last seen and how many report, per tenant', async () => {
    expect(await samples(metricsRegistry, 'fleet_vessel_last_seen_timestamp_seconds', ours)).toEqual({
      [`fleet_vessel_last_seen_timestamp_seconds{tenant="${tenant}",vessel="${reporting.id}"}`]:
        epoch(reporting),
      [`fleet_vessel_last_seen_timestamp_seconds{tenant="${tenant}",vessel="${silent.id}"}`]: epoch(silent),
      [`fleet_vessel_last_seen_timestamp_seconds{tenant="${otherTenant}",vessel="${otherReporting.id}"}`]:
        epoch(otherReporting),
    });
    expect(await samples(metricsRegistry, 'fleet_vessels_reporting', ours)).toEqual({
      [`fleet_vessels_reporting{tenant="${tenant}"}`]: 1,
      [`fleet_vessels_reporting{tenant="${otherTenant}"}`]: 1,
    });
  });

  it('counts the rated vessels per CII rating, as GET /fleet/cii rates them', async () => {
    const ratings = [rating(300, { HFO: 30, MGO: 2 }), rating(300, { HFO: 15 })];
    expect(ratings[0]).not.toBe(ratings[1]);
    const counts: Partial<Record<CiiRating, number>> = {};
    for (const letter of ratings) counts[letter] = (counts[letter] ?? 0) + 1;
    // The first scrape starts the computation in the background; a later one has its result. The
    // small vessel (below 5,000 GT) is not rated, so its tenant has no series.
    await waitFor(
      'the ratings',
      async () => Object.keys(await samples(metricsRegistry, 'fleet_vessels_by_cii_rating', ours)).length > 0,
    );
    expect(await samples(metricsRegistry, 'fleet_vessels_by_cii_rating', ours)).toEqual(allRatings(counts));

    const fleet = await context.app.inject({
      method: 'GET',
      url: '/v1/performance/fleet/cii',
      headers: await bearer(context, tenant, 'viewer'),
    });
    const body = fleet.json<{ counts: Record<string, number> }>();
    expect(body.counts).toEqual({ A: 0, B: 0, C: 0, D: 0, E: 0, ...counts, notRated: 0 });
  });

  it('reads the latest telemetry once per 30 s, and the ratings again once they are 5 min old', async () => {
    await telemetryAt(silent, minutesAgo(0.5));
    await noonReport(otherReporting, { ME: { HFO: 30 }, AE: { MGO: 2 } });
    // Still the reading of the first test.
    expect(await samples(metricsRegistry, 'fleet_vessels_reporting', ours)).toMatchObject({
      [`fleet_vessels_reporting{tenant="${tenant}"}`]: 1,
    });
    offsetMs = 31_000;
    expect(await samples(metricsRegistry, 'fleet_vessels_reporting', ours)).toEqual({
      [`fleet_vessels_reporting{tenant="${tenant}"}`]: 2,
      [`fleet_vessels_reporting{tenant="${otherTenant}"}`]: 1,
    });
    expect(
      (await samples(metricsRegistry, 'fleet_vessel_last_seen_timestamp_seconds', [silent.id]))[
        `fleet_vessel_last_seen_timestamp_seconds{tenant="${tenant}",vessel="${silent.id}"}`
      ],
    ).toBe(epoch(silent));

    const otherSeries = `fleet_vessels_by_cii_rating{tenant="${otherTenant}",rating="${rating(300, { HFO: 30, MGO: 2 })}"}`;
    expect(await samples(metricsRegistry, 'fleet_vessels_by_cii_rating', [otherTenant])).toEqual({});
    offsetMs = 6 * 60_000;
    // This scrape starts the refresh and is answered with the ratings it had; a later one has the new.
    expect(await samples(metricsRegistry, 'fleet_vessels_by_cii_rating', [otherTenant])).toEqual({});
    await waitFor('the refreshed ratings', async () => {
      const ratings = await samples(metricsRegistry, 'fleet_vessels_by_cii_rating', [otherTenant]);
      return ratings[otherSeries] === 1;
    });
  });

  it('keeps platform access inside its own transactions', async () => {
    await samples(metricsRegistry, 'fleet_vessels_reporting', ours);
    // The only connection of the pool the gauges used: no tenant, no platform access, no rows.
    const { rows } = await pool.query<{ access: string | null; visible: string }>(
      `SELECT current_setting('app.platform_access', true) AS access,
              (SELECT count(*) FROM performance.telemetry_latest)::text AS visible`,
    );
    expect(rows[0]?.access ?? '').toBe('');
    expect(rows[0]?.visible).toBe('0');
    const ownOnly = await withTenant(pool, otherTenant, (client) =>
      client.query<{ n: string }>(
        'SELECT count(DISTINCT vessel_id)::text AS n FROM performance.telemetry_latest',
      ),
    );
    expect(ownOnly.rows[0]?.n).toBe('1');
  });

  it('leaves the series out when the database cannot be read', async () => {
    const registry = new Registry();
    const unreachable = appPool();
    await unreachable.end();
    const stopBroken = reportFleetMetrics({
      pool: unreachable,
      registry: context.registry,
      metricsRegistry: registry,
    });
    try {
      expect(await samples(registry, 'fleet_vessels_reporting')).toEqual({});
      expect(await samples(registry, 'fleet_vessels_by_cii_rating')).toEqual({});
    } finally {
      stopBroken();
    }
  });
});
