import { ROOT_CONTEXT, context, propagation } from '@opentelemetry/api';
import { silentLogger, type Logger, type MessageProducer, type RawMessage } from '@fleetwatch/messaging';
import pg from 'pg';
import { register as defaultRegistry, type Registry } from 'prom-client';
import { relayMetrics, reportBacklog } from './metrics.js';
import { outboxNames } from './names.js';
import { Wakeup, pause } from './wakeup.js';

export interface OutboxRelayOptions {
  /** The service's pool (app role). While active, the relay keeps one of its connections. */
  pool: pg.Pool;
  schema: string;
  /** Connected and disconnected by the caller; its publishRaw waits for all in-sync replicas. */
  producer: MessageProducer;
  logger?: Logger;
  /** Default: prom-client's default registry, the one service-kit serves on /metrics. */
  registry?: Registry;
  /** How often the active relay looks for rows without being notified (a missed NOTIFY). Default 1000. */
  pollIntervalMs?: number;
  /** Rows read, published and deleted per round. Default 200. */
  batchSize?: number;
  /** How often a standby tries to take the lock over. Default 3000. */
  lockRetryIntervalMs?: number;
}

export interface OutboxRelay {
  /**
   * Tries for the schema's relay lock once, then relays (active) or keeps trying every
   * lockRetryIntervalMs (standby) in the background. Rejects when the outbox table cannot be read or
   * the database cannot be reached at that first attempt; later errors are logged and retried.
   * A relay starts once; create a new one to start again after stop().
   */
  start(): Promise<void>;
  /** Stops waking up, finishes the batch in flight, releases the lock and closes its connection. */
  stop(): Promise<void>;
}

interface OutboxRow {
  /** bigint, as node-postgres returns it: text. */
  id: string;
  topic: string;
  message_key: string | null;
  payload: unknown;
  headers: Record<string, string>;
}

/** Consecutive rows that go to Kafka in one request: same topic, same trace context. */
interface Send {
  topic: string;
  headers: Record<string, string>;
  headersText: string;
  rows: OutboxRow[];
}

/** The active relay's own connection: it holds the session-level lock and LISTENs. */
interface LockSession {
  client: pg.PoolClient;
  /** Set when the connection broke: the lock ended with it, and another relay may be active now. */
  lostBy: Error | undefined;
}

const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;

