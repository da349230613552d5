import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createKafka, ensureTopics, kafkaHealthCheck, type Logger } from '../src/index.js';
import { testKafka, uniqueName } from './helpers.js';

type Line = [level: keyof Logger, fields: object, message: string | undefined];

function recordingLogger(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const record =
    (level: keyof Logger) =>
    (fields: object, message?: string): void => {
      lines.push([level, fields, message]);
    };
  return {
    lines,
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
  };
}

/** A port nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

describe('createKafka', () => {
  it('forwards kafkajs log lines to the logger at or above the level', () => {
    const { logger, lines } = recordingLogger();
    const kafka = createKafka({ clientId: 'log-test', brokers: ['127.0.0.1:1'], logger, logLevel: 'info' });
    const kafkaLogger = kafka.logger().namespace('Consumer');
    kafkaLogger.info('joined', { groupId: 'g1' });
    kafkaLogger.error('broke', { error: 'boom' });
    kafkaLogger.debug('chatter', {});
    expect(lines).toEqual([
      ['info', { groupId: 'g1', component: 'kafkajs', namespace: 'Consumer' }, 'joined'],
      ['error', { error: 'boom', component: 'kafkajs', namespace: 'Consumer' }, 'broke'],
    ]);
  });
});

describe('ensureTopics', () => {
  const kafka = testKafka();

  it('creates missing topics with their partitions and leaves existing ones alone', async () => {
    const [first, second] = [uniqueName('ensure'), uniqueName('ensure')];
    expect(await ensureTopics(kafka, [{ topic: first, numPartitions: 3 }])).toEqual([first]);

    const created = await ensureTopics(kafka, [
      { topic: first, numPartitions: 3 },
      { topic: second, numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '3600000' }] },
    ]);
    expect(created).toEqual([second]);
    expect(await ensureTopics(kafka, [{ topic: second, numPartitions: 2 }])).toEqual([]);

    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [first, second] });
      const partitions = Object.fromEntries(topics.map(({ name, partitions }) => [name, partitions]));
      expect(partitions[first]).toHaveLength(3);
      expect(partitions[second]).toHaveLength(2);
      expect(
        Object.values(partitions)
          .flat()
          .every(({ leader }) => leader >= 0),
      ).toBe(true);
    } finally {
      await admin.disconnect();
    }
  });
});

describe('kafkaHealthCheck', () => {
  const checks: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(checks.map((check) => check.close()));
  });

  it('resolves, again and again, while the broker answers', async () => {
    const health = kafkaHealthCheck(testKafka());
    checks.push(health);
    await health.check();
    await health.check();
    await Promise.all([health.check(), health.check()]);
  });

  it('rejects when no broker answers, without waiting for kafkajs to give up', async () => {
    const kafka = createKafka({ clientId: 'health-test', brokers: [`127.0.0.1:${await closedPort()}`] });
    const health = kafkaHealthCheck(kafka, { timeoutMs: 500 });
    checks.push(health);
    await expect(health.check()).rejects.toThrow(/^Kafka health check failed: /);
    // The attempt kafkajs is still retrying is shared, not stacked up.
    await expect(health.check()).rejects.toThrow(/^Kafka health check failed: /);
  });
});
