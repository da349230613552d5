/**
 * The platform on one machine (used by the Makefile):
 *   dev   start PostgreSQL and Kafka (dev profile), apply each service's migrations (services/<name>/
 *         migrations, into schema <name>), run every service's `dev` and `dev:<process>` scripts (logs
 *         in .data/<profile>/logs/) and wait until each is ready; stop everything on Ctrl-C / SIGTERM
 */
import { migrate } from '@fleetwatch/db';
import path from 'node:path';
import {
  dataRoot,
  devProfile,
  findServices,
  freePort,
  repoRoot,
  startInfra,
  startProcesses,
  stopProcesses,
  waitUntilReady,
  type InfraProfile,
  type RunningProcess,
} from '@fleetwatch/local-infra';
import { devKeyFiles, mintDevToken } from '@fleetwatch/service-kit';
import { createFleet, createSimulation } from '@fleetwatch/simulator';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startDemo, type Demo } from './demo.js';
import { startRunner } from './runner.js';
import type { DemoState } from './seed.js';
import { runSoak } from './soak.js';

const log = (line: string): void => console.log(`[fleetwatch] ${line}`);

/** `make dev` ports and data folder; FLEETWATCH_DEV_* variables move them (e.g. when 5433 is taken). */
function devProfileFromEnv(env: NodeJS.ProcessEnv): InfraProfile {
  const port = (name: string, fallback: number): number => {
    const value = env[name];
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed <= 0 || parsed > 65535)
      throw new Error(`${name} must be a TCP port`);
    return parsed;
  };
  return {
    name: env.FLEETWATCH_DEV_PROFILE ?? devProfile.name,
    postgresPort: port('FLEETWATCH_DEV_POSTGRES_PORT', devProfile.postgresPort),
    kafkaPort: port('FLEETWATCH_DEV_KAFKA_PORT', devProfile.kafkaPort),
    kafkaControllerPort: port('FLEETWATCH_DEV_KAFKA_CONTROLLER_PORT', devProfile.kafkaControllerPort),
    fresh: false,
  };
}

