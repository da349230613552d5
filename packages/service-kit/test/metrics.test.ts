import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { Counter, register } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceApp } from '../src/index.js';
import { UNMATCHED_ROUTE } from '../src/index.js';
import { buildSampleApp } from './helpers.js';

function seriesOf(metrics: string, name: string): string[] {
  return metrics.split('\n').filter((line) => line.startsWith(`${name}{`));
}

describe('metrics', () => {
  let app: ServiceApp;
  let metrics: string;

  beforeAll(async () => {
    ({ app } = await buildSampleApp({ env: { RATE_LIMIT_MAX: '100000' } }));
    const ownCounter = new Counter({
      name: 'sample_widgets_total',
      help: 'Widgets made',
      registers: [register],
    });
    ownCounter.inc(3);
    for (let id = 0; id < 1000; id += 1) {
      const response = await app.inject({ method: 'GET', url: `/x/${id}` });
      expect(response.statusCode).toBe(200);
    }
    for (const url of ['/wp-admin/1', '/wp-admin/2', '/.env']) await app.inject({ method: 'GET', url });
    metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  });

  afterAll(async () => {
    await app.close();
  });

  it('labels 1,000 distinct vessel ids as one route template series', () => {
    const requestSeries = seriesOf(metrics, 'api_request_total').filter((line) => line.includes('"/x/'));
    expect(requestSeries).toEqual(['api_request_total{method="GET",path="/x/:id",code="200"} 1000']);
    expect(metrics).not.toMatch(/path="\/x\/\d/);
  });

  it('labels requests that match no route with one constant path', () => {
    expect(seriesOf(metrics, 'api_request_total')).toContain(
      `api_request_total{method="GET",path="${UNMATCHED_ROUTE}",code="404"} 3`,
    );
    expect(metrics).not.toContain('wp-admin');
  });

  it('serves swagger-stats, process and service metrics once each, from one registry', () => {
    for (const name of [
      'api_request_total',
      'api_request_duration_milliseconds',
      'process_cpu_user_seconds_total',
      'nodejs_heap_size_total_bytes',
      'nodejs_eventloop_lag_seconds',
      'sample_widgets_total',
    ]) {
      expect(
        metrics.split('\n').filter((line) => line.startsWith(`# TYPE ${name} `)),
        name,
      ).toHaveLength(1);
    }
    expect(metrics).toContain('sample_widgets_total 3');
  });

  it('has exactly one copy of prom-client in the dependency tree', () => {
    const fromKit = realpathSync(createRequire(import.meta.url).resolve('prom-client'));
    const swaggerStatsEntry = createRequire(import.meta.url).resolve('swagger-stats');
    const fromSwaggerStats = realpathSync(createRequire(swaggerStatsEntry).resolve('prom-client'));
    expect(path.dirname(fromSwaggerStats)).toBe(path.dirname(fromKit));
  });

  it('serves the swagger-stats UI', async () => {
    const response = await app.inject({ method: 'GET', url: '/swagger-stats/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
  });
});
