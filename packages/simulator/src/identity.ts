import type { Random } from './random.js';

/**
 * IMO check digit: the first six digits times 7, 6, 5, 4, 3, 2, summed; the last digit of the sum
 * (IMO Resolution A.1117(30)). 907472 → 9×7 + 0×6 + 7×5 + 4×4 + 7×3 + 2×2 = 139 → 9.
 */
export function imoCheckDigit(firstSix: string): number {
  if (!/^[0-9]{6}$/.test(firstSix)) throw new RangeError(`expected six digits, got ${firstSix}`);
  const sum = [...firstSix].reduce((total, digit, index) => total + Number(digit) * (7 - index), 0);
  return sum % 10;
}

export function isValidImo(imo: string): boolean {
  return /^[0-9]{7}$/.test(imo) && imoCheckDigit(imo.slice(0, 6)) === Number(imo[6]);
}

/** A ship station's MMSI: nine digits, the first (of the Maritime Identification Digits) 2–7. */
export function isValidShipMmsi(mmsi: string): boolean {
  return /^[2-7][0-9]{8}$/.test(mmsi);
}

/** Maritime Identification Digits of common flags (ITU), with the flag's ISO 3166-1 alpha-2 code. */
export const FLAGS: readonly { mid: string; flag: string }[] = Object.freeze([
  { mid: '244', flag: 'NL' },
  { mid: '257', flag: 'NO' },
  { mid: '219', flag: 'DK' },
  { mid: '240', flag: 'GR' },
  { mid: '215', flag: 'MT' },
  { mid: '212', flag: 'CY' },
  { mid: '311', flag: 'BS' },
  { mid: '351', flag: 'PA' },
  { mid: '538', flag: 'MH' },
  { mid: '636', flag: 'LR' },
  { mid: '563', flag: 'SG' },
  { mid: '477', flag: 'HK' },
]);

const NAME_FIRST = ['Nordic', 'Pacific', 'Atlantic', 'Ocean', 'Star', 'Cape', 'Golden', 'Baltic', 'Coral'];
const NAME_SECOND = ['Aurora', 'Pioneer', 'Spirit', 'Harmony', 'Voyager', 'Falcon', 'Trader', 'Breeze'];

export interface VesselIdentity {
  imo: string;
  mmsi: string;
  name: string;
  /** ISO 3166-1 alpha-2, matching the MMSI's MID. */
  flag: string;
}

/**
 * Identity of fleet member `index`. IMO and MMSI numbers are unique within a fleet by construction:
 * their serial part is `offset + index` (offsets from the fleet seed), so up to 100,000 vessels never
 * collide. Modern IMO numbers start with 9; these are well-formed but may be real ships' numbers.
 */
export function vesselIdentity(
  index: number,
  offsets: { imo: number; mmsi: number },
  random: Random,
): VesselIdentity {
  const firstSix = String(900_000 + ((offsets.imo + index) % 100_000));
  const { mid, flag } = random.pick(FLAGS);
  const serial = String((offsets.mmsi + index) % 1_000_000).padStart(6, '0');
  return {
    imo: `${firstSix}${imoCheckDigit(firstSix)}`,
    mmsi: `${mid}${serial}`,
    name: `${random.pick(NAME_FIRST)} ${random.pick(NAME_SECOND)} ${index + 1}`,
    flag,
  };
}
