/**
 * The metrics the services really export: every process the service charts deploy (the fleet, crew
 * and maintenance APIs, the performance API and the performance writer) started from its own entry
 * point (src/server.ts, src/writer-main.ts, as `node --import tsx`) against the test PostgreSQL and
 * Kafka, then scraped on /metrics over HTTP, as Prometheus does.
 *
 * Names are read from the exposition's `# TYPE` lines, so a metric counts as exported as soon as the
 * process registers it, before its first sample (labelled counters only show series once incremented).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { createTestAuth } from '@fleetwatch/service-kit/testing';

import { REPO_ROOT } from './tools.js';

export interface ServiceInfra {
  /** The app role (row-level security). */
  databaseUrl: string;
  /** The schema owner, for the migrations. */
  adminDatabaseUrl: string;
  kafkaBrokers: readonly string[];
}

/** One process a service chart deploys: its Service is `<release>-<component>`, e.g. fleet-api. */
export interface ServiceProcess {
  /** The Prometheus job label it gets in the cluster (the Service's name). */
  job: string;
  /** services/<service>: the folder, and the PostgreSQL schema it migrates. */
  service: string;
  entry: string;
  /** A request that reaches an API route (any status), so swagger-stats has series to show. */
  probe?: string;
}

export const SERVICE_PROCESSES: readonly ServiceProcess[] = [
  { job: 'fleet-api', service: 'fleet', entry: 'src/server.ts', probe: '/v1/fleet/vessels' },
  { job: 'crew-api', service: 'crew', entry: 'src/server.ts', probe: '/v1/crew/seafarers' },
  {
    job: 'maintenance-api',
    service: 'maintenance',
    entry: 'src/server.ts',
    probe: '/v1/maintenance/due-list',
  },
  {
    job: 'performance-api',
    service: 'performance',
    entry: 'src/server.ts',
    probe: '/v1/performance/fleet/overview',
  },
  { job: 'performance-writer', service: 'performance', entry: 'src/writer-main.ts' },
];

/** A metric family of an exposition: its `# TYPE` and the label names its samples carry. */
export interface MetricFamily {
  name: string;
  type: string;
  /** Label names seen on its samples (histograms: `le` included), empty before the first sample. */
  labelNames: Set<string>;
  /** The samples as written: `name{labels} value`. */
  samples: string[];
}

export interface ScrapedProcess extends ServiceProcess {
  /** The /metrics body; empty when the process could not be scraped. */
  exposition: string;
  families: Map<string, MetricFamily>;
  /** Why the process could not be scraped (it exited, never got ready, /metrics failed). */
  error?: string;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+\S+/;
const LABEL_NAME = /([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"/g;
/** The series a histogram or summary family writes besides its base name. */
const FAMILY_SUFFIXES: Record<string, readonly string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count'],
};

/** The metric families of a Prometheus text exposition (version 0.0.4). */
export function parseExposition(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const seriesOwner = new Map<string, MetricFamily>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type !== null) {
      const family: MetricFamily = {
        name: type[1] ?? '',
        type: type[2] ?? 'untyped',
        labelNames: new Set(),
        samples: [],
      };
      families.set(family.name, family);
      seriesOwner.set(family.name, family);
      for (const suffix of FAMILY_SUFFIXES[family.type] ?? []) seriesOwner.set(family.name + suffix, family);
      continue;
    }
    if (line.startsWith('#') || line.trim() === '') continue;
    const sample = SAMPLE_LINE.exec(line);
    const family = sample === null ? undefined : seriesOwner.get(sample[1] ?? '');
    if (sample === null || family === undefined) continue;
    family.samples.push(line);
    for (const m of (sample[3] ?? '').matchAll(LABEL_NAME)) family.labelNames.add(m[1] ?? '');
  }
  return families;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function migrateSchema(service: string, adminDatabaseUrl: string): void {
  const result = spawnSync(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      'packages/db/src/migrate-cli.ts',
      '--schema',
      service,
      '--dir',
      `services/${service}/migrations`,
    ],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_ADMIN_URL: adminDatabaseUrl },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  if (result.status !== 0) {
    throw new Error(`migrating ${service} failed (${result.status}): ${result.stderr}${result.stdout}`);
  }
}

