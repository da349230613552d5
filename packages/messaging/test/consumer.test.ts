import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { Type, type TSchema, type TUnknown } from '@sinclair/typebox';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createConsumer,
  createEnvelope,
  createProducer,
  type ConsumedMessage,
  type ConsumerOptions,
  type MessageConsumer,
  type RetryOptions,
} from '../src/index.js';
import { createTopic, deferred, readTopic, testKafka, uniqueName, waitUntil } from './helpers.js';

const kafka = testKafka();
const producer = createProducer(kafka);
const fastRetry = { retries: 2, minTimeoutMs: 10, maxTimeoutMs: 40 };

const vesselUpdated = (n: number, tenant = 'acme') =>
  createEnvelope({ type: 'test.vessel.updated', version: 1, tenant, data: { n } });

let running: MessageConsumer[] = [];

/** A consumer stopped after the test, whatever happens in it. */
function startedConsumer<S extends TSchema = TUnknown>(
  options: Omit<ConsumerOptions<S>, 'kafka' | 'producer' | 'retry'> & { retry?: RetryOptions },
): MessageConsumer {
  const consumer = createConsumer({ kafka, producer, retry: fastRetry, ...options });
  running.push(consumer);
  return consumer;
}

async function publishNumbered(topic: string, count: number): Promise<void> {
  await producer.publish(
    topic,
    Array.from({ length: count }, (_, n) => ({ key: `vessel-${n}`, value: vesselUpdated(n) })),
  );
}

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

describe('produce and consume', () => {
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

  it('delivers the envelope with its key and headers, inside the trace it was published in', async () => {
    const [topic, deadLetterTopic] = [await createTopic(kafka), await createTopic(kafka)];
    const envelope = vesselUpdated(1);
    const received: { message: ConsumedMessage; traceId?: string; spanId?: string }[] = [];
    const consumer = startedConsumer({
      groupId: uniqueName('round-trip'),
      topics: [topic],
      deadLetterTopic,
      handler: async (message) => {
        const active = trace.getSpanContext(context.active());
        received.push({ message, traceId: active?.traceId, spanId: active?.spanId });
      },
    });
    await consumer.start();

    const published = await tracer.startActiveSpan('publish vessel update', async (span) => {
      await producer.publish(topic, [
        { key: 'vessel-1', value: envelope, headers: { 'x-request-id': 'req-42' } },
      ]);
      span.end();
      return span.spanContext();
    });

    await waitUntil('the message', () => received.length === 1);
    const [{ message, traceId, spanId }] = received as [(typeof received)[number]];
    expect(message).toMatchObject({
      topic,
      partition: 0,
      offset: '0',
      key: 'vessel-1',
      envelope,
      headers: {
        'x-request-id': 'req-42',
        traceparent: `00-${published.traceId}-${published.spanId}-01`,
      },
    });
    expect(JSON.parse(message.value.toString())).toEqual(envelope);
    expect(traceId).toBe(published.traceId);
    expect(spanId).toBe(published.spanId);
  });

  it('does not make a span active at start() the parent of every message', async () => {
    const [topic, deadLetterTopic] = [await createTopic(kafka), await createTopic(kafka)];
    const seen: (string | undefined)[] = [];
    const consumer = startedConsumer({
      groupId: uniqueName('root-context'),
      topics: [topic],
      deadLetterTopic,
      handler: async () => {
        seen.push(trace.getSpanContext(context.active())?.traceId);
      },
    });
    await tracer.startActiveSpan('service startup', async (span) => {
      await consumer.start();
      span.end();
    });
    // Published outside any span: no trace context travels with it.
    await publishNumbered(topic, 1);

    await waitUntil('the message', () => seen.length === 1);
    expect(seen).toEqual([undefined]);
  });
});

