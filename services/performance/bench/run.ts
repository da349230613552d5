/**
 * End-to-end ingestion benchmark: simulated vessels post batches through the real path
 * HTTP (API process) → Kafka → writer process → PostgreSQL, on a PostgreSQL and Kafka of its own.
 * Measured in the same run: a bare Fastify route that parses the same bodies (HTTP ceiling) and a raw
 * COPY into the same table of the chunk rows the writer writes for the same batches (storage ceiling). Results: bench-results/performance.json.
 *   make bench          BENCH_SECONDS (default 30), BENCH_VESSELS (650), BENCH_CHANNELS (200),
 *                       BENCH_SECONDS_PER_BATCH (60: points per request = channels × this), BENCH_CONCURRENCY (16),
 *                       BENCH_CPU_PROFILE (a folder: V8 CPU profiles of the API and writer processes),
 *                       BENCH_NODE_OPTIONS (the processes' NODE_OPTIONS; default bounds the V8 heap)
 */
import { migrate, createPool } from '@fleetwatch/db';
import { createEnvelope, createKafka, createProducer } from '@fleetwatch/messaging';
import {
  DEVICE_KEY_STATE_EVENT,
  DEVICE_KEYS_TOPIC,
  ensureRegistryTopics,
  generateDeviceKey,
  REGISTRY_EVENT_VERSION,
  VESSEL_STATE_EVENT,
  VESSELS_TOPIC,
} from '@fleetwatch/fleet-registry';
import { freePort, startInfra, type InfraProfile } from '@fleetwatch/local-infra';
import { createTestAuth } from '@fleetwatch/service-kit/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { from as copyFrom } from 'pg-copy-streams';
import { ensureTelemetryTopics } from '../src/topics.js';
import { CHUNK_COPY_COLUMNS, copyRows, groupIntoChunks, maintainPartitions } from '../src/writer/store.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const serviceDir = path.resolve(here, '..');
const repoRoot = path.resolve(serviceDir, '../..');
const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const seconds = env('BENCH_SECONDS', 30);
const vesselCount = env('BENCH_VESSELS', 650);
const channels = env('BENCH_CHANNELS', 200);
// A vessel sends a minute of readings at a time over its satellite link: 12 000 points a request.
const secondsPerBatch = env('BENCH_SECONDS_PER_BATCH', 60);
const concurrency = env('BENCH_CONCURRENCY', 16);
const pointsPerRequest = channels * secondsPerBatch;
/** Every how many requests one is followed until queryable: about 5 a second at the goal's rate. */
const sampleEvery = Math.max(1, Math.round(130_000 / pointsPerRequest / 5));
const log = (line: string): void => console.error(`[bench] ${line}`);

interface Vessel {
  id: string;
  tenantId: string;
  key: string;
  /** Simulated clock of the vessel's sensors: each batch covers the next seconds. */
  nextSecond: number;
}

// ---- infrastructure -------------------------------------------------------------------------------
const profile: InfraProfile = {
  name: 'bench',
  postgresPort: await freePort(),
  kafkaPort: await freePort(),
  kafkaControllerPort: await freePort(),
  fresh: true,
};
const infra = await startInfra({ profile, env: { FLEETWATCH_INFRA: 'local' } });
const children: ChildProcess[] = [];
const cleanup = async (): Promise<void> => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await infra.stop();
};

