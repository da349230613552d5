import { describe, expect, it } from 'vitest';
import { type Random, createRandom, randomFromState, weightedPick } from '../src/index.js';

const draws = (random: Random, count: number): number[] => Array.from({ length: count }, () => random.next());

describe('createRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    expect(draws(createRandom(42), 20)).toEqual(draws(createRandom(42), 20));
    expect(draws(createRandom('42'), 20)).toEqual(draws(createRandom(42), 20));
    expect(draws(createRandom(43), 20)).not.toEqual(draws(createRandom(42), 20));
  });

  it('stays in range: next in [0, 1), between in [min, max), int in [min, max] reaching both ends', () => {
    const random = createRandom('ranges');
    const ints = new Set<number>();
    for (let index = 0; index < 10_000; index += 1) {
      const unit = random.next();
      expect(unit >= 0 && unit < 1).toBe(true);
      const between = random.between(-2, 3);
      expect(between >= -2 && between < 3).toBe(true);
      ints.add(random.int(1, 3));
    }
    expect([...ints].sort()).toEqual([1, 2, 3]);
  });

  it('picks every item of a list, and chance(0) / chance(1) are never / always', () => {
    const random = createRandom('pick');
    const picked = new Set(Array.from({ length: 200 }, () => random.pick(['a', 'b', 'c'])));
    expect([...picked].sort()).toEqual(['a', 'b', 'c']);
    expect(Array.from({ length: 100 }, () => random.chance(0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, () => random.chance(1)).every(Boolean)).toBe(true);
    expect(() => random.pick([])).toThrow(RangeError);
  });

  it('forks streams that depend on the label and the seed, not on what was drawn before', () => {
    const fresh = createRandom('fleet');
    const used = createRandom('fleet');
    draws(used, 7);
    expect(draws(used.fork('vessel/3'), 10)).toEqual(draws(fresh.fork('vessel/3'), 10));
    expect(draws(fresh.fork('vessel/4'), 10)).not.toEqual(draws(fresh.fork('vessel/3'), 10));
    expect(draws(createRandom('other').fork('vessel/3'), 10)).not.toEqual(draws(fresh.fork('vessel/3'), 10));
  });

  it('resumes from its state', () => {
    const random = createRandom('resume');
    draws(random, 5);
    const resumed = randomFromState(random.state);
    expect(draws(resumed, 10)).toEqual(draws(random, 10));
  });
});

describe('weightedPick', () => {
  it('never picks a zero weight and follows the weights', () => {
    const random = createRandom('weights');
    const counts = { a: 0, b: 0, c: 0 };
    const weights = { a: 3, b: 1, c: 0 };
    const keys = ['a', 'b', 'c'] as const;
    for (let index = 0; index < 4_000; index += 1)
      counts[weightedPick(random, keys, (key) => weights[key])] += 1;
    expect(counts.c).toBe(0);
    // Expected 3,000 and 1,000; the standard deviation is about 27.
    expect(Math.abs(counts.a - 3_000)).toBeLessThan(150);
    expect(() => weightedPick(random, keys, () => 0)).toThrow(RangeError);
  });
});
