import { registeredOnce } from '@fleetwatch/messaging';
import { Counter, type Registry } from 'prom-client';
import { INGEST_FORMATS, type IngestFormat } from './normalize.js';

export const POINTS_RECEIVED_METRIC = 'telemetry_points_received_total';
export const BATCHES_METRIC = 'telemetry_batches_total';

export type PointOutcome = 'accepted' | 'rejected';
/**
 * acknowledged: 202, Kafka acknowledged the batch; unavailable: 503 because Kafka did not; invalid:
 * refused with a 4xx before anything was published.
 */
export type BatchOutcome = 'acknowledged' | 'unavailable' | 'invalid';

const POINT_OUTCOMES: readonly PointOutcome[] = ['accepted', 'rejected'];
const BATCH_OUTCOMES: readonly BatchOutcome[] = ['acknowledged', 'unavailable', 'invalid'];

export interface IngestMetrics {
  pointsReceived: Counter<'format' | 'outcome'>;
  batches: Counter<'outcome'>;
}

/**
 * The ingestion counters on `registry`, created on first use (several apps in one process share
 * them). Every label combination starts at 0, so the first increment shows in rate() and increase().
 */
export function ingestMetrics(registry: Registry): IngestMetrics {
  return {
    pointsReceived: registeredOnce(registry, POINTS_RECEIVED_METRIC, Counter, () => {
      const counter = new Counter({
        name: POINTS_RECEIVED_METRIC,
        help: 'Telemetry points of ingestion requests answered 202 or 422, by body format (json, ndjson, signalk, nmea0183) and outcome (accepted: published to Kafka; rejected: listed in the response, counted per point, line or Signal K delta as the response counts them)',
        labelNames: ['format', 'outcome'],
        registers: [registry],
      });
      for (const format of INGEST_FORMATS)
        for (const outcome of POINT_OUTCOMES) counter.inc({ format, outcome }, 0);
      return counter;
    }),
    batches: registeredOnce(registry, BATCHES_METRIC, Counter, () => {
      const counter = new Counter({
        name: BATCHES_METRIC,
        help: 'Ingestion requests (batches) by outcome: acknowledged (202, Kafka acknowledged), unavailable (503, Kafka did not acknowledge), invalid (refused with a 4xx before publishing)',
        labelNames: ['outcome'],
        registers: [registry],
      });
      for (const outcome of BATCH_OUTCOMES) counter.inc({ outcome }, 0);
      return counter;
    }),
  };
}

/**
 * The outcome of an ingestion request from its answer, or null for an answer that is none of them
 * (a 500, or a 503 for another reason than Kafka, such as the registry view still loading).
 */
export function batchOutcome(statusCode: number, kafkaRefused: boolean): BatchOutcome | null {
  if (statusCode === 202) return 'acknowledged';
  if (statusCode === 503 && kafkaRefused) return 'unavailable';
  if (statusCode >= 400 && statusCode < 500) return 'invalid';
  return null;
}

/** Counts the points of an answered request (202 or 422) as its response reports them. */
export function countPoints(
  metrics: IngestMetrics,
  format: IngestFormat,
  accepted: number,
  rejected: number,
): void {
  if (accepted > 0) metrics.pointsReceived.inc({ format, outcome: 'accepted' }, accepted);
  if (rejected > 0) metrics.pointsReceived.inc({ format, outcome: 'rejected' }, rejected);
}
