import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { inject } from 'vitest';
import { createKafka, ensureTopics } from '../src/index.js';

export const brokers = (): string[] => inject('kafkaBrokers');

/** Topic and group names are unique per test: the broker is shared with other test runs. */
export const uniqueName = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

export function testKafka(clientId = uniqueName('messaging-test')): Kafka {
  return createKafka({ clientId, brokers: brokers() });
}

export async function createTopic(kafka: Kafka, numPartitions = 1): Promise<string> {
  const topic = uniqueName('messaging-test');
  await ensureTopics(kafka, [{ topic, numPartitions }]);
  return topic;
}

/** Polls until `condition` holds, failing with `what` after the deadline. */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Reads a topic from the start with a plain kafkajs consumer until `count` messages arrived. */
export async function readTopic(kafka: Kafka, topic: string, count: number): Promise<KafkaMessage[]> {
  const received: KafkaMessage[] = [];
  // A short fetch wait: disconnect() waits for the fetch in flight.
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 500 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(message);
      },
    });
    await waitUntil(`${count} messages on ${topic}`, () => received.length >= count);
  } finally {
    await consumer.disconnect();
  }
  return received;
}

/** A promise with its resolve function, for handlers the test releases. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

export interface FixtureProcess {
  /** What the process printed on stdout so far, line by line. */
  lines: string[];
  /** What it printed on stderr so far. */
  stderr(): string;
  /** Resolves with the signal that ended it, or its exit code. */
  exited: Promise<NodeJS.Signals | number | null>;
  /** Whether it has ended. */
  hasExited(): boolean;
  kill(signal: NodeJS.Signals): void;
}

/** Runs a TypeScript fixture in its own Node.js process, with the package's sources, as tests do. */
export function startFixture(
  packageDir: string,
  fixture: string,
  env: Record<string, string>,
): FixtureProcess {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fixture], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  return {
    lines,
    stderr: () => stderr,
    exited,
    hasExited: () => child.exitCode !== null || child.signalCode !== null,
    kill: (signal) => child.kill(signal),
  };
}
