import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const sampleServer = fileURLToPath(new URL('./fixtures/sample-server.ts', import.meta.url));
const SHUTDOWN_TIMEOUT_MS = 4000;

interface Started {
  child: ChildProcessWithoutNullStreams;
  port: number;
  logs: Record<string, unknown>[];
}

async function startServer(): Promise<Started> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', sampleServer], {
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      NODE_ENV: 'test',
      AUTH_ISSUER: 'https://auth.example/',
      AUTH_AUDIENCE: 'fleetwatch',
      AUTH_JWKS_URL: 'https://auth.example/jwks.json',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    },
  });
  const logs: Record<string, unknown>[] = [];
  let buffered = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        const match = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(String(entry.message));
        if (match?.[1]) resolve(Number(match[1]));
      }
    });
  });
  return { child, port, logs };
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitForLog(
  logs: Record<string, unknown>[],
  predicate: (entry: Record<string, unknown>) => boolean,
  count: number,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (logs.filter(predicate).length < count) {
    if (Date.now() > deadline) throw new Error('expected log lines did not appear');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('graceful shutdown', () => {
  let server: Started | undefined;
  afterEach(() => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  });

  it('finishes every in-flight request on SIGTERM and exits 0 within the bound', async () => {
    server = await startServer();
    const { child, port, logs } = server;
    const inFlight = Array.from({ length: 5 }, () => get(port, '/slow?ms=1000'));
    await waitForLog(
      logs,
      (entry) =>
        entry.message === 'incoming request' &&
        String((entry.req as { url: string }).url).startsWith('/slow'),
      5,
    );

    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const results = await Promise.all(inFlight);
    // 'close', not 'exit': the last log lines may still be in the pipe when the process has exited.
    const [exitCode] = (await once(child, 'close')) as [number | null];
    const elapsed = Date.now() - signalledAt;

    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200, 200]);
    expect(results.every((result) => result.body === '{"slept":1000}')).toBe(true);
    expect(exitCode).toBe(0);
    expect(elapsed).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    // Resources are released after the requests, in order.
    const messages = logs.map((entry) => entry.message);
    expect(messages).toContain('shutting down');
    expect(messages.indexOf('closed')).toBeGreaterThan(messages.lastIndexOf('request completed'));
    expect(messages.at(-1)).toBe('shutdown complete');
  });

  it('exits non-zero when draining takes longer than the bound', async () => {
    server = await startServer();
    const { child, port, logs } = server;
    const stuck = get(port, `/slow?ms=${SHUTDOWN_TIMEOUT_MS * 3}`).catch((error: unknown) => error);
    await waitForLog(logs, (entry) => entry.message === 'incoming request', 1);

    const signalledAt = Date.now();
    child.kill('SIGTERM');
    // 'close', not 'exit': the last log lines may still be in the pipe when the process has exited.
    const [exitCode] = (await once(child, 'close')) as [number | null];
    const elapsed = Date.now() - signalledAt;
    await stuck;

    expect(exitCode).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_MS - 100);
    expect(elapsed).toBeLessThan(SHUTDOWN_TIMEOUT_MS * 3);
  });
});
