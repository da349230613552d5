import { type Static, Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { formatTimestamp, parseRfc3339 } from '../rfc3339.js';
import type { TelemetryPoint } from '../types.js';

/**
 * The shape of a Signal K delta this package accepts, as a TypeBox schema, so the ingestion API can
 * use the same schema for its request body and OpenAPI document. Unknown properties are allowed, as
 * the Signal K specification allows them. Timestamps are checked as RFC 3339 by `parseSignalKDelta`
 * (the schema only documents it: a `format` here would need a format registered with TypeBox).
 */
export const SignalKDeltaSchema = Type.Object(
  {
    context: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Whose data this is, e.g. vessels.urn:mrn:imo:mmsi:234567890; absent: the sending vessel',
      }),
    ),
    updates: Type.Array(
      Type.Object({
        $source: Type.Optional(
          Type.String({ minLength: 1, description: 'Source reference, e.g. N2000-01.115' }),
        ),
        source: Type.Optional(
          Type.Object({ label: Type.String({ minLength: 1 }), type: Type.Optional(Type.String()) }),
        ),
        timestamp: Type.Optional(
          Type.String({ description: 'RFC 3339 date-time, e.g. 2024-01-07T07:18:44Z' }),
        ),
        values: Type.Optional(Type.Array(Type.Object({ path: Type.String(), value: Type.Unknown() }))),
        meta: Type.Optional(Type.Array(Type.Unknown(), { description: 'Metadata; accepted and ignored' })),
      }),
    ),
  },
  { $id: 'SignalKDelta', description: 'A Signal K delta message' },
);

export type SignalKDelta = Static<typeof SignalKDeltaSchema>;

/** Compiled once: deltas arrive by the thousand per batch, and the compiled check is much faster. */
const deltaChecker = TypeCompiler.Compile(SignalKDeltaSchema);

export interface SignalKPoint extends TelemetryPoint {
  /** The update's `$source`, or else its `source.label`. */
  source?: string;
}

export interface ParsedSignalKDelta {
  /** As sent; `undefined` means the sending vessel itself (see `vesselIdFromContext`). */
  context?: string;
  points: SignalKPoint[];
}

export type SignalKDeltaErrorReason = 'malformed' | 'invalid-timestamp';

export class SignalKDeltaError extends Error {
  override readonly name = 'SignalKDeltaError';

  constructor(
    readonly reason: SignalKDeltaErrorReason,
    /** JSON Pointer to the offending part, e.g. `/updates/0/values`; empty for the whole document. */
    readonly pointer: string,
    problem: string,
  ) {
    super(`${pointer === '' ? '(delta)' : pointer}: ${problem}`);
  }
}

/**
 * Flattens one Signal K delta into points: each value with its update's timestamp (normalised to UTC
 * with milliseconds) and source. Throws `SignalKDeltaError` when the delta is not one: `updates`
 * missing or not an array, an update without `values` (an update carrying only `meta` gives no
 * points), a value without a string `path` or without `value`, a `source` without `label`, or a
 * timestamp that is not RFC 3339. Paths and values themselves are checked by `validatePoint`.
 */
export function parseSignalKDelta(json: unknown): ParsedSignalKDelta {
  return parseDeltaAt(json, '');
}

export type SignalKDeltaResult =
  { ok: true; delta: ParsedSignalKDelta } | { ok: false; error: SignalKDeltaError };

/**
 * Parses an array of deltas one by one, so that one malformed delta does not cost the others: each
 * result says `ok` with the delta or carries its error (pointers start with the delta's index).
 * Throws `SignalKDeltaError` only when `json` is not an array.
 */
export function parseSignalKDeltas(json: unknown): SignalKDeltaResult[] {
  if (!Array.isArray(json)) {
    throw new SignalKDeltaError('malformed', '', 'expected an array of Signal K deltas');
  }
  return json.map((item: unknown, index): SignalKDeltaResult => {
    try {
      return { ok: true, delta: parseDeltaAt(item, `/${index}`) };
    } catch (error) {
      if (error instanceof SignalKDeltaError) return { ok: false, error };
      throw error;
    }
  });
}

function parseDeltaAt(json: unknown, base: string): ParsedSignalKDelta {
  if (!deltaChecker.Check(json)) {
    const first = deltaChecker.Errors(json).First();
    throw new SignalKDeltaError(
      'malformed',
      `${base}${first?.path ?? ''}`,
      first?.message ?? 'not a Signal K delta',
    );
  }
  const points: SignalKPoint[] = [];
  json.updates.forEach((update, updateIndex) => {
    const pointer = `${base}/updates/${updateIndex}`;
    if (update.values === undefined) {
      if (update.meta !== undefined) return;
      throw new SignalKDeltaError('malformed', pointer, 'an update carries "values" (or "meta")');
    }
    let timestamp: string | undefined;
    if (update.timestamp !== undefined) {
      const time = parseRfc3339(update.timestamp);
      if (time === undefined) {
        throw new SignalKDeltaError(
          'invalid-timestamp',
          `${pointer}/timestamp`,
          `${JSON.stringify(update.timestamp)} is not an RFC 3339 date-time`,
        );
      }
      timestamp = formatTimestamp(time);
    }
    const source = update.$source ?? update.source?.label;
    for (const { path, value } of update.values) {
      const point: SignalKPoint = { path, value };
      if (timestamp !== undefined) point.timestamp = timestamp;
      if (source !== undefined) point.source = source;
      points.push(point);
    }
  });
  const parsed: ParsedSignalKDelta = { points };
  if (json.context !== undefined) parsed.context = json.context;
  return parsed;
}
