/**
 * For services' tests: a fleet registry on fresh topics of a real Kafka broker, with a read model on
 * it, and helpers that publish vessels and device keys the way the fleet service does.
 */
import { createEnvelope, createProducer, type MessageProducer } from '@fleetwatch/messaging';
import type { Kafka } from 'kafkajs';
import { randomInt, randomUUID } from 'node:crypto';
import {
  DEVICE_KEY_STATE_EVENT,
  REGISTRY_EVENT_VERSION,
  VESSEL_STATE_EVENT,
  type VesselState,
} from './contracts.js';
import { generateDeviceKey } from './device-keys.js';
import { ensureRegistryTopics, type RegistryTopics } from './topics.js';
import { createFleetRegistryView, type FleetRegistryView } from './view.js';

export interface TestVessel {
  id: string;
  tenantId: string;
  mmsi: string;
  imo: string;
  deviceKey: string;
  deviceKeyId: string;
}

export interface RegistryFixture {
  registry: FleetRegistryView;
  topics: RegistryTopics;
  producer: MessageProducer;
  /** Publishes a vessel with a device key (of a new tenant unless given) and waits until the view has both. */
  addVessel: (tenantId?: string, overrides?: Partial<VesselState>) => Promise<TestVessel>;
  /** Publishes a changed state of the vessel (version 2, 3, …) and waits until the view has it. */
  updateVessel: (vessel: TestVessel, changes: Partial<VesselState> & { version: number }) => Promise<void>;
  revokeKey: (vessel: TestVessel) => Promise<void>;
  close(): Promise<void>;
}

async function waitUntil(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function startRegistryFixture(kafka: Kafka, name: string): Promise<RegistryFixture> {
  const suffix = randomUUID().slice(0, 8);
  const topics = { vessels: `test.fleet.vessels.${suffix}`, deviceKeys: `test.fleet.device-keys.${suffix}` };
  await ensureRegistryTopics(kafka, { numPartitions: 1, topics });
  const producer = createProducer(kafka);
  await producer.connect();
  const registry = createFleetRegistryView({ kafka, instanceId: `${name}-${suffix}`, topics });
  await registry.start();
  const hashes = new Map<string, string>();

  const publishKey = async (vessel: TestVessel, revoked: boolean) => {
    const now = new Date().toISOString();
    await producer.publish(topics.deviceKeys, [
      {
        key: vessel.deviceKeyId,
        value: createEnvelope({
          type: DEVICE_KEY_STATE_EVENT,
          version: REGISTRY_EVENT_VERSION,
          tenant: vessel.tenantId,
          data: {
            id: vessel.deviceKeyId,
            tenantId: vessel.tenantId,
            vesselId: vessel.id,
            secretHash: hashes.get(vessel.deviceKeyId) ?? '',
            revoked,
            createdAt: now,
            revokedAt: revoked ? now : null,
          },
        }),
      },
    ]);
  };

  const states = new Map<string, VesselState>();
  const publishVessel = async (state: VesselState) => {
    states.set(state.id, state);
    await producer.publish(topics.vessels, [
      {
        key: state.id,
        value: createEnvelope({
          type: VESSEL_STATE_EVENT,
          version: REGISTRY_EVENT_VERSION,
          tenant: state.tenantId,
          data: state,
        }),
      },
    ]);
  };

  return {
    registry,
    topics,
    producer,
    addVessel: async (tenantId = randomUUID(), overrides = {}) => {
      const key = generateDeviceKey();
      const vessel: TestVessel = {
        id: randomUUID(),
        tenantId,
        mmsi: `2${String(randomInt(100_000_000)).padStart(8, '0')}`,
        imo: '9074729',
        deviceKey: key.key,
        deviceKeyId: key.id,
      };
      hashes.set(key.id, key.secretHash);
      const state: VesselState = {
        id: vessel.id,
        tenantId,
        imo: vessel.imo,
        mmsi: vessel.mmsi,
        name: 'Test Vessel',
        shipType: 'bulk-carrier',
        flag: 'NO',
        status: 'active',
        dwt: 80_000,
        gt: 43_000,
        archived: false,
        version: 1,
        updatedAt: new Date().toISOString(),
        ...overrides,
      };
      await publishVessel(state);
      await publishKey(vessel, false);
      await waitUntil('the registry view has the key', () => registry.verifyDeviceKey(key.key) !== null);
      return vessel;
    },
    updateVessel: async (vessel, changes) => {
      const current = states.get(vessel.id);
      if (!current) throw new Error(`vessel ${vessel.id} was not added by this fixture`);
      await publishVessel({ ...current, updatedAt: new Date().toISOString(), ...changes });
      await waitUntil('the registry view has the vessel state', () => {
        return registry.vessel(vessel.id)?.version === changes.version;
      });
    },
    revokeKey: async (vessel) => {
      await publishKey(vessel, true);
      await waitUntil(
        'the registry view has the revocation',
        () => registry.verifyDeviceKey(vessel.deviceKey) === null,
      );
    },
    close: async () => {
      await registry.stop();
      await producer.disconnect();
    },
  };
}
