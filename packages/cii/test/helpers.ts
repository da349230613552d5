import { computeCii, type CiiBoundaries, type CiiInput, type FuelType } from '../src/index.js';

/** Digits toBeCloseTo checks for CII values (a few g CO2 per capacity-nm): |difference| < 5e-7. */
export const CII_DIGITS = 6;

/** Input the tests vary one field at a time: a valid 180,000 DWT bulk carrier in 2023. */
export const validBulkCarrier: CiiInput = {
  shipType: 'bulk_carrier',
  dwt: 180_000,
  gt: 95_000,
  distanceNm: 60_000,
  fuelTonnes: { HFO: 8_000, MGO: 500 },
  year: 2023,
};

/** Input as it may arrive from JSON, unchecked, to exercise the runtime validation. */
export function unchecked(input: Record<string, unknown>): CiiInput {
  return input as unknown as CiiInput;
}

const bits = new BigInt64Array(1);
const double = new Float64Array(bits.buffer);

/** The next representable double above (step 1) or below (step -1) a positive finite number. */
function adjacentDouble(value: number, step: 1 | -1): number {
  double[0] = value;
  bits[0] = (bits[0] ?? 0n) + BigInt(step);
  return double[0];
}

/**
 * Tonnes of one fuel that make the attained CII exactly equal (===) to one of the ship's rating
 * boundaries: starts from the algebraic answer and walks one double at a time, because the attained CII
 * rounds on the way. Throws if no double lands exactly on the boundary (then pick another distance).
 */
export function tonnesOnBoundary(input: CiiInput, boundary: keyof CiiBoundaries, fuel: FuelType): number {
  const target = computeCii(input).boundaries[boundary];
  const attainedWith = (tonnes: number): number =>
    computeCii({ ...input, fuelTonnes: { [fuel]: tonnes } }).attained;

  const perTonne = attainedWith(1);
  let tonnes = target / perTonne;
  const step = attainedWith(tonnes) < target ? 1 : -1;
  for (let i = 0; i < 1_000; i++) {
    const attained = attainedWith(tonnes);
    if (attained === target) return tonnes;
    if (step === 1 ? attained > target : attained < target) break;
    tonnes = adjacentDouble(tonnes, step);
  }
  throw new Error(
    `no tonnage of ${fuel} puts the attained CII exactly on the ${boundary} boundary ${target}`,
  );
}
