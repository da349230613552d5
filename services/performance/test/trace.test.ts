// First: the instrumentations must be in place before pg, kafkajs and fastify are loaded.
import { finishedSpans, shutdownTelemetry, spanExporter } from './tracing.js';
import { createProducer, type MessageProducer } from '@fleetwatch/messaging';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TELEMETRY_TOPIC } from '../src/topics.js';
import { createTelemetryWriter } from '../src/writer/consumer.js';
import {
  deviceAuth,
  startPerformanceApp,
  waitForPoints,
  type PerformanceTestContext,
  type TestVessel,
} from './helpers.js';

const spanId = (span: ReadableSpan): string => span.spanContext().spanId;
const traceId = (span: ReadableSpan): string => span.spanContext().traceId;
const scope = (span: ReadableSpan): string => span.instrumentationScope.name;

/** The chain of span names from `span` up to the root of its trace, as far as the spans reach. */
function ancestry(span: ReadableSpan, spans: ReadableSpan[]): ReadableSpan[] {
  const chain = [span];
  for (let current = span; ;) {
    const parentId = current.parentSpanContext?.spanId;
    const parent = spans.find(
      (candidate) => traceId(candidate) === traceId(span) && spanId(candidate) === parentId,
    );
    if (parent === undefined) return chain;
    chain.push(parent);
    current = parent;
  }
}

/** The spans of one ingestion request and of what the writer did with its message. */
interface RequestTrace {
  /** instrumentation-http: the request as the server got it, the root. */
  http: ReadableSpan;
  /** instrumentation-kafkajs: the message published to the telemetry topic. */
  send: ReadableSpan;
  /** @fleetwatch/messaging: the writer's handler call for that message. */
  process: ReadableSpan;
  /** instrumentation-pg: the statement that merges the points into performance.telemetry_chunks. */
  insert: ReadableSpan;
  /** instrumentation-pg: the commit of the writer's transaction. */
  commit: ReadableSpan;
  /** instrumentation-kafkajs: its own span for the message in the fetched batch. */
  kafkajsProcess: ReadableSpan;
}

/** What of the request's trace has finished so far. */
function findRequestTrace(spans: ReadableSpan[], vessel: TestVessel): Partial<RequestTrace> {
  const send = spans.find(
    (span) =>
      span.kind === SpanKind.PRODUCER &&
      span.name === `send ${TELEMETRY_TOPIC}` &&
      span.attributes['messaging.kafka.message.key'] === vessel.id,
  );
  if (send === undefined) return {};
  const inTrace = spans.filter((span) => traceId(span) === traceId(send));
  const http = inTrace.find(
    (span) => span.kind === SpanKind.SERVER && scope(span) === '@opentelemetry/instrumentation-http',
  );
  const process = inTrace.find((span) => scope(span) === '@fleetwatch/messaging');
  const underProcess = process
    ? inTrace.filter((span) => span.parentSpanContext?.spanId === spanId(process))
    : [];
  const insert = underProcess.find((span) =>
    String(span.attributes['db.query.text']).includes('INSERT INTO performance.telemetry_chunks'),
  );
  const commit = underProcess.find((span) => span.attributes['db.query.text'] === 'COMMIT');
  const kafkajsProcess = spans.find(
    (span) =>
      scope(span) === '@opentelemetry/instrumentation-kafkajs' &&
      span.kind === SpanKind.CONSUMER &&
      span.links.some((link) => link.context.spanId === spanId(send)),
  );
  return { http, send, process, insert, commit, kafkajsProcess };
}

const PARTS = ['http', 'send', 'process', 'insert', 'commit', 'kafkajsProcess'] as const;
const missingParts = (found: Partial<RequestTrace>) => PARTS.filter((part) => found[part] === undefined);
function isComplete(found: Partial<RequestTrace>): found is RequestTrace {
  return missingParts(found).length === 0;
}

