/**
 * Minimum-statistics noise floor (after R. Martin, "Noise power spectral density estimation
 * based on optimal smoothing and minimum statistics", 2001, simplified to one band): the floor
 * is the lowest smoothed frame level over the last `windowFrames`, so a steady background of
 * any level is learned within one window, speech or not. Speech always has pauses and dips
 * between syllables within a couple of seconds; a steady noise has none, so its minimum is its
 * level. Levels are in dB.
 */
export class NoiseFloor {
  readonly #ring: Float64Array;
  #count = 0;
  #next = 0;
  #smoothed: number | undefined;

  constructor(windowFrames: number) {
    this.#ring = new Float64Array(Math.max(1, windowFrames));
  }

  /** Feed one frame's level (dB); returns the floor including it. */
  push(levelDb: number): number {
    // Smooth over ~3 frames in the power domain so a single quiet frame does not drag the floor.
    // (Smoothing in dB reaches the background in 100 ms pauses, but measured worse on the tune
    // half: 93.3% vs 95.7% accuracy; the floor then dips into every pause and noise counts as voice.)
    const power = 10 ** (levelDb / 10);
    const previous = this.#smoothed === undefined ? power : 10 ** (this.#smoothed / 10);
    this.#smoothed = 10 * Math.log10(previous + (power - previous) * 0.4);
    this.#ring[this.#next] = this.#smoothed;
    this.#next = (this.#next + 1) % this.#ring.length;
    this.#count = Math.min(this.#count + 1, this.#ring.length);
    return this.level;
  }

  /** The current floor (dB); −Infinity before any frame. */
  get level(): number {
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.#count; i++) min = Math.min(min, this.#ring[i] as number);
    return this.#count === 0 ? Number.NEGATIVE_INFINITY : min;
  }
}
