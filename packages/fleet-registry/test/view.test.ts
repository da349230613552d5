import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createProducer } from '@fleetwatch/messaging';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEVICE_KEY_STATE_EVENT,
  ENTRIES_METRIC,
  INVALID_MESSAGES_METRIC,
  LAST_EVENT_TIMESTAMP_METRIC,
  REGISTRY_EVENT_VERSION,
  createFleetRegistryView,
  ensureRegistryTopics,
  type DeviceKeyState,
  type FleetRegistryView,
  type FleetRegistryViewOptions,
  type RegistryTopics,
  type VesselState,
} from '../src/index.js';
import { deviceKeyFor, revoked, vesselState } from './fixtures.js';
import {
  deviceKeyEnvelope,
  metricValue,
  testKafka,
  uniqueName,
  uniqueTopics,
  vesselEnvelope,
  waitUntil,
} from './helpers.js';

const kafka = testKafka();
const producer = createProducer(kafka);
let running: FleetRegistryView[] = [];

beforeAll(async () => {
  await producer.connect();
});
afterEach(async () => {
  await Promise.all(running.map((view) => view.stop()));
  running = [];
});
afterAll(async () => {
  await producer.disconnect();
});

/** A view on its own registry, stopped after the test whatever happens in it. */
function newView(
  topics: RegistryTopics,
  instanceId = uniqueName('test'),
  options: Partial<FleetRegistryViewOptions> = {},
): { view: FleetRegistryView; registry: Registry; instanceId: string } {
  const registry = new Registry();
  const view = createFleetRegistryView({ kafka, instanceId, topics, registry, ...options });
  running.push(view);
  return { view, registry, instanceId };
}

async function registryTopics(numPartitions = 3): Promise<RegistryTopics> {
  const topics = uniqueTopics();
  await ensureRegistryTopics(kafka, { topics, numPartitions });
  return topics;
}

async function publishVessels(topics: RegistryTopics, states: VesselState[]): Promise<void> {
  await producer.publish(
    topics.vessels,
    states.map((state) => ({ key: state.id, value: vesselEnvelope(state) })),
  );
}

async function publishKeys(topics: RegistryTopics, states: DeviceKeyState[]): Promise<void> {
  await producer.publish(
    topics.deviceKeys,
    states.map((state) => ({ key: state.id, value: deviceKeyEnvelope(state) })),
  );
}

