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
    // Smooth over ~2 frames in dB so one odd frame does not move the floor, while a 100 ms
    // pause between words (5 frames) still reaches the background: smoothing power instead
    // lets the loud words dominate, and the floor would never see short pauses.
    this.#smoothed = this.#smoothed === undefined ? levelDb : this.#smoothed + (levelDb - this.#smoothed) * 0.5;
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
