import { context, propagation } from '@opentelemetry/api';
import { encodeEnvelope, type Envelope } from '@fleetwatch/messaging';
import type pg from 'pg';
import { keyLock, outboxNames } from './names.js';

export interface OutboxMessage {
  topic: string;
  /** Messages with the same key go to the same partition, in commit order. */
  key: string | null;
  value: Envelope<unknown>;
}

/**
 * Writes the messages to `<schema>.outbox` inside the caller's transaction, so they are committed
 * (or rolled back) together with the change they describe. Call it on the transaction's client, as
 * the transaction's last statement: see "Ordering" in the README.
 *
 * - Each envelope is validated first: an invalid one throws EnvelopeError here, failing the
 *   transaction, instead of sitting in the outbox as a message no one should publish.
 * - The active OpenTelemetry context is stored as headers (global propagator), so consumers continue
 *   the trace of the request that made the change.
 * - For each (topic, key) it takes a transaction-level advisory lock (shared by the keys of one of
 *   KEY_LOCK_BUCKETS buckets): a second transaction with an event for the same key waits until this
 *   one ends, so that key's ids follow commit order.
 * - pg_notify('<schema>_outbox') wakes the relay when the transaction commits (never on rollback).
 */
export async function enqueueOutbox(
  client: pg.ClientBase,
  schema: string,
  messages: OutboxMessage[],
): Promise<void> {
  const names = outboxNames(schema);
  if (messages.length === 0) return;

  const payloads = messages.map(({ value }) => encodeEnvelope(value).toString('utf8'));
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);

  // Sorted (and unnest keeps array order), so two transactions that lock several buckets take them
  // in the same order and cannot deadlock on them.
  const keyLocks = [
    ...new Set(
      messages.flatMap(({ topic, key }) => (key === null ? [] : [keyLock(names.schema, topic, key)])),
    ),
  ].sort();
  if (keyLocks.length > 0) {
    await client.query(
      'SELECT pg_advisory_xact_lock(hashtextextended(lock, 0)) FROM unnest($1::text[]) AS lock',
      [keyLocks],
    );
  }

  // One statement for all messages; ORDER BY position gives them ids in the order they were passed.
  await client.query(
    `INSERT INTO ${names.table} (topic, message_key, payload, headers)
     SELECT topic, message_key, payload, $4::jsonb
     FROM unnest($1::text[], $2::text[], $3::jsonb[]) WITH ORDINALITY AS m(topic, message_key, payload, position)
     ORDER BY position`,
    [messages.map(({ topic }) => topic), messages.map(({ key }) => key), payloads, JSON.stringify(headers)],
  );
  // Delivered at commit, once per channel and transaction however often it is called.
  await client.query("SELECT pg_notify($1, '')", [names.channel]);
}
