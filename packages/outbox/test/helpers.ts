import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPool, migrate, withTransaction } from '@fleetwatch/db';
import {
  createEnvelope,
  createKafka,
  decodeEnvelope,
  ensureTopics,
  type Envelope,
  type MessageProducer,
} from '@fleetwatch/messaging';
import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import { inject } from 'vitest';
import { enqueueOutbox, type OutboxMessage } from '../src/index.js';

export const migrationsDir = path.join(import.meta.dirname, 'fixtures/migrations');

/** Schema, topic and group names are unique per test file or test: PostgreSQL and Kafka are shared. */
export const uniqueName = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

function pool(connectionString: string, max: number): pg.Pool {
  return createPool({
    connectionString,
    applicationName: 'outbox-tests',
    max,
    // An idle connection failing would be a bug in these tests: surface it as an uncaught error.
    onError: (error) => {
      throw error;
    },
  });
}

/** As the services connect: the app role. The relays and the writing transactions use it. */
export const appPool = (max = 10): pg.Pool => pool(inject('databaseUrl'), max);

/** The owner, for migrations and for looking at the outbox table. */
export const adminPool = (): pg.Pool => pool(inject('adminDatabaseUrl'), 3);

/** A new schema with the fixture migration (the outbox table and `vessels`) applied. */
export async function createOutboxSchema(): Promise<string> {
  const schema = `outbox_test_${randomBytes(4).toString('hex')}`;
  await migrate({ databaseUrl: inject('adminDatabaseUrl'), schema, dir: migrationsDir });
  return schema;
}

export async function dropSchema(admin: pg.Pool, schema: string): Promise<void> {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

export async function outboxRowCount(admin: pg.Pool, schema: string): Promise<number> {
  const { rows } = await admin.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM ${schema}.outbox`,
  );
  return rows[0]?.count ?? 0;
}

export function testKafka(): Kafka {
  return createKafka({ clientId: uniqueName('outbox-test'), brokers: inject('kafkaBrokers') });
}

/** Single-partition topics, so the order on the topic is the order of publishing. */
export async function createTopics(kafka: Kafka, count: number): Promise<string[]> {
  const topics = Array.from({ length: count }, () => uniqueName('outbox-test'));
  await ensureTopics(
    kafka,
    topics.map((topic) => ({ topic, numPartitions: 1 })),
  );
  return topics;
}

export async function deleteTopics(kafka: Kafka, topics: string[]): Promise<void> {
  if (topics.length === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

/** Polls until `condition` holds, failing with `what` after the deadline. */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

export interface VesselEvent {
  vesselId: string;
  seq: number;
}

export function vesselEvent(topic: string, vesselId: string, seq: number): OutboxMessage {
  return {
    topic,
    key: vesselId,
    value: createEnvelope<VesselEvent>({ type: 'test.vessel.updated', version: 1, data: { vesselId, seq } }),
  };
}

/** The business change and its events in one transaction, as a service writes them. */
export async function saveVessel(
  app: pg.Pool,
  schema: string,
  vesselId: string,
  version: number,
  events: OutboxMessage[],
): Promise<void> {
  await withTransaction(app, async (client) => {
    await client.query(
      `INSERT INTO ${schema}.vessels (id, name, version) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version`,
      [vesselId, `vessel ${version}`, version],
    );
    await enqueueOutbox(client, schema, events);
  });
}

export interface ReceivedMessage {
  topic: string;
  key: string | null;
  envelope: Envelope<VesselEvent>;
  headers: Record<string, string>;
}

export interface TopicReader {
  /** Everything received so far, in arrival order (per topic, the order on the topic). */
  messages: ReceivedMessage[];
  /** Waits until at least `count` messages arrived; returns them. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  stop(): Promise<void>;
}

/** Reads the topics from the beginning with a plain kafkajs consumer, until stopped. */
export async function readTopics(kafka: Kafka, topics: string[]): Promise<TopicReader> {
  const messages: ReceivedMessage[] = [];
  // A short fetch wait: disconnect() waits for the fetch in flight.
  const consumer = kafka.consumer({ groupId: uniqueName('outbox-reader'), maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) {
        const last = Array.isArray(value) ? value.at(-1) : value;
        if (last !== undefined) headers[name] = last.toString();
      }
      messages.push({
        topic,
        key: message.key === null ? null : message.key.toString(),
        envelope: decodeEnvelope(message.value) as Envelope<VesselEvent>,
        headers,
      });
    },
  });
  return {
    messages,
    async waitFor(count, timeoutMs = 30_000) {
      await waitUntil(`${count} messages on ${topics.join(', ')}`, () => messages.length >= count, timeoutMs);
      return [...messages];
    },
    stop: () => consumer.disconnect(),
  };
}

/** The value of a metric's series for one schema, read as a scrape would (collect() runs). */
export async function metricValue(
  registry: Registry,
  name: string,
  schema: string,
): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return undefined;
  const { values } = await metric.get();
  return values.find(({ labels }) => labels.schema === schema)?.value;
}

/** A producer whose publishRaw fails for one topic until heal() is called, as if Kafka were down. */
export function failingProducer(
  inner: MessageProducer,
  failingTopic: string,
): { producer: MessageProducer; failures(): number; heal(): void } {
  let failures = 0;
  let healed = false;
  return {
    producer: {
      connect: () => inner.connect(),
      disconnect: () => inner.disconnect(),
      publish: (topic, messages) => inner.publish(topic, messages),
      publishRaw: async (topic, messages) => {
        if (!healed && topic === failingTopic) {
          failures += 1;
          throw new Error('KafkaJSConnectionError: Connection error: connect ECONNREFUSED (injected)');
        }
        return inner.publishRaw(topic, messages);
      },
    },
    failures: () => failures,
    heal: () => {
      healed = true;
    },
  };
}

/** A promise with its resolve function, for steps the test releases. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** 'pending' when the promise has not settled within ms. */
export async function settledWithin(promise: Promise<unknown>, ms: number): Promise<'settled' | 'pending'> {
  return Promise.race([
    promise.then(
      () => 'settled' as const,
      () => 'settled' as const,
    ),
    sleep(ms).then(() => 'pending' as const),
  ]);
}
