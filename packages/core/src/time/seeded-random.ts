import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { PacelineError } from '../errors';
import type { Random } from '../ports/random';

/** FNV-1a over a label, so `split('agents')` and `split('trunk')` get different streams. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** MurmurHash3's finaliser: spreads a small seed over all 32 bits before it seeds the generator. */
function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

class SeededRandom implements Random {
  readonly seed: number;
  readonly #rng: JumpableRandomGenerator;

  constructor(seed: number) {
    this.seed = seed;
    // xoroshiro128+ seeded straight from a small integer starts with correlated output.
    this.#rng = xoroshiro128plus(mix32(seed));
  }

  next(): number {
    return uniformFloat64(this.#rng);
  }

  int(maxExclusive: number): number {
    if (!Number.isInteger(maxExclusive) || maxExclusive <= 0) {
      throw new PacelineError('E_INVALID_INPUT', `Random.int: expected a positive integer bound, got ${maxExclusive}`);
    }
    return uniformInt(this.#rng, 0, maxExclusive - 1);
  }

  split(label = ''): Random {
    // The child's seed mixes a draw from this stream with the label: deterministic, and
    // each call to split advances the parent so siblings differ.
    const draw = uniformInt(this.#rng, 0, 0xffffffff);
    return new SeededRandom((draw ^ hashLabel(label)) >>> 0);
  }
}

/**
 * A seeded `Random` (xoroshiro128+ from pure-rand). The same seed yields the same sequence
 * on every run and platform.
 */
export function seededRandom(seed: number): Random {
  if (!Number.isInteger(seed)) {
    throw new PacelineError('E_INVALID_INPUT', `seededRandom: expected an integer seed, got ${seed}`);
  }
  return new SeededRandom(seed >>> 0);
}
