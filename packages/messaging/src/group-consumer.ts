/**
 * What createConsumer and createBatchConsumer share: the kafkajs group consumer with its start and
 * stop, decoding, dead letters, retries, commits, lag and message counters, and the heartbeats
 * during long handler calls. Each consumer only brings its own eachBatch.
 */
import { ROOT_CONTEXT, context } from '@opentelemetry/api';
import type { Static, TSchema } from '@sinclair/typebox';
import type { EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import pRetry from 'p-retry';
import { register as defaultRegistry, type Registry } from 'prom-client';
import { EnvelopeError, decodeEnvelope, type Envelope } from './envelope.js';
import { silentLogger, type Logger } from './logger.js';
import { consumerMetrics, type MessageResult } from './metrics.js';
import type { MessageProducer } from './producer.js';

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

export interface RetryOptions {
  /** Attempts after the first one before the message goes to the dead-letter topic. */
  retries: number;
  /** Wait before the first retry; each further wait doubles, up to maxTimeoutMs. */
  minTimeoutMs: number;
  maxTimeoutMs: number;
}

/** The options of createConsumer and createBatchConsumer besides their handler and schema. */
export interface GroupConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
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
   * Stops fetching, lets the handler attempt in progress finish and commits what it handled if it
   * succeeded, then leaves the group and disconnects. Messages waiting for their next retry are left
   * uncommitted (delivered again later) rather than waited for. Stop consumers before their producer.
   */
  stop(): Promise<void>;
}

/** kafkajs fetch sizes; kafkajs' defaults where left out. */
export interface FetchOptions {
  /**
   * Bytes the broker waits for (up to maxWaitTimeMs) before it answers a fetch: more throughput
   * and bigger handler calls under load, more latency when the topic is quiet. kafkajs default: 1.
   */
  minBytes?: number;
  /** Upper bound of one fetch response, all partitions together. kafkajs default: 10 MiB. */
  maxBytes?: number;
  /** Upper bound of one partition's share of a fetch response. kafkajs default: 1 MiB. */
  maxBytesPerPartition?: number;
}

/** The outcome of handling a message (or a call's messages), before the offset is committed. */
export type Outcome =
  | { kind: 'handled'; attempts: number }
  | { kind: 'failed'; attempts: number; error: Error }
  /** Stopped before or between attempts: left uncommitted, so it is delivered again. */
  | { kind: 'interrupted' };

export type Decoded<T> =
  | { kind: 'decoded'; message: ConsumedMessage<T> }
  | { kind: 'undecodable'; message: KafkaMessage; error: EnvelopeError };

export interface DeadLetter {
  message: KafkaMessage;
  error: Error;
  /** Handler attempts made; 0 for a message that could not be decoded. */
  attempts: number;
}

/** Messages processed since the last commit, by result. */
export type ProcessedCounts = Partial<Record<MessageResult, number>>;

/** What a consumer's eachBatch works with; runGroupConsumer creates it. */
export interface GroupConsumerRuntime {
  readonly groupId: string;
  readonly logger: Logger;
  /** Aborted by stop(). */
  readonly stopping: AbortSignal;
  /** Whether the rest of this batch is still ours to handle: not stopping, no seek, partition not lost. */
  mayContinue(payload: EachBatchPayload): boolean;
  /**
   * Runs `attempt` with the retry policy, `retries` overriding its count. Failed attempts are
   * logged as `failureMessage` with `logFields`.
   */
  withRetries(
    attempt: () => Promise<void>,
    retries: number,
    failureMessage: string,
    logFields: object,
  ): Promise<Outcome>;
  deadLetter(topic: string, partition: number, letters: DeadLetter[]): Promise<void>;
  /** Commits the batch's partition up to and including `offset`, then records the lag and `processed`. */
  commitThrough(payload: EachBatchPayload, offset: string, processed: ProcessedCounts): Promise<void>;
  /** Runs `work` while heartbeating every heartbeat interval. */
  keepingSessionAlive<T>(heartbeat: () => Promise<void>, work: () => Promise<T>): Promise<T>;
}

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
 * A kafkajs group consumer with manual commits that hands each fetched partition batch to the
 * eachBatch that `eachBatchWith` builds on the shared runtime.
 */
