import { describe, expect, it } from 'vitest';

import {
  computeCii,
  type CiiBoundaries,
  type CiiInput,
  type CiiRating,
  type ShipType,
} from '../src/index.js';
import { CII_DIGITS, tonnesOnBoundary, validBulkCarrier } from './helpers.js';

interface HandComputedCase {
  name: string;
  input: CiiInput;
  attained: number;
  required: number;
  /** superior, lower, upper, inferior */
  boundaries: [number, number, number, number];
  rating: CiiRating;
}

// Each case's arithmetic, done by hand (with a calculator) from the reference's tables:
//   attained = Σ tonnes × 1e6 × Cf / (capacity × distance)
//   required = (1 − Z/100) × a × capacity^−c, with capacity^−c = exp(−c × ln capacity)
//   boundaries = required × exp(d1..d4)
const handComputedCases: HandComputedCase[] = [
  {
    // attained: (8000e6 × 3.114 + 500e6 × 3.206) = 2.6515e10 g / (180000 × 60000 = 1.08e10) = 2.455093
    // required: 180000^−0.622 = exp(−0.622 × 12.100712) = exp(−7.526643) = 5.385431e−4; × 4745 = 2.555387;
    //           × (1 − 5/100) = 2.427618
    // boundaries: × 0.86 = 2.087751, × 0.94 = 2.281961, × 1.06 = 2.573275, × 1.18 = 2.864589
    // 2.281961 ≤ 2.455093 < 2.573275: C
    name: '180,000 DWT bulk carrier in 2023',
    input: validBulkCarrier,
    attained: 2.455092593,
    required: 2.42761786,
    boundaries: [2.087751359, 2.281960788, 2.573274931, 2.864589074],
    rating: 'C',
  },
  {
    // attained: as in 2023, 2.455093
    // required: 2.555387 × (1 − 11/100) = 2.274295
    // boundaries: × 0.86 = 1.955893, × 0.94 = 2.137837, × 1.06 = 2.410752, × 1.18 = 2.683668
    // 2.410752 ≤ 2.455093 < 2.683668: D — the same voyage rates a band lower as Z tightens
    name: '180,000 DWT bulk carrier in 2026',
    input: { ...validBulkCarrier, year: 2026 },
    attained: 2.455092593,
    required: 2.274294626,
    boundaries: [1.955893379, 2.137836949, 2.410752304, 2.683667659],
    rating: 'D',
  },
  {
    // attained (own DWT): 9000e6 × 3.114 = 2.8026e10 g / (300000 × 50000 = 1.5e10) = 1.868400
    // required (capacity 279,000): 279000^−0.622 = exp(−0.622 × 12.538967) = exp(−7.799238) = 4.100475e−4;
    //           × 4745 = 1.945675; × (1 − 7/100) = 1.809478
    // boundaries: × 0.86 = 1.556151, × 0.94 = 1.700909, × 1.06 = 1.918047, × 1.18 = 2.135184
    // 1.700909 ≤ 1.868400 < 1.918047: C
    name: '300,000 DWT bulk carrier in 2024: reference line capped at 279,000 DWT',
    input: {
      shipType: 'bulk_carrier',
      dwt: 300_000,
      distanceNm: 50_000,
      fuelTonnes: { HFO: 9_000 },
      year: 2024,
    },
    attained: 1.8684,
    required: 1.809478182,
    boundaries: [1.556151236, 1.700909491, 1.918046873, 2.135184255],
    rating: 'C',
  },
  {
    // attained: (3000e6 × 3.114 + 200e6 × 3.206) = 9.9832e9 g / (50000 × 40000 = 2e9) = 4.991600
    // required: 50000^−0.61 = exp(−0.61 × 10.819778) = exp(−6.600065) = 1.360280e−3; × 5247 = 7.137389;
    //           × (1 − 9/100) = 6.495024
    // boundaries: × 0.82 = 5.325920, × 0.93 = 6.040372, × 1.08 = 7.014626, × 1.28 = 8.313631
    // 4.991600 < 5.325920: A
    name: '50,000 DWT tanker in 2025',
    input: {
      shipType: 'tanker',
      dwt: 50_000,
      distanceNm: 40_000,
      fuelTonnes: { HFO: 3_000, MGO: 200 },
      year: 2025,
    },
    attained: 4.9916,
    required: 6.495023906,
    boundaries: [5.325919603, 6.040372232, 7.014625818, 8.313630599],
    rating: 'A',
  },
  {
    // A 14,000 TEU ship: TEU is not a CII capacity, its 150,000 DWT is.
    // attained: (30000e6 × 3.114 + 1000e6 × 3.206) = 9.6626e10 g / (150000 × 110000 = 1.65e10) = 5.856121
    // required: 150000^−0.489 = exp(−0.489 × 11.918391) = exp(−5.828093) = 2.943685e−3; × 1984 = 5.840272;
    //           × (1 − 7/100) = 5.431453
    // boundaries: × 0.83 = 4.508106, × 0.94 = 5.105565, × 1.07 = 5.811654, × 1.19 = 6.463429
    // 5.811654 ≤ 5.856121 < 6.463429: D
    name: '14,000 TEU (150,000 DWT) container ship in 2024',
    input: {
      shipType: 'container_ship',
      dwt: 150_000,
      gt: 141_000,
      distanceNm: 110_000,
      fuelTonnes: { HFO: 30_000, MGO: 1_000 },
      year: 2024,
    },
    attained: 5.856121212,
    required: 5.431452561,
    boundaries: [4.508105626, 5.105565407, 5.81165424, 6.463428547],
    rating: 'D',
  },
  {
    // Capacity is GT (40,000), not the 15,000 DWT.
    // attained: 6000e6 × 3.114 = 1.8684e10 g / (40000 × 70000 = 2.8e9) = 6.672857
    // required (30,000–57,700 GT line): 40000^−0.59 = exp(−0.59 × 10.596635) = exp(−6.252014) = 1.926569e−3;
    //           × 3627 = 6.987666; × (1 − 5/100) = 6.638283
    // boundaries: × 0.86 = 5.708923, × 0.94 = 6.239986, × 1.06 = 7.036580, × 1.16 = 7.700408
    // 6.239986 ≤ 6.672857 < 7.036580: C
    name: '40,000 GT ro-ro vehicle carrier in 2023, by GT',
    input: {
      shipType: 'ro_ro_vehicle_carrier',
      dwt: 15_000,
      gt: 40_000,
      distanceNm: 70_000,
      fuelTonnes: { HFO: 6_000 },
      year: 2023,
    },
    attained: 6.672857143,
    required: 6.638283044,
    boundaries: [5.708923418, 6.239986062, 7.036580027, 7.700408331],
    rating: 'C',
  },
  {
    // attained: (25000e6 × 2.75 + 1000e6 × 3.206) = 7.1956e10 g / (120000 × 100000 = 1.2e10) = 5.996333
    // required (≥ 100,000 DWT line, c = 0): 9.827 × 120000^0 = 9.827; × (1 − 5/100) = 9.335650
    // boundaries: × 0.89 = 8.308729, × 0.98 = 9.148937, × 1.06 = 9.895789, × 1.13 = 10.549285
    // 5.996333 < 8.308729: A
    name: '120,000 DWT LNG carrier in 2023 (≥ 100,000 DWT band)',
    input: {
      shipType: 'lng_carrier',
      dwt: 120_000,
      distanceNm: 100_000,
      fuelTonnes: { LNG: 25_000, MGO: 1_000 },
      year: 2023,
    },
    attained: 5.996333333,
    required: 9.33565,
    boundaries: [8.3087285, 9.148937, 9.895789, 10.5492845],
    rating: 'A',
  },
  {
    // attained: (30000e6 × 2.75 + 800e6 × 3.206) = 8.50648e10 g / (80000 × 95000 = 7.6e9) = 11.192737
    // required (65,000–100,000 DWT line): 80000^−2.673 = exp(−2.673 × 11.289782) = exp(−30.177587)
    //           = 7.835026e−14; × 14479e10 = 11.344335; × (1 − 5/100) = 10.777118
    // boundaries: × 0.78 = 8.406152, × 0.92 = 9.914949, × 1.10 = 11.854830, × 1.37 = 14.764652
    // 9.914949 ≤ 11.192737 < 11.854830: C
    name: '80,000 DWT LNG carrier in 2023 (65,000–100,000 DWT band)',
    input: {
      shipType: 'lng_carrier',
      dwt: 80_000,
      distanceNm: 95_000,
      fuelTonnes: { LNG: 30_000, MGO: 800 },
      year: 2023,
    },
    attained: 11.192736842,
    required: 10.777118004,
    boundaries: [8.406152043, 9.914948563, 11.854829804, 14.764651665],
    rating: 'C',
  },
  {
    // attained (own DWT): (20000e6 × 2.75 + 500e6 × 3.206) = 5.6603e10 g / (40000 × 80000 = 3.2e9) = 17.688438
    // required (< 65,000 DWT line at capacity 65,000, a = 14779e10 as the reference gives it):
    //           65000^−2.673 = exp(−2.673 × 11.082143) = exp(−29.622567) = 1.364843e−13; × 14779e10 = 20.171010;
    //           × (1 − 5/100) = 19.162460
    // boundaries: × 0.78 = 14.946718, × 0.92 = 17.629463, × 1.10 = 21.078706, × 1.37 = 26.252570
    // 17.629463 ≤ 17.688438 < 21.078706: C
    name: '40,000 DWT LNG carrier in 2023 (< 65,000 DWT band, capacity 65,000)',
    input: {
      shipType: 'lng_carrier',
      dwt: 40_000,
      distanceNm: 80_000,
      fuelTonnes: { LNG: 20_000, MGO: 500 },
      year: 2023,
    },
    attained: 17.6884375,
    required: 19.162459594,
    boundaries: [14.946718484, 17.629462827, 21.078705554, 26.252569644],
    rating: 'C',
  },
  {
    // attained: (25000e6 × 3.114 + 2000e6 × 3.206) = 8.4262e10 g / (90000 × 50000 = 4.5e9) = 18.724889
    // required: 90000^−0.383 = exp(−0.383 × 11.407565) = exp(−4.369097) = 1.266267e−2; × 930 = 11.776278;
    //           × (1 − 9/100) = 10.716413
    // boundaries: × 0.87 = 9.323280, × 0.95 = 10.180593, × 1.06 = 11.359398, × 1.16 = 12.431040
    // 18.724889 ≥ 12.431040: E
    name: '90,000 GT cruise passenger ship in 2025',
    input: {
      shipType: 'cruise_passenger_ship',
      gt: 90_000,
      distanceNm: 50_000,
      fuelTonnes: { HFO: 25_000, MGO: 2_000 },
      year: 2025,
    },
    attained: 18.724888889,
    required: 10.716413425,
    boundaries: [9.32327968, 10.180592754, 11.35939823, 12.431039573],
    rating: 'E',
  },
];

