import {
  contextIsVessel,
  decodeNmea0183,
  parseSignalKDelta,
  timestampFromTimeOfDay,
  createPointValidator,
} from '@fleetwatch/telemetry-formats';
import type { TelemetryPoint, TelemetrySeries } from '../telemetry-batch.js';

/** Why an item of a request was not accepted; `index` counts points (JSON), lines (NDJSON, NMEA) or deltas. */
export interface Rejection {
  index: number;
  reason: string;
}

/**
 * The format a request's body was read as: a canonical JSON batch, NDJSON, Signal K deltas (JSON, one
 * or an array) or NMEA 0183 (text/plain).
 */
export type IngestFormat = 'json' | 'ndjson' | 'signalk' | 'nmea0183';

export const INGEST_FORMATS: readonly IngestFormat[] = ['json', 'ndjson', 'signalk', 'nmea0183'];

export interface Normalized {
  format: IngestFormat;
  /** The vessel the body names, if it names one (canonical JSON `vessel`). */
  vessel?: string;
  points: (TelemetryPoint & { index: number })[];
  rejections: Rejection[];
}

/** The identity of the vessel the request is for, to check what a Signal K context claims. */
export interface VesselIdentity {
  mmsi: string | null;
  imo: string;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function canonicalPoint(item: unknown, index: number): (TelemetryPoint & { index: number }) | Rejection {
  if (!isRecord(item)) return { index, reason: 'a point must be an object { path, ts, value }' };
  const { path, ts, value } = item;
  if (typeof path !== 'string' || path.length === 0)
    return { index, reason: 'path must be a non-empty string' };
  if (typeof ts !== 'string') return { index, reason: 'ts must be an RFC 3339 timestamp string' };
  if (value === undefined) return { index, reason: 'value is missing' };
  return { index, path, ts, value };
}

function split<T extends { index: number }>(
  results: (T | Rejection)[],
): { points: T[]; rejections: Rejection[] } {
  const points: T[] = [];
  const rejections: Rejection[] = [];
  for (const result of results) {
    if ('reason' in result) rejections.push(result);
    else points.push(result);
  }
  return { points, rejections };
}

/** Signal K deltas: the points of every update; a context naming another vessel rejects the delta. */
function fromDeltas(deltas: unknown[], receivedAt: string, vessel: VesselIdentity | undefined): Normalized {
  const points: (TelemetryPoint & { index: number })[] = [];
  const rejections: Rejection[] = [];
  deltas.forEach((delta, index) => {
    try {
      const parsed = parseSignalKDelta(delta);
      // Only the sender's own data: its MMSI or IMO number, `vessels.self`, or no context at all. Any
      // other context (another vessel, an unknown scheme) is refused rather than filed under the sender.
      if (parsed.context !== undefined && !contextIsVessel(parsed.context, vessel ?? {})) {
        rejections.push({ index, reason: `context ${parsed.context} names another vessel` });
        return;
      }
      for (const point of parsed.points) {
        points.push({ index, path: point.path, ts: point.timestamp ?? receivedAt, value: point.value });
      }
    } catch (error) {
      rejections.push({ index, reason: reasonOf(error) });
    }
  });
  return { format: 'signalk', points, rejections };
}

/** `application/json`: a canonical batch `{ vessel?, points }`, one Signal K delta, or an array of them. */
export function normalizeJson(body: unknown, receivedAt: string, vessel?: VesselIdentity): Normalized {
  if (Array.isArray(body)) return fromDeltas(body, receivedAt, vessel);
  if (isRecord(body) && 'updates' in body) return fromDeltas([body], receivedAt, vessel);
  if (isRecord(body) && Array.isArray(body.points)) {
    const named = typeof body.vessel === 'string' ? { vessel: body.vessel } : {};
    return {
      format: 'json',
      ...named,
      ...split(body.points.map((item, index) => canonicalPoint(item, index))),
    };
  }
  // The route's body schema refuses such a body before it gets here.
  return {
    format: 'json',
    points: [],
    rejections: [
      { index: 0, reason: 'expected { vessel, points: [...] }, a Signal K delta or an array of deltas' },
    ],
  };
}

/** `application/x-ndjson`: one canonical point per line. */
export function normalizeNdjson(text: string): Normalized {
  const results = text
    .split('\n')
    .map((line, index) => ({ line: line.trim(), index }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, index }) => {
      try {
        return canonicalPoint(JSON.parse(line) as unknown, index);
      } catch {
        return { index, reason: 'not valid JSON' };
      }
    });
  return { format: 'ndjson', ...split(results) };
}

/**
 * `text/plain`: NMEA 0183 sentences, one per line. GGA's time of day is dated by the latest full
 * timestamp before it (RMC, ZDA), else the time the request arrived; sentences without any time of
 * their own (HDT, VTG, RPM, XDR) take that timestamp too.
 */
export function normalizeNmea(text: string, receivedAt: string): Normalized {
  const points: (TelemetryPoint & { index: number })[] = [];
  const rejections: Rejection[] = [];
  let lastTimestamp = receivedAt;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line.length === 0) return;
    try {
      const decoded = decodeNmea0183(line);
      const stamped = decoded.points.find((point) => point.timestamp)?.timestamp;
      if (stamped) lastTimestamp = stamped;
      const ownTime = decoded.timeOfDay
        ? timestampFromTimeOfDay(decoded.timeOfDay, new Date(lastTimestamp))
        : undefined;
      for (const point of decoded.points) {
        points.push({
          index,
          path: point.path,
          ts: point.timestamp ?? ownTime ?? lastTimestamp,
          value: point.value,
        });
      }
    } catch (error) {
      rejections.push({ index, reason: reasonOf(error) });
    }
  });
  return { format: 'nmea0183', points, rejections };
}

/**
 * Checks each point (finite values, known units, timestamps within bounds); returns how many pass and
 * those points as series (one per path, in the order the paths first appear; each in the order given).
 */
export function validatePoints(
  normalized: Normalized,
  { now, retentionMs }: { now: Date; retentionMs: number },
): { accepted: number; series: TelemetrySeries[]; rejections: Rejection[] } {
  const byPath = new Map<string, TelemetrySeries>();
  let accepted = 0;
  const rejections = [...normalized.rejections];
  const validate = createPointValidator({ now, retentionMs });
  for (const point of normalized.points) {
    const verdict = validate({ path: point.path, value: point.value, timestamp: point.ts });
    if (!verdict.ok) {
      rejections.push({ index: point.index, reason: `${point.path}: ${verdict.reason}` });
      continue;
    }
    let series = byPath.get(point.path);
    if (series === undefined) {
      series = { path: point.path, times: [], values: [] };
      byPath.set(point.path, series);
    }
    series.times.push(verdict.time);
    series.values.push(point.value);
    accepted += 1;
  }
  rejections.sort((a, b) => a.index - b.index);
  return { accepted, series: [...byPath.values()], rejections };
}
