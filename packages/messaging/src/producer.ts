import { Partitioners, type CompressionTypes, type IHeaders, type Kafka, type RecordMetadata } from 'kafkajs';
import { encodeEnvelope, type Envelope } from './envelope.js';
import { withTraceContext } from './tracing.js';

export interface OutgoingMessage<T = unknown> {
  /** Messages with the same key go to the same partition, so they are consumed in order. */
  key: string | null;
  value: Envelope<T>;
  headers?: Record<string, string>;
}

/** Bytes sent as they are: no envelope, no trace context added (dead letters, replays). */
export interface RawMessage {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: IHeaders;
}

export interface ProducerOptions {
  compression?: CompressionTypes;
}

export interface MessageProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Encodes (and validates) each envelope, adds the active trace context to its headers, waits for all in-sync replicas. */
  publish(topic: string, messages: OutgoingMessage[]): Promise<RecordMetadata[]>;
  publishRaw(topic: string, messages: RawMessage[]): Promise<RecordMetadata[]>;
}

// Wait for every in-sync replica; kafkajs' idempotent producer also refuses anything else.
const ALL_REPLICAS = -1;

export function createProducer(kafka: Kafka, { compression }: ProducerOptions = {}): MessageProducer {
  const producer = kafka.producer({
    idempotent: true,
    // Kafka allows up to 5 in-flight requests with idempotence because the Java client re-sends
    // out-of-order batches in sequence; kafkajs has no such recovery (it rolls a failed batch's
    // sequence numbers back), so one request at a time is what keeps retries in order.
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // The Java client's murmur2 partitioner: same key, same partition as Java and Go producers.
    // Naming it also silences kafkajs' "default partitioner changed in v2" warning.
    createPartitioner: Partitioners.DefaultPartitioner,
  });

  const send = (topic: string, messages: RawMessage[]): Promise<RecordMetadata[]> =>
    producer.send({
      topic,
      messages,
      acks: ALL_REPLICAS,
      ...(compression === undefined ? {} : { compression }),
    });

  return {
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
    publish: (topic, messages) =>
      send(
        topic,
        messages.map(({ key, value, headers }) => ({
          key,
          value: encodeEnvelope(value),
          headers: withTraceContext(headers),
        })),
      ),
    publishRaw: send,
  };
}