describe('tracing of telemetry ingestion', () => {
  let context: PerformanceTestContext;
  let dlqProducer: MessageProducer;
  let writer: ReturnType<typeof createTelemetryWriter>;
  let vessel: TestVessel;
  let baseUrl: string;

  beforeAll(async () => {
    context = await startPerformanceApp();
    // A real listener, as in production: app.inject skips the http.Server, so instrumentation-http
    // would start no span and @fastify/otel's "request" span would be the root (kind SERVER).
    baseUrl = await context.app.listen({ host: '127.0.0.1', port: 0 });
    dlqProducer = createProducer(context.kafka);
    await dlqProducer.connect();
    // A new group that starts at the end of the topic: what other tests published before is not
    // this test's to write (nor to trace).
    const groupId = `writer-trace-${randomUUID()}`;
    const admin = context.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(TELEMETRY_TOPIC);
      await admin.setOffsets({
        groupId,
        topic: TELEMETRY_TOPIC,
        partitions: offsets.map(({ partition, high }) => ({ partition, offset: high })),
      });
    } finally {
      await admin.disconnect();
    }
    writer = createTelemetryWriter({
      kafka: context.kafka,
      pool: context.pool,
      producer: dlqProducer,
      groupId,
      // One message per handler call, so this test's message is the first of its call, whose trace the
      // call continues, whatever other tests publish meanwhile. With more, the other messages of a
      // call are only linked (packages/messaging/test/tracing.test.ts).
      messagesPerTransaction: 1,
      partitionsConsumedConcurrently: 1,
    });
    await writer.start();
    vessel = await context.addVessel();
  });
  afterAll(async () => {
    await writer?.stop();
    await dlqProducer?.disconnect();
    await context?.close();
    await shutdownTelemetry();
  });

  it('follows one request from the HTTP server through Kafka to the insert in one trace', async () => {
    spanExporter.reset();
    const ts = new Date(Date.now() - 60_000).toISOString();
    const response = await fetch(`${baseUrl}/v1/performance/telemetry`, {
      method: 'POST',
      headers: { ...deviceAuth(vessel), 'content-type': 'application/json' },
      body: JSON.stringify({
        points: [
          { path: 'navigation.speedOverGround', ts, value: 6.2 },
          { path: 'navigation.headingTrue', ts, value: 1.2 },
        ],
      }),
    });
    expect(response.status).toBe(202);
    await waitForPoints(context.pool, vessel, 2, 30_000);

    // Spans end after the response is sent and the writer's batch is committed: wait for all of them.
    const spans = await finishedSpans((finished) => isComplete(findRequestTrace(finished, vessel)));
    const found = findRequestTrace(spans, vessel);
    expect(missingParts(found)).toEqual([]);
    if (!isComplete(found)) return;
    const { http, send, process, insert, commit, kafkajsProcess } = found;

    // The API: the HTTP server span (instrumentation-http) is the root of the trace; @fastify/otel's
    // request and handler spans are under it, and kafkajs' send span (PRODUCER) under the handler.
    expect(http).toMatchObject({ name: 'POST /v1/performance/telemetry', kind: SpanKind.SERVER });
    expect(http.parentSpanContext).toBeUndefined();
    expect(ancestry(send, spans).map((span) => [span.name, span.kind])).toEqual([
      [`send ${TELEMETRY_TOPIC}`, SpanKind.PRODUCER],
      ['handler - telemetryRoutes', SpanKind.INTERNAL],
      ['request', SpanKind.INTERNAL],
      ['POST /v1/performance/telemetry', SpanKind.SERVER],
    ]);

    // The writer: its handler call runs in a "process" span (CONSUMER) whose parent is the send span,
    // taken from the message's traceparent header, and which also links to it (the messaging
    // conventions' link to the creation context; a batch links to every message's).
    expect(process).toMatchObject({
      name: `process ${TELEMETRY_TOPIC}`,
      kind: SpanKind.CONSUMER,
      attributes: expect.objectContaining({
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': TELEMETRY_TOPIC,
        'messaging.batch.message_count': 1,
      }) as unknown,
    });
    expect(traceId(process)).toBe(traceId(http));
    expect(process.parentSpanContext).toMatchObject({ spanId: spanId(send), isRemote: true });
    expect(process.links.map((link) => link.context.spanId)).toEqual([spanId(send)]);

    // The database: the statement that inserts the points (from the COPY staging table) is a child of
    // the process span, and so is the commit of its transaction. (The COPY itself has no finished
    // span: instrumentation-pg only ends spans of queries that return a promise or take a callback.)
    expect(insert).toMatchObject({
      kind: SpanKind.CLIENT,
      attributes: expect.objectContaining({ 'db.system.name': 'postgresql' }) as unknown,
    });
    expect(ancestry(insert, spans).map(spanId)).toEqual([
      spanId(insert),
      spanId(process),
      spanId(send),
      ...ancestry(send, spans).slice(1).map(spanId),
    ]);
    expect(traceId(commit)).toBe(traceId(http));

    // instrumentation-kafkajs' own consumer spans follow the conventions for batches: a "poll" span
    // (CLIENT) that starts a trace of its own per fetched batch, with a "process" span per message
    // that only links to the producer. They are not in the request's trace; the writer's own span
    // above is what continues it.
    expect(kafkajsProcess.name).toBe(`process ${TELEMETRY_TOPIC}`);
    expect(traceId(kafkajsProcess)).not.toBe(traceId(http));
    const [, poll, ...rest] = ancestry(kafkajsProcess, spans);
    expect(poll).toMatchObject({ name: `poll ${TELEMETRY_TOPIC}`, kind: SpanKind.CLIENT });
    expect(poll?.parentSpanContext).toBeUndefined();
    expect(rest).toEqual([]);
  });
});