describe('computeCii: hand-computed cases', () => {
  it.each(handComputedCases)('$name', ({ input, attained, required, boundaries, rating }) => {
    const result = computeCii(input);

    expect(result.attained).toBeCloseTo(attained, CII_DIGITS);
    expect(result.required).toBeCloseTo(required, CII_DIGITS);
    expect(result.boundaries.superior).toBeCloseTo(boundaries[0], CII_DIGITS);
    expect(result.boundaries.lower).toBeCloseTo(boundaries[1], CII_DIGITS);
    expect(result.boundaries.upper).toBeCloseTo(boundaries[2], CII_DIGITS);
    expect(result.boundaries.inferior).toBeCloseTo(boundaries[3], CII_DIGITS);
    expect(result.rating).toBe(rating);
  });
});

interface ReferenceLineCase {
  shipType: ShipType;
  size: number;
  required2019: number;
  /** exp(d1..d4) */
  factors: [number, number, number, number];
}

// One case per row of the reference-line table, in 2019 (Z = 0), so required = a × capacity^−c.
const referenceLineCases: ReferenceLineCase[] = [
  // 4745 × 279000^−0.622 = 4745 × exp(−0.622 × 12.538967) = 4745 × 4.100475e−4 = 1.945675 (capped)
  { shipType: 'bulk_carrier', size: 300_000, required2019: 1.945675464, factors: [0.86, 0.94, 1.06, 1.18] },
  // 4745 × 75000^−0.622 = 4745 × exp(−0.622 × 11.225243) = 4745 × 9.283503e−4 = 4.405022
  { shipType: 'bulk_carrier', size: 75_000, required2019: 4.405022296, factors: [0.86, 0.94, 1.06, 1.18] },
  // 14405e7 × 84000^−2.071 = 14405e7 × exp(−2.071 × 11.338572) = 14405e7 × 6.336035e−11 = 9.127059
  { shipType: 'gas_carrier', size: 84_000, required2019: 9.127059068, factors: [0.81, 0.91, 1.12, 1.44] },
  // 8104 × 35000^−0.639 = 8104 × exp(−0.639 × 10.463103) = 8104 × 1.248362e−3 = 10.116725
  { shipType: 'gas_carrier', size: 35_000, required2019: 10.116725167, factors: [0.85, 0.95, 1.06, 1.25] },
  // 5247 × 110000^−0.61 = 5247 × exp(−0.61 × 11.608236) = 5247 × 8.409118e−4 = 4.412264
  { shipType: 'tanker', size: 110_000, required2019: 4.41226437, factors: [0.82, 0.93, 1.08, 1.28] },
  // 1984 × 50000^−0.489 = 1984 × exp(−0.489 × 10.819778) = 1984 × 5.037368e−3 = 9.994138
  { shipType: 'container_ship', size: 50_000, required2019: 9.994137857, factors: [0.83, 0.94, 1.07, 1.19] },
  // 31948 × 30000^−0.792 = 31948 × exp(−0.792 × 10.308953) = 31948 × 2.845247e−4 = 9.089995
  {
    shipType: 'general_cargo_ship',
    size: 30_000,
    required2019: 9.089994952,
    factors: [0.83, 0.94, 1.06, 1.19],
  },
  // 588 × 8000^−0.3885 = 588 × exp(−0.3885 × 8.987197) = 588 × 3.045436e−2 = 17.907166
  {
    shipType: 'general_cargo_ship',
    size: 8_000,
    required2019: 17.907166271,
    factors: [0.83, 0.94, 1.06, 1.19],
  },
  // 4600 × 12000^−0.557 = 4600 × exp(−0.557 × 9.392662) = 4600 × 5.344364e−3 = 24.584075
  {
    shipType: 'refrigerated_cargo_carrier',
    size: 12_000,
    required2019: 24.584075309,
    factors: [0.78, 0.91, 1.07, 1.2],
  },
  // 5119 × 90000^−0.622 = 5119 × exp(−0.622 × 11.407565) = 5119 × 8.288218e−4 = 4.242739
  {
    shipType: 'combination_carrier',
    size: 90_000,
    required2019: 4.242738732,
    factors: [0.87, 0.96, 1.06, 1.14],
  },
  // 9.827 × 150000^0 = 9.827
  { shipType: 'lng_carrier', size: 150_000, required2019: 9.827, factors: [0.89, 0.98, 1.06, 1.13] },
  // 14479e10 × 70000^−2.673 = 14479e10 × exp(−2.673 × 11.156251) = 14479e10 × 1.119574e−13 = 16.210317
  { shipType: 'lng_carrier', size: 70_000, required2019: 16.210316978, factors: [0.78, 0.92, 1.1, 1.37] },
  // 14779e10 × 65000^−2.673 = 14779e10 × exp(−2.673 × 11.082143) = 14779e10 × 1.364843e−13 = 20.171010
  { shipType: 'lng_carrier', size: 30_000, required2019: 20.171010099, factors: [0.78, 0.92, 1.1, 1.37] },
  // 3627 × 57700^−0.59 = 3627 × exp(−0.59 × 10.963012) = 3627 × 1.552052e−3 = 5.629293 (capped)
  {
    shipType: 'ro_ro_vehicle_carrier',
    size: 75_000,
    required2019: 5.629292636,
    factors: [0.86, 0.94, 1.06, 1.16],
  },
  // 3627 × 45000^−0.59 = 3627 × exp(−0.59 × 10.714418) = 3627 × 1.797234e−3 = 6.518568
  {
    shipType: 'ro_ro_vehicle_carrier',
    size: 45_000,
    required2019: 6.518567582,
    factors: [0.86, 0.94, 1.06, 1.16],
  },
  // 330 × 20000^−0.329 = 330 × exp(−0.329 × 9.903488) = 330 × 3.845574e−2 = 12.690393
  {
    shipType: 'ro_ro_vehicle_carrier',
    size: 20_000,
    required2019: 12.690392989,
    factors: [0.86, 0.94, 1.06, 1.16],
  },
  // 1967 × 25000^−0.485 = 1967 × exp(−0.485 × 10.126631) = 1967 × 7.362056e−3 = 14.481163
  {
    shipType: 'ro_ro_cargo_ship',
    size: 25_000,
    required2019: 14.481163458,
    factors: [0.76, 0.89, 1.08, 1.27],
  },
  // 2023 × 30000^−0.46 = 2023 × exp(−0.46 × 10.308953) = 2023 × 8.720155e−3 = 17.640874
  {
    shipType: 'ro_ro_passenger_ship',
    size: 30_000,
    required2019: 17.640874308,
    factors: [0.76, 0.92, 1.14, 1.3],
  },
  // 4196 × 8000^−0.46 = 4196 × exp(−0.46 × 8.987197) = 4196 × 1.601691e−2 = 67.206934
  {
    shipType: 'ro_ro_passenger_ship_hsc',
    size: 8_000,
    required2019: 67.206934355,
    factors: [0.76, 0.92, 1.14, 1.3],
  },
  // 930 × 150000^−0.383 = 930 × exp(−0.383 × 11.918391) = 930 × 1.041255e−2 = 9.683670
  {
    shipType: 'cruise_passenger_ship',
    size: 150_000,
    required2019: 9.683670339,
    factors: [0.87, 0.95, 1.06, 1.16],
  },
];

