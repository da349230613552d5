import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createEnvelope, createKafka, type Envelope } from '@fleetwatch/messaging';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import { inject } from 'vitest';
import {
  DEVICE_KEY_STATE_EVENT,
  REGISTRY_EVENT_VERSION,
  VESSEL_STATE_EVENT,
  type DeviceKeyState,
  type RegistryTopics,
  type VesselState,
} from '../src/index.js';

/** Topic and group names are unique per test: the broker is shared with other test runs. */
export const uniqueName = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

export function testKafka(): Kafka {
  return createKafka({ clientId: uniqueName('fleet-registry-test'), brokers: inject('kafkaBrokers') });
}

export function uniqueTopics(): RegistryTopics {
  const suffix = randomUUID().slice(0, 8);
  return { vessels: `test.fleet.vessels-${suffix}`, deviceKeys: `test.fleet.device-keys-${suffix}` };
}

export function vesselEnvelope(state: VesselState): Envelope<VesselState> {
  return createEnvelope({
    type: VESSEL_STATE_EVENT,
    version: REGISTRY_EVENT_VERSION,
    tenant: state.tenantId,
    data: state,
  });
}

export function deviceKeyEnvelope(state: DeviceKeyState): Envelope<DeviceKeyState> {
  return createEnvelope({
    type: DEVICE_KEY_STATE_EVENT,
    version: REGISTRY_EVENT_VERSION,
    tenant: state.tenantId,
    data: state,
  });
}

/** Polls until `condition` holds, failing with `what` after the deadline. */
export async function waitUntil(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** The value of one series of a metric, or undefined when it has none. */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return undefined;
  const { values } = await metric.get();
  return values.find((sample) =>
    Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
  )?.value;
}