/** One numbered step of start-up: what it does, how long it took, and where to look when it fails. */
async function step<T>(number: number, total: number, title: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  log(`[${number}/${total}] ${title} …`);
  try {
    const result = await run();
    log(`[${number}/${total}] ${title}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
  } catch (error) {
    log(`[${number}/${total}] ${title}: FAILED after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    throw error;
  }
}

/** Resolves with the first SIGINT/SIGTERM; later ones are acknowledged, not fatal. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    // Keep listening after the first signal: Ctrl-C reaches every process of the terminal's group and
    // wrappers send more, and an unhandled second signal would kill this process before it has
    // stopped the services and the infrastructure.
    let received = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (received) return log(`${signal} again: still stopping`);
      received = true;
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

async function dev(): Promise<void> {
  const profile = devProfileFromEnv(process.env);
  const logsDir = path.join(dataRoot, profile.name, 'logs');
  const demoWanted = process.env.FLEETWATCH_DEV_DEMO !== 'off';
  const total = demoWanted ? 5 : 3;
  const signal = untilSignal();
  const infra = await step(1, total, `PostgreSQL and Kafka (${profile.name} profile)`, () =>
    startInfra({
      profile,
      log: (line) => {
        if (!line.startsWith('[postgres]') || process.env.FLEETWATCH_INFRA_VERBOSE) log(line);
      },
    }),
  );
  let processes: RunningProcess[] = [];
  let demo: Demo | undefined;
  let reporter: NodeJS.Timeout | undefined;
  try {
    log(`PostgreSQL: ${infra.databaseUrl} (migrations: ${infra.adminDatabaseUrl})`);
    log(`Kafka: ${infra.kafkaBrokers.join(',')}`);
    const services = await findServices(
      process.env.FLEETWATCH_SERVICES_DIR ?? path.join(repoRoot, 'services'),
    );
    await step(2, total, 'migrations', async () => {
      for (const service of services) {
        if (!service.migrationsDir) continue;
        const applied = await migrate({
          databaseUrl: infra.adminDatabaseUrl,
          schema: service.schema,
          dir: service.migrationsDir,
        });
        log(`${service.name}: ${applied.length} migration(s) applied to schema ${service.schema}`);
      }
    });
    await step(
      3,
      total,
      `services (logs in ${path.relative(process.cwd(), logsDir) || logsDir}/)`,
      async () => {
        processes = await startProcesses(services, {
          logsDir,
          env: {
            ...process.env,
            NODE_ENV: 'development',
            // Every local client (the demo's seeding, the simulator, a browser) comes from 127.0.0.1.
            RATE_LIMIT_MAX: process.env.RATE_LIMIT_MAX ?? '1000000',
            DATABASE_URL: infra.databaseUrl,
            DATABASE_ADMIN_URL: infra.adminDatabaseUrl,
            KAFKA_BROKERS: infra.kafkaBrokers.join(','),
          },
        });
        if (processes.length === 0) log('no services with a dev script yet: running the infrastructure only');
        await Promise.all(
          processes.map(async (running) => {
            const started = Date.now();
            await waitUntilReady(running, 120_000);
            const where = running.port === undefined ? '' : ` on :${running.port}`;
            log(`  ${running.label}${where} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
          }),
        );
      },
    );
    for (const running of processes) {
      running.child.once('exit', (code, exitSignal) => {
        if (!stopping) log(`${running.label} exited (${exitSignal ?? code}); see ${running.logFile}`);
      });
    }
    if (demoWanted) demo = await startDemoSteps(processes, profile.name, total);
    printUrls(processes);
    if (demo) printTokens(demo);
    log('ready; press Ctrl-C to stop');
  } catch (error) {
    log(`start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    log('stopping what was started');
    stopping = true;
    if (demo) await demo.runner.stop();
    await stopProcesses(processes);
    await infra.stop();
    process.exitCode = 1;
    return;
  }

  if (demo) reporter = reportSimulator(demo);
  await signal;
  stopping = true;
  log('stopping');
  clearInterval(reporter);
  if (demo) {
    const final = await demo.runner.stop();
    log(
      `simulator stopped: ${final.pointsAccepted} points and ${final.noonReportsSubmitted} noon reports acknowledged`,
    );
  }
  await stopProcesses(processes);
  await infra.stop();
  log('stopped');
}

let stopping = false;

function envNumber(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new Error(`${name} must be a positive number, got ${value}`);
  return parsed;
}

/** Steps 4 and 5: demo data through the public APIs (once; kept in the profile's folder), then the simulator. */
async function startDemoSteps(
  processes: RunningProcess[],
  profileName: string,
  total: number,
): Promise<Demo> {
  const portOf = (label: string): string => {
    const port = processes.find((running) => running.label === label)?.port;
    if (port === undefined) throw new Error(`the demo needs the ${label} service running`);
    return `http://127.0.0.1:${port}`;
  };
  const vessels = envNumber('FLEETWATCH_SIM_VESSELS', 650);
  const channels = envNumber('FLEETWATCH_SIM_CHANNELS', 20);
  return step(4, total, `demo data and simulator (${vessels} vessels, ${channels} channels each)`, () =>
    startDemo({
      urls: {
        fleet: portOf('fleet'),
        performance: portOf('performance'),
        crew: portOf('crew'),
        maintenance: portOf('maintenance'),
      },
      devAuthDir: path.join(dataRoot, 'dev-auth'),
      statePath: path.join(dataRoot, profileName, 'demo.json'),
      seed: process.env.FLEETWATCH_SIM_SEED ?? 'fleetwatch',
      vessels,
      tenantNames: [
        'Nordic Bulk Shipping',
        'Aegean Tankers',
        'Pacific Box Lines',
        'Atlas Reefer',
        'Meridian LNG',
      ],
      channels,
      sampleSeconds: envNumber('FLEETWATCH_SIM_SAMPLE_SECONDS', 5),
      batchSeconds: envNumber('FLEETWATCH_SIM_BATCH_SECONDS', 60),
      acceleration: envNumber('FLEETWATCH_SIM_ACCELERATION', 1),
      faults: { 'bad-checksum': 0.02, gap: 0.01, duplicate: 0.02, late: 0.02 },
      crewedVesselsPerTenant: 3,
      log: (line) => log(`  ${line}`),
    }),
  ).then(async (demo) => {
    await step(5, total, 'first telemetry acknowledged', async () => {
      const deadline = Date.now() + 180_000;
      while (demo.runner.stats().pointsAccepted === 0) {
        if (Date.now() > deadline)
          throw new Error(`no telemetry acknowledged: ${demo.runner.stats().lastErrors.join('; ')}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    });
    return demo;
  });
}

/** Every minute: what the simulator sent and the platform acknowledged. */
function reportSimulator(demo: Demo): NodeJS.Timeout {
  let previous = demo.runner.stats();
  let at = Date.now();
  return setInterval(() => {
    const now = demo.runner.stats();
    const seconds = (Date.now() - at) / 1000;
    log(
      `simulator: ${Math.round((now.pointsAccepted - previous.pointsAccepted) / seconds)} points/s acknowledged, ` +
        `${now.noonReportsSubmitted} noon reports, backlog ${now.backlog}, refused ${now.failedRequests}`,
    );
    previous = now;
    at = Date.now();
  }, 60_000).unref();
}

function printTokens(demo: Demo): void {
  const tenant = demo.state.tenants[0];
  log(
    `demo: ${demo.state.tenants.length} tenants, ${demo.state.vessels.length} vessels; tokens (8 h) for ${tenant?.name ?? 'the operator'}:`,
  );
  for (const [role, token] of Object.entries(demo.tokens)) log(`  ${role.padEnd(15)} ${token}`);
  log(
    `e.g. curl -H "authorization: Bearer <fleet-manager token>" http://127.0.0.1:3002/v1/performance/fleet/overview`,
  );
}

/** What to open: each service's API docs, swagger-stats UI and metrics. */
function printUrls(processes: RunningProcess[]): void {
  const withPorts = processes.filter((running) => running.port !== undefined);
  if (withPorts.length === 0) return;
  log('open:');
  for (const { label, port } of withPorts) {
    const base = `http://127.0.0.1:${port}`;
    log(`  ${label.padEnd(20)} docs ${base}/docs   stats ${base}/swagger-stats/   metrics ${base}/metrics`);
  }
}

/** `make soak`: a fresh stack of its own (free ports), the platform and simulator for SOAK_SECONDS, the proof. */
async function soak(): Promise<void> {
  const profile: InfraProfile = {
    name: 'soak',
    postgresPort: await freePort(),
    kafkaPort: await freePort(),
    kafkaControllerPort: await freePort(),
    fresh: true,
  };
  const seconds = envNumber('SOAK_SECONDS', 600);
  const infra = await step(1, 2, 'PostgreSQL and Kafka (soak profile, fresh)', () =>
    startInfra({ profile, env: { ...process.env, DATABASE_URL: '', KAFKA_BROKERS: '' }, log: () => {} }),
  );
  try {
    const result = await step(2, 2, `soak for ${seconds} s`, () =>
      runSoak({
        databaseUrl: infra.databaseUrl,
        adminDatabaseUrl: infra.adminDatabaseUrl,
        kafkaBrokers: infra.kafkaBrokers,
        servicesDir: path.join(repoRoot, 'services'),
        logsDir: path.join(dataRoot, 'soak', 'logs'),
        seconds,
        vessels: envNumber('SOAK_VESSELS', 100),
        channels: envNumber('SOAK_CHANNELS', 20),
        acceleration: envNumber('SOAK_ACCELERATION', 144),
        maxRssGrowthMiB: envNumber('SOAK_MAX_RSS_GROWTH_MIB', 150),
        log: (line) => log(`  ${line}`),
      }),
    );
    const { runner } = result;
    log(`points acknowledged (distinct): ${runner.uniquePointsAccepted}, stored: ${result.pointsStored}`);
    log(`noon reports accepted: ${runner.noonReportsSubmitted}, stored: ${result.noonReportsStored}`);
    log(`requests: ${runner.requests}, retried: ${runner.retries}, refused: ${runner.failedRequests}`);
    for (const [label, { warm, end }] of Object.entries(result.rssMiB)) {
      log(`resident memory ${label}: ${warm} MiB after warm-up, ${end} MiB at the end`);
    }
    log(result.ok ? 'soak passed: nothing lost' : `soak FAILED: ${result.problems.join('; ')}`);
    process.exitCode = result.ok ? 0 : 1;
  } finally {
    await infra.stop();
  }
}

/**
 * `make simulate`: the simulator alone against a platform that is already running (make dev's, by
 * default), with the vessels and device keys make dev seeded; until Ctrl-C.
 */
async function simulate(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(3),
    options: {
      performance: { type: 'string', default: 'http://127.0.0.1:3002' },
      state: { type: 'string', default: path.join(dataRoot, 'dev', 'demo.json') },
      seed: { type: 'string', default: process.env.FLEETWATCH_SIM_SEED ?? 'fleetwatch' },
    },
  });
  const state = JSON.parse(await readFile(values.state, 'utf8')) as DemoState;
  const acceleration = envNumber('FLEETWATCH_SIM_ACCELERATION', 1);
  const fleet = createFleet({
    seed: values.seed,
    vessels: Math.min(envNumber('FLEETWATCH_SIM_VESSELS', state.vessels.length), state.vessels.length),
    tenants: state.tenants.length,
    channels: envNumber('FLEETWATCH_SIM_CHANNELS', 20),
    start: Date.now() - (acceleration - 1) * 3_600_000,
  });
  const keys = devKeyFiles(path.join(dataRoot, 'dev-auth'));
  const runner = startRunner({
    performanceUrl: `${values.performance}/v1/performance`,
    simulation: createSimulation(fleet, {
      sampleSeconds: envNumber('FLEETWATCH_SIM_SAMPLE_SECONDS', 5),
      batchSeconds: envNumber('FLEETWATCH_SIM_BATCH_SECONDS', 60),
      acceleration,
    }),
    vessels: state.vessels,
    faults: { 'bad-checksum': 0.02, gap: 0.01, duplicate: 0.02, late: 0.02 },
    managerToken: (tenant) => mintDevToken(keys, { subject: 'simulator', roles: ['fleet-manager'], tenant }),
    log,
  });
  log(`simulating ${fleet.vessels.length} vessels against ${values.performance}; Ctrl-C to stop`);
  const reporter = setInterval(() => {
    const stats = runner.stats();
    log(
      `${stats.pointsAccepted} points and ${stats.noonReportsSubmitted} noon reports acknowledged, backlog ${stats.backlog}`,
    );
  }, 10_000);
  await untilSignal();
  clearInterval(reporter);
  const final = await runner.stop();
  log(
    `stopped: ${final.pointsAccepted} points, ${final.noonReportsSubmitted} noon reports, ${final.failedRequests} refused`,
  );
}

const command = process.argv[2];
switch (command) {
  case 'dev':
    await dev();
    break;
  case 'soak':
    await soak();
    break;
  case 'simulate':
    await simulate();
    break;
  default:
    console.error('usage: cli.ts dev|soak|simulate [--performance URL] [--state FILE] [--seed S]');
    process.exit(2);
}