/** A 2019 voyage for a ship of this type and size; the size goes in as DWT or GT as the type needs. */
function inputFor(shipType: ShipType, size: number, year = 2019): CiiInput {
  return { shipType, dwt: size, gt: size, distanceNm: 10_000, fuelTonnes: { HFO: 1_000 }, year };
}

describe('computeCii: required CII and boundaries for every reference line', () => {
  it.each(referenceLineCases)('$shipType of $size', ({ shipType, size, required2019, factors }) => {
    const { required, boundaries } = computeCii(inputFor(shipType, size));

    expect(required).toBeCloseTo(required2019, CII_DIGITS);
    expect(boundaries.superior).toBeCloseTo(required2019 * factors[0], CII_DIGITS);
    expect(boundaries.lower).toBeCloseTo(required2019 * factors[1], CII_DIGITS);
    expect(boundaries.upper).toBeCloseTo(required2019 * factors[2], CII_DIGITS);
    expect(boundaries.inferior).toBeCloseTo(required2019 * factors[3], CII_DIGITS);
  });

  it('covers every ship type', () => {
    const covered = new Set(referenceLineCases.map((testCase) => testCase.shipType));
    expect(covered.size).toBe(13);
  });
});

describe('computeCii: capacity is DWT or GT by ship type', () => {
  it.each([
    ['bulk_carrier', 'dwt'],
    ['gas_carrier', 'dwt'],
    ['tanker', 'dwt'],
    ['container_ship', 'dwt'],
    ['general_cargo_ship', 'dwt'],
    ['refrigerated_cargo_carrier', 'dwt'],
    ['combination_carrier', 'dwt'],
    ['lng_carrier', 'dwt'],
    ['ro_ro_vehicle_carrier', 'gt'],
    ['ro_ro_cargo_ship', 'gt'],
    ['ro_ro_passenger_ship', 'gt'],
    ['ro_ro_passenger_ship_hsc', 'gt'],
    ['cruise_passenger_ship', 'gt'],
  ] as const)('%s divides by %s', (shipType, measure) => {
    // 1000e6 g × 3.114 / (capacity × 10000 nm): 20,000 gives 15.57, 40,000 gives 7.785.
    const dwt = measure === 'dwt' ? 20_000 : 40_000;
    const gt = measure === 'gt' ? 20_000 : 40_000;
    const { attained } = computeCii({
      shipType,
      dwt,
      gt,
      distanceNm: 10_000,
      fuelTonnes: { HFO: 1_000 },
      year: 2023,
    });

    expect(attained).toBeCloseTo(15.57, CII_DIGITS);
  });
});

