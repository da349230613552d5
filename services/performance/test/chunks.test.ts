import { withPlatformAccess } from '@fleetwatch/db';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSeriesBatch, type TelemetryBatchV1, type TelemetryPoint } from '../src/telemetry-batch.js';
import { groupIntoChunks, maintainPartitions, storeBatches } from '../src/writer/store.js';
import { appPool, migratePerformance } from './helpers.js';

/** The start of the hour two hours ago: every time below falls inside retention and one hour. */
const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
const at = (second: number): string => new Date(hour + second * 1000).toISOString();
const SOG = 'navigation.speedOverGround';
const POSITION = 'navigation.position';

function vessel(): { tenantId: string; vesselId: string } {
  return { tenantId: randomUUID(), vesselId: randomUUID() };
}

function batch(ship: { tenantId: string; vesselId: string }, points: TelemetryPoint[]): TelemetryBatchV1 {
  return { batchId: randomUUID(), ...ship, receivedAt: new Date().toISOString(), points };
}

const sog = (second: number, value: number): TelemetryPoint => ({ path: SOG, ts: at(second), value });

describe('groupIntoChunks', () => {
  const ship = vessel();

  it.each([
    {
      name: 'one chunk per path and minute, in time order',
      points: [sog(61, 3), sog(5, 1), sog(2, 2), { path: POSITION, ts: at(1), value: { latitude: 1 } }],
      expected: [
        [POSITION, 0, [[1, null]]],
        [
          SOG,
          0,
          [
            [2, 2],
            [5, 1],
          ],
        ],
        [SOG, 60, [[61, 3]]],
      ],
    },
    {
      name: 'of points at the same time the first given stays',
      points: [sog(4, 1), sog(3, 7), sog(4, 2), sog(4, 3)],
      expected: [
        [
          SOG,
          0,
          [
            [3, 7],
            [4, 1],
          ],
        ],
      ],
    },
    {
      name: 'the last millisecond of a minute and the first of the next',
      points: [
        { path: SOG, ts: new Date(hour + 59_999).toISOString(), value: 1 },
        { path: SOG, ts: new Date(hour + 60_000).toISOString(), value: 2 },
      ],
      expected: [
        [SOG, 0, [[59.999, 1]]],
        [SOG, 60, [[60, 2]]],
      ],
    },
  ])('$name', ({ points, expected }) => {
    const chunks = groupIntoChunks([asSeriesBatch(batch(ship, points))]);
    expect(
      chunks.map((chunk) => [
        chunk.path,
        (chunk.bucket - hour) / 1000,
        chunk.times.map((time, index) => {
          const value = chunk.values[index];
          return [(time - hour) / 1000, typeof value === 'number' ? value : null];
        }),
      ]),
    ).toEqual(expected);
  });

  it.each([
    { name: 'a time that is no whole millisecond', times: [1.5], values: [1], error: /unreadable time/ },
    { name: 'more times than values', times: [1, 2], values: [1], error: /2 times and 1 values/ },
  ])('refuses $name', ({ times, values, error }) => {
    const message = { ...batch(ship, []), series: [{ path: SOG, times, values }] };
    expect(() => groupIntoChunks([message])).toThrow(error);
  });
});