describe('failures', () => {
  it('retries, dead-letters what keeps failing or cannot be decoded, and goes on', async () => {
    const [topic, deadLetterTopic] = [await createTopic(kafka), await createTopic(kafka)];
    const registry = new Registry();
    const groupId = uniqueName('dead-letters');
    const attempts = new Map<string, number>();
    const dataSchema = Type.Object({
      behaviour: Type.Union([Type.Literal('ok'), Type.Literal('fail'), Type.Literal('flaky')]),
    });
    const consumer = startedConsumer({
      groupId,
      topics: [topic],
      deadLetterTopic,
      registry,
      dataSchema,
      handler: async ({ offset, envelope }) => {
        const attempt = (attempts.get(offset) ?? 0) + 1;
        attempts.set(offset, attempt);
        if (envelope.data.behaviour === 'fail') throw new RangeError(`vessel ${offset} is out of range`);
        if (envelope.data.behaviour === 'flaky' && attempt === 1) throw new TypeError('flaky dependency');
      },
    });
    const envelopeWith = (behaviour: string) =>
      createEnvelope({ type: 'test.vessel.updated', version: 1, data: { behaviour } });

    await producer.publish(topic, [
      { key: 'poison', value: envelopeWith('fail'), headers: { 'x-request-id': 'req-1' } },
    ]);
    await producer.publishRaw(topic, [{ key: 'garbage', value: Buffer.from('not an envelope') }]);
    await producer.publish(topic, [
      { key: 'unknown-behaviour', value: envelopeWith('explode') },
      { key: 'flaky', value: envelopeWith('flaky') },
      { key: 'fine', value: envelopeWith('ok') },
    ]);
    await consumer.start();

    await waitUntil('the last message handled', () => attempts.has('4'));
    // Offsets 1 and 2 never reach the handler: decoding cannot succeed on a retry.
    expect(Object.fromEntries(attempts)).toEqual({ '0': 3, '3': 2, '4': 1 });

    const deadLetters = await readTopic(kafka, deadLetterTopic, 3);
    const headers = deadLetters.map((letter) =>
      Object.fromEntries(Object.entries(letter.headers ?? {}).map(([name, value]) => [name, String(value)])),
    );
    expect(deadLetters.map(({ key }) => key?.toString())).toEqual(['poison', 'garbage', 'unknown-behaviour']);
    expect(deadLetters[1]?.value?.toString()).toBe('not an envelope');
    expect(JSON.parse(deadLetters[0]?.value?.toString() ?? '')).toMatchObject({
      data: { behaviour: 'fail' },
    });
    const { 'x-dlq-failed-at': failedAt, ...poisonHeaders } = headers[0] ?? {};
    expect(poisonHeaders).toEqual({
      'x-request-id': 'req-1',
      'x-dlq-error': 'vessel 0 is out of range',
      'x-dlq-error-name': 'RangeError',
      'x-dlq-original-topic': topic,
      'x-dlq-original-partition': '0',
      'x-dlq-original-offset': '0',
      'x-dlq-attempts': '3',
    });
    expect(Date.parse(failedAt ?? '')).not.toBeNaN();
    expect(headers[1]).toMatchObject({
      'x-dlq-error-name': 'EnvelopeError',
      'x-dlq-original-offset': '1',
      'x-dlq-attempts': '0',
    });
    expect(headers[1]?.['x-dlq-error']).toMatch(/^invalid envelope: \(root\): not JSON/);
    expect(headers[2]).toMatchObject({ 'x-dlq-original-offset': '2', 'x-dlq-attempts': '0' });
    expect(headers[2]?.['x-dlq-error']).toContain('/data/behaviour');

    const metrics = await registry.metrics();
    const messages = (result: string) =>
      `kafka_consumer_messages_total{group="${groupId}",topic="${topic}",result="${result}"}`;
    expect(metrics).toContain(`${messages('dead_lettered')} 3`);
    expect(metrics).toContain(`${messages('retried')} 1`);
    expect(metrics).toContain(`${messages('ok')} 1`);
  });
});

