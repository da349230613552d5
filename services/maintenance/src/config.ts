import { kafkaConnectionConfigSchema } from '@fleetwatch/messaging';
import { baseConfigSchema } from '@fleetwatch/service-kit';
import { Type, type Static } from '@sinclair/typebox';

/** The kit's settings with the maintenance service's own. */
export const maintenanceConfigSchema = Type.Object({
  ...baseConfigSchema.properties,
  PORT: Type.Integer({ default: 3004, minimum: 0, maximum: 65535 }),
  /** The service's own connection (role under row-level security). */
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://' }),
  DATABASE_POOL_MAX: Type.Integer({ default: 10, minimum: 1, maximum: 100 }),
  KAFKA_BROKERS: Type.String({ minLength: 1, description: 'Comma-separated host:port list' }),
  /** TLS and SASL to the brokers (KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SASL_*): Amazon MSK needs both. */
  ...kafkaConnectionConfigSchema.properties,
  KAFKA_CLIENT_ID: Type.String({ default: 'maintenance' }),
  /** Unique per process: names this instance's read model of the fleet registry. */
  INSTANCE_ID: Type.Optional(Type.String({ minLength: 1 })),
  /** Consumer group of the running-hours consumer (shared by the service's replicas). */
  RUNNING_HOURS_GROUP_ID: Type.String({ default: 'maintenance-running-hours' }),
  /** How often the overdue scan looks for work orders to announce. */
  OVERDUE_SCAN_INTERVAL_SECONDS: Type.Integer({ default: 3600, minimum: 1 }),
});

export type MaintenanceConfig = Static<typeof maintenanceConfigSchema>;
