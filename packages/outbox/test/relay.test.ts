import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createProducer, type MessageProducer } from '@fleetwatch/messaging';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  OLDEST_PENDING_AGE_METRIC,
  PENDING_METRIC,
  PUBLISHED_METRIC,
  PUBLISH_FAILURES_METRIC,
  createOutboxRelay,
  type OutboxRelay,
  type OutboxRelayOptions,
} from '../src/index.js';
import {
  adminPool,
  appPool,
  createOutboxSchema,
  createTopics,
  deferred,
  deleteTopics,
  dropSchema,
  failingProducer,
  metricValue,
  outboxRowCount,
  readTopics,
  saveVessel,
  settledWithin,
  testKafka,
  vesselEvent,
  waitUntil,
  type TopicReader,
} from './helpers.js';

const admin = adminPool();
const app = appPool();
const kafka = testKafka();
const topics: string[] = [];
const readers: TopicReader[] = [];
const relays: OutboxRelay[] = [];
let schema: string;
let producer: MessageProducer;

async function newTopics(count: number): Promise<string[]> {
  const created = await createTopics(kafka, count);
  topics.push(...created);
  return created;
}

async function read(...ofTopics: string[]): Promise<TopicReader> {
  const reader = await readTopics(kafka, ofTopics);
  readers.push(reader);
  return reader;
}

function relayWith(options: Partial<OutboxRelayOptions> = {}): OutboxRelay {
  const relay = createOutboxRelay({ pool: app, schema, producer, registry: new Registry(), ...options });
  relays.push(relay);
  return relay;
}

const outboxIsEmpty = async (): Promise<boolean> => (await outboxRowCount(admin, schema)) === 0;

beforeAll(async () => {
  schema = await createOutboxSchema();
  producer = createProducer(kafka);
  await producer.connect();
});

// Every test starts with no relay running and an empty outbox: they share the schema.
afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  await admin.query(`DELETE FROM ${schema}.outbox`);
});

afterAll(async () => {
  await Promise.all(readers.map((reader) => reader.stop()));
  await producer?.disconnect();
  await deleteTopics(kafka, topics);
  if (schema) await dropSchema(admin, schema);
  await Promise.all([admin.end(), app.end()]);
});

