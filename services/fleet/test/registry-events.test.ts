import {
  createFleetRegistryView,
  ensureRegistryTopics,
  type FleetRegistryView,
} from '@fleetwatch/fleet-registry';
import { createKafka, createProducer, type MessageProducer } from '@fleetwatch/messaging';
import { createOutboxRelay } from '@fleetwatch/outbox';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { OUTBOX_SCHEMA } from '../src/events.js';
import {
  bearer,
  createDeviceKey,
  createTenant,
  createVessel,
  startFleetApp,
  type FleetTestContext,
} from './helpers.js';

/** Polls until the condition holds; returns how long that took. */
async function within(timeoutMs: number, condition: () => boolean): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

/**
 * The registry events end to end: API change → outbox row in the same transaction → relay → Kafka
 * (compacted topics) → the read model another service (ingestion) keeps, without calling fleet.
 */
describe('registry events', () => {
  let context: FleetTestContext;
  let producer: MessageProducer;
  let relay: ReturnType<typeof createOutboxRelay>;
  let view: FleetRegistryView;
  let tenantId: string;

  beforeAll(async () => {
    context = await startFleetApp();
    const kafka = createKafka({ clientId: 'fleet-events-test', brokers: inject('kafkaBrokers') });
    await ensureRegistryTopics(kafka, { numPartitions: 3 });
    producer = createProducer(kafka);
    await producer.connect();
    relay = createOutboxRelay({ pool: context.pool, schema: OUTBOX_SCHEMA, producer });
    await relay.start();
    view = createFleetRegistryView({ kafka, instanceId: `fleet-test-${randomUUID()}` });
    await view.start();
    tenantId = await createTenant(context);
  });
  afterAll(async () => {
    await view.stop();
    await relay.stop();
    await producer.disconnect();
    await context.close();
  });

  it('tells other services which tenant a vessel belongs to, and keeps up with changes', async () => {
    const vessel = await createVessel(context, tenantId, { name: 'Evented' });
    await within(10_000, () => view.vessel(vessel.id) != null);
    expect(view.vessel(vessel.id)).toMatchObject({ id: vessel.id, tenantId, name: 'Evented', version: 1 });
    expect(view.vesselBelongsTo(vessel.id, tenantId)).toBe(true);
    expect(view.vesselBelongsTo(vessel.id, randomUUID())).toBe(false);

    await context.app.inject({
      method: 'PATCH',
      url: `/v1/fleet/vessels/${vessel.id}`,
      headers: { ...bearer(await context.token('fleet-manager', tenantId)), 'if-match': '"1"' },
      payload: { name: 'Evented Again' },
    });
    await within(10_000, () => view.vessel(vessel.id)?.version === 2);
    expect(view.vessel(vessel.id)?.name).toBe('Evented Again');
  });

  it('stops accepting a revoked device key within 5 seconds', async () => {
    const vessel = await createVessel(context, tenantId);
    const key = await createDeviceKey(context, tenantId, vessel.id);
    await within(10_000, () => view.verifyDeviceKey(key.key) !== null);
    expect(view.verifyDeviceKey(key.key)).toEqual({ keyId: key.id, vesselId: vessel.id, tenantId });

    const revokedAt = Date.now();
    const response = await context.app.inject({
      method: 'DELETE',
      url: `/v1/fleet/vessels/${vessel.id}/device-keys/${key.id}`,
      headers: bearer(await context.token('fleet-manager', tenantId)),
    });
    expect(response.statusCode).toBe(204);
    await within(5_000, () => view.verifyDeviceKey(key.key) === null);
    const elapsed = Date.now() - revokedAt;
    console.log(`device key revocation reached the ingestion-side view in ${elapsed} ms`);
    expect(elapsed).toBeLessThan(5_000);
  });
});
