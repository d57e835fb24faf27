import type { Random } from '@paceline/core';

/**
 * A distribution of durations in ms (a caller's patience, a call's handle time):
 * - `exponential` with a mean (memoryless: the classic Erlang-A abandonment);
 * - `lognormal` with a median and shape `sigma` (handle times as measured in call centres);
 * - `fixed`;
 * - `empirical`: drawn uniformly from measured samples.
 */
export type SimDuration =
  | { readonly kind: 'exponential'; readonly meanMs: number }
  | { readonly kind: 'lognormal'; readonly medianMs: number; readonly sigma: number }
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'empirical'; readonly samplesMs: readonly number[] };

/** One draw from `duration`, ms. Uses one or two numbers from `random`. */
export function sampleDuration(duration: SimDuration, random: Random): number {
  switch (duration.kind) {
    case 'exponential':
      return -duration.meanMs * Math.log(1 - random.next());
    case 'lognormal': {
      // Box–Muller: a standard normal from two uniforms.
      const u = 1 - random.next();
      const v = random.next();
      const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      return duration.medianMs * Math.exp(duration.sigma * normal);
    }
    case 'fixed':
      return duration.ms;
    case 'empirical':
      return duration.samplesMs[random.int(duration.samplesMs.length)] as number;
  }
}

/** The mean of `duration`, ms. */
export function meanDuration(duration: SimDuration): number {
  switch (duration.kind) {
    case 'exponential':
      return duration.meanMs;
    case 'lognormal':
      return duration.medianMs * Math.exp((duration.sigma * duration.sigma) / 2);
    case 'fixed':
      return duration.ms;
    case 'empirical':
      return duration.samplesMs.reduce((sum, ms) => sum + ms, 0) / duration.samplesMs.length;
  }
}
