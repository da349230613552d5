import { describe, expect, it } from 'vitest';
import { asSeriesBatch, seriesOf, splitSeries, type TelemetrySeries } from '../src/telemetry-batch.js';

const SOG = 'navigation.speedOverGround'; // 26 characters: a series costs 74 estimated bytes
const series = (path: string, values: unknown[]): TelemetrySeries => ({
  path,
  times: values.map((_value, index) => 1_000 * index),
  values,
});

describe('splitSeries', () => {
  // A number is estimated at 40 bytes (time, value, commas); a series at its path's length + 48.
  it.each([
    { name: 'nothing', input: [], maxBytes: 1000, parts: [] },
    { name: 'all in one part when it fits', input: [series(SOG, [1, 2, 3])], maxBytes: 194, parts: [[3]] },
    {
      name: 'a series continued in the next part',
      input: [series(SOG, [1, 2, 3])],
      maxBytes: 193,
      parts: [[2], [1]],
    },
    {
      name: 'two series in one part, then the rest of the second',
      input: [series(SOG, [1]), series('x', [1, 2])],
      maxBytes: 74 + 40 + 49 + 40,
      parts: [[1, 1], [1]],
    },
    {
      name: 'a point larger than the limit alone',
      input: [series(SOG, [1, 'y'.repeat(500), 2])],
      maxBytes: 200,
      parts: [[1], [1], [1]],
    },
  ])('$name', ({ input, maxBytes, parts }) => {
    const split = splitSeries(input, maxBytes);
    expect(split.map((part) => part.map((one) => one.times.length))).toEqual(parts);
    // Nothing lost, nothing reordered: the parts joined path by path are the input.
    const joined = new Map<string, { times: number[]; values: unknown[] }>();
    for (const one of split.flat()) {
      const into = joined.get(one.path) ?? { times: [], values: [] };
      into.times.push(...one.times);
      into.values.push(...one.values);
      joined.set(one.path, into);
    }
    expect([...joined].map(([path, rest]) => ({ path, ...rest }))).toEqual(input);
  });
});

describe('seriesOf and asSeriesBatch (version 1 messages)', () => {
  it('gives one series per path in first-seen order, points in the order given', () => {
    expect(
      seriesOf([
        { path: 'b', ts: '2026-11-25T12:00:01.000Z', value: 1 },
        { path: 'a', ts: '2026-11-25T12:00:00.000+01:00', value: { latitude: 1 } },
        { path: 'b', ts: '2026-11-25T12:00:00.500Z', value: 2 },
      ]),
    ).toEqual([
      {
        path: 'b',
        times: [Date.parse('2026-11-25T12:00:01Z'), Date.parse('2026-11-25T12:00:00.5Z')],
        values: [1, 2],
      },
      { path: 'a', times: [Date.parse('2026-11-25T11:00:00Z')], values: [{ latitude: 1 }] },
    ]);
  });

  it('refuses a timestamp that does not parse', () => {
    expect(() => seriesOf([{ path: 'a', ts: 'the twelfth of never!', value: 1 }])).toThrow(/unreadable ts/);
  });

  it('converts a version 1 batch and leaves a version 2 batch as it is', () => {
    const head = {
      batchId: '00000000-0000-4000-8000-000000000001',
      tenantId: '00000000-0000-4000-8000-000000000002',
      vesselId: '00000000-0000-4000-8000-000000000003',
      receivedAt: '2026-11-25T12:00:00.000Z',
    };
    const v2 = { ...head, series: [series(SOG, [1])] };
    expect(asSeriesBatch(v2)).toBe(v2);
    expect(
      asSeriesBatch({ ...head, points: [{ path: SOG, ts: '1970-01-01T00:00:00.000Z', value: 1 }] }),
    ).toEqual(v2);
  });
});