describe('computeCii: reduction factor Z by year', () => {
  // 180,000 DWT bulk carrier: 4745 × 180000^−0.622 = 2.555387221, times (1 − Z/100).
  it.each([
    [2019, 2.555387221], // × 1
    [2020, 2.529833348], // × 0.99
    [2021, 2.504279476], // × 0.98
    [2022, 2.478725604], // × 0.97
    [2023, 2.42761786], // × 0.95
    [2024, 2.376510115], // × 0.93
    [2025, 2.325402371], // × 0.91
    [2026, 2.274294626], // × 0.89
    [2027, 2.207215712], // × 0.86375
    [2028, 2.140136797], // × 0.8375
    [2029, 2.073057883], // × 0.81125
    [2030, 2.005978968], // × 0.785
  ])('%i', (year, required) => {
    expect(computeCii({ ...validBulkCarrier, year }).required).toBeCloseTo(required, CII_DIGITS);
  });
});

describe('computeCii: size-band edges (a size on an edge takes the upper band)', () => {
  it.each([
    // 4745 × 279000^−0.622 = 4745 × 4.100475e−4 = 1.945675: from 279,000 the capacity stays 279,000
    ['bulk_carrier', 279_000, 1.945675464],
    ['bulk_carrier', 400_000, 1.945675464],
    // 4745 × 278999^−0.622 = 4745 × 4.100484e−4 = 1.945680 (own DWT, continuous with the capped line)
    ['bulk_carrier', 278_999, 1.945679802],
    // 14405e7 × 65000^−2.071 = 14405e7 × exp(−2.071 × 11.082143) = 14405e7 × 1.077597e−10 = 15.522787
    ['gas_carrier', 65_000, 15.522787099],
    // 8104 × 64999^−0.639 = 8104 × exp(−0.639 × 11.082127) = 8104 × 8.405289e−4 = 6.811646
    ['gas_carrier', 64_999, 6.811645957],
    // 31948 × 20000^−0.792 = 31948 × exp(−0.792 × 9.903488) = 31948 × 3.922692e−4 = 12.532217
    ['general_cargo_ship', 20_000, 12.532217374],
    // 588 × 19999^−0.3885 = 588 × exp(−0.3885 × 9.903438) = 588 × 2.133331e−2 = 12.543987
    ['general_cargo_ship', 19_999, 12.543987401],
    // 9.827 × 100000^0 = 9.827
    ['lng_carrier', 100_000, 9.827],
    // 14479e10 × 99999^−2.673 = 14479e10 × exp(−2.673 × 11.512915) = 14479e10 × 4.315306e−14 = 6.248132
    ['lng_carrier', 99_999, 6.248131725],
    // 14479e10 × 65000^−2.673 = 14479e10 × exp(−2.673 × 11.082143) = 14479e10 × 1.364843e−13 = 19.761557
    ['lng_carrier', 65_000, 19.761557293],
    // 14779e10 × 65000^−2.673 (capacity 65,000, not 64,999) = 14779e10 × 1.364843e−13 = 20.171010
    ['lng_carrier', 64_999, 20.171010099],
    ['lng_carrier', 10_000, 20.171010099],
    // 3627 × 57700^−0.59 = 3627 × exp(−0.59 × 10.963012) = 3627 × 1.552052e−3 = 5.629293: capped from 57,700
    ['ro_ro_vehicle_carrier', 57_700, 5.629292636],
    ['ro_ro_vehicle_carrier', 80_000, 5.629292636],
    // 3627 × 57699^−0.59 = 3627 × exp(−0.59 × 10.962995) = 3627 × 1.552068e−3 = 5.629350
    ['ro_ro_vehicle_carrier', 57_699, 5.629350198],
    // 3627 × 30000^−0.59 = 3627 × exp(−0.59 × 10.308953) = 3627 × 2.282961e−3 = 8.280299
    ['ro_ro_vehicle_carrier', 30_000, 8.280298923],
    // 330 × 29999^−0.329 = 330 × exp(−0.329 × 10.308919) = 330 × 3.365363e−2 = 11.105697
    ['ro_ro_vehicle_carrier', 29_999, 11.105696734],
  ] as const)('%s of %i', (shipType, size, required) => {
    expect(computeCii(inputFor(shipType, size)).required).toBeCloseTo(required, CII_DIGITS);
  });

  it.each([
    // The boundaries change with the band too, not only the line.
    ['gas_carrier', 65_000, [0.81, 0.91, 1.12, 1.44]],
    ['gas_carrier', 64_999, [0.85, 0.95, 1.06, 1.25]],
    ['lng_carrier', 100_000, [0.89, 0.98, 1.06, 1.13]],
    ['lng_carrier', 99_999, [0.78, 0.92, 1.1, 1.37]],
  ] as const)('%s of %i uses boundary factors %j', (shipType, size, factors) => {
    const { required, boundaries } = computeCii(inputFor(shipType, size));

    expect(boundaries.superior / required).toBeCloseTo(factors[0], 12);
    expect(boundaries.lower / required).toBeCloseTo(factors[1], 12);
    expect(boundaries.upper / required).toBeCloseTo(factors[2], 12);
    expect(boundaries.inferior / required).toBeCloseTo(factors[3], 12);
  });

  it('rates the attained CII of a capped ship by its own DWT', () => {
    // 1000e6 × 3.114 / (300000 × 10000) = 1.038 (not / (279000 × 10000) = 1.116129)
    expect(computeCii(inputFor('bulk_carrier', 300_000)).attained).toBeCloseTo(1.038, CII_DIGITS);
  });
});

