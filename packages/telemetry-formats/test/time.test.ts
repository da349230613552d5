import { describe, expect, it } from 'vitest';
import { decodeNmea0183, parseRfc3339, timestampFromTimeOfDay } from '../src/index.js';
import { REAL_WORLD_SENTENCES } from './helpers.js';

describe('parseRfc3339', () => {
  it.each([
    ['2024-01-07T07:18:44Z', Date.UTC(2024, 0, 7, 7, 18, 44)],
    ['2024-01-07t07:18:44z', Date.UTC(2024, 0, 7, 7, 18, 44)],
    ['2024-01-07T07:18:44.5Z', Date.UTC(2024, 0, 7, 7, 18, 44, 500)],
    ['2024-01-07T07:18:44.123456789Z', Date.UTC(2024, 0, 7, 7, 18, 44, 123)],
    ['2024-01-07T09:18:44+02:00', Date.UTC(2024, 0, 7, 7, 18, 44)],
    ['2024-01-07T02:48:44-04:30', Date.UTC(2024, 0, 7, 7, 18, 44)],
    ['2024-01-07T07:18:44-00:00', Date.UTC(2024, 0, 7, 7, 18, 44)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    // Date.UTC would read year 50 as 1950.
    ['0050-06-01T00:00:00Z', new Date('0050-06-01T00:00:00Z').getTime()],
  ])('reads %s', (text, expected) => {
    expect(parseRfc3339(text)).toBe(expected);
  });

  it.each([
    '2024-01-07T07:18:44',
    '2024-01-07 07:18:44Z',
    '2024-1-7T07:18:44Z',
    '2024-13-01T00:00:00Z',
    '2024-04-31T00:00:00Z',
    '2024-01-07T23:60:00Z',
    '2024-01-07T07:18:44+24:00',
    '2024-01-07T07:18:44.Z',
    '+002024-01-07T07:18:44Z',
    '',
  ])('refuses %s', (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });
});

describe('timestampFromTimeOfDay', () => {
  it.each([
    ['the same day', '12:35:19.000', '2024-01-07T13:00:00.000Z', '2024-01-07T12:35:19.000Z'],
    [
      'a fix just before midnight, reference just after',
      '23:59:58.500',
      '2024-01-08T00:00:05.000Z',
      '2024-01-07T23:59:58.500Z',
    ],
    [
      'a fix just after midnight, reference just before',
      '00:00:02.000',
      '2024-01-07T23:59:59.000Z',
      '2024-01-08T00:00:02.000Z',
    ],
    ['a year boundary', '23:59:59.000', '2025-01-01T00:10:00.000Z', '2024-12-31T23:59:59.000Z'],
  ])('dates a GGA time of day on %s', (_name, timeOfDay, reference, expected) => {
    expect(timestampFromTimeOfDay(timeOfDay, new Date(reference))).toBe(expected);
  });

  it('dates the time of day a GGA sentence carries', () => {
    const { timeOfDay } = decodeNmea0183(REAL_WORLD_SENTENCES.ggaMunich);
    expect(timestampFromTimeOfDay(timeOfDay ?? '', new Date('1994-03-23T12:40:00Z'))).toBe(
      '1994-03-23T12:35:19.000Z',
    );
  });

  it.each(['12:35:19', '24:00:00.000', '12:60:00.000', ''])('throws a RangeError for %s', (timeOfDay) => {
    expect(() => timestampFromTimeOfDay(timeOfDay, new Date())).toThrow(RangeError);
  });
});
