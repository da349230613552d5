import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import {
  SignalKDeltaError,
  SignalKDeltaSchema,
  parseSignalKDelta,
  parseSignalKDeltas,
} from '../src/index.js';
import { expectDeltaError } from './helpers.js';

/** The delta from the domain reference, verbatim. */
const REFERENCE_DELTA: unknown = JSON.parse(
  '{"context":"vessels.urn:mrn:imo:mmsi:234567890","updates":[{"source":{"label":"N2000-01","type":"NMEA2000"},"timestamp":"2024-01-07T07:18:44Z","values":[{"path":"propulsion.0.revolutions","value":16.34}]}]}',
);

describe('parseSignalKDelta', () => {
  it('flattens the reference delta, recording source.label and a normalised timestamp', () => {
    expect(parseSignalKDelta(REFERENCE_DELTA)).toEqual({
      context: 'vessels.urn:mrn:imo:mmsi:234567890',
      points: [
        {
          path: 'propulsion.0.revolutions',
          value: 16.34,
          timestamp: '2024-01-07T07:18:44.000Z',
          source: 'N2000-01',
        },
      ],
    });
  });

  it('records $source', () => {
    const parsed = parseSignalKDelta({
      updates: [{ $source: 'N2000-01.115', values: [{ path: 'navigation.headingTrue', value: 1.2 }] }],
    });
    expect(parsed.points).toEqual([{ path: 'navigation.headingTrue', value: 1.2, source: 'N2000-01.115' }]);
  });

  it('prefers $source to source when an update has both', () => {
    const parsed = parseSignalKDelta({
      updates: [
        {
          $source: 'ttyUSB0.GP',
          source: { label: 'ttyUSB0' },
          values: [{ path: 'navigation.headingTrue', value: 1 }],
        },
      ],
    });
    expect(parsed.points[0]?.source).toBe('ttyUSB0.GP');
  });

  it('leaves context undefined when the delta has none (the sending vessel)', () => {
    const parsed = parseSignalKDelta({
      updates: [{ values: [{ path: 'design.draft.current', value: 9.8 }] }],
    });
    expect(parsed.context).toBeUndefined();
    expect('context' in parsed).toBe(false);
    expect(parsed.points).toEqual([{ path: 'design.draft.current', value: 9.8 }]);
  });

  it('flattens several updates with several values, each with its own update’s timestamp and source', () => {
    const parsed = parseSignalKDelta({
      context: 'vessels.urn:mrn:imo:imo-number:9074729',
      updates: [
        {
          $source: 'gps.GP',
          timestamp: '2024-01-07T07:18:44.123Z',
          values: [
            { path: 'navigation.position', value: { latitude: 59.9, longitude: 10.7 } },
            { path: 'navigation.speedOverGround', value: 6.2 },
          ],
        },
        {
          source: { label: 'engine-gw', type: 'NMEA2000' },
          timestamp: '2024-01-07T09:18:45+02:00',
          values: [
            { path: 'propulsion.port.revolutions', value: 12.5 },
            { path: 'propulsion.port.fuel.rate', value: 0.00002 },
            { path: 'tanks.fuel.0.currentLevel', value: 0.61 },
          ],
        },
      ],
    });
    expect(parsed.points).toEqual([
      {
        path: 'navigation.position',
        value: { latitude: 59.9, longitude: 10.7 },
        timestamp: '2024-01-07T07:18:44.123Z',
        source: 'gps.GP',
      },
      {
        path: 'navigation.speedOverGround',
        value: 6.2,
        timestamp: '2024-01-07T07:18:44.123Z',
        source: 'gps.GP',
      },
      {
        path: 'propulsion.port.revolutions',
        value: 12.5,
        timestamp: '2024-01-07T07:18:45.000Z',
        source: 'engine-gw',
      },
      {
        path: 'propulsion.port.fuel.rate',
        value: 0.00002,
        timestamp: '2024-01-07T07:18:45.000Z',
        source: 'engine-gw',
      },
      {
        path: 'tanks.fuel.0.currentLevel',
        value: 0.61,
        timestamp: '2024-01-07T07:18:45.000Z',
        source: 'engine-gw',
      },
    ]);
  });

  it('keeps values of any JSON type for validatePoint to judge, and ignores unknown properties', () => {
    const parsed = parseSignalKDelta({
      requestId: 'abc',
      updates: [
        {
          values: [
            {
              path: 'notifications.engine.overheat',
              value: { state: 'alarm', method: ['sound'], message: 'hot' },
            },
            { path: 'navigation.speedOverGround', value: null },
            { path: '', value: { name: 'Nordic Aurora' } },
          ],
          extra: true,
        },
      ],
    });
    expect(parsed.points.map(({ value }) => value)).toEqual([
      { state: 'alarm', method: ['sound'], message: 'hot' },
      null,
      { name: 'Nordic Aurora' },
    ]);
  });

  it('accepts an update carrying only meta, giving no points, and an empty updates array', () => {
    expect(parseSignalKDelta({ updates: [{ meta: [{ path: 'x', value: { units: 'K' } }] }] }).points).toEqual(
      [],
    );
    expect(parseSignalKDelta({ updates: [] }).points).toEqual([]);
  });

  it.each([
    ['null', null, ''],
    ['an array', [], ''],
    ['a string', '{"updates":[]}', ''],
    ['a delta without updates', { context: 'vessels.self' }, '/updates'],
    ['updates that are an object', { updates: { values: [] } }, '/updates'],
    ['an update that is not an object', { updates: [42] }, '/updates/0'],
    [
      'an update with neither values nor meta',
      { updates: [{ timestamp: '2024-01-07T07:18:44Z' }] },
      '/updates/0',
    ],
    ['values that are an object', { updates: [{ values: { path: 'a', value: 1 } }] }, '/updates/0/values'],
    ['a value without path', { updates: [{ values: [{ value: 1 }] }] }, '/updates/0/values/0/path'],
    ['a numeric path', { updates: [{ values: [{ path: 7, value: 1 }] }] }, '/updates/0/values/0/path'],
    ['a value without value', { updates: [{ values: [{ path: 'a.b' }] }] }, '/updates/0/values/0/value'],
    [
      'a source without label',
      { updates: [{ source: { type: 'NMEA2000' }, values: [] }] },
      '/updates/0/source/label',
    ],
    ['a numeric $source', { updates: [{ $source: 3, values: [] }] }, '/updates/0/$source'],
    ['a numeric context', { context: 234567890, updates: [] }, '/context'],
    ['an empty context', { context: '', updates: [] }, '/context'],
    ['a numeric timestamp', { updates: [{ timestamp: 1704611924, values: [] }] }, '/updates/0/timestamp'],
  ])('rejects %s as malformed, pointing at the problem', (_name, json, pointer) => {
    const error = expectDeltaError(() => parseSignalKDelta(json), 'malformed', pointer);
    expect(error.message.length).toBeGreaterThan(pointer.length + 2);
  });

  it.each([
    ['a space instead of T', '2024-01-07 07:18:44Z'],
    ['no offset', '2024-01-07T07:18:44'],
    ['30 February', '2024-02-30T00:00:00Z'],
    ['29 February in a common year', '2023-02-29T00:00:00Z'],
    ['hour 24', '2024-01-07T24:00:00Z'],
    ['a leap second', '2016-12-31T23:59:60Z'],
    ['an offset without colon', '2024-01-07T07:18:44+0200'],
    ['a date only', '2024-01-07'],
    ['epoch seconds as text', '1704611924'],
    ['an empty string', ''],
    ['a JavaScript Date string', 'Sun Jan 07 2024 07:18:44 GMT+0000'],
  ])('rejects a timestamp with %s', (_name, timestamp) => {
    const error = expectDeltaError(
      () =>
        parseSignalKDelta({
          updates: [
            { timestamp: '2024-01-07T07:18:44Z', values: [] },
            { timestamp, values: [{ path: 'a.b', value: 1 }] },
          ],
        }),
      'invalid-timestamp',
      '/updates/1/timestamp',
    );
    expect(error.message).toContain('RFC 3339');
  });
});

