import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { withTransaction } from '@fleetwatch/db';
import { EnvelopeError, createEnvelope, createProducer, type MessageProducer } from '@fleetwatch/messaging';
import type pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTBOX_TABLE_SQL, createOutboxRelay, enqueueOutbox, type OutboxRelay } from '../src/index.js';
import {
  adminPool,
  appPool,
  createOutboxSchema,
  createTopics,
  deleteTopics,
  dropSchema,
  migrationsDir,
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
let schema: string;
let producer: MessageProducer;
let relay: OutboxRelay;

async function newTopic(): Promise<string> {
  const [topic] = await createTopics(kafka, 1);
  if (topic === undefined) throw new Error('no topic created');
  topics.push(topic);
  return topic;
}

async function read(...readTopicsOf: string[]): Promise<TopicReader> {
  const reader = await readTopics(kafka, readTopicsOf);
  readers.push(reader);
  return reader;
}

interface OpenTransaction {
  client: pg.PoolClient;
  /** Runs COMMIT or ROLLBACK and releases the connection; later calls do nothing. */
  end(sql: 'COMMIT' | 'ROLLBACK'): Promise<void>;
}

/** A transaction on its own connection that the test ends when it chooses. */
async function openTransaction(): Promise<OpenTransaction> {
  const client = await app.connect();
  await client.query('BEGIN');
  let ended = false;
  return {
    client,
    async end(sql) {
      if (ended) return;
      ended = true;
      try {
        await client.query(sql);
      } finally {
        client.release();
      }
    },
  };
}

beforeAll(async () => {
  // What service-kit's telemetry sets up: W3C trace context and a context that follows async calls.
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

  schema = await createOutboxSchema();
  producer = createProducer(kafka);
  await producer.connect();
  relay = createOutboxRelay({ pool: app, schema, producer, registry: new Registry(), pollIntervalMs: 200 });
  await relay.start();
});

afterAll(async () => {
  await relay?.stop();
  await Promise.all(readers.map((reader) => reader.stop()));
  await producer?.disconnect();
  await deleteTopics(kafka, topics);
  if (schema) await dropSchema(admin, schema);
  await Promise.all([admin.end(), app.end()]);
  propagation.disable();
  context.disable();
});

describe('enqueueOutbox', () => {
  it('publishes the events of a committed transaction in order, with key, envelope and trace headers', async () => {
    const topic = await newTopic();
    const [first, second] = [randomUUID(), randomUUID()];
    const events = [
      vesselEvent(topic, first, 1),
      vesselEvent(topic, second, 2),
      vesselEvent(topic, first, 3),
    ];
    const tracer = new BasicTracerProvider().getTracer('outbox-test');

    const span = await tracer.startActiveSpan('PUT /vessels/:id', async (active) => {
      await saveVessel(app, schema, first, 1, events);
      active.end();
      return active.spanContext();
    });

    const received = await (await read(topic)).waitFor(3);
    expect(received.map(({ key, envelope }) => ({ key, envelope }))).toEqual(
      events.map(({ key, value }) => ({ key, envelope: value })),
    );
    for (const { headers } of received) {
      expect(headers.traceparent).toBe(`00-${span.traceId}-${span.spanId}-01`);
    }
    const { rows } = await admin.query(`SELECT version FROM ${schema}.vessels WHERE id = $1`, [first]);
    expect(rows).toEqual([{ version: 1 }]);
    await waitUntil('the outbox to be empty', async () => (await outboxRowCount(admin, schema)) === 0);
  });

  it('publishes nothing of a transaction that rolls back', async () => {
    const topic = await newTopic();
    const [discarded, kept] = [randomUUID(), randomUUID()];

    await expect(
      withTransaction(app, async (client) => {
        await client.query(`INSERT INTO ${schema}.vessels (id, name, version) VALUES ($1, 'discarded', 1)`, [
          discarded,
        ]);
        await enqueueOutbox(client, schema, [vesselEvent(topic, discarded, 1)]);
        throw new Error('the change failed after its event was enqueued');
      }),
    ).rejects.toThrow('the change failed');
    // The relay publishes in id order, so once this later event is on the topic, the rolled-back one
    // would have been there before it.
    await saveVessel(app, schema, kept, 1, [vesselEvent(topic, kept, 2)]);

    const reader = await read(topic);
    await reader.waitFor(1);
    await waitUntil('the outbox to be empty', async () => (await outboxRowCount(admin, schema)) === 0);
    expect(reader.messages.map(({ key }) => key)).toEqual([kept]);
    const { rows } = await admin.query(`SELECT id FROM ${schema}.vessels WHERE id = $1`, [discarded]);
    expect(rows).toEqual([]);
  });

  it('rejects an invalid envelope before it writes anything', async () => {
    const topic = await newTopic();
    const valid = vesselEvent(topic, randomUUID(), 1);
    const invalid = { ...valid, value: { ...valid.value, type: 'Not A Type' } };

    await expect(
      withTransaction(app, (client) => enqueueOutbox(client, schema, [valid, invalid])),
    ).rejects.toBeInstanceOf(EnvelopeError);
    expect(await outboxRowCount(admin, schema)).toBe(0);
  });

  it('rejects a schema that is not a plain lower-case identifier', async () => {
    const envelope = createEnvelope({ type: 'test.vessel.updated', version: 1, data: {} });
    await expect(
      withTransaction(app, (client) =>
        enqueueOutbox(client, 'Fleet; DROP TABLE x', [{ topic: 't', key: null, value: envelope }]),
      ),
    ).rejects.toThrow(/schema must be a lower-case SQL identifier/);
  });

  it('makes a second transaction with an event for the same key wait, so that key keeps commit order', async () => {
    const topic = await newTopic();
    const [vessel, otherVessel] = [randomUUID(), randomUUID()];
    const earlier = await openTransaction();
    const later = await openTransaction();
    const other = await openTransaction();
    try {
      await enqueueOutbox(earlier.client, schema, [vesselEvent(topic, vessel, 1)]);

      const laterEnqueued = enqueueOutbox(later.client, schema, [vesselEvent(topic, vessel, 2)]);
      // Another key is not held up.
      await enqueueOutbox(other.client, schema, [vesselEvent(topic, otherVessel, 3)]);
      await other.end('COMMIT');
      expect(await settledWithin(laterEnqueued, 300)).toBe('pending');

      await earlier.end('COMMIT');
      await laterEnqueued;
      await later.end('COMMIT');
    } finally {
      // Ends whatever a failed assertion left open.
      await Promise.allSettled([earlier, later, other].map((transaction) => transaction.end('ROLLBACK')));
    }

    const received = await (await read(topic)).waitFor(3);
    expect(received.filter(({ key }) => key === vessel).map(({ envelope }) => envelope.data.seq)).toEqual([
      1, 2,
    ]);
  });

  it('still publishes an event whose transaction took a lower id but committed after a higher one', async () => {
    const topic = await newTopic();
    const [slow, fast] = [randomUUID(), randomUUID()];
    const slowTransaction = await openTransaction();
    try {
      // Gets the lower id, then stays open while another transaction commits a higher one.
      await enqueueOutbox(slowTransaction.client, schema, [vesselEvent(topic, slow, 1)]);
      await saveVessel(app, schema, fast, 1, [vesselEvent(topic, fast, 2)]);
      const reader = await read(topic);
      await reader.waitFor(1);

      await slowTransaction.end('COMMIT');
      const received = await reader.waitFor(2);
      expect(received.map(({ key }) => key)).toEqual([fast, slow]);
    } finally {
      await slowTransaction.end('ROLLBACK');
    }
    await waitUntil('the outbox to be empty', async () => (await outboxRowCount(admin, schema)) === 0);
  });
});

describe('OUTBOX_TABLE_SQL', () => {
  it('is the table of the test migration and of the README', async () => {
    const [migration, readme] = await Promise.all([
      readFile(path.join(migrationsDir, '20250101000000000_create_vessels_and_outbox.sql'), 'utf8'),
      readFile(path.join(import.meta.dirname, '../README.md'), 'utf8'),
    ]);
    expect(migration).toContain(OUTBOX_TABLE_SQL);
    expect(readme).toContain(OUTBOX_TABLE_SQL);
  });
});
