import { describe, expect, it } from 'vitest';
import { FLAGS, createFleet, imoCheckDigit, isValidImo, isValidShipMmsi } from '../src/index.js';

describe('IMO numbers', () => {
  it.each([
    // 9×7 + 0×6 + 7×5 + 4×4 + 7×3 + 2×2 = 63 + 0 + 35 + 16 + 21 + 4 = 139 → 9
    { firstSix: '907472', digit: 9 },
    // 9×7 + 1×6 + 7×5 + 6×4 + 1×3 + 8×2 = 63 + 6 + 35 + 24 + 3 + 16 = 147 → 7
    { firstSix: '917618', digit: 7 },
    // 9×7 + 0 + 0 + 0 + 0 + 0 = 63 → 3
    { firstSix: '900000', digit: 3 },
    // 1×7 + 2×6 + 3×5 + 4×4 + 5×3 + 6×2 = 7 + 12 + 15 + 16 + 15 + 12 = 77 → 7
    { firstSix: '123456', digit: 7 },
  ])('check digit of $firstSix is $digit', ({ firstSix, digit }) => {
    expect(imoCheckDigit(firstSix)).toBe(digit);
    expect(isValidImo(`${firstSix}${digit}`)).toBe(true);
    expect(isValidImo(`${firstSix}${(digit + 1) % 10}`)).toBe(false);
  });

  it.each(['907472', '90747290', 'A074729', ''])('refuses %j', (imo) => {
    expect(isValidImo(imo)).toBe(false);
  });
});

describe('MMSI numbers', () => {
  it.each([
    { mmsi: '257123450', valid: true },
    { mmsi: '244000001', valid: true },
    { mmsi: '775000000', valid: true },
    { mmsi: '123456789', valid: false }, // first digit 1: SAR aircraft
    { mmsi: '002570000', valid: false }, // coast station
    { mmsi: '800000000', valid: false },
    { mmsi: '25712345', valid: false },
  ])('$mmsi is valid: $valid', ({ mmsi, valid }) => {
    expect(isValidShipMmsi(mmsi)).toBe(valid);
  });
});

describe('generated identities', () => {
  it('are valid, unique within the fleet, and the flag matches the MMSI', () => {
    const { vessels } = createFleet({ seed: 'identities', start: 0 });
    expect(vessels).toHaveLength(650);
    for (const vessel of vessels) {
      expect(isValidImo(vessel.imo), vessel.imo).toBe(true);
      expect(isValidShipMmsi(vessel.mmsi), vessel.mmsi).toBe(true);
      expect(FLAGS.find(({ mid }) => vessel.mmsi.startsWith(mid))?.flag).toBe(vessel.flag);
      expect(vessel.name.length).toBeLessThanOrEqual(100);
    }
    expect(new Set(vessels.map(({ imo }) => imo)).size).toBe(650);
    expect(new Set(vessels.map(({ mmsi }) => mmsi)).size).toBe(650);
  });
});