describe('computeCii: fuels', () => {
  it('sums every fuel with its own Cf', () => {
    // 100 t of each fuel: 100e6 g × (3.114 + 3.151 + 3.206 + 3.206 + 2.75 + 3.0 + 3.03 + 2.927 + 1.375 + 1.913
    // = 27.672) = 2.7672e9 g / (50000 × 10000 = 5e8) = 5.5344
    const { attained } = computeCii({
      shipType: 'tanker',
      dwt: 50_000,
      distanceNm: 10_000,
      fuelTonnes: {
        HFO: 100,
        LFO: 100,
        MDO: 100,
        MGO: 100,
        LNG: 100,
        LPG_PROPANE: 100,
        LPG_BUTANE: 100,
        ETHANE: 100,
        METHANOL: 100,
        ETHANOL: 100,
      },
      year: 2023,
    });

    expect(attained).toBeCloseTo(5.5344, CII_DIGITS);
  });

  it.each([
    // 1000e6 g × Cf / (50000 × 10000 = 5e8) = 2 × Cf
    ['HFO', 6.228],
    ['LFO', 6.302],
    ['MDO', 6.412],
    ['MGO', 6.412],
    ['LNG', 5.5],
    ['LPG_PROPANE', 6.0],
    ['LPG_BUTANE', 6.06],
    ['ETHANE', 5.854],
    ['METHANOL', 2.75],
    ['ETHANOL', 3.826],
  ] as const)('1,000 t of %s', (fuel, attained) => {
    const input: CiiInput = {
      shipType: 'tanker',
      dwt: 50_000,
      distanceNm: 10_000,
      fuelTonnes: { [fuel]: 1_000 },
      year: 2023,
    };
    expect(computeCii(input).attained).toBeCloseTo(attained, CII_DIGITS);
  });

  it('ignores fuels with undefined tonnes and counts zero tonnes as nothing burned', () => {
    const withGaps = computeCii({
      ...validBulkCarrier,
      fuelTonnes: { HFO: 8_000, MGO: 500, LNG: undefined, LFO: 0 },
    });
    expect(withGaps.attained).toBe(computeCii(validBulkCarrier).attained);
  });

  it('rates a year without fuel A (attained 0)', () => {
    const result = computeCii({ ...validBulkCarrier, fuelTonnes: {} });
    expect(result.attained).toBe(0);
    expect(result.rating).toBe('A');
  });
});

