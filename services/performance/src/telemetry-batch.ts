import { Type, type Static } from '@sinclair/typebox';

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** What every version of a telemetry message's data says besides its points. */
const batchHead = {
  batchId: Type.String({ pattern: UUID }),
  tenantId: Type.String({ pattern: UUID }),
  vesselId: Type.String({ pattern: UUID }),
  receivedAt: Type.String({ minLength: 20 }),
};

/**
 * One path's accepted points in a telemetry message: their times in epoch milliseconds (UTC) and
 * their values in SI units, in the same order. By path rather than by point: a message of 12 000
 * points is then about a quarter of the bytes, and neither the API nor the writer handles an object
 * per point.
 */
export const TelemetrySeries = Type.Object({
  path: Type.String({ minLength: 1 }),
  times: Type.Array(Type.Integer()),
  values: Type.Array(Type.Unknown()),
});
export type TelemetrySeries = Static<typeof TelemetrySeries>;

/**
 * The `data` of a telemetry message on Kafka (TELEMETRY_EVENT_VERSION 2): what one ingestion request
 * accepted for one vessel, or a part of it (see splitSeries).
 */
export const TelemetryBatch = Type.Object({ ...batchHead, series: Type.Array(TelemetrySeries) });
export type TelemetryBatch = Static<typeof TelemetryBatch>;

/** One accepted point as version 1 carried it: a Signal K path, an RFC 3339 timestamp, a value. */
export const TelemetryPoint = Type.Object({
  path: Type.String({ minLength: 1 }),
  ts: Type.String({ minLength: 20 }),
  value: Type.Unknown(),
});
export type TelemetryPoint = Static<typeof TelemetryPoint>;

/** Version 1 of the message data, an object per point: still read, so that no message is refused. */
export const TelemetryBatchV1 = Type.Object({ ...batchHead, points: Type.Array(TelemetryPoint) });
export type TelemetryBatchV1 = Static<typeof TelemetryBatchV1>;

/** What the writer accepts as a telemetry message's data: either version. */
export const TelemetryMessageData = Type.Union([TelemetryBatch, TelemetryBatchV1]);
export type TelemetryMessageData = Static<typeof TelemetryMessageData>;

/**
 * Points, in the order given, as series: one per path, in the order each path first appears. A
 * timestamp that does not parse throws (version 1 messages are written by the API, which validated
 * them; such a message is not one of its).
 */
export function seriesOf(points: readonly { path: string; ts: string; value: unknown }[]): TelemetrySeries[] {
  const byPath = new Map<string, TelemetrySeries>();
  for (const point of points) {
    const time = Date.parse(point.ts);
    if (!Number.isFinite(time)) throw new Error(`unreadable ts ${point.ts}`);
    let series = byPath.get(point.path);
    if (series === undefined) {
      series = { path: point.path, times: [], values: [] };
      byPath.set(point.path, series);
    }
    series.times.push(time);
    series.values.push(point.value);
  }
  return [...byPath.values()];
}

/** A message's data as version 2. */
export function asSeriesBatch(data: TelemetryMessageData): TelemetryBatch {
  if ('series' in data) return data;
  const { points, ...batch } = data;
  return { ...batch, series: seriesOf(points) };
}

/** About what a point takes in a message's JSON: its time, its value and a comma each. */
function encodedSize(value: unknown): number {
  return 16 + (typeof value === 'number' ? 24 : (JSON.stringify(value)?.length ?? 4));
}

/** About what a series takes in a message's JSON besides its points. */
const seriesOverhead = (path: string): number => path.length + 48;

/**
 * Series as the `series` of as many telemetry messages as it takes to keep each under `maxBytes`
 * (estimated), in order; a series too large for one message continues in the next. A single point
 * never splits.
 */
export function splitSeries(series: readonly TelemetrySeries[], maxBytes: number): TelemetrySeries[][] {
  const parts: TelemetrySeries[][] = [];
  let part: TelemetrySeries[] = [];
  let bytes = 0;
  let pointsInPart = 0;
  for (const { path, times, values } of series) {
    let current: TelemetrySeries | undefined;
    for (let index = 0; index < times.length; index += 1) {
      const size = encodedSize(values[index]) + (current === undefined ? seriesOverhead(path) : 0);
      if (pointsInPart > 0 && bytes + size > maxBytes) {
        parts.push(part);
        part = [];
        bytes = 0;
        pointsInPart = 0;
        current = undefined;
      }
      if (current === undefined) {
        current = { path, times: [], values: [] };
        part.push(current);
        bytes += seriesOverhead(path);
      }
      current.times.push(times[index] ?? 0);
      current.values.push(values[index]);
      bytes += encodedSize(values[index]);
      pointsInPart += 1;
    }
  }
  if (pointsInPart > 0) parts.push(part);
  return parts;
}
