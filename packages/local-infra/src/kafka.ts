import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { cacheDir, localDeployDir } from './paths.js';
import { GaveUp, isAlive, stopLeftover, terminate, waitFor } from './process-utils.js';

const run = promisify(execFile);

export const KAFKA_VERSION = '3.9.1';

export interface LocalKafkaOptions {
  dataDir: string;
  port: number;
  controllerPort: number;
  /** Wipe the data directory first (tests); dev keeps its topics between runs. */
  fresh: boolean;
  log?: (line: string) => void;
}

export interface LocalKafka {
  brokers: string[];
  stop(): Promise<void>;
}

/**
 * Copies the broker's runtime jars from Maven Central (through the local Maven repository) into
 * .cache/kafka-<version>/libs once; later calls return at once.
 */
export async function ensureKafkaJars(log: (line: string) => void = () => {}): Promise<string> {
  const libsDir = path.join(cacheDir, `kafka-${KAFKA_VERSION}`, 'libs');
  const marker = path.join(libsDir, '.complete');
  const done = await stat(marker).then(
    () => true,
    () => false,
  );
  if (done) return libsDir;

  log(`fetching Apache Kafka ${KAFKA_VERSION} jars with Maven into ${libsDir}`);
  await rm(libsDir, { recursive: true, force: true });
  await mkdir(libsDir, { recursive: true });
  await run(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      path.join(localDeployDir, 'kafka/pom.xml'),
      'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${libsDir}`,
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const jars = (await readdir(libsDir)).filter((name) => name.endsWith('.jar'));
  if (!jars.some((name) => name.startsWith(`kafka_2.13-${KAFKA_VERSION}`))) {
    throw new Error(`Maven did not deliver kafka_2.13-${KAFKA_VERSION}.jar into ${libsDir}`);
  }
  await writeFile(marker, `${jars.length} jars\n`);
  return libsDir;
}

/** A Kafka cluster id: 16 random bytes, base64url without padding (what `kafka-storage random-uuid` prints). */
function newClusterId(): string {
  return randomBytes(16).toString('base64url');
}

function serverProperties(options: LocalKafkaOptions, logDir: string): string {
  const { port, controllerPort } = options;
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${logDir}`,
    'num.partitions=1',
    // Topics are created explicitly (packages/messaging ensureTopics), as in production.
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=24',
    '',
  ].join('\n');
}

export async function startLocalKafka(options: LocalKafkaOptions): Promise<LocalKafka> {
  const { dataDir, port, fresh, log = () => {} } = options;
  const pidFile = path.join(dataDir, 'kafka.pid');
  await stopLeftover(pidFile);
  if (fresh) await rm(dataDir, { recursive: true, force: true });
  const logDir = path.join(dataDir, 'log');
  await mkdir(logDir, { recursive: true });

  const libsDir = await ensureKafkaJars(log);
  const propertiesFile = path.join(dataDir, 'server.properties');
  await writeFile(propertiesFile, serverProperties(options, logDir));
  const classpath = `${libsDir}/*`;
  const log4j = `-Dlog4j.configuration=file:${path.join(localDeployDir, 'kafka/log4j.properties')}`;

  const formatted = await stat(path.join(logDir, 'meta.properties')).then(
    () => true,
    () => false,
  );
  if (!formatted) {
    await run('java', [
      log4j,
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      // One argument with '=': an id may start with '-', which as a separate argument the tool's
      // parser would take for an option (1 run in 64 failed so).
      `--cluster-id=${newClusterId()}`,
      '-c',
      propertiesFile,
      '--ignore-formatted',
    ]);
  }

  const out = createWriteStream(path.join(dataDir, 'kafka.log'), { flags: 'a' });
  await new Promise((resolve) => out.once('open', resolve));
  const broker = spawn(
    'java',
    [
      '-Xms256m',
      '-Xmx512m',
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      log4j,
      '-cp',
      classpath,
      'kafka.Kafka',
      propertiesFile,
    ],
    { stdio: ['ignore', out, out] },
  );
  const pid = broker.pid;
  if (pid === undefined) throw new Error('could not start the Kafka broker (java not found?)');
  await writeFile(pidFile, `${pid}\n`);
  let exited = false;
  broker.once('exit', () => {
    exited = true;
  });

  const brokers = [`127.0.0.1:${port}`];
  const stop = async (): Promise<void> => {
    if (isAlive(pid)) await terminate(pid, 'SIGTERM', 30_000);
    out.end();
    await rm(pidFile, { force: true });
  };

  try {
    await waitFor(
      'Kafka broker',
      async () => {
        if (exited) throw new GaveUp(`the broker exited; see ${path.join(dataDir, 'kafka.log')}`);
        const admin = new Kafka({
          clientId: 'local-infra-probe',
          brokers,
          logLevel: logLevel.NOTHING,
          retry: { retries: 0 },
          connectionTimeout: 1000,
        }).admin();
        await admin.connect();
        try {
          await admin.describeCluster();
        } finally {
          await admin.disconnect();
        }
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  log(`Kafka ${KAFKA_VERSION} ready on ${brokers.join(',')}`);
  return { brokers, stop };
}
