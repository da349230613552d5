import { randomUUID } from 'node:crypto';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Every message on our topics is one of these, JSON-encoded. */
export interface Envelope<T = unknown> {
  /** A UUID, unique per event; consumers use it to spot redeliveries. */
  id: string;
  /** What happened, as dot-separated lowercase words: 'fleet.vessel.updated'. */
  type: string;
  /** The version of `data`'s shape for this type, from 1. */
  version: number;
  /** ISO 8601 timestamp with a time zone. */
  occurredAt: string;
  tenant?: string;
  data: T;
}

export interface NewEnvelope<T> {
  type: string;
  version: number;
  data: T;
  tenant?: string;
  /** Default: a random UUID. */
  id?: string;
  /** Default: now. */
  occurredAt?: Date;
}

/** Thrown for bytes or objects that are not a valid envelope; `problems` lists each defect. */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';

  constructor(readonly problems: string[]) {
    super(`invalid envelope: ${problems.join('; ')}`);
  }
}

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const EVENT_TYPE = '^[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)+$';
const ISO_TIMESTAMP = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';

// TypeBox's own messages for a failed pattern print the regular expression; these read better.
const patternHints: Record<string, string> = {
  '/id': 'must be a UUID',
  '/type': "must be dot-separated lowercase words, such as 'fleet.vessel.updated'",
  '/occurredAt': 'must be an ISO 8601 timestamp with a time zone',
};

const EnvelopeSchema = Type.Object({
  id: Type.String({ pattern: UUID }),
  type: Type.String({ pattern: EVENT_TYPE }),
  version: Type.Integer({ minimum: 1 }),
  occurredAt: Type.String({ pattern: ISO_TIMESTAMP }),
  tenant: Type.Optional(Type.String({ minLength: 1 })),
  data: Type.Unknown(),
});

function describe(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) return String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** One line per failing path, the first error of each. */
function problemsOf(schema: TSchema, value: unknown, pathPrefix = ''): string[] {
  // Checking is several times cheaper than collecting errors; only a failing value pays for the list.
  if (Value.Check(schema, value)) return [];
  const problems = new Map<string, string>();
  for (const error of Value.Errors(schema, value)) {
    const path = pathPrefix + error.path;
    if (problems.has(path)) continue;
    const hint = typeof error.value === 'string' ? patternHints[path] : undefined;
    const what = hint ?? error.message;
    problems.set(
      path,
      error.value === undefined
        ? `${path || '(root)'}: ${what}`
        : `${path || '(root)'}: ${what} (got ${describe(error.value)})`,
    );
  }
  return [...problems.values()];
}

function validEnvelope(value: unknown): Envelope {
  const problems = problemsOf(EnvelopeSchema, value);
  if (problems.length === 0) {
    const { occurredAt } = value as Envelope;
    // The pattern accepts impossible dates such as month 13.
    if (Number.isNaN(Date.parse(occurredAt))) {
      problems.push(`/occurredAt: not a real point in time (got ${describe(occurredAt)})`);
    }
  }
  if (problems.length > 0) throw new EnvelopeError(problems);
  const { id, type, version, occurredAt, tenant, data } = value as Envelope;
  // Fields added by newer producers are dropped rather than rejected, so they can roll out first.
  return tenant === undefined
    ? { id, type, version, occurredAt, data }
    : { id, type, version, occurredAt, tenant, data };
}

export function createEnvelope<T>({
  type,
  version,
  data,
  tenant,
  id,
  occurredAt,
}: NewEnvelope<T>): Envelope<T> {
  const when = occurredAt ?? new Date();
  if (Number.isNaN(when.getTime())) throw new EnvelopeError(['/occurredAt: Invalid Date']);
  const envelope = validEnvelope({
    id: id ?? randomUUID(),
    type,
    version,
    occurredAt: when.toISOString(),
    ...(tenant === undefined ? {} : { tenant }),
    data,
  });
  return envelope as Envelope<T>;
}

/** Validates, then JSON-encodes; throws EnvelopeError rather than publish a malformed envelope. */
export function encodeEnvelope(envelope: Envelope<unknown>): Buffer {
  return Buffer.from(JSON.stringify(validEnvelope(envelope)));
}

/**
 * Parses and validates an envelope; with `dataSchema`, `data` is checked against it as well.
 * Throws EnvelopeError naming every problem found.
 */
export function decodeEnvelope(bytes: Buffer | null): Envelope<unknown>;
export function decodeEnvelope<S extends TSchema>(bytes: Buffer | null, dataSchema: S): Envelope<Static<S>>;
export function decodeEnvelope(bytes: Buffer | null, dataSchema?: TSchema): Envelope<unknown> {
  if (bytes === null) throw new EnvelopeError(['(root): no value (a tombstone)']);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new EnvelopeError([`(root): not JSON (${(error as Error).message})`]);
  }
  const envelope = validEnvelope(parsed);
  if (dataSchema !== undefined) {
    const problems = problemsOf(dataSchema, envelope.data, '/data');
    if (problems.length > 0) {
      throw new EnvelopeError([
        `data of ${envelope.type} v${envelope.version} does not match its schema`,
        ...problems,
      ]);
    }
  }
  return envelope;
}
