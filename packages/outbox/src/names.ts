import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Lower-case identifiers only, as @fleetwatch/db requires of schemas. At most 56 characters: the
 * notification channel `<schema>_outbox` must fit PostgreSQL's 63-character identifier limit, or
 * LISTEN would silently truncate it and never hear pg_notify.
 */
const SCHEMA = /^[a-z_][a-z0-9_]{0,55}$/;

/** The SQL names and advisory-lock names one schema's outbox uses. */
export interface OutboxNames {
  schema: string;
  /** `"<schema>".outbox`, quoted: a valid identifier can still be a reserved word. */
  table: string;
  /** What enqueueOutbox passes to pg_notify and the relay LISTENs on. */
  channel: string;
  /** Text hashed into the relay's session-level advisory lock key: one active relay per schema. */
  relayLock: string;
}

export function outboxNames(schema: string): OutboxNames {
  if (typeof schema !== 'string' || !SCHEMA.test(schema)) {
    throw new Error(
      `schema must be a lower-case SQL identifier ([a-z_][a-z0-9_]*, at most 56 characters), got ${JSON.stringify(schema)}`,
    );
  }
  return {
    schema,
    table: `${pg.escapeIdentifier(schema)}.outbox`,
    channel: `${schema}_outbox`,
    relayLock: `fleetwatch-outbox-relay:${schema}`,
  };
}

/**
 * enqueueOutbox locks keys by bucket rather than one lock per key: a transaction that enqueues
 * thousands of keys (a bulk import) would otherwise fill PostgreSQL's shared lock table
 * (max_locks_per_transaction). Two keys sharing a bucket only means one writer may wait for the
 * other's commit.
 */
export const KEY_LOCK_BUCKETS = 256;

/** Text hashed into the transaction-level advisory lock that enqueueOutbox takes for a message key. */
export function keyLock(schema: string, topic: string, key: string): string {
  // Kafka topic names cannot contain ':', so "topic:key" is unambiguous.
  const bucket = createHash('sha256').update(`${topic}:${key}`).digest().readUInt32BE(0) % KEY_LOCK_BUCKETS;
  return `fleetwatch-outbox-key:${schema}:${bucket}`;
}
