import { randomUUID } from 'node:crypto';
import { createProducer, type MessageProducer } from '@fleetwatch/messaging';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PUBLISHED_METRIC, RELAY_ACTIVE_METRIC, createOutboxRelay, type OutboxRelay } from '../src/index.js';
import {
  adminPool,
  appPool,
  createOutboxSchema,
  createTopics,
  deleteTopics,
  dropSchema,
  metricValue,
  outboxRowCount,
  readTopics,
  saveVessel,
  testKafka,
  vesselEvent,
  waitUntil,
  type TopicReader,
} from './helpers.js';

const admin = adminPool();
const app = appPool();
const kafka = testKafka();
const topics: string[] = [];
const relays: OutboxRelay[] = [];
let schema: string;
let producer: MessageProducer;
const readers: TopicReader[] = [];

beforeAll(async () => {
  schema = await createOutboxSchema();
  producer = createProducer(kafka);
  await producer.connect();
});

afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  await Promise.all(readers.splice(0).map((reader) => reader.stop()));
});

afterAll(async () => {
  await producer?.disconnect();
  await deleteTopics(kafka, topics);
  if (schema) await dropSchema(admin, schema);
  await Promise.all([admin.end(), app.end()]);
});

/** Commits `count` events, numbered from `firstSeq`, spread over the vessels, one transaction each. */
async function commitEvents(
  topic: string,
  vessels: string[],
  firstSeq: number,
  count: number,
): Promise<void> {
  for (let seq = firstSeq; seq < firstSeq + count; seq += 1) {
    const vessel = vessels[seq % vessels.length]!;
    await saveVessel(app, schema, vessel, seq, [vesselEvent(topic, vessel, seq)]);
  }
}

const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

function relayOn(registry: Registry): OutboxRelay {
  const relay = createOutboxRelay({
    pool: app,
    schema,
    producer,
    registry,
    pollIntervalMs: 100,
    lockRetryIntervalMs: 200,
  });
  relays.push(relay);
  return relay;
}

async function newTopicAndReader(): Promise<[string, TopicReader]> {
  const [topic] = await createTopics(kafka, 1);
  if (topic === undefined) throw new Error('no topic created');
  topics.push(topic);
  const reader = await readTopics(kafka, [topic]);
  readers.push(reader);
  return [topic, reader];
}

async function activeRelays(...registries: Registry[]): Promise<number> {
  const values = await Promise.all(
    registries.map((registry) => metricValue(registry, RELAY_ACTIVE_METRIC, schema)),
  );
  return values.reduce<number>((sum, value) => sum + (value ?? 0), 0);
}

const outboxIsEmpty = async (): Promise<boolean> => (await outboxRowCount(admin, schema)) === 0;

describe('two relays on one schema', () => {
  it('only one is active, each event goes out once and in order, and the standby takes over', async () => {
    const [topic, reader] = await newTopicAndReader();
    const vessels = [randomUUID(), randomUUID(), randomUUID()];
    const [first, second] = [new Registry(), new Registry()];
    const active = relayOn(first);
    await active.start();
    const standby = relayOn(second);
    await standby.start();
    expect(await metricValue(first, RELAY_ACTIVE_METRIC, schema)).toBe(1);
    expect(await metricValue(second, RELAY_ACTIVE_METRIC, schema)).toBe(0);

    await commitEvents(topic, vessels, 1, 20);
    await reader.waitFor(20);
    await waitUntil('the outbox to be empty', outboxIsEmpty);
    // Events published twice would have come with or before the last one; the counters say who sent.
    await commitEvents(topic, vessels, 21, 1);
    await reader.waitFor(21);
    expect(reader.messages.map(({ envelope }) => envelope.data.seq)).toEqual(range(1, 21));
    expect(await metricValue(first, PUBLISHED_METRIC, schema)).toBe(21);
    expect(await metricValue(second, PUBLISHED_METRIC, schema)).toBe(0);

    await active.stop();
    await waitUntil(
      'the standby to take over',
      async () => (await metricValue(second, RELAY_ACTIVE_METRIC, schema)) === 1,
      10_000,
    );
    await commitEvents(topic, vessels, 22, 5);
    await reader.waitFor(26);
    await waitUntil('the outbox to be empty', outboxIsEmpty);

    expect(reader.messages.map(({ envelope }) => envelope.data.seq)).toEqual(range(1, 26));
    expect(await metricValue(first, RELAY_ACTIVE_METRIC, schema)).toBe(0);
    expect(await metricValue(second, PUBLISHED_METRIC, schema)).toBe(5);
  });

  it('a standby takes over when the database session of the active relay dies, and the lock with it', async () => {
    const [topic, reader] = await newTopicAndReader();
    const vessels = [randomUUID(), randomUUID()];
    const [first, second] = [new Registry(), new Registry()];
    await relayOn(first).start();
    await relayOn(second).start();
    await commitEvents(topic, vessels, 1, 5);
    await reader.waitFor(5);

    // As when the process or its network dies: the server ends the session that holds the lock.
    const { rows } = await admin.query<{ terminated: boolean }>(
      `SELECT pg_terminate_backend(pid) AS terminated FROM pg_locks
       WHERE locktype = 'advisory' AND granted AND objsubid = 1
         AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)`,
      [`fleetwatch-outbox-relay:${schema}`],
    );
    expect(rows).toEqual([{ terminated: true }]);
    await commitEvents(topic, vessels, 6, 5);

    await reader.waitFor(10);
    await waitUntil('the outbox to be empty', outboxIsEmpty);
    // At least once: the kill may come between publishing and deleting, so a repeat is allowed.
    const seqs = reader.messages.map(({ envelope }) => envelope.data.seq);
    expect(new Set(seqs)).toEqual(new Set(range(1, 10)));
    expect(seqs.slice(0, 5)).toEqual(range(1, 5));
    expect(await activeRelays(first, second)).toBe(1);
  });
});
