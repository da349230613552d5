export { createKafka } from './kafka.js';
export type { CreateKafkaOptions, KafkaLogLevel } from './kafka.js';
export { silentLogger } from './logger.js';
export type { Logger } from './logger.js';
export { ensureTopics } from './topics.js';
export type { EnsureTopicsOptions, TopicSpec } from './topics.js';
export { EnvelopeError, createEnvelope, decodeEnvelope, encodeEnvelope } from './envelope.js';
export type { Envelope, NewEnvelope } from './envelope.js';
export { createProducer } from './producer.js';
export type { MessageProducer, OutgoingMessage, ProducerOptions, RawMessage } from './producer.js';
export { createConsumer } from './consumer.js';
export type {
  ConsumedMessage,
  ConsumerOptions,
  MessageConsumer,
  MessageHandler,
  RetryOptions,
} from './consumer.js';
export { LAG_METRIC, MESSAGES_METRIC, consumerMetrics, registeredOnce } from './metrics.js';
export type { ConsumerMetrics, MessageResult } from './metrics.js';
export { kafkaHealthCheck } from './health.js';
export type { KafkaHealthCheck, KafkaHealthCheckOptions } from './health.js';