/**
 * Publishes the rows of `<schema>.outbox` to Kafka in id order and deletes them once Kafka has
 * acknowledged them: at least once, never dropping a message. One relay per schema is active at a
 * time (a session-level advisory lock); the others stand by and take over when it goes away.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const {
    pool,
    schema,
    producer,
    logger = silentLogger,
    registry = defaultRegistry,
    pollIntervalMs = 1_000,
    batchSize = 200,
    lockRetryIntervalMs = 3_000,
  } = options;
  const names = outboxNames(schema);
  assertPositive('pollIntervalMs', pollIntervalMs);
  assertPositive('lockRetryIntervalMs', lockRetryIntervalMs);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  }

  const metrics = relayMetrics(registry);
  const labels = { schema };
  const stopping = new AbortController();
  const wakeup = new Wakeup();
  let starting: Promise<void> | undefined;
  let running: Promise<void> | undefined;
  let stopReportingBacklog = (): void => {};

  /** One attempt at the lock; the session when it was acquired, undefined when another relay has it. */
  async function tryToBecomeActive(): Promise<LockSession | undefined> {
    const client = await pool.connect();
    const session: LockSession = { client, lostBy: undefined };
    // While checked out, the pool no longer listens for the client's errors; without a listener a
    // dropped connection would crash the process. It stays attached until the client is closed.
    const onError = (error: Error): void => {
      session.lostBy = error;
      wakeup.wake();
    };
    client.on('error', onError);
    try {
      const { rows } = await client.query<{ acquired: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS acquired',
        [names.relayLock],
      );
      if (rows[0]?.acquired !== true) {
        client.off('error', onError);
        client.release();
        return undefined;
      }
      client.on('notification', ({ channel }) => {
        if (channel === names.channel) wakeup.wake();
      });
      // Before the first read: a commit between that read and LISTEN would otherwise wait for the poll.
      await client.query(`LISTEN ${pg.escapeIdentifier(names.channel)}`);
      return session;
    } catch (error) {
      // Closing the connection also releases the lock if it was taken.
      client.release(true);
      throw error;
    }
  }

  async function closeSession(session: LockSession): Promise<void> {
    if (session.lostBy === undefined) {
      try {
        // Explicitly, so a standby can take over as soon as stop() resolves.
        await session.client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [names.relayLock]);
      } catch (error) {
        logger.warn(
          { err: error, schema },
          'could not release the outbox relay lock; closing its connection',
        );
      }
    }
    // Never back into the pool: the connection LISTENs (and still holds the lock if unlocking
    // failed). Closing it ends both.
    session.client.release(true);
  }

  async function publish({ topic, headers, rows }: Send): Promise<void> {
    const messages: RawMessage[] = rows.map((row) => ({
      key: row.message_key,
      value: Buffer.from(JSON.stringify(row.payload)),
      // A copy: an OpenTelemetry kafkajs instrumentation writes its own trace context into it.
      headers: { ...row.headers },
    }));
    try {
      // In the trace context of the request that wrote the rows, so a kafkajs instrumentation's send
      // span (whose context replaces the one in the headers) continues that trace instead of
      // starting a new one.
      await context.with(propagation.extract(ROOT_CONTEXT, headers), () =>
        producer.publishRaw(topic, messages),
      );
    } catch (error) {
      metrics.publishFailures.inc(labels);
      throw error;
    }
    metrics.published.inc(labels, rows.length);
  }

  /** Reads, publishes and deletes up to batchSize rows; returns how many rows it read. */
  async function relayBatch(session: LockSession): Promise<number> {
    const { client } = session;
    const { rows } = await client.query<OutboxRow>(
      `SELECT id, topic, message_key, payload, headers FROM ${names.table} ORDER BY id LIMIT $1`,
      [batchSize],
    );
    const acknowledged: string[] = [];
    let failure: Error | undefined;
    try {
      for (const send of consecutiveSends(rows)) {
        // Another relay may be active already: do not add to the duplicates.
        if (session.lostBy !== undefined) throw session.lostBy;
        await publish(send);
        acknowledged.push(...send.rows.map(({ id }) => id));
      }
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    // Also after a failure: what Kafka acknowledged before it is deleted, not published again.
    if (acknowledged.length > 0) {
      try {
        await client.query(`DELETE FROM ${names.table} WHERE id = ANY($1::bigint[])`, [acknowledged]);
      } catch (error) {
        // Those rows stay and go out once more (at least once); report the first failure.
        if (failure === undefined) throw error;
        logger.error({ err: error, schema }, 'could not delete published outbox messages');
      }
    }
    if (failure !== undefined) throw failure;
    return rows.length;
  }

  /** Relays until stop() or until the lock connection breaks. */
  async function relayWhileActive(session: LockSession): Promise<void> {
    metrics.active.set(labels, 1);
    logger.info({ schema }, 'outbox relay active');
    let failures = 0;
    try {
      while (!stopping.signal.aborted) {
        try {
          const read = await relayBatch(session);
          failures = 0;
          // A full batch means more rows may be waiting: no wait.
          if (read < batchSize) await wakeup.wait(pollIntervalMs);
        } catch (error) {
          if (session.lostBy !== undefined) {
            logger.error(
              { err: session.lostBy, schema },
              'outbox relay lost its database connection, and the lock with it; standing by',
            );
            return;
          }
          failures += 1;
          const retryInMs = Math.min(MIN_BACKOFF_MS * 2 ** (failures - 1), MAX_BACKOFF_MS);
          logger.error(
            { err: error, schema, failures, retryInMs },
            'outbox relay could not relay a batch; the messages stay and are retried',
          );
          await pause(retryInMs, stopping.signal);
        }
      }
    } finally {
      metrics.active.set(labels, 0);
    }
  }

  async function run(first: LockSession | undefined): Promise<void> {
    let session = first;
    for (;;) {
      if (session !== undefined) {
        // The lock may have come while stop() was being called.
        if (!stopping.signal.aborted) await relayWhileActive(session);
        await closeSession(session);
        session = undefined;
      }
      if (stopping.signal.aborted) return;
      await pause(lockRetryIntervalMs, stopping.signal);
      if (stopping.signal.aborted) return;
      session = await tryToBecomeActive().catch((error: unknown) => {
        logger.warn({ err: error, schema }, 'outbox relay could not try for the lock; trying again');
        return undefined;
      });
    }
  }

  async function begin(): Promise<void> {
    // Fails fast on a missing table or grant, instead of logging it at every poll.
    await pool.query(`SELECT 1 FROM ${names.table} LIMIT 0`);
    const first = await tryToBecomeActive();
    if (first === undefined) logger.info({ schema }, 'another outbox relay is active; standing by');
    // Zero rather than absent until the first message, so rate() and increase() see the start.
    metrics.published.inc(labels, 0);
    metrics.publishFailures.inc(labels, 0);
    metrics.active.set(labels, 0);
    stopReportingBacklog = reportBacklog(registry, schema, pool, logger);
    running = run(first).catch((error: unknown) => {
      logger.error({ err: error, schema }, 'outbox relay stopped by an unexpected error');
    });
  }

  return {
    start() {
      if (starting !== undefined) {
        return Promise.reject(new Error('an outbox relay starts once; create a new one to start again'));
      }
      starting = begin();
      return starting;
    },
    async stop() {
      stopping.abort();
      wakeup.wake();
      // A start() still in progress sets `running` up (or fails) first; its failure is start()'s to report.
      await starting?.catch(() => {});
      await running;
      stopReportingBacklog();
    },
  };
}

function assertPositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number, got ${value}`);
  }
}

/** Splits the rows, in id order, into runs that share a topic and a trace context. */
function consecutiveSends(rows: OutboxRow[]): Send[] {
  const sends: Send[] = [];
  for (const row of rows) {
    // jsonb gives its keys in a fixed order, so equal headers give equal text.
    const headersText = JSON.stringify(row.headers);
    const last = sends.at(-1);
    if (last !== undefined && last.topic === row.topic && last.headersText === headersText) {
      last.rows.push(row);
    } else {
      sends.push({ topic: row.topic, headers: row.headers, headersText, rows: [row] });
    }
  }
  return sends;
}