interface Running {
  process: ServiceProcess;
  child: ChildProcess;
  port: number;
  logFile: string;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitUntilReady(running: Running, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited(running.child)) {
      throw new Error(
        `${running.process.job} exited (${running.child.exitCode ?? running.child.signalCode}); see ${running.logFile}`,
      );
    }
    const ready = await fetch(`http://127.0.0.1:${running.port}/readyz`, {
      signal: AbortSignal.timeout(2_000),
    }).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${running.process.job} not ready within ${timeoutMs / 1000} s; see ${running.logFile}`,
      );
    }
    await sleep(250);
  }
}

/** SIGTERM to the process group, SIGKILL when it outlives the grace period. */
async function stop(child: ChildProcess, graceMs = 30_000): Promise<void> {
  if (child.pid === undefined || exited(child)) return;
  const group = -child.pid;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(group, 'SIGTERM');
  } catch {
    return; // gone already
  }
  const timer = setTimeout(() => {
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }, graceMs);
  await exit;
  clearTimeout(timer);
}

/**
 * Migrates the services' schemas, starts every process of SERVICE_PROCESSES on a free port, waits
 * for /readyz, sends each API one request, scrapes /metrics, and stops them all. A process that
 * cannot be scraped is returned with its error and the end of its log (the others are still
 * scraped); the full logs stay in a temporary directory named in the errors.
 */
export async function scrapeServiceMetrics(
  infra: ServiceInfra,
  processes: readonly ServiceProcess[] = SERVICE_PROCESSES,
): Promise<ScrapedProcess[]> {
  for (const service of new Set(processes.map((p) => p.service))) {
    migrateSchema(service, infra.adminDatabaseUrl);
  }
  const auth = await createTestAuth();
  const logsDir = mkdtempSync(join(tmpdir(), 'fleetwatch-metrics-'));
  const suffix = randomUUID().slice(0, 8);
  const running: Running[] = [];
  const stopAll = (): void => {
    for (const { child } of running) {
      if (child.pid !== undefined && !exited(child)) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
  };
  process.once('exit', stopAll);
  try {
    for (const p of processes) {
      const port = await freePort();
      const logFile = join(logsDir, `${p.job}.log`);
      const log = createWriteStream(logFile);
      const child = spawn(
        process.execPath,
        [
          '--conditions=source',
          '--import',
          'tsx',
          '--import',
          '@fleetwatch/service-kit/register-telemetry',
          p.entry,
        ],
        {
          cwd: join(REPO_ROOT, 'services', p.service),
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: {
            PATH: process.env.PATH ?? '',
            NODE_ENV: 'test',
            LOG_LEVEL: 'warn',
            HOST: '127.0.0.1',
            PORT: String(port),
            DATABASE_URL: infra.databaseUrl,
            KAFKA_BROKERS: infra.kafkaBrokers.join(','),
            AUTH_ISSUER: auth.issuer,
            AUTH_AUDIENCE: auth.audience,
            AUTH_JWKS_FILE: auth.jwksFile,
            // Own names on the shared test Kafka: no other test's consumer group or registry view.
            INSTANCE_ID: `metrics-${p.job}-${suffix}`,
            KAFKA_CLIENT_ID: `metrics-${p.job}-${suffix}`,
            WRITER_GROUP_ID: `metrics-writer-${suffix}`,
            SHUTDOWN_TIMEOUT_MS: '2000',
          },
        },
      );
      child.stdout?.pipe(log);
      child.stderr?.pipe(log);
      running.push({ process: p, child, port, logFile });
    }
    return await Promise.all(
      running.map(async (r): Promise<ScrapedProcess> => {
        try {
          await waitUntilReady(r, 90_000);
          if (r.process.probe !== undefined) {
            await fetch(`http://127.0.0.1:${r.port}${r.process.probe}`, {
              signal: AbortSignal.timeout(10_000),
            });
          }
          const response = await fetch(`http://127.0.0.1:${r.port}/metrics`, {
            signal: AbortSignal.timeout(10_000),
          });
          if (!response.ok) throw new Error(`${r.process.job} /metrics answered ${response.status}`);
          const exposition = await response.text();
          return { ...r.process, exposition, families: parseExposition(exposition) };
        } catch (error) {
          const log = readFileSync(r.logFile, 'utf8').split('\n').slice(-15).join('\n');
          return {
            ...r.process,
            exposition: '',
            families: new Map(),
            error: `${error instanceof Error ? error.message : String(error)}\n${log}`,
          };
        }
      }),
    );
  } finally {
    await Promise.all(running.map((r) => stop(r.child)));
    process.removeListener('exit', stopAll);
  }
}
