/**
 * Seeded randomness, injected everywhere. The same seed gives the same sequence on every
 * platform; `split` derives an independent stream so components do not perturb each other.
 */
export interface Random {
  /** The seed this stream was created from (for logs and replays). */
  readonly seed: number;
  /** A float uniform in [0, 1). */
  next(): number;
  /** An integer uniform in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** A new independent stream derived deterministically from this one and `label`. */
  split(label?: string): Random;
}
