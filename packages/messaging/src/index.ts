export { createKafka } from './kafka.js';
export type { CreateKafkaOptions, KafkaLogLevel } from './kafka.js';
export {
  KafkaConnectionConfigError,
  kafkaConnectionConfigSchema,
  kafkaConnectionOptions,
} from './connection.js';
export type {
  KafkaConnectionConfig,
  KafkaConnectionOptions,
  KafkaSaslMechanism,
  KafkaSaslOptions,
  KafkaSslOption,
} from './connection.js';
export { silentLogger } from './logger.js';
export type { Logger } from './logger.js';
export { ensureTopics } from './topics.js';
export type { EnsureTopicsOptions, TopicSpec } from './topics.js';
export { EnvelopeError, createEnvelope, decodeEnvelope, encodeEnvelope } from './envelope.js';
export type { Envelope, NewEnvelope } from './envelope.js';
export { createProducer } from './producer.js';
export type { MessageProducer, OutgoingMessage, ProducerOptions, RawMessage } from './producer.js';
export { createConsumer } from './consumer.js';
export type { ConsumerOptions, MessageHandler } from './consumer.js';
export { createBatchConsumer } from './batch-consumer.js';
export type { BatchConsumerOptions, BatchContext, BatchHandler } from './batch-consumer.js';
export type { ConsumedMessage, FetchOptions, MessageConsumer, RetryOptions } from './group-consumer.js';
export { LAG_METRIC, MESSAGES_METRIC, consumerMetrics, registeredOnce } from './metrics.js';
export type { ConsumerMetrics, MessageResult } from './metrics.js';
export { kafkaHealthCheck } from './health.js';
export type { KafkaHealthCheck, KafkaHealthCheckOptions } from './health.js';