describe('parseSignalKDeltas', () => {
  it('parses each delta on its own, so one malformed delta does not cost the others', () => {
    const results = parseSignalKDeltas([
      REFERENCE_DELTA,
      { context: 'vessels.self' },
      { updates: [{ timestamp: 'yesterday', values: [] }] },
      { updates: [{ values: [{ path: 'design.draft.current', value: 10.1 }] }] },
    ]);
    expect(results.map((result) => result.ok)).toEqual([true, false, false, true]);
    const [, missingUpdates, badTimestamp, last] = results;
    expect(missingUpdates?.ok === false && missingUpdates.error.pointer).toBe('/1/updates');
    expect(badTimestamp?.ok === false && badTimestamp.error.reason).toBe('invalid-timestamp');
    expect(badTimestamp?.ok === false && badTimestamp.error.pointer).toBe('/2/updates/0/timestamp');
    expect(last?.ok === true && last.delta.points).toEqual([{ path: 'design.draft.current', value: 10.1 }]);
  });

  it('accepts an empty array', () => {
    expect(parseSignalKDeltas([])).toEqual([]);
  });

  it.each([
    ['a single delta', REFERENCE_DELTA],
    ['null', null],
  ])('throws for %s instead of an array', (_name, json) => {
    expect(() => parseSignalKDeltas(json)).toThrow(SignalKDeltaError);
  });
});

describe('SignalKDeltaSchema', () => {
  it('is a TypeBox schema the ingestion API can reuse for its request body', () => {
    expect(SignalKDeltaSchema.$id).toBe('SignalKDelta');
    expect(Value.Check(SignalKDeltaSchema, REFERENCE_DELTA)).toBe(true);
    expect(Value.Check(SignalKDeltaSchema, { context: 'vessels.self' })).toBe(false);
  });
});
