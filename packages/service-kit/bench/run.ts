/**
 * What the kit costs per request: the same small JSON route served by a bare Fastify app (the
 * baseline, measured in the same run) and by createService, public and behind JWT verification.
 * Each target runs in its own process; autocannon drives it from this one over 127.0.0.1, for a
 * bounded time. Results: bench-results/service-kit.json.   make bench   (BENCH_SECONDS=10 for longer)
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestAuth } from '../src/testing.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = 20;
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

interface Measurement {
  name: string;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number };
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  serverRssMiB: number;
}

async function startTarget(args: string[]): Promise<{ port: number; stop: () => Promise<number> }> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', path.join(here, 'server.ts'), ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /PORT (\d+)/.exec(chunk.toString('utf8'));
      if (match?.[1]) resolve(Number(match[1]));
    });
  });
  return {
    port,
    stop: async () => {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      child.kill('SIGTERM');
      await once(child, 'exit');
      return Math.round(rssKiB / 1024);
    },
  };
}

async function measure(
  name: string,
  args: string[],
  headers: Record<string, string> = {},
): Promise<Measurement> {
  const target = await startTarget(args);
  const url = `http://127.0.0.1:${target.port}`;
  let next = 0;
  const requests = [
    {
      // 1,000 distinct vessel ids, as real traffic has.
      setupRequest: (request: autocannon.Request) => {
        next = (next + 1) % 1000;
        return { ...request, path: `/vessels/${9_000_000 + next}` };
      },
    },
  ];
  // A short warm-up so the JIT settles before measuring.
  await autocannon({ url, connections, duration: 1, headers, requests });
  const result = await autocannon({ url, connections, duration: seconds, headers, requests });
  const serverRssMiB = await target.stop();
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99 },
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count ?? 0]),
    ),
    serverRssMiB,
  };
}

const auth = await createTestAuth();
const token = await auth.token({ subject: 'bench', tenant: 'tenant-a', roles: ['viewer'] });
const kitArgs = [auth.jwksFile, auth.issuer, auth.audience];

const results = [
  await measure('bare-fastify (baseline)', ['bare']),
  await measure('bare-fastify + kit metrics (swagger-stats) only', ['bare-metrics']),
  await measure('service-kit, public route', ['kit', ...kitArgs]),
  await measure('service-kit, JWT-verified route', ['kit-jwt', ...kitArgs], {
    authorization: `Bearer ${token}`,
  }),
];

const baseline = results[0]?.requestsPerSecond ?? 1;
const report = {
  benchmark: 'service-kit request overhead',
  date: new Date().toISOString(),
  node: process.version,
  durationSecondsEach: seconds,
  connections,
  results: results.map((result) => ({
    ...result,
    relativeToBaseline: Number((result.requestsPerSecond / baseline).toFixed(3)),
  })),
};
const outDir = path.join(repoRoot, 'bench-results');
await mkdir(outDir, { recursive: true });
await writeFile(path.join(outDir, 'service-kit.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));

const invalid = results.filter((result) => result.errors > 0 || result.non2xx > 0);
if (invalid.length > 0) {
  console.error(
    `invalid measurement (errors or non-2xx answers): ${invalid.map((result) => result.name).join(', ')}`,
  );
  process.exit(1);
}
