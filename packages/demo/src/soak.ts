/**
 * The soak: the whole platform as processes (every service's dev scripts) with demo data and the
 * simulator for a while, then the proof that nothing was lost — every point the platform acknowledged
 * is stored, every noon report it accepted is stored — and that no process's memory kept growing.
 */
import { migrate } from '@fleetwatch/db';
import { startDemo } from './demo.js';
import type { RunnerStats } from './runner.js';
import { DEV_AUDIENCE, DEV_ISSUER, devKeyFiles, loadOrCreateDevKey } from '@fleetwatch/service-kit';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import {
  findServices,
  freePort,
  startProcesses,
  stopProcesses,
  waitUntilReady,
  type RunningProcess,
} from '@fleetwatch/local-infra';

export interface SoakOptions {
  databaseUrl: string;
  adminDatabaseUrl: string;
  kafkaBrokers: string[];
  servicesDir: string;
  logsDir: string;
  seconds: number;
  vessels: number;
  channels: number;
  /** Simulated seconds per wall second: high enough that simulated days, and noon reports, pass. */
  acceleration: number;
  /** Allowed growth of each process's resident memory between warm-up and the end. */
  maxRssGrowthMiB: number;
  log: (line: string) => void;
}

export interface SoakResult {
  ok: boolean;
  seconds: number;
  runner: RunnerStats;
  pointsStored: number;
  noonReportsStored: number;
  rssMiB: Record<string, { warm: number; end: number }>;
  problems: string[];
}

