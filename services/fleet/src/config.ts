import { kafkaConnectionConfigSchema } from '@fleetwatch/messaging';
import { baseConfigSchema } from '@fleetwatch/service-kit';
import { Type, type Static } from '@sinclair/typebox';

/** The kit's settings with the fleet's own; PORT gets the fleet's default. */
export const fleetConfigSchema = Type.Object({
  ...baseConfigSchema.properties,
  PORT: Type.Integer({ default: 3001, minimum: 0, maximum: 65535 }),
  /** The service's own connection (role under row-level security). */
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://' }),
  DATABASE_POOL_MAX: Type.Integer({ default: 10, minimum: 1, maximum: 100 }),
  KAFKA_BROKERS: Type.String({ minLength: 1, description: 'Comma-separated host:port list' }),
  /** TLS and SASL to the brokers (KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SASL_*): Amazon MSK needs both. */
  ...kafkaConnectionConfigSchema.properties,
  KAFKA_CLIENT_ID: Type.String({ default: 'fleet' }),
  /** Partitions of the registry topics when this service creates them. */
  REGISTRY_TOPIC_PARTITIONS: Type.Integer({ default: 6, minimum: 1 }),
});

export type FleetConfig = Static<typeof fleetConfigSchema>;
