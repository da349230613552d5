import { context, type Context } from '@opentelemetry/api';
import type { Static, TSchema, TUnknown } from '@sinclair/typebox';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import {
  decodeMessage,
  runGroupConsumer,
  type ConsumedMessage,
  type DeadLetter,
  type FetchOptions,
  type GroupConsumerOptions,
  type GroupConsumerRuntime,
  type MessageConsumer,
  type Outcome,
  type ProcessedCounts,
} from './group-consumer.js';
import type { MessageResult } from './metrics.js';
import { handlerContext, processSpan } from './tracing.js';

export interface BatchContext {
  topic: string;
  partition: number;
  /** Heartbeats the group (sent only when the heartbeat interval has passed); the consumer also does so every interval. */
  heartbeat(): Promise<void>;
}

export type BatchHandler<T> = (messages: ConsumedMessage<T>[], context: BatchContext) => Promise<void>;

export interface BatchConsumerOptions<S extends TSchema = TUnknown> extends GroupConsumerOptions {
  /**
   * Handles every message of one fetched partition batch (decoded), in offset order; resolves when
   * they are durably processed. Never called with an empty array. Must be idempotent: a failing call
   * is retried and then bisected, so messages are handled again (see createBatchConsumer).
   */
  handler: BatchHandler<Static<S>>;
  /** Checked against each envelope's `data`; a mismatch sends the message to the dead-letter topic. */
  dataSchema?: S;
  /** Upper bound of messages passed to one handler call (a fetched batch is split); default 500. */
  maxMessagesPerCall?: number;
  /** kafkajs fetch sizes, to let batches grow under load. */
  fetch?: FetchOptions;
}

const DEFAULT_MAX_MESSAGES_PER_CALL = 500;

/**
 * An at-least-once consumer that hands the handler many messages of a partition at a time, for
 * writers that commit many messages per database transaction.
 *
 * Each fetched partition batch is split into calls of at most `maxMessagesPerCall` messages. Messages
 * that cannot be decoded (or whose data fails `dataSchema`) are dead-lettered at once and left out
 * of the call. After a call succeeded, the offset after its last message is committed.
 *
 * A call that still fails after `retry.retries` retries is bisected to isolate the message(s) that
 * fail on their own: each half is tried once (a half that fails is split again) and committed when
 * it succeeds; a single message gets the full retry policy before it is dead-lettered with its
 * error. The cost of one poison message among n is about 2·log2(n) extra calls besides its own
 * retries, and the good messages around it are handled again: handlers must be idempotent.
 *
 * Each call runs in a "process" span (kind CONSUMER) in the trace context of its first message's
 * headers (see handlerContext), linked to the producer span of every message of the call: one write
 * for many messages cannot continue every producer's trace.
 */