describe('offsets', () => {
  it('stop() finishes and commits the message in progress; the next consumer of the group starts after it', async () => {
    const [topic, deadLetterTopic] = [await createTopic(kafka), await createTopic(kafka)];
    const groupId = uniqueName('stop-commits');
    await publishNumbered(topic, 6);

    const firstHandled: string[] = [];
    const thirdStarted = deferred();
    const releaseThird = deferred();
    const first = startedConsumer({
      groupId,
      topics: [topic],
      deadLetterTopic,
      handler: async ({ offset }) => {
        if (offset === '2') {
          thirdStarted.resolve();
          await releaseThird.promise;
        }
        firstHandled.push(offset);
      },
    });
    await first.start();
    await thirdStarted.promise;
    const stopped = first.stop();
    releaseThird.resolve();
    await stopped;
    expect(firstHandled).toEqual(['0', '1', '2']);

    const secondHandled: string[] = [];
    const second = startedConsumer({
      groupId,
      topics: [topic],
      deadLetterTopic,
      handler: async ({ offset }) => {
        secondHandled.push(offset);
      },
    });
    await second.start();
    await waitUntil('the rest of the messages', () => secondHandled.includes('5'));
    expect(secondHandled).toEqual(['3', '4', '5']);
  });
  it('stop() during a retry backoff leaves the message uncommitted and not dead-lettered', async () => {
    const [topic, deadLetterTopic] = [await createTopic(kafka), await createTopic(kafka)];
    const groupId = uniqueName('stop-in-backoff');
    await publishNumbered(topic, 1);

    const failed = deferred();
    const first = startedConsumer({
      groupId,
      topics: [topic],
      deadLetterTopic,
      // Were stop() to sit out this backoff, the test would time out.
      retry: { retries: 3, minTimeoutMs: 600_000, maxTimeoutMs: 600_000 },
      handler: async () => {
        failed.resolve();
        throw new Error('dependency down');
      },
    });
    await first.start();
    await failed.promise;
    await first.stop();

    const redelivered: string[] = [];
    const second = startedConsumer({
      groupId,
      topics: [topic],
      deadLetterTopic,
      handler: async ({ offset }) => {
        redelivered.push(offset);
      },
    });
    await second.start();
    await waitUntil('the message again', () => redelivered.length === 1);
    expect(redelivered).toEqual(['0']);

    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.fetchTopicOffsets(deadLetterTopic)).toMatchObject([{ partition: 0, high: '0' }]);
    } finally {
      await admin.disconnect();
    }
  });
});

describe('metrics', () => {
  it('reports the lag per partition, on a registry two consumers share, and drops it on stop', async () => {
    const [topic, deadLetterTopic] = [await createTopic(kafka), await createTopic(kafka)];
    const registry = new Registry();
    const groupId = uniqueName('lag');
    const lagLine = `kafka_consumer_lag{group="${groupId}",topic="${topic}",partition="0"}`;
    await publishNumbered(topic, 5);

    const secondStarted = deferred();
    const releaseSecond = deferred();
    const handled: string[] = [];
    const consumer = startedConsumer({
      groupId,
      topics: [topic],
      deadLetterTopic,
      registry,
      handler: async ({ offset }) => {
        if (offset === '1') {
          secondStarted.resolve();
          await releaseSecond.promise;
        }
        handled.push(offset);
      },
    });
    // Registering the same metrics again on the registry must not throw.
    createConsumer({
      kafka,
      producer,
      registry,
      groupId: uniqueName('idle'),
      topics: [topic],
      deadLetterTopic,
      retry: fastRetry,
      handler: async () => {},
    });

    await consumer.start();
    await secondStarted.promise;
    // Offset 0 processed out of 5 messages: 4 to go.
    await waitUntil('a lag of 4', async () => (await registry.metrics()).includes(`${lagLine} 4`));
    releaseSecond.resolve();
    await waitUntil('a lag of 0', async () => (await registry.metrics()).includes(`${lagLine} 0`));
    expect(handled).toEqual(['0', '1', '2', '3', '4']);

    await consumer.stop();
    expect(await registry.metrics()).not.toContain(lagLine);
  });
});
