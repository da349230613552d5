import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBatchConsumer, createEnvelope, createProducer } from '../src/index.js';
import { brokers, createTopic, startFixture, testKafka, uniqueName, waitUntil } from './helpers.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixture = path.join(packageDir, 'test/fixtures/batch-consume-until-killed.ts');

const kafka = testKafka();
const producer = createProducer(kafka);
beforeAll(() => producer.connect());
afterAll(() => producer.disconnect());

/** The offsets a fixture line names: "handled 0,1,2" gives ['0', '1', '2']. */
const offsetsIn = (line: string): string[] => line.slice(line.indexOf(' ') + 1).split(',');
const range = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, index) => String(from + index));

it(
  'redelivers the call a batch consumer was killed in, and nothing it had committed',
  { timeout: 120_000 },
  async () => {
    // One partition: every message is in the same ordered stream.
    const [topic, deadLetterTopic] = [await createTopic(kafka), await createTopic(kafka)];
    const groupId = uniqueName('batch-killed');
    await producer.publish(
      topic,
      Array.from({ length: 10 }, (_, n) => ({
        key: `vessel-${n}`,
        value: createEnvelope({ type: 'test.vessel.updated', version: 1, data: { n } }),
      })),
    );

    const child = startFixture(packageDir, fixture, {
      KAFKA_BROKERS: brokers().join(','),
      TOPIC: topic,
      GROUP_ID: groupId,
      DEAD_LETTER_TOPIC: deadLetterTopic,
      MAX_MESSAGES_PER_CALL: '3',
      BLOCK_AT_OFFSET: '6',
    });
    try {
      await waitUntil(
        'the child to get stuck in the call with offset 6',
        () => {
          if (child.hasExited()) throw new Error(`the consumer process exited early: ${child.stderr()}`);
          return child.lines.some((line) => line.startsWith('handling '));
        },
        60_000,
      );
    } finally {
      child.kill('SIGKILL');
    }
    expect(await child.exited).toBe('SIGKILL');

    // Calls of at most 3 messages; how a fetched batch splits into calls is kafkajs' to decide.
    const handled = child.lines.filter((line) => line.startsWith('handled ')).flatMap(offsetsIn);
    const blocked = offsetsIn(child.lines.at(-1) ?? '');
    expect(child.lines.at(-1)).toMatch(/^handling /);
    expect(handled).toEqual(range(0, handled.length - 1));
    expect(blocked[0]).toBe(String(handled.length));
    expect(blocked).toContain('6');

    const redelivered: string[] = [];
    const successor = createBatchConsumer({
      kafka,
      producer,
      groupId,
      topics: [topic],
      deadLetterTopic,
      retry: { retries: 0, minTimeoutMs: 0, maxTimeoutMs: 0 },
      maxMessagesPerCall: 3,
      handler: async (messages) => {
        redelivered.push(...messages.map(({ offset }) => offset));
      },
    });
    try {
      await successor.start();
      // The group hands the partition over once the killed member's 6 s session has expired.
      await waitUntil('the uncommitted messages', () => redelivered.includes('9'), 60_000);
    } finally {
      await successor.stop();
    }
    // The call in progress and everything after it, nothing the killed consumer had committed.
    expect(redelivered).toEqual(range(handled.length, 9));
  },
);
