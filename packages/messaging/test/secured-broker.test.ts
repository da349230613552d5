import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startLocalKafka, type LocalKafka } from '@fleetwatch/local-infra';
import type { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConsumer,
  createEnvelope,
  createKafka,
  createProducer,
  ensureTopics,
  kafkaConnectionOptions,
  type ConsumedMessage,
  type KafkaConnectionConfig,
} from '../src/index.js';
import { uniqueName, waitUntil } from './helpers.js';

/**
 * A broker of its own (not the shared test broker), secured as Amazon MSK is: SASL/SCRAM-SHA-512 on
 * a SASL_PLAINTEXT listener, and on a SASL_SSL listener whose certificate a throwaway CA signed.
 * Clients are configured the way the services are: environment variables through kafkaConnectionOptions.
 */
const username = 'fleetwatch';
const password = randomBytes(12).toString('hex');
const scram = {
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: username,
  KAFKA_SASL_PASSWORD: password,
} as const;

let dataDir: string;
let broker: LocalKafka;
let tls: NonNullable<LocalKafka['tls']>;
/** Exists on the broker, so a failed publish to it is the connection's doing. */
const existingTopic = uniqueName('secured-existing');

/** Distinct ports nothing listens on (freePort alone could hand out the same one twice). */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'fleetwatch-secured-kafka-'));
  const [port, controllerPort, tlsPort] = (await freePorts(3)) as [number, number, number];
  broker = await startLocalKafka({
    dataDir,
    port,
    controllerPort,
    fresh: true,
    security: { scram: { username, password }, tlsPort },
  });
  if (!broker.tls) throw new Error('the broker serves no TLS listener');
  tls = broker.tls;
  await ensureTopics(client(broker.brokers, { KAFKA_SSL: false, ...scram }), [
    { topic: existingTopic, numPartitions: 1 },
  ]);
});

afterAll(async () => {
  await broker?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function client(brokers: string[], config: KafkaConnectionConfig): Kafka {
  return createKafka({ clientId: uniqueName('secured-test'), brokers, ...kafkaConnectionOptions(config) });
}

/** Creates a topic, publishes one envelope with the messaging producer and reads it back with its consumer. */
async function roundTrip(kafka: Kafka): Promise<void> {
  const topic = uniqueName('secured');
  await ensureTopics(kafka, [
    { topic, numPartitions: 1 },
    { topic: `${topic}.dlq`, numPartitions: 1 },
  ]);
  const producer = createProducer(kafka);
  await producer.connect();
  const received: ConsumedMessage[] = [];
  const consumer = createConsumer({
    kafka,
    producer,
    groupId: uniqueName('secured-group'),
    topics: [topic],
    deadLetterTopic: `${topic}.dlq`,
    retry: { retries: 0, minTimeoutMs: 10, maxTimeoutMs: 10 },
    registry: new Registry(),
    maxWaitTimeMs: 200,
    handler: async (message) => {
      received.push(message);
    },
  });
  try {
    const envelope = createEnvelope({ type: 'test.secured', version: 1, tenant: 'acme', data: { n: 1 } });
    await producer.publish(topic, [{ key: 'vessel-1', value: envelope }]);
    await consumer.start();
    await waitUntil('the message to come back', () => received.length > 0);
    expect(received.map(({ key, envelope }) => [key, envelope.id, envelope.data])).toEqual([
      ['vessel-1', envelope.id, { n: 1 }],
    ]);
  } finally {
    await consumer.stop();
    await producer.disconnect();
  }
}

/** Connects a producer and publishes one message, expecting either to fail; returns the error. */
async function publishError(kafka: Kafka): Promise<Error> {
  const producer = kafka.producer({ retry: { retries: 0 } });
  try {
    await producer.connect();
    await producer.send({ topic: existingTopic, messages: [{ value: 'hello' }] });
  } catch (error) {
    return error as Error;
  } finally {
    await producer.disconnect();
  }
  throw new Error('the message was published');
}

describe('SASL/SCRAM-SHA-512 (SASL_PLAINTEXT listener)', () => {
  it('round-trips a message with the right credentials', async () => {
    await roundTrip(client(broker.brokers, { KAFKA_SSL: false, ...scram }));
  });

  it('fails with an authentication error for a wrong password', async () => {
    const error = await publishError(
      client(broker.brokers, { KAFKA_SSL: false, ...scram, KAFKA_SASL_PASSWORD: 'not-the-password' }),
    );
    expect(error.name).toBe('KafkaJSSASLAuthenticationError');
    expect(error.message).toMatch(/SCRAM SHA512 authentication failed.*invalid credentials/);
  });

  it('fails for a user the broker does not know', async () => {
    const error = await publishError(
      client(broker.brokers, { KAFKA_SSL: false, ...scram, KAFKA_SASL_USERNAME: 'someone-else' }),
    );
    expect(error.name).toBe('KafkaJSSASLAuthenticationError');
  });

  it('is refused without credentials', async () => {
    // The broker answers the API versions request (kafkajs' connect), then closes the connection on
    // the first request that is not part of the SASL handshake.
    const error = await publishError(client(broker.brokers, { KAFKA_SSL: false }));
    expect(error.message).toMatch(/Closed connection/);
  });
});

// Concurrent: a connection that fails before SASL (TLS) is retried by kafkajs for about 10 s before it
// gives up (the client's retry settings, not the producer's, govern connecting), and the tests are
// independent of each other.
describe.concurrent('SASL/SCRAM-SHA-512 over TLS (SASL_SSL listener, as MSK port 9096)', () => {
  it('round-trips a message trusting the CA from KAFKA_SSL_CA_FILE', async () => {
    await roundTrip(client(tls.brokers, { KAFKA_SSL: true, KAFKA_SSL_CA_FILE: tls.caFile, ...scram }));
  });

  it("refuses the broker's certificate when only the system CAs are trusted", async () => {
    const error = await publishError(client(tls.brokers, { KAFKA_SSL: true, ...scram }));
    expect(error.message).toMatch(/self-signed certificate in certificate chain/);
  });

  it('fails with an authentication error for a wrong password over TLS', async () => {
    const error = await publishError(
      client(tls.brokers, {
        KAFKA_SSL: true,
        KAFKA_SSL_CA_FILE: tls.caFile,
        ...scram,
        KAFKA_SASL_PASSWORD: 'not-the-password',
      }),
    );
    expect(error.name).toBe('KafkaJSSASLAuthenticationError');
  });

  it('is refused by a client that does not speak TLS', async () => {
    const error = await publishError(client(tls.brokers, { KAFKA_SSL: false, ...scram }));
    expect(error.message).toMatch(/Closed connection|Connection error/);
  });
});
