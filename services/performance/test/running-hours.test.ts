import { withTenant } from '@fleetwatch/db';
import { decodeEnvelope, type Envelope } from '@fleetwatch/messaging';
import { createOutboxRelay, type OutboxRelay } from '@fleetwatch/outbox';
import type { Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureRunningHoursTopic,
  RUNNING_HOURS_EVENT,
  RUNNING_HOURS_EVENT_VERSION,
  RUNNING_HOURS_TOPIC,
  RunningHoursData,
} from '@fleetwatch/performance-events';
import { OUTBOX_SCHEMA } from '../src/running-hours/events.js';
import type { TelemetryBatchV1, TelemetryPoint } from '../src/telemetry-batch.js';
import { createTelemetryWriter } from '../src/writer/consumer.js';
import { storeBatches } from '../src/writer/store.js';
import { deviceAuth, startPerformanceApp, type PerformanceTestContext } from './helpers.js';

interface ReceivedEvent {
  key: string | null;
  envelope: Envelope<RunningHoursData>;
}

interface Ship {
  tenantId: string;
  vesselId: string;
}

/** A vessel for the tests that call the writer's storeBatches directly: it needs no registry entry. */
const newShip = (): Ship => ({ tenantId: randomUUID(), vesselId: randomUUID() });

/** Minutes after a base half an hour ago: inside the partitions the test app created, never ahead. */
const base = Date.now() - 30 * 60_000;
const at = (minutes: number): string => new Date(base + minutes * 60_000).toISOString();

const runTime = (engine: string, ts: string, seconds: number): TelemetryPoint => ({
  path: `propulsion.${engine}.runTime`,
  ts,
  value: seconds,
});

/** A telemetry message's data, as the writer gets it from Kafka. */
const batchOf = (ship: Ship, points: TelemetryPoint[]): TelemetryBatchV1 => ({
  batchId: randomUUID(),
  tenantId: ship.tenantId,
  vesselId: ship.vesselId,
  receivedAt: new Date().toISOString(),
  points,
});

/**
 * Running hours end to end: telemetry stored by the writer → running_hours_latest and the outbox in
 * the same transaction → the relay → performance.running-hours.v1, read back with a plain consumer.
 *
 * "No event" is shown with a marker: after the step that must publish nothing, a reading that must
 * publish is stored, and the test waits for its event. A vessel's events share a key, so they reach
 * the topic in commit order: anything the earlier step had published would have arrived first.
 */
