import { setTimeout as sleep } from 'node:timers/promises';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { Type, type TSchema, type TUnknown } from '@sinclair/typebox';
import type { Counter } from 'prom-client';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  MESSAGES_METRIC,
  createBatchConsumer,
  createEnvelope,
  createProducer,
  type BatchConsumerOptions,
  type MessageConsumer,
  type RetryOptions,
} from '../src/index.js';
import { createTopic, deferred, readTopic, testKafka, uniqueName, waitUntil } from './helpers.js';

const kafka = testKafka();
const producer = createProducer(kafka);
const fastRetry = { retries: 2, minTimeoutMs: 10, maxTimeoutMs: 40 };
const PointsSchema = Type.Object({ n: Type.Integer() });

const pointsReported = (n: number) =>
  createEnvelope({ type: 'test.points.reported', version: 1, data: { n } });

let running: MessageConsumer[] = [];

/** A batch consumer stopped after the test, whatever happens in it. */
function startedBatchConsumer<S extends TSchema = TUnknown>(
  options: Omit<BatchConsumerOptions<S>, 'kafka' | 'producer' | 'retry'> & { retry?: RetryOptions },
): MessageConsumer {
  const consumer = createBatchConsumer({ kafka, producer, retry: fastRetry, ...options });
  running.push(consumer);
  return consumer;
}

/** Publishes points 0 to count - 1, keyed by ten vessels. */
async function publishNumbered(topic: string, count: number): Promise<void> {
  await producer.publish(
    topic,
    Array.from({ length: count }, (_, n) => ({ key: `vessel-${n % 10}`, value: pointsReported(n) })),
  );
}

/** kafka_consumer_messages_total of one group and topic, by result. */
async function messageCounts(
  registry: Registry,
  groupId: string,
  topic: string,
): Promise<Record<string, number>> {
  const metric = registry.getSingleMetric(MESSAGES_METRIC) as
    Counter<'group' | 'topic' | 'result'> | undefined;
  const counts: Record<string, number> = {};
  for (const { labels, value } of (await metric?.get())?.values ?? []) {
    if (labels.group === groupId && labels.topic === topic) counts[String(labels.result)] = value;
  }
  return counts;
}

async function deadLetterCount(topic: string): Promise<string | undefined> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [partition] = await admin.fetchTopicOffsets(topic);
    return partition?.high;
  } finally {
    await admin.disconnect();
  }
}

