import { createKafka } from '@fleetwatch/messaging';
import { Value } from '@sinclair/typebox/value';
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { ensureRunningHoursTopic, RUNNING_HOURS_TOPIC, RunningHoursData } from '../src/index.js';

const event: RunningHoursData = {
  eventId: randomUUID(),
  tenantId: randomUUID(),
  vesselId: randomUUID(),
  engine: 'main',
  runningHours: 12_345.5,
  counterSeconds: 44_443_800,
  observedAt: '2026-03-01T12:00:00.000Z',
  counterReset: false,
};

describe('RunningHoursData', () => {
  it('accepts an event as the writer publishes it', () => {
    expect(Value.Check(RunningHoursData, event)).toBe(true);
  });

  it.each([
    ['a tenant that is not a uuid', { tenantId: 'acme' }],
    ['an empty engine id', { engine: '' }],
    ['negative hours', { runningHours: -1 }],
    ['a missing counterReset', { counterReset: undefined }],
  ])('refuses %s', (_name, change) => {
    expect(Value.Check(RunningHoursData, { ...event, ...change })).toBe(false);
  });
});

describe('ensureRunningHoursTopic', () => {
  it('creates the topic with deletion by age, and is idempotent', async () => {
    const kafka = createKafka({ clientId: 'performance-events-test', brokers: inject('kafkaBrokers') });
    await ensureRunningHoursTopic(kafka, 2);
    await ensureRunningHoursTopic(kafka, 2);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        resources: [{ type: 2, name: RUNNING_HOURS_TOPIC, configNames: ['cleanup.policy', 'retention.ms'] }],
        includeSynonyms: false,
      });
      const config = Object.fromEntries(
        (resources[0]?.configEntries ?? []).map((entry) => [entry.configName, entry.configValue]),
      );
      expect(config).toEqual({ 'cleanup.policy': 'delete', 'retention.ms': String(30 * 86_400_000) });
    } finally {
      await admin.disconnect();
    }
  });
});