describe('running hours', () => {
  let context: PerformanceTestContext;
  let relay: OutboxRelay;
  let writer: ReturnType<typeof createTelemetryWriter>;
  let reader: Consumer;
  const received: ReceivedEvent[] = [];

  beforeAll(async () => {
    context = await startPerformanceApp();
    await ensureRunningHoursTopic(context.kafka, 3);
    relay = createOutboxRelay({ pool: context.pool, schema: OUTBOX_SCHEMA, producer: context.producer });
    await relay.start();
    writer = createTelemetryWriter({
      kafka: context.kafka,
      pool: context.pool,
      producer: context.producer,
      groupId: `running-hours-writer-${randomUUID()}`,
      messagesPerTransaction: 100,
      partitionsConsumedConcurrently: 1,
    });
    await writer.start();
    // A short fetch wait: disconnect() waits for the fetch in flight.
    reader = context.kafka.consumer({
      groupId: `running-hours-reader-${randomUUID()}`,
      maxWaitTimeInMs: 500,
    });
    await reader.connect();
    await reader.subscribe({ topics: [RUNNING_HOURS_TOPIC], fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        received.push({
          key: message.key?.toString() ?? null,
          envelope: decodeEnvelope(message.value, RunningHoursData),
        });
      },
    });
  });
  afterAll(async () => {
    await reader.disconnect();
    await writer.stop();
    await relay.stop();
    await context.close();
  });

  const eventsOf = (vesselId: string): RunningHoursData[] =>
    received
      .filter(({ envelope }) => envelope.data.vesselId === vesselId)
      .map(({ envelope }) => envelope.data);

  /** Waits for the event of the given engine and counter, then returns all the vessel's events so far. */
  async function eventsUpTo(
    vesselId: string,
    engine: string,
    counterSeconds: number,
  ): Promise<RunningHoursData[]> {
    const deadline = Date.now() + 30_000;
    const isMarker = (data: RunningHoursData) =>
      data.engine === engine && data.counterSeconds === counterSeconds;
    while (!eventsOf(vesselId).some(isMarker)) {
      if (Date.now() > deadline) {
        throw new Error(`no event for ${engine} at ${counterSeconds} s within 30 s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return eventsOf(vesselId);
  }

  const summary = (events: RunningHoursData[]) =>
    events.map(({ engine, counterSeconds, observedAt, counterReset }) => ({
      engine,
      counterSeconds,
      observedAt,
      counterReset,
    }));

  it('publishes the newest reading of each engine, through ingestion and the writer, once', async () => {
    const vessel = await context.addVessel();
    const post = (points: TelemetryPoint[]) =>
      context.app.inject({
        method: 'POST',
        url: '/v1/performance/telemetry',
        headers: { ...deviceAuth(vessel), 'content-type': 'application/json' },
        payload: { points },
      });
    const points = [
      runTime('port', at(1), 3_600_000),
      runTime('port', at(2), 3_600_060),
      runTime('starboard', at(1), 7_200),
      runTime('starboard', at(2), 7_230),
      { path: 'propulsion.port.revolutions', ts: at(2), value: 1.6 },
      { path: 'navigation.speedOverGround', ts: at(2), value: 6.5 },
    ];
    expect((await post(points)).statusCode).toBe(202);
    // The same points again: stored once, so published once.
    expect((await post(points)).statusCode).toBe(202);
    // Only once the first event is out: in the same writer call, the marker would be the newest reading.
    await eventsUpTo(vessel.id, 'port', 3_600_060);
    expect((await post([runTime('port', at(3), 3_600_120)])).statusCode).toBe(202);

    const events = await eventsUpTo(vessel.id, 'port', 3_600_120);
    expect(summary(events).sort((a, b) => a.engine.localeCompare(b.engine))).toEqual([
      { engine: 'port', counterSeconds: 3_600_060, observedAt: at(2), counterReset: false },
      { engine: 'port', counterSeconds: 3_600_120, observedAt: at(3), counterReset: false },
      { engine: 'starboard', counterSeconds: 7_230, observedAt: at(2), counterReset: false },
    ]);
    const port = events.find((data) => data.engine === 'port');
    expect(port?.runningHours).toBeCloseTo(3_600_060 / 3600, 9);
    expect(events.find((data) => data.engine === 'starboard')?.runningHours).toBeCloseTo(7_230 / 3600, 9);

    const first = received.find(({ envelope }) => envelope.data.eventId === port?.eventId);
    expect(first?.key).toBe(vessel.id);
    expect(first?.envelope).toMatchObject({
      id: port?.eventId,
      type: RUNNING_HOURS_EVENT,
      version: RUNNING_HOURS_EVENT_VERSION,
      tenant: vessel.tenantId,
      data: { vesselId: vessel.id, tenantId: vessel.tenantId },
    });

    // What was published last, per engine, readable by the vessel's tenant.
    const latest = await withTenant(context.pool, vessel.tenantId, (client) =>
      client.query<{ engine: string; counter_seconds: number; observed_at: Date }>(
        'SELECT engine, counter_seconds, observed_at FROM performance.running_hours_latest WHERE vessel_id = $1 ORDER BY engine',
        [vessel.id],
      ),
    );
    expect(
      latest.rows.map((row) => [row.engine, row.counter_seconds, row.observed_at.toISOString()]),
    ).toEqual([
      ['port', 3_600_120, at(3)],
      ['starboard', 7_230, at(2)],
    ]);
  });

  it('publishes one event per engine for a call of several batches, and nothing for its redelivery', async () => {
    const ship = newShip();
    const other = newShip();
    const call = [
      batchOf(ship, [runTime('main', at(1), 1_000), runTime('main', at(2), 1_060)]),
      batchOf(other, [runTime('main', at(2), 500)]),
      batchOf(ship, [runTime('main', at(3), 1_120), runTime('aux', at(3), 40)]),
    ];
    expect(await storeBatches(context.pool, call)).toBe(5);
    // Redelivered as it was (a writer died before committing the offsets).
    expect(await storeBatches(context.pool, call)).toBe(0);
    await storeBatches(context.pool, [batchOf(ship, [runTime('main', at(4), 1_180)])]);

    const events = await eventsUpTo(ship.vesselId, 'main', 1_180);
    expect(
      summary(events).sort(
        (a, b) => a.observedAt.localeCompare(b.observedAt) || a.engine.localeCompare(b.engine),
      ),
    ).toEqual([
      { engine: 'aux', counterSeconds: 40, observedAt: at(3), counterReset: false },
      { engine: 'main', counterSeconds: 1_120, observedAt: at(3), counterReset: false },
      { engine: 'main', counterSeconds: 1_180, observedAt: at(4), counterReset: false },
    ]);
    expect(summary(await eventsUpTo(other.vesselId, 'main', 500))).toEqual([
      { engine: 'main', counterSeconds: 500, observedAt: at(2), counterReset: false },
    ]);
  });

  it('ignores a reading older than the published one, and one whose counter has not moved', async () => {
    const ship = newShip();
    await storeBatches(context.pool, [batchOf(ship, [runTime('main', at(10), 2_000)])]);
    // Older, arriving later (a backfill): the consumer already has a later reading.
    await storeBatches(context.pool, [batchOf(ship, [runTime('main', at(5), 1_700)])]);
    // Newer, same counter: the engine was stopped; nothing new to tell.
    await storeBatches(context.pool, [batchOf(ship, [runTime('main', at(11), 2_000)])]);
    await storeBatches(context.pool, [batchOf(ship, [runTime('main', at(12), 2_060)])]);

    expect(summary(await eventsUpTo(ship.vesselId, 'main', 2_060))).toEqual([
      { engine: 'main', counterSeconds: 2_000, observedAt: at(10), counterReset: false },
      { engine: 'main', counterSeconds: 2_060, observedAt: at(12), counterReset: false },
    ]);
  });

  it('publishes a counter that went backwards, flagged, and counts on from it', async () => {
    const ship = newShip();
    await storeBatches(context.pool, [batchOf(ship, [runTime('main', at(1), 50_000)])]);
    // The counter was replaced (or reset): lower, but newer.
    await storeBatches(context.pool, [batchOf(ship, [runTime('main', at(2), 120)])]);
    await storeBatches(context.pool, [batchOf(ship, [runTime('main', at(3), 180)])]);

    const events = await eventsUpTo(ship.vesselId, 'main', 180);
    expect(summary(events)).toEqual([
      { engine: 'main', counterSeconds: 50_000, observedAt: at(1), counterReset: false },
      { engine: 'main', counterSeconds: 120, observedAt: at(2), counterReset: true },
      { engine: 'main', counterSeconds: 180, observedAt: at(3), counterReset: false },
    ]);
    expect(events[1]?.runningHours).toBeCloseTo(120 / 3600, 9);
  });

  it('publishes nothing for other paths, nor for a negative counter', async () => {
    const ship = newShip();
    await storeBatches(context.pool, [
      batchOf(ship, [
        { path: 'propulsion.main.revolutions', ts: at(1), value: 1.5 },
        { path: 'propulsion.main.engineLoad', ts: at(1), value: 0.8 },
        { path: 'propulsion.main.fuel.rate', ts: at(1), value: 0.0001 },
        { path: 'navigation.speedOverGround', ts: at(1), value: 6 },
        { path: 'navigation.position', ts: at(1), value: { latitude: 59.9, longitude: 10.7 } },
        runTime('main', at(1), -5),
      ]),
    ]);
    await storeBatches(context.pool, [batchOf(ship, [runTime('main', at(2), 10)])]);

    expect(summary(await eventsUpTo(ship.vesselId, 'main', 10))).toEqual([
      { engine: 'main', counterSeconds: 10, observedAt: at(2), counterReset: false },
    ]);
  });
});
