import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createConsumer, createEnvelope, createProducer } from '../src/index.js';
import { brokers, createTopic, testKafka, uniqueName, waitUntil } from './helpers.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixture = path.join(packageDir, 'test/fixtures/consume-until-killed.ts');

const kafka = testKafka();
const producer = createProducer(kafka);
beforeAll(() => producer.connect());
afterAll(() => producer.disconnect());

it(
  'redelivers what a consumer killed mid-batch had not committed, and nothing it had',
  { timeout: 120_000 },
  async () => {
    // One partition: every message is in the same ordered stream, and in the killed consumer's batch.
    const [topic, deadLetterTopic] = [await createTopic(kafka), await createTopic(kafka)];
    const groupId = uniqueName('killed');
    await producer.publish(
      topic,
      Array.from({ length: 6 }, (_, n) => ({
        key: `vessel-${n}`,
        value: createEnvelope({ type: 'test.vessel.updated', version: 1, data: { n } }),
      })),
    );

    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fixture], {
      cwd: packageDir,
      env: {
        ...process.env,
        KAFKA_BROKERS: brokers().join(','),
        TOPIC: topic,
        GROUP_ID: groupId,
        DEAD_LETTER_TOPIC: deadLetterTopic,
        BLOCK_AT_OFFSET: '3',
      },
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

    try {
      await waitUntil(
        'the child to get stuck in offset 3',
        () => {
          if (child.exitCode !== null) throw new Error(`the consumer process exited early: ${stderr}`);
          return lines.includes('handling 3');
        },
        60_000,
      );
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');
    expect(lines).toEqual(['handled 0', 'handled 1', 'handled 2', 'handling 3']);

    const redelivered: string[] = [];
    const successor = createConsumer({
      kafka,
      producer,
      groupId,
      topics: [topic],
      deadLetterTopic,
      retry: { retries: 0, minTimeoutMs: 0, maxTimeoutMs: 0 },
      handler: async ({ offset }) => {
        redelivered.push(offset);
      },
    });
    try {
      await successor.start();
      // The group hands the partition over once the killed member's 6 s session has expired.
      await waitUntil('the uncommitted messages', () => redelivered.includes('5'), 60_000);
    } finally {
      await successor.stop();
    }
    expect(redelivered).toEqual(['3', '4', '5']);
  },
);