describe('a started view', () => {
  it('has caught up with the states published before it started once start() resolves', async () => {
    const topics = await registryTopics();
    const vessels = Array.from({ length: 40 }, (_, n) => vesselState({ name: `Vessel ${n}` }));
    const keys = vessels.map((vessel) => deviceKeyFor(vessel));
    await publishVessels(topics, vessels);
    await publishKeys(
      topics,
      keys.map(({ state }) => state),
    );
    await publishVessels(
      topics,
      vessels.map((vessel) => ({ ...vessel, version: 2, name: `${vessel.name} (renamed)` })),
    );

    const { view, registry } = newView(topics);
    await view.start();

    expect(view.isCaughtUp()).toBe(true);
    for (const [n, vessel] of vessels.entries()) {
      expect(view.vessel(vessel.id)).toMatchObject({ version: 2, name: `Vessel ${n} (renamed)` });
    }
    for (const { key, state } of keys) {
      expect(view.verifyDeviceKey(key)).toEqual({
        keyId: state.id,
        vesselId: state.vesselId,
        tenantId: state.tenantId,
      });
    }
    expect(await metricValue(registry, ENTRIES_METRIC, { kind: 'vessel' })).toBe(40);
    expect(await metricValue(registry, ENTRIES_METRIC, { kind: 'device_key' })).toBe(40);
    const newest = await metricValue(registry, LAST_EVENT_TIMESTAMP_METRIC);
    expect(Date.now() / 1000 - (newest ?? 0)).toBeLessThan(60);
  });

  it('starts at once on empty topics, and stays caught up while idle', async () => {
    const { view, registry } = newView(await registryTopics(), uniqueName('test'), {
      maxFetchSilenceMs: 1_000,
    });

    await view.start();

    expect(view.isCaughtUp()).toBe(true);
    expect(view.vessel(randomUUID())).toBeNull();
    expect(await metricValue(registry, ENTRIES_METRIC, { kind: 'vessel' })).toBe(0);
    // Idle fetches return every maxWaitTimeMs (250), well within the allowed silence.
    await sleep(2_000);
    expect(view.isCaughtUp()).toBe(true);
  });

  it('fails to start, naming the topic, when a registry topic does not exist', async () => {
    const { view } = newView(uniqueTopics());

    await expect(view.start()).rejects.toThrow(
      /cannot read the offsets of registry topic test\.fleet\.vessels-/,
    );
    expect(view.isCaughtUp()).toBe(false);
  });

  it('applies states published after it started, newest version first', async () => {
    const topics = await registryTopics();
    const { view } = newView(topics);
    await view.start();
    const vessel = vesselState({ version: 3, name: 'Third' });

    await publishVessels(topics, [vessel]);
    await waitUntil('the vessel', () => view.vessel(vessel.id) !== null);
    expect(view.vessel(vessel.id)?.name).toBe('Third');

    // An older version published later (out of order) is ignored; a newer one is taken.
    await publishVessels(topics, [
      { ...vessel, version: 2, name: 'Second' },
      { ...vessel, version: 4, name: 'Fourth' },
    ]);
    await waitUntil('version 4', () => view.vessel(vessel.id)?.version === 4);
    expect(view.vessel(vessel.id)?.name).toBe('Fourth');
  });

  it('answers whether a vessel belongs to a tenant: true for its owner only, false when unknown', async () => {
    const topics = await registryTopics();
    const vessel = vesselState();
    await publishVessels(topics, [vessel]);
    const { view } = newView(topics);
    await view.start();

    expect(view.vesselBelongsTo(vessel.id, vessel.tenantId)).toBe(true);
    expect(view.vesselBelongsTo(vessel.id, randomUUID())).toBe(false);
    expect(view.vesselBelongsTo(randomUUID(), vessel.tenantId)).toBe(false);
  });

  it('stops accepting a device key within 5 s of its revocation being published', async () => {
    const topics = await registryTopics();
    const vessel = vesselState();
    const keys = Array.from({ length: 5 }, () => deviceKeyFor(vessel));
    await publishVessels(topics, [vessel]);
    await publishKeys(
      topics,
      keys.map(({ state }) => state),
    );
    const { view } = newView(topics);
    await view.start();

    const latenciesMs: number[] = [];
    for (const { key, state } of keys) {
      expect(view.verifyDeviceKey(key)).not.toBeNull();
      // Measured from before the publish: the whole way from the fleet service's send to the view.
      const revokedAt = performance.now();
      await publishKeys(topics, [revoked(state)]);
      await waitUntil('the revocation', () => view.verifyDeviceKey(key) === null, 10_000);
      latenciesMs.push(performance.now() - revokedAt);
      // Let the consumer settle into an idle long-poll, the usual case for a revocation.
      await sleep(300);
    }

    console.log(`revocation latencies (ms): ${latenciesMs.map((ms) => ms.toFixed(1)).join(', ')}`);
    expect(Math.max(...latenciesMs)).toBeLessThan(5_000);
  });

  it('rejects a wrong secret, an unknown key id and a malformed key', async () => {
    const topics = await registryTopics();
    const vessel = vesselState();
    const { key, state } = deviceKeyFor(vessel);
    await publishVessels(topics, [vessel]);
    await publishKeys(topics, [state]);
    const { view } = newView(topics);
    await view.start();
    const { key: unknownKey } = deviceKeyFor(vessel);

    expect(view.verifyDeviceKey(key)).not.toBeNull();
    expect(view.verifyDeviceKey(`fwdk_${state.id}.${unknownKey.split('.')[1] ?? ''}`)).toBeNull();
    expect(view.verifyDeviceKey(unknownKey)).toBeNull();
    expect(view.verifyDeviceKey('fwdk_tooshort.secret')).toBeNull();
    expect(view.verifyDeviceKey(`DeviceKey ${key}`)).toBeNull();
    expect(view.verifyDeviceKey('')).toBeNull();
  });

  it('rejects the keys of an archived vessel and accepts a key whose vessel arrives after it', async () => {
    const topics = await registryTopics();
    const vessel = vesselState();
    const { key, state } = deviceKeyFor(vessel);
    await publishKeys(topics, [state]);
    const { view } = newView(topics);
    await view.start();
    expect(view.verifyDeviceKey(key)).toBeNull();

    await publishVessels(topics, [vessel]);
    await waitUntil('the key to work', () => view.verifyDeviceKey(key) !== null);

    await publishVessels(topics, [{ ...vessel, archived: true, version: 2 }]);
    await waitUntil('the key to stop working', () => view.verifyDeviceKey(key) === null);
  });

  it('skips and counts undecodable messages, and goes on with the states after them', async () => {
    const topics = await registryTopics();
    const { view, registry } = newView(topics);
    await view.start();
    const vessel = vesselState();
    const { key, state } = deviceKeyFor(vessel);
    const wrongType = { ...vesselEnvelope(vessel), type: DEVICE_KEY_STATE_EVENT };
    const newerVersion = { ...vesselEnvelope(vessel), version: REGISTRY_EVENT_VERSION + 1 };
    const badData = { ...vesselEnvelope(vessel), data: { ...vessel, imo: 'not an IMO number' } };

    // Same key as the valid state that follows, so the same partition: they are read before it.
    await producer.publishRaw(topics.vessels, [
      { key: vessel.id, value: 'not JSON' },
      { key: vessel.id, value: JSON.stringify(wrongType) },
      { key: vessel.id, value: JSON.stringify(newerVersion) },
      { key: vessel.id, value: JSON.stringify(badData) },
    ]);
    await producer.publishRaw(topics.deviceKeys, [{ key: state.id, value: '{"id": 1}' }]);
    await publishVessels(topics, [vessel]);
    await publishKeys(topics, [state]);

    await waitUntil('the valid states', () => view.verifyDeviceKey(key) !== null);
    expect(view.vessel(vessel.id)?.imo).toBe(vessel.imo);
    expect(await metricValue(registry, INVALID_MESSAGES_METRIC, { kind: 'vessel' })).toBe(4);
    expect(await metricValue(registry, INVALID_MESSAGES_METRIC, { kind: 'device_key' })).toBe(1);
    expect(view.isCaughtUp()).toBe(true);
  });

  it('erases a vessel or key on a tombstone', async () => {
    const topics = await registryTopics();
    const vessel = vesselState();
    const other = vesselState();
    const { key, state } = deviceKeyFor(other);
    await publishVessels(topics, [vessel, other]);
    await publishKeys(topics, [state]);
    const { view, registry } = newView(topics);
    await view.start();
    expect(view.verifyDeviceKey(key)).not.toBeNull();

    await producer.publishRaw(topics.vessels, [{ key: vessel.id, value: null }]);
    await producer.publishRaw(topics.deviceKeys, [{ key: state.id, value: null }]);

    await waitUntil('the vessel to go', () => view.vessel(vessel.id) === null);
    await waitUntil('the key to go', () => view.verifyDeviceKey(key) === null);
    expect(await metricValue(registry, ENTRIES_METRIC, { kind: 'vessel' })).toBe(1);
    expect(await metricValue(registry, ENTRIES_METRIC, { kind: 'device_key' })).toBe(0);
    expect(await metricValue(registry, INVALID_MESSAGES_METRIC, { kind: 'vessel' })).toBeUndefined();
  });

  it('commits no offsets and leaves an empty group behind when it stops', async () => {
    const topics = await registryTopics(2);
    await publishVessels(topics, [vesselState(), vesselState(), vesselState()]);
    const { view, instanceId } = newView(topics);
    await view.start();
    await view.stop();

    const admin = kafka.admin();
    await admin.connect();
    try {
      const groupId = `fleet-registry-view-${instanceId}`;
      const offsets = await admin.fetchOffsets({ groupId, topics: [topics.vessels, topics.deviceKeys] });
      const committed = offsets.flatMap(({ partitions }) => partitions.map(({ offset }) => offset));
      expect(committed).toEqual(['-1', '-1', '-1', '-1']);
      const { groups } = await admin.describeGroups([groupId]);
      expect(groups[0]?.members).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });

  it('refuses to start when a running view already uses its instanceId, which then recovers', async () => {
    const topics = await registryTopics(1);
    const vessel = vesselState();
    const { key, state } = deviceKeyFor(vessel);
    await publishVessels(topics, [vessel]);
    await publishKeys(topics, [state]);
    const { view: first, instanceId } = newView(topics);
    await first.start();
    const { view: second } = newView(topics, instanceId);

    await expect(second.start()).rejects.toThrow(/another running process uses the same instanceId/);

    // The second one left the group on failing; the first gets every partition back.
    await waitUntil('the first view to be caught up again', () => first.isCaughtUp(), 30_000);
    expect(first.verifyDeviceKey(key)).not.toBeNull();
  });

  it('is no longer caught up, and verifies no key, once stopped', async () => {
    const topics = await registryTopics();
    const vessel = vesselState();
    const { key, state } = deviceKeyFor(vessel);
    await publishVessels(topics, [vessel]);
    await publishKeys(topics, [state]);
    const { view } = newView(topics);
    await view.start();
    expect(view.verifyDeviceKey(key)).not.toBeNull();

    await view.stop();

    expect(view.isCaughtUp()).toBe(false);
    expect(view.verifyDeviceKey(key)).toBeNull();
    await expect(view.start()).rejects.toThrow(/starts once/);
  });
});

describe('ensureRegistryTopics', () => {
  it('creates both topics compacted and leaves them as they are the second time', async () => {
    const topics = uniqueTopics();

    expect(await ensureRegistryTopics(kafka, { topics, numPartitions: 2 })).toEqual([
      topics.vessels,
      topics.deviceKeys,
    ]);
    expect(await ensureRegistryTopics(kafka, { topics, numPartitions: 2 })).toEqual([]);

    const admin = kafka.admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [topics.vessels, topics.deviceKeys].map((name) => ({
          type: 2, // ConfigResourceTypes.TOPIC
          name,
          configNames: ['cleanup.policy', 'segment.ms', 'min.compaction.lag.ms'],
        })),
      });
      for (const { configEntries } of resources) {
        const config = Object.fromEntries(
          configEntries.map((entry) => [entry.configName, entry.configValue]),
        );
        expect(config).toEqual({
          'cleanup.policy': 'compact',
          'segment.ms': '3600000',
          'min.compaction.lag.ms': '3600000',
        });
      }
      const metadata = await admin.fetchTopicMetadata({ topics: [topics.vessels] });
      expect(metadata.topics[0]?.partitions).toHaveLength(2);
    } finally {
      await admin.disconnect();
    }
  });

  it('refuses registry topics that exist without compaction', async () => {
    const topics = uniqueTopics();
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [{ topic: topics.vessels, numPartitions: 1 }],
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }

    await expect(ensureRegistryTopics(kafka, { topics })).rejects.toThrow(
      `cleanup.policy=compact, and these exist without it: ${topics.vessels} (cleanup.policy=delete)`,
    );
  });
});
