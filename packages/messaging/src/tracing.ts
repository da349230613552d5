import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  isSpanContextValid,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Link,
} from '@opentelemetry/api';

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

/** What processSpan records of a handler attempt. */
export interface ProcessTarget {
  topic: string;
  partition: number;
  groupId: string;
  /** The messages of the attempt, in offset order; the first one's trace is continued. */
  messages: { offset: string; headers: Record<string, string> }[];
  /** A batch handler call: messaging.batch.message_count is set even for one message. */
  batch: boolean;
}

const tracer = () => trace.getTracer('@fleetwatch/messaging');

/**
 * Runs one handler attempt in a "process <topic>" span of kind CONSUMER (OpenTelemetry messaging
 * conventions), so what the handler does (database spans) hangs under a consumer span in the trace of
 * the message that caused it. The span's parent is `parent` (see handlerContext: the first message's
 * producer span) and it links to the producer span of every message, as the conventions ask of batch
 * processing: the other messages of a batch are reached through their links, not their parents.
 */
export async function processSpan<T>(
  parent: Context,
  target: ProcessTarget,
  attempt: () => Promise<T>,
): Promise<T> {
  const links: Link[] = [];
  for (const { headers } of target.messages) {
    const sent = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, headers));
    if (sent !== undefined) links.push({ context: sent });
  }
  const attributes: Attributes = {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.operation.name': 'process',
    'messaging.destination.name': target.topic,
    'messaging.destination.partition.id': String(target.partition),
    'messaging.consumer.group.name': target.groupId,
    ...(target.batch
      ? { 'messaging.batch.message_count': target.messages.length }
      : { 'messaging.kafka.offset': Number(target.messages[0]?.offset) }),
  };
  const span = tracer().startSpan(
    `process ${target.topic}`,
    { kind: SpanKind.CONSUMER, attributes, links },
    parent,
  );
  // Without a tracer provider the span is an invalid no-op: the handler keeps `parent` then.
  const active = isSpanContextValid(span.spanContext()) ? trace.setSpan(parent, span) : parent;
  try {
    return await context.with(active, attempt);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    span.recordException(failure);
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
    throw error;
  } finally {
    span.end();
  }
}
