import path from 'node:path';
import { dataRoot, repoRoot } from './paths.js';
import { startLocalKafka } from './kafka.js';
import { postgresUrls, startLocalPostgres } from './postgres.js';

/** Where PostgreSQL and Kafka come from. */
export type InfraMode = 'external' | 'docker' | 'local';

export interface Infra {
  mode: InfraMode;
  /** Connection for services: a role under row-level security. */
  databaseUrl: string;
  /** Owner connection for migrations. */
  adminDatabaseUrl: string;
  kafkaBrokers: string[];
  stop(): Promise<void>;
}

export interface InfraProfile {
  /** Folder under .data/ for this profile's data. */
  name: string;
  postgresPort: number;
  kafkaPort: number;
  kafkaControllerPort: number;
  /** Start from empty data (tests) or keep it (dev). */
  fresh: boolean;
}

/** `make dev`: data kept between runs. */
export const devProfile: InfraProfile = {
  name: 'dev',
  postgresPort: 5433,
  kafkaPort: 9092,
  kafkaControllerPort: 9093,
  fresh: false,
};

/** Tests: other ports, so `make test` runs while `make dev` is up; data wiped each run. */
export const testProfile: InfraProfile = {
  name: 'test',
  postgresPort: 55433,
  kafkaPort: 29092,
  kafkaControllerPort: 29093,
  fresh: true,
};

export interface StartInfraOptions {
  profile: InfraProfile;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/**
 * Uses DATABASE_URL and KAFKA_BROKERS when both are set (DATABASE_ADMIN_URL for migrations, else
 * DATABASE_URL). Otherwise runs the stack in docker-compose.yml when a Docker engine answers
 * (FLEETWATCH_INFRA=docker|local forces a choice), and falls back to local processes.
 */
export async function startInfra({
  profile,
  env = process.env,
  log = () => {},
}: StartInfraOptions): Promise<Infra> {
  const { DATABASE_URL, DATABASE_ADMIN_URL, KAFKA_BROKERS, FLEETWATCH_INFRA } = env;
  if (DATABASE_URL && KAFKA_BROKERS) {
    log('using external PostgreSQL and Kafka from DATABASE_URL and KAFKA_BROKERS');
    return {
      mode: 'external',
      databaseUrl: DATABASE_URL,
      adminDatabaseUrl: DATABASE_ADMIN_URL ?? DATABASE_URL,
      kafkaBrokers: KAFKA_BROKERS.split(',').map((broker) => broker.trim()),
      stop: async () => {},
    };
  }
  if (FLEETWATCH_INFRA !== 'local' && (FLEETWATCH_INFRA === 'docker' || (await dockerEngineAnswers()))) {
    return startDockerCompose(log);
  }
  return startLocalProcesses(profile, log);
}

async function dockerEngineAnswers(): Promise<boolean> {
  // testcontainers is heavy to load; only load it to ask.
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function startDockerCompose(log: (line: string) => void): Promise<Infra> {
  const { DockerComposeEnvironment, Wait } = await import('testcontainers');
  log('starting PostgreSQL and Kafka with docker-compose.yml');
  const environment = await new DockerComposeEnvironment(repoRoot, 'docker-compose.yml')
    .withWaitStrategy('postgres-1', Wait.forHealthCheck())
    .withWaitStrategy('kafka-1', Wait.forHealthCheck())
    .up(['postgres', 'kafka']);
  const postgres = environment.getContainer('postgres-1');
  const kafka = environment.getContainer('kafka-1');
  return {
    mode: 'docker',
    ...postgresUrls(postgres.getHost(), postgres.getMappedPort(5432)),
    kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9092)}`],
    stop: async () => {
      await environment.down();
    },
  };
}

async function startLocalProcesses(profile: InfraProfile, log: (line: string) => void): Promise<Infra> {
  const dataDir = path.join(dataRoot, profile.name);
  log(
    `starting local PostgreSQL on 127.0.0.1:${profile.postgresPort} and Kafka on 127.0.0.1:${profile.kafkaPort}`,
  );
  const [postgres, kafka] = await Promise.all([
    startLocalPostgres({
      dataDir: path.join(dataDir, 'postgres'),
      port: profile.postgresPort,
      fresh: profile.fresh,
      log: (line) => log(`[postgres] ${line}`),
    }),
    startLocalKafka({
      dataDir: path.join(dataDir, 'kafka'),
      port: profile.kafkaPort,
      controllerPort: profile.kafkaControllerPort,
      fresh: profile.fresh,
      log: (line) => log(`[kafka] ${line}`),
    }),
  ]);
  return {
    mode: 'local',
    databaseUrl: postgres.databaseUrl,
    adminDatabaseUrl: postgres.adminDatabaseUrl,
    kafkaBrokers: kafka.brokers,
    stop: async () => {
      await Promise.all([kafka.stop(), postgres.stop()]);
    },
  };
}