describe('storeBatches into telemetry_chunks (PostgreSQL)', () => {
  let pool: pg.Pool;

  beforeAll(async () => {
    await migratePerformance();
    pool = appPool();
    await maintainPartitions(pool, { retentionDays: 30, aheadDays: 2 });
  });
  afterAll(async () => {
    await pool.end();
  });

  interface ChunkRow {
    bucket: Date;
    points: number;
    num_count: number;
    num_min: number | null;
    num_max: number | null;
    num_sum: number | null;
    xmin: string;
  }

  const read = <T extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<T[]> =>
    withPlatformAccess(pool, async (client) => (await client.query<T>(sql, values)).rows);

  const points = (ship: { vesselId: string }, path = SOG) =>
    read<{ second: number; value_num: number | null; value_json: unknown }>(
      `SELECT extract(epoch FROM ts - to_timestamp($3::double precision))::float8 AS second, value_num, value_json
         FROM performance.telemetry_points WHERE vessel_id = $1 AND path = $2 ORDER BY ts`,
      [ship.vesselId, path, hour / 1000],
    );
  const chunks = (ship: { vesselId: string }, path = SOG) =>
    read<ChunkRow>(
      `SELECT bucket, points, num_count, num_min, num_max, num_sum, xmin::text AS xmin
         FROM performance.telemetry_chunks WHERE vessel_id = $1 AND path = $2 ORDER BY bucket`,
      [ship.vesselId, path],
    );
  const hourRollup = (ship: { vesselId: string }) =>
    read<{ bucket: Date; min: number; max: number; sum: number; count: string }>(
      'SELECT bucket, min, max, sum, count::text AS count FROM performance.telemetry_rollup_1h WHERE vessel_id = $1 ORDER BY bucket',
      [ship.vesselId],
    );
  const latest = (ship: { vesselId: string }, path = SOG) =>
    read<{ ts: Date; value_num: number | null; value_json: unknown }>(
      'SELECT ts, value_num, value_json FROM performance.telemetry_latest WHERE vessel_id = $1 AND path = $2',
      [ship.vesselId, path],
    );

  it('appends a later batch to the minute row and advances the rollups by it', async () => {
    const ship = vessel();
    expect(await storeBatches(pool, [batch(ship, [sog(1, 1), sog(2, 2)])])).toBe(2);
    expect(await storeBatches(pool, [batch(ship, [sog(3, 4), sog(4, 8)])])).toBe(2);
    expect(await points(ship)).toEqual([
      { second: 1, value_num: 1, value_json: null },
      { second: 2, value_num: 2, value_json: null },
      { second: 3, value_num: 4, value_json: null },
      { second: 4, value_num: 8, value_json: null },
    ]);
    expect(await chunks(ship)).toMatchObject([
      { points: 4, num_count: 4, num_min: 1, num_max: 8, num_sum: 15 },
    ]);
    expect(await hourRollup(ship)).toEqual([{ bucket: new Date(hour), min: 1, max: 8, sum: 15, count: '4' }]);
    expect(await latest(ship)).toEqual([{ ts: new Date(hour + 4000), value_num: 8, value_json: null }]);
  });

  it('merges an earlier batch by time and keeps the latest value', async () => {
    const ship = vessel();
    await storeBatches(pool, [batch(ship, [sog(10, 5), sog(20, 6)])]);
    expect(await storeBatches(pool, [batch(ship, [sog(15, 1), sog(5, 9)])])).toBe(2);
    expect((await points(ship)).map((point) => [point.second, point.value_num])).toEqual([
      [5, 9],
      [10, 5],
      [15, 1],
      [20, 6],
    ]);
    expect(await chunks(ship)).toMatchObject([
      { points: 4, num_count: 4, num_min: 1, num_max: 9, num_sum: 21 },
    ]);
    expect(await hourRollup(ship)).toMatchObject([{ min: 1, max: 9, sum: 21, count: '4' }]);
    expect(await latest(ship)).toMatchObject([{ ts: new Date(hour + 20_000), value_num: 6 }]);
  });

  it('stores only the new points of an overlapping batch; the stored value of a time stays', async () => {
    const ship = vessel();
    await storeBatches(pool, [batch(ship, [sog(1, 1), sog(2, 2)])]);
    expect(await storeBatches(pool, [batch(ship, [sog(2, 200), sog(3, 3)])])).toBe(1);
    expect((await points(ship)).map((point) => [point.second, point.value_num])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(await hourRollup(ship)).toMatchObject([{ min: 1, max: 3, sum: 6, count: '3' }]);
  });

  it('leaves the rows untouched when every point is stored already (a redelivery)', async () => {
    const ship = vessel();
    const delivered = batch(ship, [sog(1, 1), sog(2, 2), sog(70, 3)]);
    expect(await storeBatches(pool, [delivered])).toBe(3);
    const before = await chunks(ship);
    const rollupBefore = await hourRollup(ship);
    expect(await storeBatches(pool, [delivered])).toBe(0);
    expect(await storeBatches(pool, [delivered, delivered])).toBe(0);
    // Same row versions: nothing was rewritten.
    expect(await chunks(ship)).toEqual(before);
    expect(await hourRollup(ship)).toEqual(rollupBefore);
    expect(rollupBefore).toMatchObject([{ count: '3', sum: 6 }]);
  });

  it('keeps numbers and JSON values of one path and minute apart, appended and merged', async () => {
    const ship = vessel();
    const odd = { text: 'quote " backslash \\ tab \t newline \n', emoji: '⚓', n: [1, null] };
    await storeBatches(pool, [batch(ship, [sog(10, 1)])]);
    await storeBatches(pool, [batch(ship, [{ path: SOG, ts: at(20), value: odd }])]);
    await storeBatches(pool, [batch(ship, [{ path: SOG, ts: at(5), value: { late: true } }, sog(15, 2)])]);
    expect(await points(ship)).toEqual([
      { second: 5, value_num: null, value_json: { late: true } },
      { second: 10, value_num: 1, value_json: null },
      { second: 15, value_num: 2, value_json: null },
      { second: 20, value_num: null, value_json: odd },
    ]);
    expect(await chunks(ship)).toMatchObject([{ points: 4, num_count: 2, num_sum: 3 }]);
    expect(await hourRollup(ship)).toMatchObject([{ count: '2', sum: 3 }]);
    expect(await latest(ship)).toMatchObject([{ value_num: null, value_json: odd }]);
  });

  it('splits points across minutes and hours into their rows and rollups', async () => {
    const ship = vessel();
    const lastSecondOfHour = 3599;
    expect(
      await storeBatches(pool, [
        batch(ship, [sog(59, 1), sog(60, 2), sog(lastSecondOfHour, 3), sog(3600, 4)]),
      ]),
    ).toBe(4);
    expect((await chunks(ship)).map((row) => [(row.bucket.getTime() - hour) / 1000, row.points])).toEqual([
      [0, 1],
      [60, 1],
      [3540, 1],
      [3600, 1],
    ]);
    expect((await hourRollup(ship)).map((row) => [(row.bucket.getTime() - hour) / 1000, row.count])).toEqual([
      [0, '3'],
      [3600, '1'],
    ]);
  });

  it('reads one vessel of another tenant as nothing (row-level security on chunks and the view)', async () => {
    const ship = vessel();
    await storeBatches(pool, [batch(ship, [sog(1, 1)])]);
    const { withTenant } = await import('@fleetwatch/db');
    const seen = await withTenant(pool, randomUUID(), async (client) => ({
      chunks: (
        await client.query('SELECT 1 FROM performance.telemetry_chunks WHERE vessel_id = $1', [ship.vesselId])
      ).rowCount,
      points: (
        await client.query('SELECT 1 FROM performance.telemetry_points WHERE vessel_id = $1', [ship.vesselId])
      ).rowCount,
    }));
    expect(seen).toEqual({ chunks: 0, points: 0 });
    const own = await withTenant(
      pool,
      ship.tenantId,
      async (client) =>
        (
          await client.query('SELECT 1 FROM performance.telemetry_points WHERE vessel_id = $1', [
            ship.vesselId,
          ])
        ).rowCount,
    );
    expect(own).toBe(1);
  });
});
