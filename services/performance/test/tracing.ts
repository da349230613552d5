/**
 * The services' own OpenTelemetry setup, with finished spans kept in memory: service-kit's
 * startTelemetry (NodeSDK: AsyncLocalStorage context manager, W3C trace-context propagator, and the
 * http, @fastify/otel, pg and kafkajs instrumentations as in production) plus the ESM loader hook
 * that register-telemetry installs. Import this before any module that loads pg, kafkajs or fastify,
 * as services load register-telemetry with --import: instrumentations patch modules as they load.
 * Each test file runs in a process of its own, so the instrumentation stays in the file that imports it.
 */
import { startTelemetry } from '@fleetwatch/service-kit/telemetry';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createRequire, register } from 'node:module';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

export const spanExporter = new InMemorySpanExporter();
const sdk = startTelemetry({
  serviceName: 'performance-trace-test',
  spanProcessors: [new SimpleSpanProcessor(spanExporter)],
});
/** Stops the SDK: the instrumentations are disabled, the exporter flushed. */
export const shutdownTelemetry = (): Promise<void> => sdk.shutdown();

// Vitest imports packages by absolute file path, which the ESM hook does not take for an import of
// the package itself (a service's `import { Kafka } from 'kafkajs'` is), so it would leave kafkajs
// unpatched. A plain require lets require-in-the-middle patch it instead: the instrumentation wraps
// methods of the Kafka prototype, which the import below shares. (pg is patched through its
// internal require of pg/lib/client.js, http and fastify through the http module and fastify's
// diagnostics channel.)
createRequire(import.meta.url)('kafkajs');

/**
 * The finished spans once they satisfy `done`, or as they are after `timeoutMs` (the caller's
 * assertions then say what is missing): spans end asynchronously, after responses and commits.
 */
export async function finishedSpans(
  done: (spans: ReadableSpan[]) => boolean,
  timeoutMs = 15_000,
): Promise<ReadableSpan[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const spans = spanExporter.getFinishedSpans();
    if (done(spans) || Date.now() > deadline) return spans;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
