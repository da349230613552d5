import { context } from '@opentelemetry/api';
import type { Static, TSchema, TUnknown } from '@sinclair/typebox';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import {
  decodeMessage,
  runGroupConsumer,
  type ConsumedMessage,
  type GroupConsumerOptions,
  type GroupConsumerRuntime,
  type MessageConsumer,
} from './group-consumer.js';
import type { MessageResult } from './metrics.js';
import { handlerContext, processSpan } from './tracing.js';

export type MessageHandler<T> = (message: ConsumedMessage<T>) => Promise<void>;

export interface ConsumerOptions<S extends TSchema = TUnknown> extends GroupConsumerOptions {
  handler: MessageHandler<Static<S>>;
  /** Checked against each envelope's `data`; a mismatch sends the message to the dead-letter topic. */
  dataSchema?: S;
}

/**
 * An at-least-once consumer: messages of a partition are handled one after the other, and a
 * message's offset is committed only after its handler succeeded or it was dead-lettered. A message
 * that cannot be decoded as an envelope (or whose data fails `dataSchema`) is dead-lettered at once,
 * without retries: decoding again cannot succeed.
 */
export function createConsumer<S extends TSchema = TUnknown>(options: ConsumerOptions<S>): MessageConsumer {
  const { handler, dataSchema, retry } = options;

  return runGroupConsumer(options, {}, (runtime: GroupConsumerRuntime) => {
    /** Handles one message to the point where its offset may be committed, unless interrupted. */
    async function handleMessage(
      topic: string,
      partition: number,
      message: KafkaMessage,
    ): Promise<MessageResult | 'interrupted'> {
      const decoded = decodeMessage(topic, partition, message, dataSchema);
      if (decoded.kind === 'undecodable') {
        await runtime.deadLetter(topic, partition, [{ message, error: decoded.error, attempts: 0 }]);
        return 'dead_lettered';
      }
      const consumed = decoded.message;
      const handlerCtx = handlerContext(context.active(), consumed.headers);
      const target = { topic, partition, groupId: runtime.groupId, messages: [consumed], batch: false };
      const outcome = await runtime.withRetries(
        () => processSpan(handlerCtx, target, () => handler(consumed)),
        retry.retries,
        'message handler failed',
        { topic, partition, offset: message.offset },
      );
      switch (outcome.kind) {
        case 'handled':
          return outcome.attempts === 1 ? 'ok' : 'retried';
        case 'failed':
          await runtime.deadLetter(topic, partition, [
            { message, error: outcome.error, attempts: outcome.attempts },
          ]);
          return 'dead_lettered';
        case 'interrupted':
          return 'interrupted';
      }
    }

    return async function eachBatch(payload: EachBatchPayload): Promise<void> {
      const { topic, partition } = payload.batch;
      const heartbeat = (): Promise<void> => payload.heartbeat();
      for (const message of payload.batch.messages) {
        // Once stopping, or after a seek or a lost partition, the rest of the batch is not ours to handle.
        if (!runtime.mayContinue(payload)) return;
        const result = await runtime.keepingSessionAlive(heartbeat, () =>
          handleMessage(topic, partition, message),
        );
        if (result === 'interrupted') return;
        await runtime.commitThrough(payload, message.offset, { [result]: 1 });
        await heartbeat();
      }
    };
  });
}
