import { ROOT_CONTEXT, context, type Context } from '@opentelemetry/api';
import type { Static, TSchema, TUnknown } from '@sinclair/typebox';
import type { EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import pRetry from 'p-retry';
import { register as defaultRegistry, type Registry } from 'prom-client';
import { EnvelopeError, decodeEnvelope, type Envelope } from './envelope.js';
import { silentLogger, type Logger } from './logger.js';
import { consumerMetrics, type MessageResult } from './metrics.js';
import type { MessageProducer } from './producer.js';
import { handlerContext } from './tracing.js';

export interface ConsumedMessage<T = unknown> {
  topic: string;
  partition: number;
  /** A 64-bit integer, as kafkajs gives it. */
  offset: string;
  key: string | null;
  /** The raw bytes, already decoded into `envelope`. */
  value: Buffer;
  /** Header values as UTF-8 text; for a repeated header, the last value. */
  headers: Record<string, string>;
  envelope: Envelope<T>;
}

export type MessageHandler<T> = (message: ConsumedMessage<T>) => Promise<void>;

export interface RetryOptions {
  /** Attempts after the first one before the message goes to the dead-letter topic. */
  retries: number;
  /** Wait before the first retry; each further wait doubles, up to maxTimeoutMs. */
  minTimeoutMs: number;
  maxTimeoutMs: number;
}

export interface ConsumerOptions<S extends TSchema = TUnknown> {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  handler: MessageHandler<Static<S>>;
  /** Checked against each envelope's `data`; a mismatch sends the message to the dead-letter topic. */
  dataSchema?: S;
  retry: RetryOptions;
  deadLetterTopic: string;
  /** Publishes the dead letters; the caller connects and disconnects it. */
  producer: MessageProducer;
  logger?: Logger;
  /** Default: prom-client's default registry, which swagger-stats also reports. */
  registry?: Registry;
  /** Where a group without committed offsets starts. Default true: a new group skips nothing. */
  fromBeginning?: boolean;
  /** kafkajs defaults: 30 000 and 3 000. */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /**
   * How long a fetch waits on the broker for new messages. stop() waits for the fetch in flight, so
   * this bounds how long stopping takes. Default 1000 (kafkajs' own default is 5000, Java's 500).
   */
  maxWaitTimeMs?: number;
  /** Partitions handled at the same time; messages of one partition are always handled in order. Default 1. */
  partitionsConsumedConcurrently?: number;
}

export interface MessageConsumer {
  /**
   * Connects, subscribes and joins the group, then consumes in the background. Once started, kafkajs
   * retries lost connections and rejoins by itself; a crash it does not restart from is logged.
   * A consumer starts once; create a new one to consume again after stop().
   */
  start(): Promise<void>;
  /**
   * Stops fetching, lets the handler attempt in progress finish and commits that message if it
   * succeeded, then leaves the group and disconnects. A message waiting for its next retry is left
   * uncommitted (delivered again later) rather than waited for. Stop consumers before their producer.
   */
  stop(): Promise<void>;
}

/** The outcome of handling one message, before its offset is committed. */
type Outcome =
  | { kind: 'handled'; attempts: number }
  | { kind: 'failed'; attempts: number; error: Error }
  /** Stopped between attempts: left uncommitted, so it is delivered again. */
  | { kind: 'interrupted' };

/** Carries a handler's error through p-retry, which would not retry a TypeError and decorates what it gets. */
class AttemptFailed extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

// The dead letter keeps the whole message; a huge error text could push it over the size limit.
const MAX_ERROR_HEADER_LENGTH = 4_000;
const DEFAULT_HEARTBEAT_INTERVAL_MS = 3_000;

/**
 * An at-least-once consumer: messages of a partition are handled one after the other, and a
 * message's offset is committed only after its handler succeeded or it was dead-lettered. A message
 * that cannot be decoded as an envelope (or whose data fails `dataSchema`) is dead-lettered at once,
 * without retries: decoding again cannot succeed.
 */
export function createConsumer<S extends TSchema = TUnknown>(options: ConsumerOptions<S>): MessageConsumer {
  const {
    kafka,
    groupId,
    topics,
    handler,
    dataSchema,
    retry,
    deadLetterTopic,
    producer,
    logger = silentLogger,
    registry = defaultRegistry,
    fromBeginning = true,
    sessionTimeoutMs,
    heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS,
    maxWaitTimeMs = 1_000,
    partitionsConsumedConcurrently = 1,
  } = options;
  validateRetry(retry);

  const metrics = consumerMetrics(registry);
  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    heartbeatInterval: heartbeatIntervalMs,
    maxWaitTimeInMs: maxWaitTimeMs,
    ...(sessionTimeoutMs === undefined ? {} : { sessionTimeout: sessionTimeoutMs }),
  });
  const stopping = new AbortController();
  let started = false;
  /** Partitions this consumer set a lag for, by topic, so the series can go when they do. */
  const lagSeries = new Map<string, Set<number>>();

  consumer.on(consumer.events.CRASH, ({ payload: { error, restart } }) => {
    logger.error(
      { err: error, groupId, restart },
      restart ? 'Kafka consumer crashed; restarting' : 'Kafka consumer crashed and stopped',
    );
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload: { memberAssignment } }) => {
    // A partition that moved to another member is that member's to report.
    for (const [topic, partitions] of lagSeries) {
      for (const partition of partitions) {
        if (!memberAssignment[topic]?.includes(partition)) forgetLag(topic, partition);
      }
    }
  });

  function forgetLag(topic: string, partition: number): void {
    metrics.lag.remove({ group: groupId, topic, partition: String(partition) });
    lagSeries.get(topic)?.delete(partition);
  }

  function recordProcessed(
    topic: string,
    partition: number,
    offset: string,
    highWatermark: string,
    result: MessageResult,
  ): void {
    const lag = Number(BigInt(highWatermark) - BigInt(offset) - 1n);
    metrics.lag.set({ group: groupId, topic, partition: String(partition) }, Math.max(lag, 0));
    if (!lagSeries.has(topic)) lagSeries.set(topic, new Set());
    lagSeries.get(topic)?.add(partition);
    metrics.messages.inc({ group: groupId, topic, result });
  }

  async function handleWithRetries(
    message: ConsumedMessage<Static<S>>,
    handlerCtx: Context,
  ): Promise<Outcome> {
    let attempts = 0;
    let attemptInFlight: Promise<void> = Promise.resolve();
    const attempt = async (): Promise<void> => {
      attempts += 1;
      attemptInFlight = context.with(handlerCtx, async () => handler(message));
      try {
        await attemptInFlight;
      } catch (error) {
        throw new AttemptFailed(toError(error));
      }
    };
    try {
      await pRetry(attempt, {
        retries: retry.retries,
        factor: 2,
        minTimeout: retry.minTimeoutMs,
        maxTimeout: retry.maxTimeoutMs,
        signal: stopping.signal,
        onFailedAttempt: ({ attemptNumber, retriesLeft, message: reason }) => {
          logger.warn(
            {
              groupId,
              topic: message.topic,
              partition: message.partition,
              offset: message.offset,
              attempt: attemptNumber,
              retriesLeft,
              reason,
            },
            'message handler failed',
          );
        },
      });
      return { kind: 'handled', attempts };
    } catch (error) {
      if (stopping.signal.aborted) {
        // p-retry gives up the moment the signal fires, even while an attempt is still running.
        const lastAttemptSucceeded = await attemptInFlight.then(
          () => true,
          () => false,
        );
        return lastAttemptSucceeded ? { kind: 'handled', attempts } : { kind: 'interrupted' };
      }
      return {
        kind: 'failed',
        attempts,
        error: error instanceof AttemptFailed ? error.cause : toError(error),
      };
    }
  }

  async function deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    error: Error,
    attempts: number,
  ): Promise<void> {
    const headers: IHeaders = {
      ...message.headers,
      'x-dlq-error': error.message.slice(0, MAX_ERROR_HEADER_LENGTH),
      'x-dlq-error-name': error.name,
      'x-dlq-original-topic': topic,
      'x-dlq-original-partition': String(partition),
      'x-dlq-original-offset': message.offset,
      'x-dlq-attempts': String(attempts),
      'x-dlq-failed-at': new Date().toISOString(),
    };
    await producer.publishRaw(deadLetterTopic, [{ key: message.key ?? null, value: message.value, headers }]);
    logger.error(
      { err: error, groupId, topic, partition, offset: message.offset, attempts, deadLetterTopic },
      'message dead-lettered',
    );
  }

  /** Handles one message to the point where its offset may be committed, unless interrupted. */
  async function handleMessage(
    topic: string,
    partition: number,
    message: KafkaMessage,
  ): Promise<MessageResult | 'interrupted'> {
    const headers = headersAsText(message.headers);
    let envelope: Envelope<Static<S>>;
    try {
      envelope =
        dataSchema === undefined ? decodeEnvelope(message.value) : decodeEnvelope(message.value, dataSchema);
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      await deadLetter(topic, partition, message, error, 0);
      return 'dead_lettered';
    }
    const consumed: ConsumedMessage<Static<S>> = {
      topic,
      partition,
      offset: message.offset,
      key: message.key ? message.key.toString('utf8') : null,
      // decodeEnvelope rejected a null value already.
      value: message.value ?? Buffer.alloc(0),
      headers,
      envelope,
    };
    const outcome = await handleWithRetries(consumed, handlerContext(context.active(), headers));
    switch (outcome.kind) {
      case 'handled':
        return outcome.attempts === 1 ? 'ok' : 'retried';
      case 'failed':
        await deadLetter(topic, partition, message, outcome.error, outcome.attempts);
        return 'dead_lettered';
      case 'interrupted':
        return 'interrupted';
    }
  }

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { topic, partition, highWatermark } = payload.batch;
    const heartbeat = (): Promise<void> => payload.heartbeat();
    for (const message of payload.batch.messages) {
      // Once stopping, or after a seek or a lost partition, the rest of the batch is not ours to handle.
      if (stopping.signal.aborted || !payload.isRunning() || payload.isStale()) return;
      const result = await keepingSessionAlive(heartbeat, () => handleMessage(topic, partition, message));
      if (result === 'interrupted') return;
      payload.resolveOffset(message.offset);
      await payload.commitOffsetsIfNecessary({
        topics: [{ topic, partitions: [{ partition, offset: (BigInt(message.offset) + 1n).toString() }] }],
      });
      recordProcessed(topic, partition, message.offset, highWatermark, result);
      await heartbeat();
    }
  }

  /**
   * kafkajs sends heartbeats only when asked to; a slow handler or a long retry backoff would
   * otherwise outlast the session timeout and get this member thrown out of the group. Errors here
   * are left to the heartbeat after the commit, which sends again because kafkajs only records
   * successful heartbeats.
   */
  async function keepingSessionAlive<T>(heartbeat: () => Promise<void>, work: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => {
      heartbeat().catch((error: unknown) =>
        logger.debug({ err: error, groupId }, 'heartbeat failed during a message'),
      );
    }, heartbeatIntervalMs);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }

  return {
    async start() {
      if (started) {
        throw new Error(`consumer ${groupId} was started already; create a new one to start again`);
      }
      started = true;
      // kafkajs' fetch loop inherits the context it is started in; a span active in the caller
      // would otherwise look like the parent of every message's handling.
      await context.with(ROOT_CONTEXT, async () => {
        await consumer.connect();
        await consumer.subscribe({ topics, fromBeginning });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently,
          eachBatch,
        });
      });
      logger.info({ groupId, topics }, 'Kafka consumer started');
    },
    async stop() {
      stopping.abort(new Error('consumer stopping'));
      // Waits for eachBatch to return: the message in progress is finished and committed first.
      await consumer.disconnect();
      for (const [topic, partitions] of lagSeries) {
        for (const partition of partitions) forgetLag(topic, partition);
      }
      logger.info({ groupId }, 'Kafka consumer stopped');
    },
  };
}

function validateRetry({ retries, minTimeoutMs, maxTimeoutMs }: RetryOptions): void {
  if (!Number.isInteger(retries) || retries < 0)
    throw new RangeError(`retry.retries must be an integer >= 0, not ${retries}`);
  if (!(minTimeoutMs >= 0 && maxTimeoutMs >= minTimeoutMs)) {
    throw new RangeError(
      `retry needs 0 <= minTimeoutMs <= maxTimeoutMs, not ${minTimeoutMs} and ${maxTimeoutMs}`,
    );
  }
}

function headersAsText(headers: IHeaders | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) text[name] = last.toString();
  }
  return text;
}

function toError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(`non-Error thrown: ${String(thrown)}`);
}