export function createBatchConsumer<S extends TSchema = TUnknown>(
  options: BatchConsumerOptions<S>,
): MessageConsumer {
  const {
    handler,
    dataSchema,
    retry,
    maxMessagesPerCall = DEFAULT_MAX_MESSAGES_PER_CALL,
    fetch = {},
  } = options;
  if (!Number.isInteger(maxMessagesPerCall) || maxMessagesPerCall < 1) {
    throw new RangeError(`maxMessagesPerCall must be an integer >= 1, not ${maxMessagesPerCall}`);
  }

  return runGroupConsumer(options, fetch, (runtime: GroupConsumerRuntime) => {
    const { groupId, logger } = runtime;

    /**
     * One handler call with its retries, each attempt in a "process" span in the trace of its first
     * message, linked to every message's producer span (see processSpan).
     */
    function handleCall(
      payload: EachBatchPayload,
      call: DecodedRecord<Static<S>>[],
      retries: number,
      batchContext: Context,
    ): Promise<Outcome> {
      const { topic, partition } = payload.batch;
      const messages = call.map(({ message }) => message);
      const callContext = handlerContext(batchContext, first(messages).headers);
      const handlerArgument: BatchContext = { topic, partition, heartbeat: () => payload.heartbeat() };
      const target = { topic, partition, groupId, messages, batch: true };
      return runtime.withRetries(
        () => processSpan(callContext, target, () => handler(messages, handlerArgument)),
        retries,
        'batch handler failed',
        { topic, partition, ...offsetRange(call) },
      );
    }

    /**
     * Takes messages of one partition (at most maxMessagesPerCall) to the point where everything up
     * to the last one is committed. Returns false when it had to stop first (stopping, seek, lost
     * partition); what it committed on the way stays committed, the rest is delivered again.
     */
    async function processChunk(
      payload: EachBatchPayload,
      chunk: KafkaMessage[],
      batchContext: Context,
    ): Promise<boolean> {
      const { topic, partition } = payload.batch;
      const decoded: DecodedRecord<Static<S>>[] = [];
      const undecodable: DeadLetter[] = [];
      for (const record of chunk) {
        const result = decodeMessage(topic, partition, record, dataSchema);
        if (result.kind === 'decoded') decoded.push({ record, message: result.message });
        else undecodable.push({ message: record, error: result.error, attempts: 0 });
      }
      await runtime.deadLetter(topic, partition, undecodable);

      // Counted when committed, as createConsumer does: a redelivery would count them again.
      let uncounted: ProcessedCounts = { dead_lettered: undecodable.length };
      let committedThrough: string | undefined;
      const commitThrough = async (offset: string): Promise<void> => {
        await runtime.commitThrough(payload, offset, uncounted);
        uncounted = {};
        committedThrough = offset;
      };
      const count = (result: MessageResult, messages: number): void => {
        uncounted[result] = (uncounted[result] ?? 0) + messages;
      };

      // The handler calls still to make, in offset order: the whole chunk, or the parts a failed call
      // was split into.
      const calls = decoded.length > 0 ? [decoded] : [];
      let isolating = false;
      for (let call = calls.shift(); call !== undefined; call = calls.shift()) {
        if (!runtime.mayContinue(payload)) return false;
        // The call already failed as a whole with every retry: a part that fails once is split
        // rather than retried, and only a single message gets retries before it is given up on.
        const retries = isolating && call.length > 1 ? 0 : retry.retries;
        const outcome = await handleCall(payload, call, retries, batchContext);
        const { record: lastRecord } = last(call);
        if (outcome.kind === 'interrupted') return false;
        if (outcome.kind === 'handled') {
          count(isolating || outcome.attempts > 1 ? 'retried' : 'ok', call.length);
          await commitThrough(lastRecord.offset);
        } else if (call.length === 1) {
          await runtime.deadLetter(topic, partition, [
            { message: lastRecord, error: outcome.error, attempts: outcome.attempts },
          ]);
          count('dead_lettered', 1);
          await commitThrough(lastRecord.offset);
        } else {
          if (!isolating) {
            logger.warn(
              { groupId, topic, partition, ...offsetRange(call), reason: outcome.error.message },
              'batch handler call failed after its retries; isolating the failing messages',
            );
          }
          isolating = true;
          const middle = Math.ceil(call.length / 2);
          calls.unshift(call.slice(0, middle), call.slice(middle));
        }
      }
      // Undecodable messages, dead-lettered above, can come after the last handled one.
      const chunkEnd = last(chunk).offset;
      if (chunkEnd !== committedThrough) await commitThrough(chunkEnd);
      return true;
    }

    return async function eachBatch(payload: EachBatchPayload): Promise<void> {
      const { messages } = payload.batch;
      const heartbeat = (): Promise<void> => payload.heartbeat();
      // Where each call's trace context comes from when its first message carries none.
      const batchContext = context.active();
      for (let start = 0; start < messages.length; start += maxMessagesPerCall) {
        // Once stopping, or after a seek or a lost partition, the rest of the batch is not ours to handle.
        if (!runtime.mayContinue(payload)) return;
        const chunk = messages.slice(start, start + maxMessagesPerCall);
        const finished = await runtime.keepingSessionAlive(heartbeat, () =>
          processChunk(payload, chunk, batchContext),
        );
        if (!finished) return;
        await heartbeat();
      }
    };
  });
}

/** A decoded message with the record it came from, which its dead letter would copy. */
interface DecodedRecord<T> {
  record: KafkaMessage;
  message: ConsumedMessage<T>;
}

function offsetRange(call: DecodedRecord<unknown>[]): {
  firstOffset: string;
  lastOffset: string;
  messages: number;
} {
  return {
    firstOffset: first(call).record.offset,
    lastOffset: last(call).record.offset,
    messages: call.length,
  };
}

// Chunks and calls are never empty: these only turn that into a type.
function first<T>(items: T[]): T {
  const item = items[0];
  if (item === undefined) throw new Error('unexpected empty list');
  return item;
}

function last<T>(items: T[]): T {
  const item = items[items.length - 1];
  if (item === undefined) throw new Error('unexpected empty list');
  return item;
}