const headersAsText = (headers: Record<string, unknown> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

beforeAll(async () => {
  await producer.connect();
});
afterEach(async () => {
  await Promise.all(running.map((consumer) => consumer.stop()));
  running = [];
});
afterAll(async () => {
  await producer.disconnect();
});

describe('batches', () => {
  it('hands every message once, in partition order, in calls of at most maxMessagesPerCall, and commits them', async () => {
    const [topic, deadLetterTopic] = [await createTopic(kafka, 3), await createTopic(kafka)];
    const registry = new Registry();
    const groupId = uniqueName('batch-round-trip');
    const total = 1_000;
    const maxMessagesPerCall = 100;
    await publishNumbered(topic, total);

    const calls: { topic: string; partition: number; offsets: string[]; points: number[]; from: string[] }[] =
      [];
    const consumer = startedBatchConsumer({
      groupId,
      topics: [topic],
      deadLetterTopic,
      registry,
      dataSchema: PointsSchema,
      maxMessagesPerCall,
      partitionsConsumedConcurrently: 3,
      handler: async (messages, { topic: callTopic, partition }) => {
        calls.push({
          topic: callTopic,
          partition,
          from: messages.map((message) => `${message.topic}/${message.partition}`),
          offsets: messages.map(({ offset }) => offset),
          points: messages.map(({ envelope }) => envelope.data.n),
        });
      },
    });
    await consumer.start();

    const handled = () => calls.flatMap(({ points }) => points);
    await waitUntil(`${total} messages`, () => handled().length >= total);
    await waitUntil('every message counted as committed', async () => {
      return (await messageCounts(registry, groupId, topic)).ok === total;
    });
    expect([...handled()].sort((a, b) => a - b)).toEqual(range(0, total - 1));

    for (const call of calls) {
      expect(call.topic).toBe(topic);
      expect(new Set(call.from)).toEqual(new Set([`${topic}/${call.partition}`]));
    }
    const sizes = calls.map(({ offsets }) => offsets.length);
    expect(Math.min(...sizes)).toBeGreaterThan(0);
    // Published before the consumer started, a partition's ~333 messages come in one fetch and are split.
    expect(Math.max(...sizes)).toBe(maxMessagesPerCall);
    expect(new Set(calls.map(({ partition }) => partition))).toEqual(new Set([0, 1, 2]));
    for (const partition of [0, 1, 2]) {
      const offsets = calls.filter((call) => call.partition === partition).flatMap((call) => call.offsets);
      expect(offsets).toEqual(range(0, offsets.length - 1).map(String));
    }
    // Each vessel's points arrive in the order they were published.
    for (let vessel = 0; vessel < 10; vessel++) {
      const points = handled().filter((n) => n % 10 === vessel);
      expect(points).toEqual([...points].sort((a, b) => a - b));
    }
    const metrics = await registry.metrics();
    for (const partition of [0, 1, 2]) {
      expect(metrics).toContain(
        `kafka_consumer_lag{group="${groupId}",topic="${topic}",partition="${partition}"} 0`,
      );
    }
    await consumer.stop();

    // Everything was committed: a new member of the group gets only what is published later.
    const later: number[] = [];
    const successor = startedBatchConsumer({
      groupId,
      topics: [topic],
      deadLetterTopic,
      dataSchema: PointsSchema,
      handler: async (messages) => {
        later.push(...messages.map(({ envelope }) => envelope.data.n));
      },
    });
    await successor.start();
    await producer.publish(topic, [{ key: 'vessel-0', value: pointsReported(total) }]);
    await waitUntil('the message published after', () => later.includes(total));
    expect(later).toEqual([total]);
  });

  it('keeps its session through a call longer than the session timeout', async () => {
    const [topic, deadLetterTopic] = [await createTopic(kafka), await createTopic(kafka)];
    const registry = new Registry();
    const groupId = uniqueName('batch-long-call');
    await publishNumbered(topic, 3);

    const handled: string[] = [];
    const consumer = startedBatchConsumer({
      groupId,
      topics: [topic],
      deadLetterTopic,
      registry,
      // The broker's minimum; without heartbeats during the call the group would drop this member,
      // the commit would fail and the messages would be handled again.
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 1_000,
      handler: async (messages) => {
        await sleep(8_000);
        handled.push(...messages.map(({ offset }) => offset));
      },
    });
    await consumer.start();
    await waitUntil(
      'the call committed',
      async () => (await messageCounts(registry, groupId, topic)).ok === 3,
      30_000,
    );
    expect(handled).toEqual(['0', '1', '2']);
  });
});

describe('tracing', () => {
  const contextManager = new AsyncLocalStorageContextManager();
  const tracer = new BasicTracerProvider().getTracer('messaging-test');

  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(() => {
    propagation.disable();
    context.disable();
  });

  it('runs each call in the trace of its first message, or in none when that message carries none', async () => {
    const [topic, deadLetterTopic] = [await createTopic(kafka), await createTopic(kafka)];
    const publishedIn = async (name: string, n: number): Promise<string> =>
      tracer.startActiveSpan(name, async (span) => {
        await producer.publish(topic, [{ key: 'vessel-1', value: pointsReported(n) }]);
        span.end();
        return span.spanContext().traceId;
      });
    const firstTrace = await publishedIn('first report', 0);
    await publishedIn('second report', 1);
    // Published outside any span: no trace context travels with it.
    await producer.publish(topic, [{ key: 'vessel-1', value: pointsReported(2) }]);

    const calls: { offsets: string[]; traceId: string | undefined }[] = [];
    const consumer = startedBatchConsumer({
      groupId: uniqueName('batch-trace'),
      topics: [topic],
      deadLetterTopic,
      maxMessagesPerCall: 2,
      handler: async (messages) => {
        calls.push({
          offsets: messages.map(({ offset }) => offset),
          traceId: trace.getSpanContext(context.active())?.traceId,
        });
      },
    });
    await tracer.startActiveSpan('service startup', async (span) => {
      await consumer.start();
      span.end();
    });

    await waitUntil('the three messages', () => calls.flatMap(({ offsets }) => offsets).length === 3);
    expect(calls).toEqual([
      { offsets: ['0', '1'], traceId: firstTrace },
      { offsets: ['2'], traceId: undefined },
    ]);
  });
});

describe('failures', () => {
  it('isolates a poison message: only it is dead-lettered after its retries, every good message is handled, and consumption goes on', async () => {
    const [topic, deadLetterTopic] = [await createTopic(kafka), await createTopic(kafka)];
    const registry = new Registry();
    const groupId = uniqueName('batch-poison');
    const poison = 7;
    await producer.publish(
      topic,
      range(0, 19).map((n) => ({
        key: `vessel-${n}`,
        value: pointsReported(n),
        ...(n === poison ? { headers: { 'x-request-id': 'req-7' } } : {}),
      })),
    );

    const calls: number[][] = [];
    const handled: number[] = [];
    const consumer = startedBatchConsumer({
      groupId,
      topics: [topic],
      deadLetterTopic,
      registry,
      dataSchema: PointsSchema,
      maxMessagesPerCall: 10,
      handler: async (messages) => {
        const points = messages.map(({ envelope }) => envelope.data.n);
        calls.push(points);
        if (points.includes(poison)) throw new RangeError(`vessel ${poison} is out of range`);
        handled.push(...points);
      },
    });
    await consumer.start();
    await waitUntil('the messages after the poison', () => handled.includes(19));
    await producer.publish(topic, [{ key: 'vessel-20', value: pointsReported(20) }]);
    await waitUntil('a message published later', () => handled.includes(20));

    expect(new Set(handled)).toEqual(new Set(range(0, 20).filter((n) => n !== poison)));
    // Its own call was tried with every retry before the poison was given up on.
    expect(calls.filter((points) => points.length === 1 && points[0] === poison)).toHaveLength(
      fastRetry.retries + 1,
    );

    const [deadLetter] = await readTopic(kafka, deadLetterTopic, 1);
    expect(JSON.parse(deadLetter?.value?.toString() ?? '')).toMatchObject({ data: { n: poison } });
    expect(deadLetter?.key?.toString()).toBe(`vessel-${poison}`);
    const { 'x-dlq-failed-at': failedAt, ...headers } = headersAsText(deadLetter?.headers);
    expect(headers).toEqual({
      'x-request-id': 'req-7',
      'x-dlq-error': `vessel ${poison} is out of range`,
      'x-dlq-error-name': 'RangeError',
      'x-dlq-original-topic': topic,
      'x-dlq-original-partition': '0',
      'x-dlq-original-offset': String(poison),
      'x-dlq-attempts': String(fastRetry.retries + 1),
    });
    expect(Date.parse(failedAt ?? '')).not.toBeNaN();
    expect(await deadLetterCount(deadLetterTopic)).toBe('1');

    await waitUntil('the last message counted', async () => {
      const { ok = 0, retried = 0 } = await messageCounts(registry, groupId, topic);
      return ok + retried === 20;
    });
    expect((await messageCounts(registry, groupId, topic)).dead_lettered).toBe(1);
  });

  it('dead-letters undecodable messages at once, without passing them to the handler', async () => {
    const [topic, deadLetterTopic] = [await createTopic(kafka), await createTopic(kafka)];
    const registry = new Registry();
    const groupId = uniqueName('batch-undecodable');
    await producer.publish(topic, [{ key: 'fine', value: pointsReported(0) }]);
    await producer.publishRaw(topic, [{ key: 'garbage', value: Buffer.from('not an envelope') }]);
    await producer.publish(topic, [
      {
        key: 'wrong-shape',
        value: createEnvelope({ type: 'test.points.reported', version: 1, data: { n: 'two' } }),
      },
      { key: 'fine-too', value: pointsReported(3) },
    ]);

    const handled: string[] = [];
    const consumer = startedBatchConsumer({
      groupId,
      topics: [topic],
      deadLetterTopic,
      registry,
      dataSchema: PointsSchema,
      handler: async (messages) => {
        handled.push(...messages.map(({ offset }) => offset));
      },
    });
    await consumer.start();
    await waitUntil('the last message', () => handled.includes('3'));
    expect(handled).toEqual(['0', '3']);

    const deadLetters = await readTopic(kafka, deadLetterTopic, 2);
    const headers = deadLetters.map((letter) => headersAsText(letter.headers));
    expect(deadLetters.map(({ key }) => key?.toString())).toEqual(['garbage', 'wrong-shape']);
    expect(deadLetters[0]?.value?.toString()).toBe('not an envelope');
    expect(headers[0]).toMatchObject({
      'x-dlq-error-name': 'EnvelopeError',
      'x-dlq-original-topic': topic,
      'x-dlq-original-partition': '0',
      'x-dlq-original-offset': '1',
      'x-dlq-attempts': '0',
    });
    expect(headers[0]?.['x-dlq-error']).toMatch(/^invalid envelope: \(root\): not JSON/);
    expect(headers[1]).toMatchObject({ 'x-dlq-original-offset': '2', 'x-dlq-attempts': '0' });
    expect(headers[1]?.['x-dlq-error']).toContain('/data/n');

    await waitUntil('the messages counted', async () => {
      const counts = await messageCounts(registry, groupId, topic);
      return counts.ok === 2 && counts.dead_lettered === 2;
    });
  });
});

describe('offsets', () => {
  it('stop() lets the call in progress finish and commits it; the next consumer of the group starts after it', async () => {
    const [topic, deadLetterTopic] = [await createTopic(kafka), await createTopic(kafka)];
    const groupId = uniqueName('batch-stop-commits');
    await publishNumbered(topic, 10);

    const firstHandled: string[] = [];
    let secondCall: string[] = [];
    const secondCallStarted = deferred();
    const releaseSecondCall = deferred();
    const first = startedBatchConsumer({
      groupId,
      topics: [topic],
      deadLetterTopic,
      maxMessagesPerCall: 4,
      handler: async (messages) => {
        const offsets = messages.map(({ offset }) => offset);
        if (secondCall.length === 0 && firstHandled.length > 0) {
          secondCall = offsets;
          secondCallStarted.resolve();
          await releaseSecondCall.promise;
        }
        firstHandled.push(...offsets);
      },
    });
    await first.start();
    await secondCallStarted.promise;
    const stopped = first.stop();
    releaseSecondCall.resolve();
    await stopped;
    // The call in progress was finished, and no further call started.
    expect(firstHandled.slice(-secondCall.length)).toEqual(secondCall);
    expect(firstHandled).toEqual(range(0, firstHandled.length - 1).map(String));
    expect(firstHandled.length).toBeLessThan(10);

    const secondHandled: string[] = [];
    const second = startedBatchConsumer({
      groupId,
      topics: [topic],
      deadLetterTopic,
      handler: async (messages) => {
        secondHandled.push(...messages.map(({ offset }) => offset));
      },
    });
    await second.start();
    await waitUntil('the rest of the messages', () => secondHandled.includes('9'));
    expect(secondHandled).toEqual(range(firstHandled.length, 9).map(String));
  });

  it('stop() during a retry backoff leaves the call uncommitted and not dead-lettered', async () => {
    const [topic, deadLetterTopic] = [await createTopic(kafka), await createTopic(kafka)];
    const groupId = uniqueName('batch-stop-in-backoff');
    await publishNumbered(topic, 3);

    const failed = deferred();
    const first = startedBatchConsumer({
      groupId,
      topics: [topic],
      deadLetterTopic,
      // Were stop() to sit out this backoff, the test would time out.
      retry: { retries: 3, minTimeoutMs: 600_000, maxTimeoutMs: 600_000 },
      handler: async () => {
        failed.resolve();
        throw new Error('database down');
      },
    });
    await first.start();
    await failed.promise;
    await first.stop();

    const redelivered: string[] = [];
    const second = startedBatchConsumer({
      groupId,
      topics: [topic],
      deadLetterTopic,
      handler: async (messages) => {
        redelivered.push(...messages.map(({ offset }) => offset));
      },
    });
    await second.start();
    await waitUntil('the messages again', () => redelivered.length === 3);
    expect(redelivered).toEqual(['0', '1', '2']);
    expect(await deadLetterCount(deadLetterTopic)).toBe('0');
  });
});
