import { kafkaConnectionConfigSchema } from '@fleetwatch/messaging';
import { baseConfigSchema } from '@fleetwatch/service-kit';
import { Type, type Static } from '@sinclair/typebox';

const common = {
  ...baseConfigSchema.properties,
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://' }),
  DATABASE_POOL_MAX: Type.Integer({ default: 10, minimum: 1, maximum: 100 }),
  KAFKA_BROKERS: Type.String({ minLength: 1, description: 'Comma-separated host:port list' }),
  /** TLS and SASL to the brokers (KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SASL_*): Amazon MSK needs both. */
  ...kafkaConnectionConfigSchema.properties,
  /** Telemetry older than this is rejected at ingestion and dropped from storage. */
  TELEMETRY_RETENTION_DAYS: Type.Integer({ default: 30, minimum: 1, maximum: 730 }),
  TELEMETRY_TOPIC_PARTITIONS: Type.Integer({ default: 12, minimum: 1 }),
};

/** The ingest/query API process. */
export const apiConfigSchema = Type.Object({
  ...common,
  PORT: Type.Integer({ default: 3002, minimum: 0, maximum: 65535 }),
  BODY_LIMIT_BYTES: Type.Integer({ default: 5 * 1024 * 1024, minimum: 1024 }),
  KAFKA_CLIENT_ID: Type.String({ default: 'performance-api' }),
  /** Points in one request at most. */
  MAX_POINTS_PER_REQUEST: Type.Integer({ default: 20_000, minimum: 1 }),
  /** How long a request waits for Kafka to acknowledge before answering 503. */
  PUBLISH_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100 }),
  /** Unique per process: names this instance's read model of the fleet registry. */
  INSTANCE_ID: Type.Optional(Type.String({ minLength: 1 })),
});
export type ApiConfig = Static<typeof apiConfigSchema>;

/** The Kafka-to-PostgreSQL writer process. */
export const writerConfigSchema = Type.Object({
  ...common,
  PORT: Type.Integer({ default: 3012, minimum: 0, maximum: 65535 }),
  KAFKA_CLIENT_ID: Type.String({ default: 'performance-writer' }),
  WRITER_GROUP_ID: Type.String({ default: 'performance-writer' }),
  /** Messages (batches of points) per database transaction at most. */
  WRITER_MESSAGES_PER_TRANSACTION: Type.Integer({ default: 500, minimum: 1 }),
  WRITER_PARTITIONS_CONSUMED_CONCURRENTLY: Type.Integer({ default: 2, minimum: 1 }),
  /** Daily partitions created ahead of today. */
  PARTITIONS_AHEAD_DAYS: Type.Integer({ default: 2, minimum: 1, maximum: 30 }),
});
export type WriterConfig = Static<typeof writerConfigSchema>;
