import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type SpanContext,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handlerContext, processSpan } from '../src/tracing.js';

const producerSpan: SpanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
};
const headers = { traceparent: `00-${producerSpan.traceId}-${producerSpan.spanId}-01` };

const contextWithSpan = (spanContext: SpanContext) => trace.setSpanContext(ROOT_CONTEXT, spanContext);

describe('handlerContext', () => {
  beforeAll(() => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(() => {
    propagation.disable();
  });

  it('continues the trace from the message headers when no span is active', () => {
    expect(trace.getSpanContext(handlerContext(ROOT_CONTEXT, headers))).toMatchObject({
      ...producerSpan,
      isRemote: true,
    });
  });

  it('keeps an active span of the same trace, as an instrumentation started it for this message', () => {
    const active = contextWithSpan({ ...producerSpan, spanId: '00f067aa0ba902b7' });
    expect(handlerContext(active, headers)).toBe(active);
  });

  it("replaces an active span of another trace, such as instrumentation-kafkajs' batch span", () => {
    const active = contextWithSpan({ ...producerSpan, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    expect(trace.getSpanContext(handlerContext(active, headers))?.traceId).toBe(producerSpan.traceId);
  });

  it('keeps the active context when the message carries no trace context', () => {
    const active = contextWithSpan(producerSpan);
    expect(handlerContext(active, {})).toBe(active);
    expect(trace.getSpanContext(handlerContext(ROOT_CONTEXT, {}))).toBeUndefined();
  });
});

describe('processSpan', () => {
  const exporter = new InMemorySpanExporter();
  const otherProducer: SpanContext = { ...producerSpan, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' };
  const message = (sent: SpanContext, offset: string) => ({
    offset,
    headers: { traceparent: `00-${sent.traceId}-${sent.spanId}-01` },
  });

  beforeAll(() => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
  });
  afterEach(() => exporter.reset());
  afterAll(() => {
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it("runs a batch call in a CONSUMER span under its first message's producer, linked to every producer", async () => {
    const messages = [message(producerSpan, '7'), message(otherProducer, '8')];
    const parent = handlerContext(ROOT_CONTEXT, messages[0]?.headers ?? {});
    const target = { topic: 'telemetry', partition: 2, groupId: 'writer', messages, batch: true };
    await processSpan(parent, target, async () => {
      trace.getTracer('test').startSpan('INSERT').end();
    });

    const [insert, process] = exporter.getFinishedSpans();
    expect(process).toMatchObject({
      name: 'process telemetry',
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': 'telemetry',
        'messaging.destination.partition.id': '2',
        'messaging.consumer.group.name': 'writer',
        'messaging.batch.message_count': 2,
      },
    });
    expect(process?.spanContext().traceId).toBe(producerSpan.traceId);
    expect(process?.parentSpanContext?.spanId).toBe(producerSpan.spanId);
    expect(process?.links.map((link) => link.context.spanId)).toEqual([
      producerSpan.spanId,
      otherProducer.spanId,
    ]);
    expect(process?.links[1]?.context.traceId).toBe(otherProducer.traceId);
    // What the handler does is under the process span.
    expect(insert?.parentSpanContext?.spanId).toBe(process?.spanContext().spanId);
  });

  it('records a failed attempt on its span and passes the error on', async () => {
    const target = {
      topic: 'fleet',
      partition: 0,
      groupId: 'g',
      messages: [message(producerSpan, '42')],
      batch: false,
    };
    const parent = handlerContext(ROOT_CONTEXT, target.messages[0]?.headers ?? {});
    await expect(
      processSpan(parent, target, () => Promise.reject(new Error('database down'))),
    ).rejects.toThrow('database down');

    const [span] = exporter.getFinishedSpans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'database down' });
    expect(span?.events.map((event) => event.name)).toEqual(['exception']);
    expect(span?.attributes['messaging.kafka.offset']).toBe(42);
    expect(span?.attributes['messaging.batch.message_count']).toBeUndefined();
  });
});
