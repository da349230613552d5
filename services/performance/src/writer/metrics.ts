import { registeredOnce } from '@fleetwatch/messaging';
import { Counter, Histogram, type Registry } from 'prom-client';
import { WRITE_STAGES } from './store.js';

export const POINTS_WRITTEN_METRIC = 'telemetry_points_written_total';
export const WRITE_DURATION_METRIC = 'telemetry_write_duration_seconds';
export const INGEST_DELAY_METRIC = 'telemetry_ingest_delay_seconds';
export const WRITER_ERRORS_METRIC = 'telemetry_writer_errors_total';

/** 10 ms to 30 s: a transaction stores up to 500 batches (WRITER_MESSAGES_PER_TRANSACTION). */
export const WRITE_DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30];
/** 0.1 s to 2 min: the benchmark's ingest-to-queryable p50 was 2.5 s, its p99 11.6 s. */
export const INGEST_DELAY_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60, 120];

export interface WriterMetrics {
  pointsWritten: Counter;
  writeDuration: Histogram;
  ingestDelay: Histogram;
  errors: Counter<'stage'>;
}

/** The writer's metrics on `registry`, created on first use (several writers in one process share them). */
export function writerMetrics(registry: Registry): WriterMetrics {
  return {
    pointsWritten: registeredOnce(
      registry,
      POINTS_WRITTEN_METRIC,
      Counter,
      () =>
        new Counter({
          name: POINTS_WRITTEN_METRIC,
          help: 'Telemetry points added to performance.telemetry_chunks by committed writer transactions, after deduplication: a point already stored (a redelivery) is not counted again',
          registers: [registry],
        }),
    ),
    writeDuration: registeredOnce(
      registry,
      WRITE_DURATION_METRIC,
      Histogram,
      () =>
        new Histogram({
          name: WRITE_DURATION_METRIC,
          help: 'Duration of each committed writer transaction (up to WRITER_MESSAGES_PER_TRANSACTION batches: COPY, chunk merge with rollups and latest values, outbox, commit), from asking the pool for a connection; failed attempts are in telemetry_writer_errors_total',
          buckets: WRITE_DURATION_BUCKETS,
          registers: [registry],
        }),
    ),
    ingestDelay: registeredOnce(
      registry,
      INGEST_DELAY_METRIC,
      Histogram,
      () =>
        new Histogram({
          name: INGEST_DELAY_METRIC,
          help: "Per batch, from the API's receipt of the request (the batch's receivedAt, API clock) to the commit of its points (writer clock): the time until the data is queryable; not observed for a transaction that inserted nothing (a redelivery)",
          buckets: INGEST_DELAY_BUCKETS,
          registers: [registry],
        }),
    ),
    errors: registeredOnce(registry, WRITER_ERRORS_METRIC, Counter, () => {
      const counter = new Counter({
        name: WRITER_ERRORS_METRIC,
        help: 'Failed writer transactions (every attempt: retries and the bisection of a failing call count again), by the stage that failed: connect (pool connection, BEGIN), copy (COPY into the staging table), insert (the statement inserting points, rollups, latest values and running hours), outbox, commit',
        labelNames: ['stage'],
        registers: [registry],
      });
      for (const stage of WRITE_STAGES) counter.inc({ stage }, 0);
      return counter;
    }),
  };
}