describe('createOutboxRelay', () => {
  it('publishes rows written before it started, in order, and leaves the table empty', async () => {
    const [topic] = await newTopics(1);
    const vessel = randomUUID();
    for (let seq = 1; seq <= 5; seq += 1) {
      await saveVessel(app, schema, vessel, seq, [vesselEvent(topic!, vessel, seq)]);
    }
    expect(await outboxRowCount(admin, schema)).toBe(5);

    const registry = new Registry();
    // Batches of 2: the backlog takes three rounds.
    await relayWith({ registry, batchSize: 2 }).start();

    const received = await (await read(topic!)).waitFor(5);
    expect(received.map(({ envelope }) => envelope.data.seq)).toEqual([1, 2, 3, 4, 5]);
    await waitUntil('the outbox to be empty', outboxIsEmpty);
    expect(await metricValue(registry, PUBLISHED_METRIC, schema)).toBe(5);
    expect(await metricValue(registry, PENDING_METRIC, schema)).toBe(0);
    expect(await metricValue(registry, OLDEST_PENDING_AGE_METRIC, schema)).toBe(0);
  });

  it('keeps the rows while publishing fails and publishes each of them once it works again', async () => {
    const [healthy, failing] = await newTopics(2);
    const vessel = randomUUID();
    const kafkaDown = failingProducer(producer, failing!);
    const registry = new Registry();
    await relayWith({ registry, producer: kafkaDown.producer }).start();

    // One transaction, three sends: healthy (1), failing (2), healthy (3).
    await saveVessel(app, schema, vessel, 1, [
      vesselEvent(healthy!, vessel, 1),
      vesselEvent(failing!, vessel, 2),
      vesselEvent(healthy!, vessel, 3),
    ]);
    await waitUntil('three failed attempts', () => kafkaDown.failures() >= 3);

    // What Kafka acknowledged before the failure is gone; the rest waits, in order.
    const { rows } = await admin.query<{ topic: string }>(`SELECT topic FROM ${schema}.outbox ORDER BY id`);
    expect(rows.map(({ topic }) => topic)).toEqual([failing, healthy]);
    expect(await metricValue(registry, PENDING_METRIC, schema)).toBe(2);
    expect(await metricValue(registry, OLDEST_PENDING_AGE_METRIC, schema)).toBeGreaterThan(0);
    expect(await metricValue(registry, PUBLISH_FAILURES_METRIC, schema)).toBeGreaterThanOrEqual(3);

    kafkaDown.heal();
    await waitUntil('the outbox to be empty', outboxIsEmpty);
    const reader = await read(healthy!, failing!);
    await reader.waitFor(3);
    const seqsOn = (topic: string | undefined): number[] =>
      reader.messages.filter((message) => message.topic === topic).map(({ envelope }) => envelope.data.seq);
    expect(seqsOn(healthy)).toEqual([1, 3]);
    expect(seqsOn(failing)).toEqual([2]);
    expect(await metricValue(registry, PUBLISHED_METRIC, schema)).toBe(3);
  });

  it('publishes within moments of the commit, woken by NOTIFY rather than by its 60 s poll', async () => {
    const [topic] = await newTopics(1);
    const vessel = randomUUID();
    await relayWith({ pollIntervalMs: 60_000 }).start();

    const committedAt = Date.now();
    await saveVessel(app, schema, vessel, 1, [vesselEvent(topic!, vessel, 1)]);
    // Rows are deleted once Kafka acknowledged them.
    await waitUntil('the row to be published', outboxIsEmpty, 10_000);
    const latencyMs = Date.now() - committedAt;

    expect(latencyMs).toBeLessThan(2_000);
    const [received] = await (await read(topic!)).waitFor(1);
    expect(received?.key).toBe(vessel);
  });

  it('stop() lets the batch in flight finish, deletes what it published and then stops', async () => {
    const [topic] = await newTopics(1);
    const vessel = randomUUID();
    const kafkaAnswers = deferred();
    let publishing = false;
    const slowProducer: MessageProducer = {
      ...producer,
      publishRaw: async (toTopic, messages) => {
        publishing = true;
        await kafkaAnswers.promise;
        return producer.publishRaw(toTopic, messages);
      },
    };
    const relay = relayWith({ producer: slowProducer });
    await relay.start();
    await saveVessel(app, schema, vessel, 1, [vesselEvent(topic!, vessel, 1)]);
    await waitUntil('the relay to publish', () => publishing);

    const stopped = relay.stop();
    expect(await settledWithin(stopped, 300)).toBe('pending');
    kafkaAnswers.resolve();
    await stopped;

    expect(await outboxRowCount(admin, schema)).toBe(0);
    const received = await (await read(topic!)).waitFor(1);
    expect(received.map(({ key }) => key)).toEqual([vessel]);
    // Stopped: a later commit stays in the outbox.
    await saveVessel(app, schema, vessel, 2, [vesselEvent(topic!, vessel, 2)]);
    await sleep(1_000);
    expect(await outboxRowCount(admin, schema)).toBe(1);
  });

  it('refuses options that cannot work', () => {
    expect(() => createOutboxRelay({ pool: app, schema: 'Fleet', producer })).toThrow(/schema must be/);
    expect(() => createOutboxRelay({ pool: app, schema, producer, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => createOutboxRelay({ pool: app, schema, producer, pollIntervalMs: -1 })).toThrow(
      /pollIntervalMs/,
    );
  });

  it('start() rejects when the outbox table does not exist', async () => {
    const relay = relayWith({ schema: 'outbox_test_missing' });
    await expect(relay.start()).rejects.toThrow(/outbox_test_missing/);
  });
});
