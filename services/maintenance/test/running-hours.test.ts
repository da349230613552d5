import { createEnvelope, createProducer, type MessageProducer } from '@fleetwatch/messaging';
import {
  ensureRunningHoursTopic,
  RUNNING_HOURS_EVENT,
  RUNNING_HOURS_EVENT_VERSION,
  RUNNING_HOURS_TOPIC,
  type RunningHoursData,
} from '@fleetwatch/performance-events';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRunningHoursEvent, createRunningHoursConsumer } from '../src/running-hours.js';
import { post, startMaintenanceApp, type MaintenanceTestContext, type TestVessel } from './helpers.js';

interface ComponentBody {
  id: string;
  runningHours: number;
  counterMeter: number;
}

describe('running hours', () => {
  let context: MaintenanceTestContext;
  const tenant = randomUUID();
  let vessel: TestVessel;
  let headers: { authorization: string };

  beforeAll(async () => {
    context = await startMaintenanceApp({ today: '2026-03-01' });
    vessel = await context.fixture.addVessel(tenant);
    headers = await context.as('fleet-manager', tenant);
  });
  afterAll(async () => {
    await context.close();
  });

  const engine = (code: string, telemetryEngine: string | null, initialRunningHours = 1_000) =>
    post<ComponentBody>(context, `/v1/maintenance/vessels/${vessel.id}/components`, headers, {
      code,
      name: `Engine ${code}`,
      criticality: 'critical',
      hasCounter: true,
      telemetryEngine,
      initialRunningHours,
    });
  const component = async (id: string) =>
    (await context.app.inject({ url: `/v1/maintenance/components/${id}`, headers })).json<ComponentBody>();
  const event = (
    engineId: string,
    hours: number,
    observedAt: string,
    counterReset = false,
  ): RunningHoursData => ({
    eventId: randomUUID(),
    tenantId: tenant,
    vesselId: vessel.id,
    engine: engineId,
    runningHours: hours,
    counterSeconds: hours * 3600,
    observedAt,
    counterReset,
  });

  it('counts an event delivered twice once, ignores an older reading, and takes a reset as a replacement', async () => {
    const main = await engine('601', 'main');
    const first = event('main', 1_010, '2026-03-01T01:00:00.000Z');
    expect(await applyRunningHoursEvent(context.pool, first)).toBe('applied');
    expect(await applyRunningHoursEvent(context.pool, first)).toBe('ignored-older');
    expect(await component(main.id)).toMatchObject({ runningHours: 1_010, counterMeter: 1_010 });

    expect(await applyRunningHoursEvent(context.pool, event('main', 1_005, '2026-03-01T00:30:00.000Z'))).toBe(
      'ignored-older',
    );
    expect(await applyRunningHoursEvent(context.pool, event('main', 1_020, '2026-03-01T02:00:00.000Z'))).toBe(
      'applied',
    );
    // The counter was replaced: it shows 3 h. Running hours carry on from 1 020.
    expect(
      await applyRunningHoursEvent(context.pool, event('main', 3, '2026-03-01T03:00:00.000Z', true)),
    ).toBe('applied');
    expect(await applyRunningHoursEvent(context.pool, event('main', 5, '2026-03-01T04:00:00.000Z'))).toBe(
      'applied',
    );
    expect(await component(main.id)).toMatchObject({ runningHours: 1_022, counterMeter: 5 });

    const history = await context.app.inject({
      url: `/v1/maintenance/components/${main.id}/history`,
      headers,
    });
    expect(history.json<{ items: { kind: string }[] }>().items.map((entry) => entry.kind)).toEqual([
      'counter-reading',
      'counter-reading',
      'counter-replaced',
      'counter-reading',
    ]);
  });

  it('the same event id arriving again after a newer one is still counted once', async () => {
    const aux = await engine('602', 'aux1', 500);
    const once = event('aux1', 510, '2026-03-01T01:00:00.000Z');
    await applyRunningHoursEvent(context.pool, once);
    await applyRunningHoursEvent(context.pool, event('aux1', 520, '2026-03-01T02:00:00.000Z'));
    expect(await applyRunningHoursEvent(context.pool, once)).toBe('ignored-older');
    expect(await component(aux.id)).toMatchObject({ runningHours: 520 });
  });

  it('ignores events for engines no component takes its counter from', async () => {
    expect(await applyRunningHoursEvent(context.pool, event('nobody', 1, '2026-03-01T01:00:00.000Z'))).toBe(
      'no-component',
    );
  });

  it('manual readings never go backwards unless recorded as a replacement', async () => {
    const generator = await engine('603', null, 2_000);
    const read = (body: Record<string, unknown>) =>
      context.app.inject({
        method: 'POST',
        url: `/v1/maintenance/components/${generator.id}/readings`,
        headers,
        payload: body,
      });
    expect((await read({ meter: 2_050, observedAt: '2026-02-28T08:00:00Z' })).statusCode).toBe(201);
    const backwards = await read({ meter: 2_040, observedAt: '2026-02-28T20:00:00Z' });
    expect(backwards.statusCode).toBe(409);
    expect((await read({ meter: 2_060, observedAt: '2026-02-28T07:00:00Z' })).statusCode).toBe(409);
    const replaced = await read({ kind: 'replacement', meter: 0, observedAt: '2026-02-28T21:00:00Z' });
    expect(replaced.statusCode).toBe(201);
    expect(replaced.json()).toMatchObject({ runningHours: 2_050, counterMeter: 0 });
    const after = await read({ meter: 12, observedAt: '2026-03-01T09:00:00Z' });
    expect(after.json()).toMatchObject({ runningHours: 2_062, counterMeter: 12 });

    const readings = await context.app.inject({
      url: `/v1/maintenance/components/${generator.id}/readings`,
      headers,
    });
    const body = readings.json<{
      items: { kind: string; runningHours: number }[];
      averageDailyHours: number;
    }>();
    expect(body.items.map((item) => [item.kind, item.runningHours])).toEqual([
      ['reading', 2_050],
      ['replacement', 2_050],
      ['reading', 2_062],
    ]);
    // 12 h between the first and last reading, 25 h apart: capped at 24 h a day, 11.52 h a day here.
    expect(body.averageDailyHours).toBeCloseTo(12 / (25 / 24), 5);
  });

  it('consumes running-hours events from Kafka', async () => {
    const main = await engine('604', 'port');
    const producer: MessageProducer = createProducer(context.kafka);
    await producer.connect();
    await ensureRunningHoursTopic(context.kafka, 1);
    const consumer = createRunningHoursConsumer({
      kafka: context.kafka,
      pool: context.pool,
      groupId: `maintenance-test-${randomUUID()}`,
      producer,
    });
    await consumer.start();
    try {
      const data = event('port', 1_042, '2026-03-01T05:00:00.000Z');
      const message = {
        key: vessel.id,
        value: createEnvelope({
          id: data.eventId,
          type: RUNNING_HOURS_EVENT,
          version: RUNNING_HOURS_EVENT_VERSION,
          tenant,
          data,
        }),
      };
      // Published twice, as an at-least-once producer may: counted once.
      await producer.publish(RUNNING_HOURS_TOPIC, [message, message]);
      const deadline = Date.now() + 20_000;
      while ((await component(main.id)).runningHours !== 1_042) {
        if (Date.now() > deadline) throw new Error('the event was not applied within 20 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await component(main.id)).toMatchObject({ runningHours: 1_042, counterMeter: 1_042 });
    } finally {
      await consumer.stop();
      await producer.disconnect();
    }
  });
});
