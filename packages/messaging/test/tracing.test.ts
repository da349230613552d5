import { ROOT_CONTEXT, propagation, trace, type SpanContext } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerContext } from '../src/tracing.js';

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
