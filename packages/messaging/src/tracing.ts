import { ROOT_CONTEXT, context, propagation, trace, type Context } from '@opentelemetry/api';

/** Adds the active trace context to outgoing headers; the global propagator picks the header names. */
export function withTraceContext(headers: Record<string, string> = {}): Record<string, string> {
  const carrier = { ...headers };
  propagation.inject(context.active(), carrier);
  return carrier;
}

/**
 * The context a consumed message's handler runs in: the trace context the producer sent along,
 * unless the active context already continues that trace (an instrumentation started a span for
 * this message) or the message carries none.
 *
 * An active span from another trace is not kept: @opentelemetry/instrumentation-kafkajs wraps
 * eachBatch in a "receive" span that starts a new trace and only links the producers' traces, so
 * keeping it would cut every handler off from the trace that produced its message.
 */
export function handlerContext(active: Context, headers: Record<string, string>): Context {
  const propagated = propagation.extract(ROOT_CONTEXT, headers);
  const sent = trace.getSpanContext(propagated);
  const current = trace.getSpanContext(active);
  if (sent === undefined) return active;
  if (current !== undefined && current.traceId === sent.traceId) return active;
  return propagated;
}
