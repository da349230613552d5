/**
 * A small seeded PRNG (mulberry32: 32 bits of state, good enough statistics for a simulation, and the
 * whole state is one integer, so a vessel's state can carry its generator as plain data).
 */
export interface Random {
  /** The generator's state, to store and resume with `randomFromState`. */
  readonly state: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /**
   * An independent stream named `label`, derived from this generator's seed and not from how much of
   * it has been drawn, so that (say) vessel 7's stream is the same whether the fleet has 10 or 650.
   */
  fork(label: string): Random;
}

/** A generator from a seed; the same seed always gives the same sequence. */
export function createRandom(seed: number | string): Random {
  const key = String(seed);
  return makeRandom(hashString(key), key);
}

/** Resumes a generator from `Random.state`; its forks are keyed by the state, as nothing else is known. */
export function randomFromState(state: number): Random {
  return makeRandom(state >>> 0, `state:${state >>> 0}`);
}

function makeRandom(initial: number, key: string): Random {
  let state = initial >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    get state() {
      return state;
    },
    next,
    between: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor((max - min + 1) * next()),
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(items.length * next())] as T;
    },
    chance: (p) => next() < p,
    fork: (label) => createRandom(`${key}/${label}`),
  };
}

/** An item chosen with probability proportional to its weight (weights ≥ 0, not all 0). */
export function weightedPick<T>(random: Random, items: readonly T[], weight: (item: T) => number): T {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  if (!(total > 0)) throw new RangeError('weightedPick needs a positive total weight');
  let threshold = random.next() * total;
  for (const item of items) {
    threshold -= weight(item);
    if (threshold < 0) return item;
  }
  // Rounding can leave a sliver past the last item.
  return items.findLast((item) => weight(item) > 0) as T;
}

/** xmur3-style 32-bit string hash: spreads similar seeds ("a/1", "a/2") to unrelated states. */
export function hashString(text: string): number {
  let hash = 1779033703 ^ text.length;
  for (let index = 0; index < text.length; index += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 3432918353);
    hash = (hash << 13) | (hash >>> 19);
  }
  hash = Math.imul(hash ^ (hash >>> 16), 2246822507);
  hash = Math.imul(hash ^ (hash >>> 13), 3266489909);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/**
 * A value in [-1, 1) fixed by its integer inputs, for noise that must not consume a stream (channel
 * values are a pure function of the vessel's state and the instant).
 */
export function hashNoise(a: number, b: number, c = 0): number {
  let hash = 0x9e3779b9;
  // Three fixed inputs rather than a rest parameter: this runs once per point, and an array per call
  // was most of the cost of sampling a fleet.
  hash = mix(hash, a);
  hash = mix(hash, b);
  hash = mix(hash, c);
  hash = Math.imul(hash ^ (hash >>> 16), 0x7feb352d);
  hash = Math.imul(hash ^ (hash >>> 15), 0x846ca68b);
  return ((hash ^ (hash >>> 16)) >>> 0) / 2147483648 - 1;
}

function mix(hash: number, input: number): number {
  let mixed = Math.imul(hash ^ (input | 0), 0x85ebca6b);
  mixed = Math.imul(mixed ^ Math.floor(input / 4294967296), 0xc2b2ae35);
  return mixed ^ (mixed >>> 15);
}