export function runGroupConsumer(
  options: GroupConsumerOptions,
  fetch: FetchOptions,
  eachBatchWith: (runtime: GroupConsumerRuntime) => (payload: EachBatchPayload) => Promise<void>,
): MessageConsumer {
  const {
    kafka,
    groupId,
    topics,
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
    // kafkajs takes an undefined size as its default one.
    minBytes: fetch.minBytes,
    maxBytes: fetch.maxBytes,
    maxBytesPerPartition: fetch.maxBytesPerPartition,
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
    processed: ProcessedCounts,
  ): void {
    const lag = Number(BigInt(highWatermark) - BigInt(offset) - 1n);
    metrics.lag.set({ group: groupId, topic, partition: String(partition) }, Math.max(lag, 0));
    if (!lagSeries.has(topic)) lagSeries.set(topic, new Set());
    lagSeries.get(topic)?.add(partition);
    for (const [result, count] of Object.entries(processed) as [MessageResult, number][]) {
      if (count > 0) metrics.messages.inc({ group: groupId, topic, result }, count);
    }
  }

  const runtime: GroupConsumerRuntime = {
    groupId,
    logger,
    stopping: stopping.signal,

    mayContinue: (payload) => !stopping.signal.aborted && payload.isRunning() && !payload.isStale(),

    async withRetries(attempt, retries, failureMessage, logFields) {
      // p-retry only watches the signal once it has started, and would sit out its backoffs.
      if (stopping.signal.aborted) return { kind: 'interrupted' };
      let attempts = 0;
      let attemptInFlight: Promise<void> = Promise.resolve();
      const counted = async (): Promise<void> => {
        attempts += 1;
        attemptInFlight = attempt();
        try {
          await attemptInFlight;
        } catch (error) {
          throw new AttemptFailed(toError(error));
        }
      };
      try {
        await pRetry(counted, {
          retries,
          factor: 2,
          minTimeout: retry.minTimeoutMs,
          maxTimeout: retry.maxTimeoutMs,
          signal: stopping.signal,
          onFailedAttempt: ({ attemptNumber, retriesLeft, message: reason }) => {
            logger.warn(
              { groupId, ...logFields, attempt: attemptNumber, retriesLeft, reason },
              failureMessage,
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
    },

    async deadLetter(topic, partition, letters) {
      if (letters.length === 0) return;
      const failedAt = new Date().toISOString();
      await producer.publishRaw(
        deadLetterTopic,
        letters.map(({ message, error, attempts }) => ({
          key: message.key ?? null,
          value: message.value,
          headers: {
            ...message.headers,
            'x-dlq-error': error.message.slice(0, MAX_ERROR_HEADER_LENGTH),
            'x-dlq-error-name': error.name,
            'x-dlq-original-topic': topic,
            'x-dlq-original-partition': String(partition),
            'x-dlq-original-offset': message.offset,
            'x-dlq-attempts': String(attempts),
            'x-dlq-failed-at': failedAt,
          },
        })),
      );
      for (const { message, error, attempts } of letters) {
        logger.error(
          { err: error, groupId, topic, partition, offset: message.offset, attempts, deadLetterTopic },
          'message dead-lettered',
        );
      }
    },

    async commitThrough(payload, offset, processed) {
      const { topic, partition, highWatermark } = payload.batch;
      payload.resolveOffset(offset);
      await payload.commitOffsetsIfNecessary({
        topics: [{ topic, partitions: [{ partition, offset: (BigInt(offset) + 1n).toString() }] }],
      });
      recordProcessed(topic, partition, offset, highWatermark, processed);
    },

    /**
     * kafkajs sends heartbeats only when asked to; a slow handler or a long retry backoff would
     * otherwise outlast the session timeout and get this member thrown out of the group. Errors here
     * are left to the heartbeat after the commit, which sends again because kafkajs only records
     * successful heartbeats.
     */
    async keepingSessionAlive(heartbeat, work) {
      const timer = setInterval(() => {
        heartbeat().catch((error: unknown) =>
          logger.debug({ err: error, groupId }, 'heartbeat failed during a handler call'),
        );
      }, heartbeatIntervalMs);
      try {
        return await work();
      } finally {
        clearInterval(timer);
      }
    },
  };
  const eachBatch = eachBatchWith(runtime);

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
      // Waits for eachBatch to return: the handler call in progress is finished and committed first.
      await consumer.disconnect();
      for (const [topic, partitions] of lagSeries) {
        for (const partition of partitions) forgetLag(topic, partition);
      }
      logger.info({ groupId }, 'Kafka consumer stopped');
    },
  };
}

/**
 * The message as the handler gets it, or the EnvelopeError that sends it to the dead-letter topic
 * (not a valid envelope, or `data` fails `dataSchema`): decoding again could not succeed.
 */
export function decodeMessage<S extends TSchema>(
  topic: string,
  partition: number,
  message: KafkaMessage,
  dataSchema: S | undefined,
): Decoded<Static<S>> {
  let envelope: Envelope<Static<S>>;
  try {
    envelope =
      dataSchema === undefined ? decodeEnvelope(message.value) : decodeEnvelope(message.value, dataSchema);
  } catch (error) {
    if (!(error instanceof EnvelopeError)) throw error;
    return { kind: 'undecodable', message, error };
  }
  return {
    kind: 'decoded',
    message: {
      topic,
      partition,
      offset: message.offset,
      key: message.key ? message.key.toString('utf8') : null,
      // decodeEnvelope rejected a null value already.
      value: message.value ?? Buffer.alloc(0),
      headers: headersAsText(message.headers),
      envelope,
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
