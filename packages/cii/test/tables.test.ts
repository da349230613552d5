import { describe, expect, it } from 'vitest';

import {
  CAPACITY_MEASURE,
  CARBON_FACTORS,
  FUEL_TYPES,
  REDUCTION_FACTORS,
  REFERENCE_LINES,
  SHIP_TYPES,
} from '../src/index.js';

describe('published tables', () => {
  it('lists the thirteen ship types and ten fuels', () => {
    expect(SHIP_TYPES).toEqual([
      'bulk_carrier',
      'gas_carrier',
      'tanker',
      'container_ship',
      'general_cargo_ship',
      'refrigerated_cargo_carrier',
      'combination_carrier',
      'lng_carrier',
      'ro_ro_vehicle_carrier',
      'ro_ro_cargo_ship',
      'ro_ro_passenger_ship',
      'ro_ro_passenger_ship_hsc',
      'cruise_passenger_ship',
    ]);
    expect(FUEL_TYPES).toEqual([
      'HFO',
      'LFO',
      'MDO',
      'MGO',
      'LNG',
      'LPG_PROPANE',
      'LPG_BUTANE',
      'ETHANE',
      'METHANOL',
      'ETHANOL',
    ]);
  });

  it('has the reference Cf values (MEPC.364(79))', () => {
    expect(CARBON_FACTORS).toEqual({
      HFO: 3.114,
      LFO: 3.151,
      MDO: 3.206,
      MGO: 3.206,
      LNG: 2.75,
      LPG_PROPANE: 3.0,
      LPG_BUTANE: 3.03,
      ETHANE: 2.927,
      METHANOL: 1.375,
      ETHANOL: 1.913,
    });
  });

  it('has the reference Z values (MEPC.338(76), MEPC.400(83))', () => {
    expect(REDUCTION_FACTORS).toEqual({
      2019: 0,
      2020: 1,
      2021: 2,
      2022: 3,
      2023: 5,
      2024: 7,
      2025: 9,
      2026: 11,
      2027: 13.625,
      2028: 16.25,
      2029: 18.875,
      2030: 21.5,
    });
  });

  it('is read-only at run time as well', () => {
    for (const table of [
      SHIP_TYPES,
      FUEL_TYPES,
      CARBON_FACTORS,
      REDUCTION_FACTORS,
      CAPACITY_MEASURE,
      REFERENCE_LINES,
    ]) {
      expect(Object.isFrozen(table)).toBe(true);
    }
    for (const lines of Object.values(REFERENCE_LINES)) {
      expect(Object.isFrozen(lines)).toBe(true);
      for (const line of lines) {
        expect(Object.isFrozen(line)).toBe(true);
        expect(Object.isFrozen(line.boundaryFactors)).toBe(true);
      }
    }
    expect(Reflect.set(CARBON_FACTORS, 'HFO', 1)).toBe(false);
    expect(CARBON_FACTORS.HFO).toBe(3.114);
  });

  it.each(SHIP_TYPES)('%s: size bands cover every size once, with no gap', (shipType) => {
    const bands = [...REFERENCE_LINES[shipType]].sort((a, b) => a.sizeFrom - b.sizeFrom);

    expect(bands[0]?.sizeFrom).toBe(0);
    expect(bands[bands.length - 1]?.sizeBelow).toBeNull();
    for (let i = 1; i < bands.length; i++) expect(bands[i]?.sizeFrom).toBe(bands[i - 1]?.sizeBelow);
  });

  it('uses the MEPC.353(78) lines, not the superseded MEPC.337(76) ones', () => {
    const line = (shipType: keyof typeof REFERENCE_LINES) =>
      REFERENCE_LINES[shipType].map(({ a, c }) => [a, c]);

    expect(line('ro_ro_vehicle_carrier')).toEqual([
      [3627, 0.59],
      [3627, 0.59],
      [330, 0.329],
    ]);
    expect(line('ro_ro_cargo_ship')).toEqual([[1967, 0.485]]);
    expect(line('ro_ro_passenger_ship')).toEqual([[2023, 0.46]]);
    expect(line('combination_carrier')).toEqual([[5119, 0.622]]);
  });

  it('keeps the unconfirmed LNG < 65,000 DWT value as the reference gives it', () => {
    const smallest = REFERENCE_LINES.lng_carrier.find((line) => line.sizeBelow === 65_000);
    expect(smallest).toMatchObject({ a: 14779e10, c: 2.673, fixedCapacity: 65_000 });
  });

  it('uses GT for the ro-ro and cruise types, DWT for the rest', () => {
    const byGt = SHIP_TYPES.filter((shipType) => CAPACITY_MEASURE[shipType] === 'gt');
    expect(byGt).toEqual([
      'ro_ro_vehicle_carrier',
      'ro_ro_cargo_ship',
      'ro_ro_passenger_ship',
      'ro_ro_passenger_ship_hsc',
      'cruise_passenger_ship',
    ]);
  });
});
