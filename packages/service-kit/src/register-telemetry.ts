/**
 * Load before anything else so the instrumentations can hook the modules they patch:
 *   node --import @fleetwatch/service-kit/register-telemetry dist/server.js
 * server.ts imports `telemetry` from here to flush spans on shutdown (a Closeable).
 */
import { register } from 'node:module';
import { packageInfo } from './package-info.js';
import { startTelemetry } from './telemetry.js';

// ESM imports are only visible to instrumentations through this loader hook.
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const service = packageInfo();
const sdk = startTelemetry({
  serviceName: process.env.OTEL_SERVICE_NAME ?? service.name ?? 'fleetwatch-service',
  ...(service.version ? { serviceVersion: service.version } : {}),
  ...(process.env.OTEL_EXPORTER_OTLP_ENDPOINT
    ? { otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT }
    : {}),
});

export const telemetry = { name: 'telemetry', close: () => sdk.shutdown() };