describe('computeCii: ratings exactly on each boundary (strict inequalities)', () => {
  const ships: CiiInput[] = [
    validBulkCarrier,
    { shipType: 'tanker', dwt: 50_000, distanceNm: 40_000, fuelTonnes: {}, year: 2025 },
    { shipType: 'lng_carrier', dwt: 80_000, distanceNm: 95_000, fuelTonnes: {}, year: 2023 },
    { shipType: 'cruise_passenger_ship', gt: 90_000, distanceNm: 50_000, fuelTonnes: {}, year: 2030 },
  ];
  const cases: { boundary: keyof CiiBoundaries; onIt: CiiRating; justBelow: CiiRating }[] = [
    { boundary: 'superior', onIt: 'B', justBelow: 'A' },
    { boundary: 'lower', onIt: 'C', justBelow: 'B' },
    { boundary: 'upper', onIt: 'D', justBelow: 'C' },
    { boundary: 'inferior', onIt: 'E', justBelow: 'D' },
  ];

  describe.each(ships)('$shipType in $year', (ship) => {
    it.each(cases)(
      'attained = $boundary rates $onIt, just below rates $justBelow',
      ({ boundary, onIt, justBelow }) => {
        const tonnes = tonnesOnBoundary(ship, boundary, 'HFO');
        const onBoundary = computeCii({ ...ship, fuelTonnes: { HFO: tonnes } });
        const belowBoundary = computeCii({ ...ship, fuelTonnes: { HFO: tonnes * (1 - 1e-9) } });

        // Exactly equal, not merely close: the rating rule is a strict "<".
        expect(onBoundary.attained).toBe(onBoundary.boundaries[boundary]);
        expect(onBoundary.rating).toBe(onIt);
        expect(belowBoundary.attained).toBeLessThan(belowBoundary.boundaries[boundary]);
        expect(belowBoundary.rating).toBe(justBelow);
      },
    );
  });
});
