import { Type, type Static } from '@sinclair/typebox';

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** One accepted point: a Signal K path, an RFC 3339 timestamp, a value in SI units. */
export const TelemetryPoint = Type.Object({
  path: Type.String({ minLength: 1 }),
  ts: Type.String({ minLength: 20 }),
  value: Type.Unknown(),
});
export type TelemetryPoint = Static<typeof TelemetryPoint>;

/** The `data` of a telemetry message on Kafka: what one ingestion request accepted for one vessel. */
export const TelemetryBatch = Type.Object({
  batchId: Type.String({ pattern: UUID }),
  tenantId: Type.String({ pattern: UUID }),
  vesselId: Type.String({ pattern: UUID }),
  receivedAt: Type.String({ minLength: 20 }),
  points: Type.Array(TelemetryPoint),
});
export type TelemetryBatch = Static<typeof TelemetryBatch>;
