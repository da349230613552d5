import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  deviceAuth,
  startPerformanceApp,
  storedPoints,
  waitForPoints,
  type PerformanceTestContext,
} from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/writer.ts', import.meta.url));

function startWriter(groupId: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fixture], {
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      GROUP_ID: groupId,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`writer exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('writer started')) resolve(child);
    });
  });
}

describe('a writer killed mid-stream', () => {
  let context: PerformanceTestContext;
  beforeAll(async () => {
    context = await startPerformanceApp();
  });
  afterAll(async () => {
    await context.close();
  });

  it('is replaced by one that stores every acknowledged point exactly once', async () => {
    const ship = await context.addVessel();
    const groupId = `writer-crash-${randomUUID()}`;
    let acknowledged = 0;
    const base = Date.now() - 10 * 60_000;
    const post = async (batch: number) => {
      const points = Array.from({ length: 50 }, (_unused, index) => ({
        path: 'propulsion.main.revolutions',
        ts: new Date(base + batch * 1000 + index * 10).toISOString(),
        value: batch + index / 100,
      }));
      const response = await context.app.inject({
        method: 'POST',
        url: '/v1/performance/telemetry',
        headers: { ...deviceAuth(ship), 'content-type': 'application/json' },
        payload: { points },
      });
      expect(response.statusCode).toBe(202);
      acknowledged += 50;
    };

    const first = await startWriter(groupId);
    for (let batch = 0; batch < 40; batch += 1) await post(batch);
    // Kill it once it has stored some, but not all, of what was acknowledged.
    const deadline = Date.now() + 30_000;
    while ((await storedPoints(context.pool, ship)).length === 0) {
      if (Date.now() > deadline) throw new Error('the first writer stored nothing');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    first.kill('SIGKILL');
    const storedAtKill = (await storedPoints(context.pool, ship)).length;
    console.log(`writer killed with ${storedAtKill} of ${acknowledged} acknowledged points stored`);
    for (let batch = 40; batch < 60; batch += 1) await post(batch);

    const second = await startWriter(groupId);
    try {
      const rows = await waitForPoints(context.pool, ship, acknowledged, 60_000);
      expect(rows).toHaveLength(acknowledged);
      expect(new Set(rows.map((row) => row.ts.toISOString())).size).toBe(acknowledged);
    } finally {
      second.kill('SIGTERM');
    }
  });
});
