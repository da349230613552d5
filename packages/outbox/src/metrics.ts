import { registeredOnce, type Logger } from '@fleetwatch/messaging';
import type pg from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';
import { outboxNames } from './names.js';

export const PUBLISHED_METRIC = 'outbox_published_total';
export const PUBLISH_FAILURES_METRIC = 'outbox_publish_failures_total';
export const PENDING_METRIC = 'outbox_pending_messages';
export const OLDEST_PENDING_AGE_METRIC = 'outbox_oldest_pending_age_seconds';
export const RELAY_ACTIVE_METRIC = 'outbox_relay_active';

/** The pending count stops at this many rows, so a scrape stays cheap however large the backlog. */
export const PENDING_COUNT_LIMIT = 100_000;

export interface RelayMetrics {
  published: Counter<'schema'>;
  publishFailures: Counter<'schema'>;
  /** 1 while this relay holds its schema's lock; the sum over all instances should be 1. */
  active: Gauge<'schema'>;
}

/** The outbox a registry reports at scrape time: schema → where to count its rows. */
interface ReportedOutbox {
  pool: pg.Pool;
  logger: Logger;
}

const outboxesByRegistry = new WeakMap<Registry, Map<string, ReportedOutbox>>();

export function relayMetrics(registry: Registry): RelayMetrics {
  return {
    published: registeredOnce(
      registry,
      PUBLISHED_METRIC,
      Counter,
      () =>
        new Counter({
          name: PUBLISHED_METRIC,
          help: 'Outbox messages Kafka acknowledged (a message published again after a failure counts again)',
          labelNames: ['schema'],
          registers: [registry],
        }),
    ),
    publishFailures: registeredOnce(
      registry,
      PUBLISH_FAILURES_METRIC,
      Counter,
      () =>
        new Counter({
          name: PUBLISH_FAILURES_METRIC,
          help: 'Failed attempts to publish outbox messages to Kafka; the messages stay and are retried',
          labelNames: ['schema'],
          registers: [registry],
        }),
    ),
    active: registeredOnce(
      registry,
      RELAY_ACTIVE_METRIC,
      Gauge,
      () =>
        new Gauge({
          name: RELAY_ACTIVE_METRIC,
          help: 'Whether this instance is the active outbox relay of the schema (1) or a standby (0)',
          labelNames: ['schema'],
          registers: [registry],
        }),
    ),
  };
}

/**
 * Reports the schema's backlog (pending count and oldest pending age) on `registry`, read from the
 * database at scrape time. Returns a function that stops reporting it. A later call for the same
 * schema replaces the earlier one, as every instance would report the same table anyway.
 */
export function reportBacklog(registry: Registry, schema: string, pool: pg.Pool, logger: Logger): () => void {
  const outboxes = reportedOutboxes(registry);
  const reported: ReportedOutbox = { pool, logger };
  outboxes.set(schema, reported);
  return () => {
    if (outboxes.get(schema) === reported) outboxes.delete(schema);
  };
}

function reportedOutboxes(registry: Registry): Map<string, ReportedOutbox> {
  const existing = outboxesByRegistry.get(registry);
  if (existing) return existing;
  const outboxes = new Map<string, ReportedOutbox>();
  backlogGauge(
    registry,
    outboxes,
    PENDING_METRIC,
    `Messages in the outbox not yet published (counted up to ${PENDING_COUNT_LIMIT})`,
    (table) =>
      `SELECT count(*)::float8 AS value FROM (SELECT 1 FROM ${table} LIMIT ${PENDING_COUNT_LIMIT}) AS pending`,
  );
  backlogGauge(
    registry,
    outboxes,
    OLDEST_PENDING_AGE_METRIC,
    'Age of the oldest message in the outbox, by the database clock; 0 when it is empty',
    // The lowest id is (nearly) the oldest row and found through the primary key; min(created_at)
    // would read the whole table. The database's clock, so no skew with the writers'.
    (table) =>
      `SELECT coalesce((SELECT extract(epoch FROM now() - created_at) FROM ${table} ORDER BY id LIMIT 1), 0)::float8 AS value`,
  );
  outboxesByRegistry.set(registry, outboxes);
  return outboxes;
}

function backlogGauge(
  registry: Registry,
  outboxes: Map<string, ReportedOutbox>,
  name: string,
  help: string,
  query: (table: string) => string,
): void {
  registeredOnce(
    registry,
    name,
    Gauge,
    () =>
      new Gauge({
        name,
        help,
        labelNames: ['schema'],
        registers: [registry],
        async collect() {
          // Rebuilt at every scrape, so a schema no longer reported disappears from the output.
          this.reset();
          await Promise.all(
            [...outboxes].map(async ([schema, { pool, logger }]) => {
              try {
                const { rows } = await pool.query<{ value: number }>(query(outboxNames(schema).table));
                this.set({ schema }, rows[0]?.value ?? 0);
              } catch (error) {
                // A failing query must not fail the whole /metrics response: the series is left out.
                logger.warn({ err: error, schema, metric: name }, 'could not read the outbox backlog');
              }
            }),
          );
        },
      }),
  );
}
