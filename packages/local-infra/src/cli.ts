/**
 * Local infrastructure commands (used by the Makefile):
 *   jars  fetch the Kafka broker jars into .cache/ (no-op when present)
 *   dev   start PostgreSQL and Kafka (dev profile), then every service that has a `dev` script;
 *         stop everything on Ctrl-C / SIGTERM
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureKafkaJars } from './kafka.js';
import { devProfile, startInfra, type InfraProfile } from './infra.js';
import { repoRoot } from './paths.js';

const log = (line: string): void => console.log(`[local-infra] ${line}`);

interface ServicePackage {
  name: string;
  dir: string;
}

async function servicesWithDevScript(): Promise<ServicePackage[]> {
  const servicesDir = path.join(repoRoot, 'services');
  const entries = await readdir(servicesDir, { withFileTypes: true }).catch(() => []);
  const found: ServicePackage[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(servicesDir, entry.name);
    const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8').catch(() => '{}')) as {
      name?: string;
      scripts?: Record<string, string>;
    };
    if (manifest.name && manifest.scripts?.dev) found.push({ name: manifest.name, dir });
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

  const children: ChildProcess[] = [];
  const services = await servicesWithDevScript();
  if (services.length === 0) log('no services with a dev script yet: running the infrastructure only');
  for (const service of services) {
    log(`starting ${service.name}`);
    children.push(
      spawn('pnpm', ['run', 'dev'], {
        cwd: service.dir,
        stdio: 'inherit',
        env: {
          ...process.env,
          NODE_ENV: 'development',
          DATABASE_URL: infra.databaseUrl,
          DATABASE_ADMIN_URL: infra.adminDatabaseUrl,
          KAFKA_BROKERS: infra.kafkaBrokers.join(','),
        },
      }),
    );
  }
  log('ready; press Ctrl-C to stop');

  await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log('stopping');
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
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