async function residentMiB(process: RunningProcess): Promise<number | null> {
  if (process.port === undefined) return null;
  const text = await fetch(`http://127.0.0.1:${process.port}/metrics`).then(
    (response) => response.text(),
    () => '',
  );
  const match = /^process_resident_memory_bytes\s+([0-9.e+]+)$/m.exec(text);
  return match ? Number(match[1]) / 1024 / 1024 : null;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { log } = options;
  const services = await findServices(options.servicesDir);
  for (const service of services) {
    if (service.migrationsDir) {
      await migrate({
        databaseUrl: options.adminDatabaseUrl,
        schema: service.schema,
        dir: service.migrationsDir,
      });
    }
  }
  const workDir = await mkdtemp(path.join(tmpdir(), 'fleetwatch-soak-'));
  await mkdir(options.logsDir, { recursive: true });
  const devAuthDir = path.join(workDir, 'auth');
  // Free ports, so a soak can run beside make dev; a demo token's signing key of its own.
  const ports: Record<string, number> = {};
  for (const service of services) {
    for (const script of service.devScripts) {
      ports[script === 'dev' ? service.schema : `${service.schema}:${script.slice(4)}`] = await freePort();
    }
  }
  const keyFiles = devKeyFiles(devAuthDir);
  await loadOrCreateDevKey(keyFiles);

  const processes = await startProcesses(services, {
    logsDir: options.logsDir,
    ports,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '1000000',
      AUTH_ISSUER: DEV_ISSUER,
      AUTH_AUDIENCE: DEV_AUDIENCE,
      AUTH_JWKS_FILE: keyFiles.jwksFile,
      DATABASE_URL: options.databaseUrl,
      DATABASE_ADMIN_URL: options.adminDatabaseUrl,
      KAFKA_BROKERS: options.kafkaBrokers.join(','),
      // Each soak its own consumer groups and registry views: nothing left over from earlier runs.
      WRITER_GROUP_ID: `soak-writer-${process.pid}-${Date.now()}`,
      RUNNING_HOURS_GROUP_ID: `soak-running-hours-${process.pid}-${Date.now()}`,
    },
  });
  const problems: string[] = [];
  const admin = new pg.Pool({ connectionString: options.adminDatabaseUrl, max: 2 });
  try {
    await Promise.all(processes.map((running) => waitUntilReady(running, 180_000)));
    log(`${processes.length} processes ready`);
    const url = (label: string) => `http://127.0.0.1:${ports[label]}`;
    const demo = await startDemo({
      urls: {
        fleet: url('fleet'),
        performance: url('performance'),
        crew: url('crew'),
        maintenance: url('maintenance'),
      },
      devAuthDir,
      statePath: path.join(workDir, 'demo.json'),
      seed: `soak-${Date.now()}`,
      vessels: options.vessels,
      tenantNames: [`Soak Owner A ${Date.now()}`, `Soak Owner B ${Date.now()}`],
      channels: options.channels,
      // Two samples per vessel per wall second, a batch every five: a steady load whatever the speed-up.
      sampleSeconds: Math.max(1, Math.round(options.acceleration / 2)),
      batchSeconds: Math.max(60, Math.round(options.acceleration * 5)),
      acceleration: options.acceleration,
      runSeconds: options.seconds,
      // Gaps, duplicates and late batches; no garbled NMEA lines, which make the stored count uncertain.
      faults: { gap: 0.02, duplicate: 0.05, late: 0.05 },
      crewedVesselsPerTenant: 1,
      log,
    });
    const started = Date.now();
    const warmAt = started + options.seconds * 200;
    const rss: SoakResult['rssMiB'] = {};
    while (Date.now() < started + options.seconds * 1000) {
      await sleep(1_000);
      if (Date.now() >= warmAt && Object.keys(rss).length === 0) {
        for (const running of processes) {
          const mib = await residentMiB(running);
          if (mib !== null) rss[running.label] = { warm: mib, end: mib };
        }
      }
    }
    for (const running of processes) {
      const mib = await residentMiB(running);
      const entry = rss[running.label];
      if (mib !== null && entry) entry.end = mib;
    }
    const runner = await demo.runner.stop();
    const vesselIds = demo.state.vessels.map((vessel) => vessel.id);

    // The writer drains Kafka into PostgreSQL: wait until the count stops short of nothing.
    let pointsStored = 0;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { rows } = await admin.query<{ n: string }>(
        'SELECT coalesce(sum(points), 0) AS n FROM performance.telemetry_chunks WHERE vessel_id = ANY($1::uuid[])',
        [vesselIds],
      );
      pointsStored = Number(rows[0]?.n ?? 0);
      if (pointsStored >= runner.uniquePointsAccepted || Date.now() > deadline) break;
      await sleep(1_000);
    }
    const { rows: reports } = await admin.query<{ n: string }>(
      'SELECT count(*) AS n FROM performance.noon_reports WHERE vessel_id = ANY($1::uuid[])',
      [vesselIds],
    );
    const noonReportsStored = Number(reports[0]?.n ?? 0);

    if (runner.uniquePointsAccepted === 0) problems.push('no telemetry was acknowledged');
    if (pointsStored !== runner.uniquePointsAccepted) {
      problems.push(`${runner.uniquePointsAccepted} points acknowledged but ${pointsStored} stored`);
    }
    if (noonReportsStored !== runner.noonReportsSubmitted) {
      problems.push(`${runner.noonReportsSubmitted} noon reports accepted but ${noonReportsStored} stored`);
    }
    if (runner.failedRequests > 0) {
      problems.push(`${runner.failedRequests} requests refused: ${runner.lastErrors.join(' | ')}`);
    }
    if (runner.noonReportsFailed > 0) problems.push(`${runner.noonReportsFailed} noon reports refused`);
    for (const [label, { warm, end }] of Object.entries(rss)) {
      if (end - warm > options.maxRssGrowthMiB) {
        problems.push(
          `${label}: resident memory grew ${Math.round(end - warm)} MiB (${Math.round(warm)} → ${Math.round(end)})`,
        );
      }
    }
    return {
      ok: problems.length === 0,
      seconds: options.seconds,
      runner,
      pointsStored,
      noonReportsStored,
      rssMiB: Object.fromEntries(
        Object.entries(rss).map(([label, { warm, end }]) => [
          label,
          { warm: Math.round(warm), end: Math.round(end) },
        ]),
      ),
      problems,
    };
  } finally {
    await admin.end();
    await stopProcesses(processes);
    await rm(workDir, { recursive: true, force: true });
  }
}
