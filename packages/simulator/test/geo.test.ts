import { describe, expect, it } from 'vitest';
import { distanceNm, initialBearing, intermediatePoint, portByLocode } from '../src/index.js';

const at = (latitude: number, longitude: number) => ({ latitude, longitude });
const rotterdam = portByLocode('NLRTM');
const singapore = portByLocode('SGSIN');

describe('distanceNm', () => {
  it.each([
    // Spherical law of cosines with R = 3440.065 nm: acos(sin φ1 sin φ2 + cos φ1 cos φ2 cos Δλ) × R
    // = 1.65744 rad × 3440.065 = 5,701.6 nm (published great-circle figures: about 10,560 km = 5,702 nm).
    { name: 'Rotterdam to Singapore', from: rotterdam, to: singapore, expected: 5_701.6, within: 0.01 },
    // A quarter of the equator: π/2 × 3440.065 = 5,403.64 nm.
    { name: 'quarter of the equator', from: at(0, 0), to: at(0, 90), expected: 5_403.64, within: 0.0001 },
    // One degree of latitude: 3440.065 × π / 180 = 60.04 nm.
    { name: 'one degree of latitude', from: at(10, 20), to: at(11, 20), expected: 60.04, within: 0.0001 },
    { name: 'the same point', from: at(51.95, 4.14), to: at(51.95, 4.14), expected: 0, within: 0 },
  ])('$name', ({ from, to, expected, within }) => {
    const distance = distanceNm(from, to);
    expect(Math.abs(distance - expected)).toBeLessThanOrEqual(Math.max(within * expected, 0.01));
    expect(distanceNm(to, from)).toBeCloseTo(distance, 9);
  });
});

describe('initialBearing', () => {
  it.each([
    { name: 'east along the equator', from: at(0, 0), to: at(0, 10), expected: 90 },
    { name: 'due north', from: at(0, 0), to: at(10, 0), expected: 0 },
    { name: 'due south', from: at(10, 0), to: at(0, 0), expected: 180 },
    { name: 'west along the equator', from: at(0, 10), to: at(0, 0), expected: 270 },
    { name: 'east across the antimeridian', from: at(0, 179), to: at(0, -179), expected: 90 },
    // atan2(sin 1° cos 1°, sin 1° − 0) is a hair under 45°: 44.9956°.
    { name: 'north-east, one degree each way', from: at(0, 0), to: at(1, 1), expected: 44.9956 },
    // atan2(sin Δλ cos φ2, cos φ1 sin φ2 − sin φ1 cos φ2 cos Δλ) = atan2(0.98547, 0.14620) = 81.56°: the great
    // circle leaves Rotterdam heading a little north of east, over Europe, not south-east.
    { name: 'Rotterdam to Singapore', from: rotterdam, to: singapore, expected: 81.56 },
  ])('$name: $expected°', ({ from, to, expected }) => {
    const bearing = initialBearing(from, to);
    expect(Math.abs(bearing - expected)).toBeLessThan(0.05);
    expect(bearing >= 0 && bearing < 360).toBe(true);
  });
});

describe('intermediatePoint', () => {
  it.each([
    {
      name: 'start',
      from: rotterdam,
      to: singapore,
      f: 0,
      expected: at(rotterdam.latitude, rotterdam.longitude),
    },
    {
      name: 'end',
      from: rotterdam,
      to: singapore,
      f: 1,
      expected: at(singapore.latitude, singapore.longitude),
    },
    { name: 'half of a quarter equator', from: at(0, 0), to: at(0, 90), f: 0.5, expected: at(0, 45) },
    { name: 'a third up a meridian', from: at(0, 0), to: at(60, 0), f: 1 / 3, expected: at(20, 0) },
    { name: 'over the antimeridian', from: at(0, 170), to: at(0, -170), f: 0.25, expected: at(0, 175) },
  ])('$name', ({ from, to, f, expected }) => {
    const point = intermediatePoint(from, to, f);
    expect(point.latitude).toBeCloseTo(expected.latitude, 9);
    expect(point.longitude).toBeCloseTo(expected.longitude, 9);
  });

  it('lies on the great circle: distances from both ends add up to the whole', () => {
    const whole = distanceNm(rotterdam, singapore);
    const point = intermediatePoint(rotterdam, singapore, 0.3);
    expect(distanceNm(rotterdam, point)).toBeCloseTo(0.3 * whole, 6);
    expect(distanceNm(point, singapore)).toBeCloseTo(0.7 * whole, 6);
  });
});
