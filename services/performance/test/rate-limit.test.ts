import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceAuth, startPerformanceApp, type PerformanceTestContext } from './helpers.js';

describe('ingestion rate limits', () => {
  let context: PerformanceTestContext;
  beforeAll(async () => {
    context = await startPerformanceApp({ RATE_LIMIT_MAX: '3' });
  });
  afterAll(async () => {
    await context.close();
  });

  it('count per credential, so vessels behind one address do not throttle each other', async () => {
    const [first, second] = [await context.addVessel(), await context.addVessel()];
    const post = (vessel: typeof first) =>
      context.app.inject({
        method: 'POST',
        url: '/v1/performance/telemetry',
        headers: { ...deviceAuth(vessel), 'content-type': 'application/json' },
        payload: { points: [{ path: 'navigation.speedOverGround', ts: new Date().toISOString(), value: 1 }] },
      });
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt += 1) statuses.push((await post(first)).statusCode);
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect((await post(second)).statusCode).toBe(202);
  });
});
