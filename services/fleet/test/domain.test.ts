import { describe, expect, it } from 'vitest';
import {
  etagOf,
  ifNoneMatchHits,
  versionFromIfMatch,
  decodeCursor,
  encodeCursor,
} from '@fleetwatch/service-kit';
import { isValidFlag } from '../src/domain/flag.js';
import { isValidImo } from '../src/domain/imo.js';
import { isValidShipMmsi } from '../src/domain/mmsi.js';

describe('IMO numbers', () => {
  it.each([
    ['9074729', true, 'the reference example'],
    ['9074728', false, 'wrong check digit'],
    ['9811000', true, 'Ever Given'],
    ['9321483', true, 'Emma Maersk'],
    ['9321484', false, 'Emma Maersk, last digit off by one'],
    ['1234567', true, '1×7+2×6+3×5+4×4+5×3+6×2 = 77'],
    ['0000000', true, 'all zeros is arithmetically valid'],
    ['907472', false, 'six digits'],
    ['90747290', false, 'eight digits'],
    ['IMO9074729', false, 'with the IMO prefix'],
    ['907472a', false, 'a letter'],
    ['', false, 'empty'],
  ])('%s → %s (%s)', (imo, valid) => {
    expect(isValidImo(imo)).toBe(valid);
  });
});

describe('MMSI of ship stations', () => {
  it.each([
    ['257123450', true, 'Norway (MID 257)'],
    ['636091234', true, 'Liberia (MID 636)'],
    ['211000000', true, 'Germany (MID 211)'],
    ['002570100', false, 'a coast station'],
    ['111257501', false, 'a SAR aircraft'],
    ['992571234', false, 'an aid to navigation'],
    ['982571234', false, 'craft associated with a parent ship'],
    ['25712345', false, 'eight digits'],
    ['2571234500', false, 'ten digits'],
    ['25712345x', false, 'a letter'],
  ])('%s → %s (%s)', (mmsi, valid) => {
    expect(isValidShipMmsi(mmsi)).toBe(valid);
  });
});

describe('flags (ISO 3166-1 alpha-2)', () => {
  it.each([
    ['NO', true],
    ['PA', true],
    ['LR', true],
    ['MH', true],
    ['no', false],
    ['XX', false],
    ['NOR', false],
    ['', false],
  ])('%s → %s', (code, valid) => {
    expect(isValidFlag(code)).toBe(valid);
  });
});

describe('cursors', () => {
  it('round-trip and refuse another sort order or garbage', () => {
    const cursor = { sort: '-name', after: 'Nordic Aurora', id: '6f1c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b' };
    const text = encodeCursor(cursor);
    expect(decodeCursor(text, '-name')).toEqual(cursor);
    expect(decodeCursor(text, 'name')).toBeNull();
    expect(decodeCursor('not-a-cursor', 'name')).toBeNull();
    expect(decodeCursor(Buffer.from('[1,2]').toString('base64url'), 'name')).toBeNull();
  });
});

describe('entity tags', () => {
  it.each([
    ['"3"', 3],
    [' "12" ', 12],
    ['W/"3"', null],
    ['3', null],
    ['*', null],
    ['"0"', null],
    ['"3", "4"', null],
  ])('If-Match %s → version %s', (header, version) => {
    expect(versionFromIfMatch(header)).toBe(version);
  });

  it('matches If-None-Match lists, weak tags and *', () => {
    expect(etagOf(7)).toBe('"7"');
    expect(ifNoneMatchHits('"6", W/"7"', 7)).toBe(true);
    expect(ifNoneMatchHits('*', 1)).toBe(true);
    expect(ifNoneMatchHits('"6"', 7)).toBe(false);
    expect(ifNoneMatchHits(undefined, 7)).toBe(false);
  });
});
