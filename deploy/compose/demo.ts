/**
 * The demo tooling of docker-compose.yml, run by the image deploy/compose/demo.Dockerfile builds
 * (node --conditions=source --import tsx deploy/compose/demo.ts COMMAND):
 *   keys    the development signing key in FLEETWATCH_AUTH_DIR (created on the first run, kept in a
 *           volume): the services read its JWKS with AUTH_JWKS_FILE (service `dev-keys`)
 *   run     demo data through the services' public APIs (once; what was created is kept in
 *           FLEETWATCH_DEMO_STATE), then the fleet simulator posting telemetry and noon reports until
 *           SIGTERM, as `make dev` does (service `simulator`)
 *   token   one development token: token --roles fleet-manager [--tenant <id>]
 *           (docker compose run --rm --no-deps simulator token --roles platform-admin)
 * The services are reached by their compose names (FLEETWATCH_FLEET_URL, FLEETWATCH_PERFORMANCE_URL,
 * FLEETWATCH_CREW_URL, FLEETWATCH_MAINTENANCE_URL); the simulator's settings are make dev's
 * FLEETWATCH_SIM_* variables.
 */
import {
  DEV_AUDIENCE,
  DEV_ISSUER,
  devKeyFiles,
  loadOrCreateDevKey,
  mintDevToken,
} from '@fleetwatch/service-kit';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startDemo, type Demo } from '../../packages/demo/src/index.js';

const log = (line: string): void => console.log(`[fleetwatch-demo] ${line}`);

/** The same tenants as `make dev` (packages/demo/src/cli.ts). */
const TENANT_NAMES = [
  'Nordic Bulk Shipping',
  'Aegean Tankers',
  'Pacific Box Lines',
  'Atlas Reefer',
  'Meridian LNG',
];

function envText(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

function envNumber(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new Error(`${name} must be a positive number, got ${value}`);
  return parsed;
}

const authDir = envText('FLEETWATCH_AUTH_DIR', '/dev-auth');

async function keys(): Promise<void> {
  const files = devKeyFiles(authDir);
  await loadOrCreateDevKey(files);
  log(`development signing key in ${authDir}; services accept its tokens with:`);
  log(`  AUTH_ISSUER=${DEV_ISSUER} AUTH_AUDIENCE=${DEV_AUDIENCE} AUTH_JWKS_FILE=${files.jwksFile}`);
}

async function token(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      tenant: { type: 'string', default: '' },
      roles: { type: 'string', default: '' },
      subject: { type: 'string', default: 'dev-user' },
    },
  });
  const roles = values.roles
    .split(',')
    .map((role) => role.trim())
    .filter(Boolean);
  if (roles.length === 0) throw new Error('usage: token --roles <role>[,<role>] [--tenant <tenant id>]');
  console.log(
    await mintDevToken(devKeyFiles(authDir), {
      subject: values.subject,
      roles,
      ...(values.tenant ? { tenant: values.tenant } : {}),
    }),
  );
}

/** Resolves with the first SIGINT/SIGTERM (docker compose stop sends SIGTERM). */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

async function run(): Promise<void> {
  const signal = untilSignal();
  const urls = {
    fleet: envText('FLEETWATCH_FLEET_URL', 'http://fleet:8080'),
    performance: envText('FLEETWATCH_PERFORMANCE_URL', 'http://performance-api:8080'),
    crew: envText('FLEETWATCH_CREW_URL', 'http://crew:8080'),
    maintenance: envText('FLEETWATCH_MAINTENANCE_URL', 'http://maintenance:8080'),
  };
  const vessels = envNumber('FLEETWATCH_SIM_VESSELS', 650);
  const channels = envNumber('FLEETWATCH_SIM_CHANNELS', 20);
  log(`demo data and simulator (${vessels} vessels, ${channels} channels each) against ${urls.performance}`);
  const statePath = envText('FLEETWATCH_DEMO_STATE', '/demo-state/demo.json');
  await mkdir(dirname(statePath), { recursive: true });
  const starting = startDemo({
    urls,
    devAuthDir: authDir,
    statePath,
    seed: envText('FLEETWATCH_SIM_SEED', 'fleetwatch'),
    vessels,
    tenantNames: TENANT_NAMES,
    channels,
    sampleSeconds: envNumber('FLEETWATCH_SIM_SAMPLE_SECONDS', 5),
    batchSeconds: envNumber('FLEETWATCH_SIM_BATCH_SECONDS', 60),
    acceleration: envNumber('FLEETWATCH_SIM_ACCELERATION', 1),
    faults: { 'bad-checksum': 0.02, gap: 0.01, duplicate: 0.02, late: 0.02 },
    crewedVesselsPerTenant: 3,
    log: (line) => log(`  ${line}`),
  });
  // Stopped while seeding: what was created is already in the state file, the next run goes on from it.
  const demo: Demo | NodeJS.Signals = await Promise.race([starting, signal]);
  if (typeof demo === 'string') {
    log(`received ${demo} while seeding: stopping`);
    return;
  }
  const tenant = demo.state.tenants[0];
  log(
    `demo: ${demo.state.tenants.length} tenants, ${demo.state.vessels.length} vessels; tokens (8 h) for ${tenant?.name ?? 'the operator'}:`,
  );
  for (const [role, value] of Object.entries(demo.tokens)) log(`  ${role.padEnd(15)} ${value}`);
  log(
    'e.g. curl -H "authorization: Bearer <fleet-manager token>" http://127.0.0.1:3002/v1/performance/fleet/overview',
  );

  let previous = demo.runner.stats();
  let at = Date.now();
  const reporter = setInterval(() => {
    const now = demo.runner.stats();
    const seconds = (Date.now() - at) / 1000;
    log(
      `simulator: ${Math.round((now.pointsAccepted - previous.pointsAccepted) / seconds)} points/s acknowledged, ` +
        `${now.noonReportsSubmitted} noon reports, backlog ${now.backlog}, refused ${now.failedRequests}` +
        (now.lastErrors.length > 0 && now.failedRequests > previous.failedRequests
          ? `; last: ${now.lastErrors.at(-1)}`
          : ''),
    );
    previous = now;
    at = Date.now();
  }, 60_000);

  // The first acknowledged telemetry, as make dev's step 5 waits for it (reported, not fatal).
  void (async () => {
    const deadline = Date.now() + 180_000;
    while (demo.runner.stats().pointsAccepted === 0 && Date.now() < deadline) await sleep(500);
    const stats = demo.runner.stats();
    log(
      stats.pointsAccepted > 0
        ? 'first telemetry acknowledged'
        : `no telemetry acknowledged after 180 s: ${stats.lastErrors.join('; ')}`,
    );
  })();

  log(`received ${await signal}: stopping the simulator`);
  clearInterval(reporter);
  const final = await demo.runner.stop();
  log(
    `simulator stopped: ${final.pointsAccepted} points and ${final.noonReportsSubmitted} noon reports acknowledged`,
  );
}

const [command = 'run', ...rest] = process.argv.slice(2);
try {
  switch (command) {
    case 'keys':
      await keys();
      break;
    case 'run':
      await run();
      break;
    case 'token':
      await token(rest);
      break;
    default:
      console.error('usage: demo.ts keys | run | token --roles <role>[,<role>] [--tenant <id>]');
      process.exitCode = 2;
  }
} catch (error) {
  log(`${command} failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
// The simulator's sockets and timers are closed by runner.stop(); exit in any case.
process.exit();
