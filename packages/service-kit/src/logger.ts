import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, stdSerializers, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';

export interface LoggerOptions {
  service: string;
  version: string;
  level: string;
  /**
   * Where JSON lines go; stdout by default (Fluent Bit reads the container's stdout), written synchronously
   * so the last lines before an exit (shutdown, a crash) are never left in a buffer.
   */
  destination?: DestinationStream;
}

/** Paths never written to logs: credentials in headers and in logged objects. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'secret',
  '*.secret',
  'token',
  '*.token',
];

/** Adds the active trace and span ids so logs and traces can be joined. */
function traceFields(): Record<string, string> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/**
 * pino's error serializer, minus the live objects drivers hang on their errors (pg's idle-connection
 * errors carry the client: its connection settings and the server's cancel key, kilobytes per line).
 * Plain data (objects, arrays, nested errors) stays.
 */
export function serializeError(error: Error): ReturnType<typeof stdSerializers.err> {
  const serialized = stdSerializers.err(error);
  for (const [key, value] of Object.entries(serialized)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Error)
      continue;
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) delete serialized[key];
  }
  return serialized;
}

export function createLogger({ service, version, level, destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service, version },
      timestamp: stdTimeFunctions.isoTime,
      messageKey: 'message',
      formatters: { level: (label) => ({ level: label }) },
      mixin: traceFields,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      serializers: { err: serializeError },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
