/**
 * OpenTelemetry for a service process (started by register-telemetry.ts, loaded with --import).
 *
 * Traces are always produced (trace ids in logs, W3C context carried over HTTP and Kafka); they are
 * exported over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

export interface TelemetryOptions {
  serviceName: string;
  serviceVersion?: string;
  /** OTLP/HTTP base URL of the collector, e.g. http://otel-collector:4318; no export without it. */
  otlpEndpoint?: string;
  /** Extra processors (tests use an in-memory exporter). */
  spanProcessors?: SpanProcessor[];
}

/**
 * Spans kept inside the process: they still give logs their trace and span ids and are propagated over
 * HTTP and Kafka. (With no processor at all the SDK registers no tracer provider, and every span would
 * be a no-op echo of its parent.)
 */
const keepSpansLocal: SpanProcessor = {
  onStart: () => {},
  onEnd: () => {},
  forceFlush: async () => {},
  shutdown: async () => {},
};

export function startTelemetry(options: TelemetryOptions): NodeSDK {
  const spanProcessors = [...(options.spanProcessors ?? [])];
  if (options.otlpEndpoint) {
    const url = `${options.otlpEndpoint.replace(/\/$/, '')}/v1/traces`;
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url })));
  }
  if (spanProcessors.length === 0) spanProcessors.push(keepSpansLocal);
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      ...(options.serviceVersion ? { [ATTR_SERVICE_VERSION]: options.serviceVersion } : {}),
    }),
    // Explicit lists: without them the SDK configures OTLP exporters to a default endpoint from the
    // environment, and shutting down waits for them to give up (seconds). Metrics go through
    // prom-client (/metrics) and logs through stdout (Fluent Bit), not OTLP.
    spanProcessors,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => /^\/(healthz|readyz|metrics)\b/.test(request.url ?? ''),
      }),
      new FastifyOtelInstrumentation({ registerOnInitialization: true }),
      // Only queries inside a request or a consumed message: background polls (the outbox relay) would
      // otherwise start a trace of their own every second.
      new PgInstrumentation({ requireParentSpan: true }),
      new KafkaJsInstrumentation(),
    ],
  });
  sdk.start();
  return sdk;
}
