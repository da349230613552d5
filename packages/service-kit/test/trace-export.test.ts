import type { NodeSDK } from '@opentelemetry/sdk-node';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceApp } from '../src/index.js';
import { startTelemetry } from '../src/telemetry.js';
import { buildSampleApp } from './helpers.js';

describe('trace export over OTLP/HTTP', () => {
  const received: { url: string; body: string }[] = [];
  let collector: Server;
  let sdk: NodeSDK;
  let app: ServiceApp;

  beforeAll(async () => {
    // A stand-in OpenTelemetry collector on loopback that records what it is sent.
    collector = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ url: request.url ?? '', body });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const address = collector.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    sdk = startTelemetry({ serviceName: 'sample-export', otlpEndpoint: `http://127.0.0.1:${address.port}` });
    ({ app } = await buildSampleApp());
  });
  afterAll(async () => {
    await app.close();
    await sdk.shutdown();
    await new Promise((resolve) => collector.close(resolve));
  });

  it('exports the request span, in the caller trace, when an endpoint is configured', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const response = await app.inject({
      method: 'GET',
      url: '/x/42',
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });
    expect(response.statusCode).toBe(200);
    // Shutting the SDK down flushes the batch processor.
    await sdk.shutdown();
    const exported = received
      .filter((request) => request.url === '/v1/traces')
      .map((request) => request.body);
    expect(exported.join('\n')).toContain(traceId);
    expect(exported.join('\n')).toContain('sample-export');
    expect(exported.join('\n')).toContain('/x/:id');
  });
});
