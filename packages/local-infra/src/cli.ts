/**
 * Local infrastructure commands (used by the Makefile):
 *   jars  fetch the Kafka broker jars into .cache/ (no-op when present)
 *   dev   start PostgreSQL and Kafka (dev profile), apply each service's migrations (services/<name>/
 *         migrations, into schema <name>), then run every service's `dev` and `dev:<process>` scripts;
 *         stop everything on Ctrl-C / SIGTERM
 */
import { migrate } from '@fleetwatch/db';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ensureKafkaJars } from './kafka.js';
import { devProfile, startInfra, type InfraProfile } from './infra.js';
import { repoRoot } from './paths.js';
import { terminate } from './process-utils.js';

const log = (line: string): void => console.log(`[local-infra] ${line}`);

interface ServicePackage {
  name: string;
  dir: string;
  /** The service's PostgreSQL schema: its folder name. */
  schema: string;
  /** Its `dev` and `dev:<process>` scripts: one process each (an API and a writer, say). */
  devScripts: string[];
  migrationsDir?: string;
}

async function isDirectory(candidate: string): Promise<boolean> {
  return stat(candidate).then(
    (found) => found.isDirectory(),
    () => false,
  );
}

/** services/* with a package.json; FLEETWATCH_SERVICES_DIR points elsewhere (the dev command's test). */
async function findServices(servicesDir: string): Promise<ServicePackage[]> {
  const entries = await readdir(servicesDir, { withFileTypes: true }).catch(() => []);
  const found: ServicePackage[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(servicesDir, entry.name);
    const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8').catch(() => '{}')) as {
      name?: string;
      scripts?: Record<string, string>;
    };
    if (!manifest.name) continue;
    const migrationsDir = path.join(dir, 'migrations');
    found.push({
      name: manifest.name,
      dir,
      schema: entry.name,
      devScripts: Object.keys(manifest.scripts ?? {}).filter((script) => /^dev(:[\w-]+)?$/.test(script)),
      ...((await isDirectory(migrationsDir)) ? { migrationsDir } : {}),
    });
  }
  return found;
}

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

async function dev(): Promise<void> {
  const infra = await startInfra({
    profile: devProfileFromEnv(process.env),
    log: (line) => {
      if (!line.startsWith('[postgres]') || process.env.FLEETWATCH_INFRA_VERBOSE) log(line);
    },
  });
  log(`PostgreSQL: ${infra.databaseUrl} (migrations: ${infra.adminDatabaseUrl})`);
  log(`Kafka: ${infra.kafkaBrokers.join(',')}`);

  const services = await findServices(process.env.FLEETWATCH_SERVICES_DIR ?? path.join(repoRoot, 'services'));
  for (const service of services) {
    if (!service.migrationsDir) continue;
    const applied = await migrate({
      databaseUrl: infra.adminDatabaseUrl,
      schema: service.schema,
      dir: service.migrationsDir,
    });
    log(`${service.name}: ${applied.length} migration(s) applied to schema ${service.schema}`);
  }

  const children: ChildProcess[] = [];
  let stopping = false;
  const runnable = services.flatMap((service) =>
    service.devScripts.map((script) => ({ ...service, script })),
  );
  if (runnable.length === 0) log('no services with a dev script yet: running the infrastructure only');
  for (const service of runnable) {
    log(`starting ${service.name} (${service.script})`);
    const child = spawn('pnpm', ['run', service.script], {
      cwd: service.dir,
      stdio: 'inherit',
      // Its own process group, so stopping reaches the service behind pnpm and the shell.
      detached: true,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATABASE_URL: infra.databaseUrl,
        DATABASE_ADMIN_URL: infra.adminDatabaseUrl,
        KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      },
    });
    child.once('exit', (code, signal) => {
      if (!stopping)
        log(`${service.name} (${service.script}) exited (${signal ?? code}); the others keep running`);
    });
    children.push(child);
  }
  log('ready; press Ctrl-C to stop');

  await new Promise<NodeJS.Signals>((resolve) => {
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
  stopping = true;
  log('stopping');
  // Each service's whole process group (pnpm, the shell, the service) gets SIGTERM and its
  // SHUTDOWN_TIMEOUT_MS to drain; SIGKILL after 30 s.
  await Promise.all(
    children.flatMap((child) => (child.pid === undefined ? [] : [terminate(-child.pid, 'SIGTERM', 30_000)])),
  );
  await infra.stop();
  log('stopped');
}

const command = process.argv[2];
switch (command) {
  case 'jars':
    log(`Kafka jars in ${await ensureKafkaJars(log)}`);
    break;
  case 'dev':
    await dev();
    break;
  default:
    console.error('usage: cli.ts jars|dev');
    process.exit(2);
}
