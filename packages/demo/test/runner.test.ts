import { createFleet, createSimulation } from '@fleetwatch/simulator';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startRunner } from '../src/runner.js';
import type { SeededVessel } from '../src/seed.js';

/**
 * The runner's own logic against a stand-in of the ingestion API on 127.0.0.1 (the platform itself is
 * exercised end to end by the soak in packages/local-infra): what it sends, how it counts, how it
 * retries. The stand-in answers the way the real API does.
 */
interface Received {
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('the simulator runner', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  async function standIn(
    answer: (
      url: string,
      received: Received,
      count: number,
    ) => { status: number; body: unknown; headers?: Record<string, string> },
  ) {
    const received: Received[] = [];
    server = createServer((request, response) => {
      void body(request).then((raw) => {
        const text =
          request.headers['content-encoding'] === 'gzip'
            ? gunzipSync(raw).toString('utf8')
            : raw.toString('utf8');
        const item = {
          authorization: request.headers.authorization,
          contentType: request.headers['content-type'],
          body: text,
        };
        received.push(item);
        const reply = answer(request.url ?? '', item, received.length);
        response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        response.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { received, url: `http://127.0.0.1:${port}/v1/performance` };
  }

  const fleet = () =>
    createFleet({ seed: 'runner-test', vessels: 3, tenants: 1, channels: 10, start: Date.now() - 3_600_000 });
  const seeded = (count: number): SeededVessel[] =>
    Array.from({ length: count }, (_, index) => ({
      index,
      id: `00000000-0000-4000-8000-00000000000${index}`,
      tenantId: '00000000-0000-4000-8000-0000000000aa',
      imo: '9074729',
      mmsi: '257000000',
      name: `Vessel ${index}`,
      deviceKey: `fwdk_key${index}`,
    }));

  it("posts each batch gzip'd with its vessel's device key, counting what the API acknowledged", async () => {
    const api = await standIn((_url, item) => {
      const points = item.contentType === 'text/plain' ? item.body.split('\r\n').filter(Boolean).length : 5;
      return { status: 202, body: { accepted: points, rejected: 0, rejections: [] } };
    });
    const simulation = createSimulation(fleet(), {
      sampleSeconds: 10,
      batchSeconds: 60,
      acceleration: 600,
      noonReports: false,
    });
    const runner = startRunner({
      performanceUrl: api.url,
      simulation,
      vessels: seeded(3),
      managerToken: async () => 'token',
      tickMs: 50,
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    const stats = await runner.stop();
    expect(api.received.length).toBeGreaterThan(0);
    expect(stats.requests).toBe(api.received.length);
    expect(new Set(api.received.map((item) => item.authorization))).toEqual(
      new Set(['DeviceKey fwdk_key0', 'DeviceKey fwdk_key1', 'DeviceKey fwdk_key2']),
    );
    expect(stats.failedRequests).toBe(0);
    expect(stats.pointsAccepted).toBeGreaterThan(0);
  });

  it('retries a 503 after its Retry-After, and counts a duplicate delivery once', async () => {
    const api = await standIn((_url, _item, count) =>
      count === 1
        ? { status: 503, body: { title: 'Service Unavailable' }, headers: { 'retry-after': '1' } }
        : { status: 202, body: { accepted: 3, rejected: 0, rejections: [] } },
    );
    const simulation = createSimulation(
      createFleet({ seed: 'dup', vessels: 1, tenants: 1, channels: 10, start: Date.now() - 3_600_000 }),
      {
        sampleSeconds: 60,
        batchSeconds: 60,
        acceleration: 60,
        noonReports: false,
        formatMix: { json: 1, signalk: 0, nmea: 0 },
      },
    );
    const runner = startRunner({
      performanceUrl: api.url,
      simulation,
      vessels: seeded(1),
      faults: { duplicate: 1 },
      managerToken: async () => 'token',
      tickMs: 100,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const stats = await runner.stop();
    expect(stats.retries).toBe(1);
    // Every batch went twice; the stand-in acknowledged 3 points each time.
    const deliveries = api.received.length - 1;
    expect(deliveries % 2).toBe(0);
    expect(stats.pointsAccepted).toBe(3 * deliveries);
    expect(stats.uniquePointsAccepted).toBe((3 * deliveries) / 2);
  });

  it('counts a noon report refused as overlapping a stored one apart from failures', async () => {
    const api = await standIn((url) =>
      url.endsWith('/noon-reports')
        ? {
            status: 409,
            body: { title: 'Conflict', detail: 'period-overlap: the period overlaps the report of …' },
          }
        : { status: 202, body: { accepted: 1, rejected: 0, rejections: [] } },
    );
    // A simulated day and a half: at least one noon report.
    const simulation = createSimulation(fleet(), {
      sampleSeconds: 3_600,
      batchSeconds: 3_600,
      acceleration: 129_600,
    });
    const runner = startRunner({
      performanceUrl: api.url,
      simulation,
      vessels: seeded(3),
      managerToken: async () => 'token',
      tickMs: 100,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const stats = await runner.stop();
    expect(stats.noonReportsOverlapping).toBeGreaterThan(0);
    expect(stats.noonReportsFailed).toBe(0);
    expect(stats.noonReportsSubmitted).toBe(0);
  });
});