try {
  await migrate({
    databaseUrl: infra.adminDatabaseUrl,
    schema: 'performance',
    dir: path.join(serviceDir, 'migrations'),
  });
  const pool = createPool({
    connectionString: infra.databaseUrl,
    applicationName: 'bench',
    onError: () => {},
  });
  const admin = createPool({
    connectionString: infra.adminDatabaseUrl,
    applicationName: 'bench-admin',
    onError: () => {},
  });
  await maintainPartitions(pool, { retentionDays: 30, aheadDays: 2 });
  const kafka = createKafka({ clientId: 'bench', brokers: infra.kafkaBrokers });
  await ensureTelemetryTopics(kafka, 12);
  await ensureRegistryTopics(kafka, { numPartitions: 3 });

  // ---- the fleet: vessels and their device keys, as the fleet service would publish them ----------
  const producer = createProducer(kafka);
  await producer.connect();
  const vessels: Vessel[] = [];
  const tenants = Array.from({ length: 100 }, () => randomUUID());
  for (let index = 0; index < vesselCount; index += 1) {
    const key = generateDeviceKey();
    const vessel: Vessel = {
      id: randomUUID(),
      tenantId: tenants[index % tenants.length] ?? randomUUID(),
      key: key.key,
      nextSecond: 0,
    };
    vessels.push(vessel);
    await producer.publish(VESSELS_TOPIC, [
      {
        key: vessel.id,
        value: createEnvelope({
          type: VESSEL_STATE_EVENT,
          version: REGISTRY_EVENT_VERSION,
          tenant: vessel.tenantId,
          data: {
            id: vessel.id,
            tenantId: vessel.tenantId,
            imo: '9074729',
            mmsi: null,
            name: `Bench ${index}`,
            shipType: 'bulk-carrier',
            flag: 'NO',
            status: 'active',
            dwt: 80_000,
            gt: 43_000,
            archived: false,
            version: 1,
            updatedAt: new Date().toISOString(),
          },
        }),
      },
    ]);
    await producer.publish(DEVICE_KEYS_TOPIC, [
      {
        key: key.id,
        value: createEnvelope({
          type: DEVICE_KEY_STATE_EVENT,
          version: REGISTRY_EVENT_VERSION,
          tenant: vessel.tenantId,
          data: {
            id: key.id,
            tenantId: vessel.tenantId,
            vesselId: vessel.id,
            secretHash: key.secretHash,
            revoked: false,
            createdAt: new Date().toISOString(),
            revokedAt: null,
          },
        }),
      },
    ]);
  }
  await producer.disconnect();
  log(`${vesselCount} vessels registered`);

  // ---- processes --------------------------------------------------------------------------------
  const auth = await createTestAuth();
  const processEnv = {
    ...process.env,
    NODE_ENV: 'production',
    // As the containers will run: a heap bound below the memory limit, so V8 collects before it grows.
    NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '--max-old-space-size=160 --max-semi-space-size=16',
    LOG_LEVEL: 'warn',
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    AUTH_ISSUER: auth.issuer,
    AUTH_AUDIENCE: auth.audience,
    AUTH_JWKS_URL: 'https://unused.invalid/jwks.json',
    RATE_LIMIT_MAX: '100000000',
    TELEMETRY_TOPIC_PARTITIONS: '12',
  };
  /** Starts a process; resolves at once, or when `ready` accepts a line of its output. */
  async function startProcess(
    script: string,
    extraEnv: Record<string, string>,
    ready?: (line: string) => boolean,
  ): Promise<ChildProcess> {
    // BENCH_CPU_PROFILE=<dir>: V8 CPU profiles of the processes, written when they exit.
    const profiling = process.env.BENCH_CPU_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
      : [];
    const child = spawn(
      process.execPath,
      [...profiling, '--conditions=source', '--import', 'tsx', path.join(serviceDir, script)],
      {
        env: { ...processEnv, ...extraEnv },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(child);
    if (!ready) return child;
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString('utf8').split('\n').some(ready)) resolve();
      });
    });
    return child;
  }
  async function waitReady(port: number): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
      if (response?.ok) return;
      if (Date.now() > deadline) throw new Error(`port ${port} not ready`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const peakRssMiB = async (child: ChildProcess): Promise<number> => {
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  };

  // ---- load -------------------------------------------------------------------------------------
  const start = Date.now() - 3_600_000; // an hour ago: every batch is in the past, inside retention
  /** The points of a vessel's batch that starts at `firstSecond` of its simulated clock. */
  function batchPoints(firstSecond: number): { path: string; ts: string; value: number }[] {
    const points: { path: string; ts: string; value: number }[] = [];
    for (let second = 0; second < secondsPerBatch; second += 1) {
      const ts = new Date(start + (firstSecond + second) * 1000).toISOString();
      for (let channel = 0; channel < channels; channel += 1) {
        points.push({
          path: `propulsion.engine_${channel}.revolutions`,
          ts,
          value: 10 + channel + second / 100,
        });
      }
    }
    return points;
  }
  function nextBody(vessel: Vessel): string {
    const points = batchPoints(vessel.nextSecond);
    vessel.nextSecond += secondsPerBatch;
    return JSON.stringify({ points });
  }

  interface LoadResult {
    requests: number;
    acknowledgedPoints: number;
    failures: number;
    durationMs: number;
    samples: { vesselId: string; ts: string; sentAt: number }[];
  }
  /** Posts from `concurrency` workers for `durationMs`; every `sampleEvery`th acknowledged batch goes to `onSample`. */
  async function drive(
    port: number,
    durationMs: number,
    sample: boolean,
    onSample: (item: { vesselId: string; ts: string; sentAt: number }) => void = () => {},
  ): Promise<LoadResult> {
    const result: LoadResult = {
      requests: 0,
      acknowledgedPoints: 0,
      failures: 0,
      durationMs: 0,
      samples: [],
    };
    const began = Date.now();
    let turn = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() - began < durationMs) {
          const vessel = vessels[turn++ % vessels.length];
          if (!vessel) continue;
          const body = nextBody(vessel);
          const sentAt = Date.now();
          const response = await fetch(`http://127.0.0.1:${port}/v1/performance/telemetry`, {
            method: 'POST',
            headers: { authorization: `DeviceKey ${vessel.key}`, 'content-type': 'application/json' },
            body,
          }).catch(() => undefined);
          result.requests += 1;
          if (response?.status === 202) {
            const accepted = ((await response.json()) as { accepted: number }).accepted;
            result.acknowledgedPoints += accepted;
            if (sample && result.requests % sampleEvery === 0) {
              const lastTs = new Date(start + (vessel.nextSecond - 1) * 1000).toISOString();
              const item = { vesselId: vessel.id, ts: lastTs, sentAt };
              result.samples.push(item);
              onSample(item);
            }
          } else {
            result.failures += 1;
            await response?.arrayBuffer();
          }
        }
      }),
    );
    result.durationMs = Date.now() - began;
    return result;
  }

  // Ceiling 1: a bare route on the same machine, same bodies.
  const ceilingPort = await freePort();
  const ceiling = await startProcess('bench/ceiling-server.ts', { PORT: String(ceilingPort) }, (line) =>
    line.startsWith('PORT'),
  );
  await drive(ceilingPort, 2_000, false);
  const ceilingRun = await drive(ceilingPort, seconds * 1000, false);
  ceiling.kill('SIGTERM');
  const httpCeiling = Math.round(ceilingRun.acknowledgedPoints / (ceilingRun.durationMs / 1000));
  log(`HTTP ceiling: ${httpCeiling} points/s`);
  for (const vessel of vessels) vessel.nextSecond = 0;

  // The real path.
  const apiPort = await freePort();
  const writerPort = await freePort();
  const writerProcess = await startProcess('src/writer-main.ts', { PORT: String(writerPort) });
  await waitReady(writerPort);
  const apiProcess = await startProcess('src/server.ts', { PORT: String(apiPort), INSTANCE_ID: 'bench' });
  await waitReady(apiPort);

  const countStored = async (): Promise<number> =>
    Number(
      (
        await admin.query<{ n: string }>(
          'SELECT coalesce(sum(points), 0)::text AS n FROM performance.telemetry_chunks',
        )
      ).rows[0]?.n ?? 0,
    );

  const loadStarted = Date.now();
  const pending = new Map<string, { vesselId: string; ts: string; sentAt: number }>();
  const latencies: number[] = [];
  let loadDone = false;
  // Polls the sampled batches' last point until it is queryable: ingest-to-queryable latency.
  const latencyWatcher = (async () => {
    while (!loadDone || pending.size > 0) {
      for (const [id, item] of pending) {
        const found = await admin.query(
          `SELECT 1 FROM performance.telemetry_chunks
            WHERE vessel_id = $1 AND path = 'propulsion.engine_${channels - 1}.revolutions'
              AND bucket = date_trunc('minute', $2::timestamptz, 'UTC') AND $2::timestamptz = ANY (ts)`,
          [item.vesselId, item.ts],
        );
        if (found.rowCount) {
          latencies.push(Date.now() - item.sentAt);
          pending.delete(id);
        }
      }
      if (Date.now() - loadStarted > (seconds + 120) * 1000) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const loadResult = await drive(apiPort, seconds * 1000, true, (item) =>
    pending.set(`${item.vesselId}/${item.ts}`, item),
  );
  loadDone = true;

  let stored = await countStored();
  const drainDeadline = Date.now() + 180_000;
  while (stored < loadResult.acknowledgedPoints && Date.now() < drainDeadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    stored = await countStored();
  }
  const allQueryableAt = Date.now();
  await latencyWatcher;
  const apiRss = await peakRssMiB(apiProcess);
  const writerRss = await peakRssMiB(writerProcess);

  // Ceiling 2: a raw COPY into the same table of the rows the writer writes for the same batches:
  // each batch's points grouped into chunk rows by path and minute (groupIntoChunks, copyRows), under
  // a vessel id of its own per batch so that no row meets another (no merging, no rollups, no Kafka).
  const copyBatches = Math.max(
    1,
    Math.floor(Math.min(loadResult.acknowledgedPoints, 2_000_000) / pointsPerRequest),
  );
  const copyTenant = randomUUID();
  let copyPoints = 0;
  let copyChunkRows = 0;
  function* chunkRows(): Generator<string> {
    for (let index = 0; index < copyBatches; index += 1) {
      const firstSecond = Math.floor(index / vesselCount) * secondsPerBatch;
      const chunks = groupIntoChunks([
        {
          batchId: randomUUID(),
          tenantId: copyTenant,
          vesselId: randomUUID(),
          receivedAt: new Date().toISOString(),
          series: Array.from({ length: channels }, (_unused, channel) => ({
            path: `propulsion.engine_${channel}.revolutions`,
            times: Array.from(
              { length: secondsPerBatch },
              (_none, second) => start + (firstSecond + second) * 1000,
            ),
            values: Array.from({ length: secondsPerBatch }, (_none, second) => 10 + channel + second / 100),
          })),
        },
      ]);
      copyPoints += pointsPerRequest;
      copyChunkRows += chunks.length;
      yield* copyRows(chunks);
    }
  }
  const copyClient = await admin.connect();
  const copyStarted = Date.now();
  await pipeline(
    Readable.from(chunkRows()),
    copyClient.query(copyFrom(`COPY performance.telemetry_chunks (${CHUNK_COPY_COLUMNS}) FROM STDIN`)),
  );
  const copySeconds = (Date.now() - copyStarted) / 1000;
  copyClient.release();
  const copyCeiling = Math.round(copyPoints / copySeconds);

  const sorted = [...latencies].sort((a, b) => a - b);
  const percentile = (p: number): number | null =>
    sorted.length
      ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? null)
      : null;
  const acknowledgedPerSecond = Math.round(loadResult.acknowledgedPoints / (loadResult.durationMs / 1000));
  const queryablePerSecond = Math.round(stored / ((allQueryableAt - loadStarted) / 1000));
  const report = {
    benchmark: 'telemetry ingestion end to end (HTTP → Kafka → writer → PostgreSQL)',
    date: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    load: { seconds, vessels: vesselCount, channels, pointsPerRequest, concurrency },
    processNodeOptions: processEnv.NODE_OPTIONS,
    results: {
      requests: loadResult.requests,
      failedRequests: loadResult.failures,
      acknowledgedPoints: loadResult.acknowledgedPoints,
      storedPoints: stored,
      acknowledgedPointsPerSecond: acknowledgedPerSecond,
      queryablePointsPerSecond: queryablePerSecond,
      ingestToQueryableMs: { samples: sorted.length, p50: percentile(50), p99: percentile(99) },
      peakRssMiB: { api: apiRss, writer: writerRss },
    },
    ceilings: {
      bareFastifyPointsPerSecond: httpCeiling,
      rawCopyPointsPerSecond: copyCeiling,
      rawCopyChunkRowsPerSecond: Math.round(copyChunkRows / copySeconds),
      acknowledgedToHttpCeiling: Number((acknowledgedPerSecond / httpCeiling).toFixed(3)),
      queryableToCopyCeiling: Number((queryablePerSecond / copyCeiling).toFixed(3)),
    },
    goals: {
      endToEndPointsPerSecond: 130_000,
      endToEndMet: queryablePerSecond >= 130_000,
      halfOfCopyCeiling: queryablePerSecond >= copyCeiling / 2,
      p99UnderFiveSeconds: (percentile(99) ?? Infinity) < 5_000,
      eachProcessUnder300MiB: apiRss < 300 && writerRss < 300,
    },
  };
  await mkdir(path.join(repoRoot, 'bench-results'), { recursive: true });
  await writeFile(
    path.join(repoRoot, 'bench-results', 'performance.json'),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  console.log(JSON.stringify(report, null, 2));
  await pool.end();
  await admin.end();
} finally {
  await cleanup();
}
