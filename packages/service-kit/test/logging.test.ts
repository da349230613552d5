import type { NodeSDK } from '@opentelemetry/sdk-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceApp } from '../src/index.js';
import { startTelemetry } from '../src/telemetry.js';
import { buildSampleApp, type LogCapture } from './helpers.js';

describe('JSON logs', () => {
  let sdk: NodeSDK;
  let app: ServiceApp;
  let logs: LogCapture;

  beforeAll(async () => {
    // What register-telemetry does in a service process without a collector configured.
    sdk = startTelemetry({ serviceName: 'sample' });
    ({ app, logs } = await buildSampleApp());
  });
  afterAll(async () => {
    await app.close();
    await sdk.shutdown();
  });

  it('writes ISO timestamps, string levels, service, version and request id', async () => {
    await app.inject({ method: 'GET', url: '/x/7', headers: { 'x-request-id': 'req-fmt-1' } });
    const completed = logs.lines.find(
      (line) => line.request_id === 'req-fmt-1' && line.message === 'request completed',
    );
    expect(completed).toMatchObject({ level: 'info', service: 'sample', version: '1.2.3' });
    expect(String(completed?.time)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('carries the W3C trace context of the request into trace_id and span_id', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await app.inject({
      method: 'GET',
      url: '/log-headers',
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-request-id': 'req-trace-1' },
    });
    const line = logs.lines.find(
      (entry) => entry.request_id === 'req-trace-1' && entry.message === 'echoing headers',
    );
    expect(line?.trace_id).toBe(traceId);
    expect(line?.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(line?.span_id).not.toBe('00f067aa0ba902b7');
  });

  it('redacts authorization headers, cookies, API keys and passwords', async () => {
    await app.inject({
      method: 'GET',
      url: '/log-headers',
      headers: {
        authorization: 'Bearer secret-token-value',
        cookie: 'session=secret-cookie-value',
        'x-api-key': 'secret-api-key-value',
        'x-request-id': 'req-redact-1',
      },
    });
    const line = logs.lines.find(
      (entry) => entry.request_id === 'req-redact-1' && entry.message === 'echoing headers',
    );
    expect(line).toBeDefined();
    const text = JSON.stringify(line);
    for (const secret of ['secret-token-value', 'secret-cookie-value', 'secret-api-key-value', 'hunter2']) {
      expect(text).not.toContain(secret);
    }
    expect(line).toMatchObject({
      password: '[REDACTED]',
      headers: { authorization: '[REDACTED]', cookie: '[REDACTED]', 'x-api-key': '[REDACTED]' },
    });
  });
});

describe('error serialization', () => {
  it('keeps an error’s data but not the live driver objects hung on it', async () => {
    const { createLogger } = await import('../src/logger.js');
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      service: 'sample',
      version: '1.0.0',
      level: 'info',
      destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    class Client {
      processID = 42;
      secretKey = 123456;
      connectionParameters = { host: 'db.internal', password: 'never-logged' };
    }
    const error = Object.assign(new Error('Connection terminated unexpectedly'), {
      code: '57P01',
      client: new Client(),
      details: { attempt: 2 },
      cause: new Error('socket hang up'),
    });
    logger.warn({ err: error }, 'idle PostgreSQL connection failed');
    const err = lines[0]?.err as Record<string, unknown>;
    expect(err).toMatchObject({
      type: 'Error',
      // pino's serializer appends the causes' messages.
      message: 'Connection terminated unexpectedly: socket hang up',
      code: '57P01',
      details: { attempt: 2 },
    });
    expect(String(err.stack)).toContain('Connection terminated unexpectedly');
    expect(err).not.toHaveProperty('client');
    expect(JSON.stringify(lines[0])).not.toContain('never-logged');
  });
});
