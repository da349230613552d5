import { describe, expect, it } from 'vitest';

import { CiiInputError, computeCii } from '../src/index.js';
import { unchecked, validBulkCarrier } from './helpers.js';

const valid = { ...validBulkCarrier };

/** What computeCii threw, for checking the error's class and field. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, nothing was thrown');
}

describe('computeCii: input errors name the field', () => {
  it.each([
    ['unknown ship type', { ...valid, shipType: 'submarine' }, 'shipType'],
    ['ship type in another spelling', { ...valid, shipType: 'bulk-carrier' }, 'shipType'],
    ['missing ship type', { ...valid, shipType: undefined }, 'shipType'],
    ['missing DWT for a DWT ship type', { ...valid, dwt: undefined }, 'dwt'],
    ['null DWT for a DWT ship type', { ...valid, dwt: null }, 'dwt'],
    ['GT only for a DWT ship type', { ...valid, dwt: undefined, gt: 95_000 }, 'dwt'],
    ['missing GT for a GT ship type', { ...valid, shipType: 'cruise_passenger_ship', gt: undefined }, 'gt'],
    [
      'missing GT for a ro-ro vehicle carrier',
      { ...valid, shipType: 'ro_ro_vehicle_carrier', gt: null },
      'gt',
    ],
    ['zero DWT', { ...valid, dwt: 0 }, 'dwt'],
    ['negative DWT', { ...valid, dwt: -180_000 }, 'dwt'],
    ['NaN DWT', { ...valid, dwt: Number.NaN }, 'dwt'],
    ['infinite DWT', { ...valid, dwt: Number.POSITIVE_INFINITY }, 'dwt'],
    ['DWT as a string', { ...valid, dwt: '180000' }, 'dwt'],
    ['zero GT for a GT ship type', { ...valid, shipType: 'ro_ro_cargo_ship', gt: 0 }, 'gt'],
    ['negative GT even where GT is not the capacity', { ...valid, gt: -1 }, 'gt'],
    ['infinite GT even where GT is not the capacity', { ...valid, gt: Number.NEGATIVE_INFINITY }, 'gt'],
    ['zero distance', { ...valid, distanceNm: 0 }, 'distanceNm'],
    ['negative distance', { ...valid, distanceNm: -60_000 }, 'distanceNm'],
    ['NaN distance', { ...valid, distanceNm: Number.NaN }, 'distanceNm'],
    ['infinite distance', { ...valid, distanceNm: Number.POSITIVE_INFINITY }, 'distanceNm'],
    ['missing distance', { ...valid, distanceNm: undefined }, 'distanceNm'],
    ['unknown fuel', { ...valid, fuelTonnes: { HFO: 8_000, VLSFO: 500 } }, 'fuelTonnes.VLSFO'],
    ['fuel in lower case', { ...valid, fuelTonnes: { hfo: 8_000 } }, 'fuelTonnes.hfo'],
    [
      'a "__proto__" fuel from JSON',
      { ...valid, fuelTonnes: JSON.parse('{"__proto__": 1}') as unknown },
      'fuelTonnes.__proto__',
    ],
    ['negative fuel', { ...valid, fuelTonnes: { HFO: -1 } }, 'fuelTonnes.HFO'],
    ['NaN fuel', { ...valid, fuelTonnes: { MGO: Number.NaN } }, 'fuelTonnes.MGO'],
    ['infinite fuel', { ...valid, fuelTonnes: { LNG: Number.POSITIVE_INFINITY } }, 'fuelTonnes.LNG'],
    ['fuel as a string', { ...valid, fuelTonnes: { HFO: '8000' } }, 'fuelTonnes.HFO'],
    ['null fuel record', { ...valid, fuelTonnes: null }, 'fuelTonnes'],
    ['fuel as an array', { ...valid, fuelTonnes: [8_000] }, 'fuelTonnes'],
    ['missing fuel record', { ...valid, fuelTonnes: undefined }, 'fuelTonnes'],
    ['year before 2019', { ...valid, year: 2018 }, 'year'],
    ['year after 2030 (no adopted Z)', { ...valid, year: 2031 }, 'year'],
    ['fractional year', { ...valid, year: 2023.5 }, 'year'],
    ['NaN year', { ...valid, year: Number.NaN }, 'year'],
    ['year as a string', { ...valid, year: '2023' }, 'year'],
  ])('%s', (_description, input, field) => {
    const error = thrownBy(() => computeCii(unchecked(input)));

    expect(error).toBeInstanceOf(CiiInputError);
    expect(error).toBeInstanceOf(Error);
    expect((error as CiiInputError).field).toBe(field);
    expect((error as CiiInputError).name).toBe('CiiInputError');
    expect((error as CiiInputError).message).toMatch(new RegExp(`^${field.replace(/[.$]/g, '\\$&')}: `));
  });

  it('says which years can be rated', () => {
    expect(() => computeCii({ ...valid, year: 2031 })).toThrow(
      'year: has no adopted reduction factor: CII can be rated for 2019–2030',
    );
  });

  it('says which measure a ship type needs', () => {
    expect(() => computeCii({ ...valid, shipType: 'cruise_passenger_ship', gt: undefined })).toThrow(
      'gt: is required for a cruise_passenger_ship (its CII capacity)',
    );
  });

  it('accepts the measure a ship type does not use being absent or null', () => {
    expect(() => computeCii({ ...valid, gt: null })).not.toThrow();
    expect(() => computeCii({ ...valid, gt: undefined })).not.toThrow();
    expect(() =>
      computeCii({
        shipType: 'cruise_passenger_ship',
        gt: 90_000,
        dwt: null,
        distanceNm: 1,
        fuelTonnes: {},
        year: 2023,
      }),
    ).not.toThrow();
  });
});
