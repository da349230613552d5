import { Parser } from '@signalk/nmea0183-signalk';
import { describe, expect, it } from 'vitest';
import { parseNmea0183 } from '../src/index.js';
import { REAL_WORLD_SENTENCES, nmea } from './helpers.js';

/**
 * The maintained Signal K parser as a reference: for well-formed sentences both must give the same
 * paths and (to the precision of its rounded conversion ratios) the same values, so this package
 * follows its conventions. Where this package deliberately differs (void fixes, null fields, dates it
 * would take from the clock) the sentence-specific tests say so.
 */
const reference = new Parser();

function referenceValues(sentence: string): Map<string, unknown> {
  const delta = reference.parse(sentence);
  const values = new Map<string, unknown>();
  for (const update of delta?.updates ?? []) {
    for (const { path, value } of update.values) values.set(path, value);
  }
  return values;
}

function referenceTimestamp(sentence: string): string | undefined {
  return reference.parse(sentence)?.updates[0]?.timestamp;
}

describe('agreement with @signalk/nmea0183-signalk', () => {
  it.each([
    REAL_WORLD_SENTENCES.rmcMunich,
    REAL_WORLD_SENTENCES.rmcVancouver,
    REAL_WORLD_SENTENCES.rmcMelbourne,
    REAL_WORLD_SENTENCES.rmcUblox,
    REAL_WORLD_SENTENCES.ggaMunich,
    REAL_WORLD_SENTENCES.ggaDublin,
    // Its km/h field agrees with its knots field (the verbatim example rounds 10.186 to 10.2, and the
    // reference parser reads km/h where this package reads knots).
    nmea('GPVTG,054.7,T,034.4,M,005.5,N,010.186,K'),
    REAL_WORLD_SENTENCES.hdt,
    REAL_WORLD_SENTENCES.rpm,
    nmea('IIRPM,S,2,90.0,,A'),
    REAL_WORLD_SENTENCES.zda,
  ])('%s gives the same paths and values', (sentence) => {
    const expected = referenceValues(sentence);
    const points = parseNmea0183(sentence);
    expect(points.length).toBeGreaterThan(0);
    for (const { path, value } of points) {
      expect(expected.has(path), `reference has no ${path}`).toBe(true);
      const referenceValue = expected.get(path);
      if (typeof value === 'number') {
        expect(value, path).toBeCloseTo(referenceValue as number, 4);
      } else if (path === 'navigation.position') {
        const { latitude, longitude } = value as { latitude: number; longitude: number };
        const other = referenceValue as { latitude: number; longitude: number };
        expect(latitude).toBeCloseTo(other.latitude, 9);
        expect(longitude).toBeCloseTo(other.longitude, 9);
      } else {
        expect(value, path).toEqual(referenceValue);
      }
    }
  });

  it.each([
    REAL_WORLD_SENTENCES.rmcMunich,
    REAL_WORLD_SENTENCES.rmcMelbourne,
    REAL_WORLD_SENTENCES.rmcUblox,
    nmea('GPRMC,000000,A,5000.000,N,00100.000,W,1.0,90.0,010180,,'),
  ])('%s gets the same timestamp', (sentence) => {
    expect(parseNmea0183(sentence)[0]?.timestamp).toBe(referenceTimestamp(sentence));
  });
});
