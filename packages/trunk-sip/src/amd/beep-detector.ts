/** 20 ms frames at 8 kHz. */
const FRAME = 160;
/** Candidate tone frequencies (Hz): voicemail beeps sit between 400 and 2 000 Hz. */
const FREQUENCIES = Array.from({ length: 33 }, (_, i) => 400 + i * 50);

/** Goertzel power of `frequency` in `frame` (8 kHz), normalised by frame energy. */
function toneShare(frame: Int16Array, frequency: number, energy: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / 8000);
  let s1 = 0;
  let s2 = 0;
  for (const x of frame) {
    const s0 = x + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  // A pure tone puts about N/2 times the frame energy into its Goertzel bin.
  return energy === 0 ? 0 : power / ((frame.length / 2) * energy);
}

/**
 * Finds the voicemail beep: a steady single tone of 400–2 000 Hz lasting at least `minMs`
 * (Goertzel over 20 ms frames; speech never holds one frequency that long with that purity).
 */
export class BeepDetector {
  readonly #minFrames: number;
  #run = 0;
  #runFrequency = 0;
  #frames = 0;

  constructor(minMs = 160) {
    this.#minFrames = Math.max(1, Math.round(minMs / 20));
  }

  /** Feed one 20 ms frame; returns the audio time (ms) the beep ended when one just ended, else undefined. */
  push(frame: Int16Array): number | undefined {
    this.#frames++;
    if (frame.length !== FRAME) return undefined;
    let energy = 0;
    for (const x of frame) energy += x * x;
    const rms = Math.sqrt(energy / frame.length);
    let best = 0;
    let bestShare = 0;
    if (rms > 300) {
      for (const f of FREQUENCIES) {
        const share = toneShare(frame, f, energy);
        if (share > bestShare) {
          bestShare = share;
          best = f;
        }
      }
    }
    const tonal = bestShare > 0.6 && (this.#run === 0 || Math.abs(best - this.#runFrequency) <= 50);
    if (tonal) {
      if (this.#run === 0) this.#runFrequency = best;
      this.#run++;
      return undefined;
    }
    const ended = this.#run >= this.#minFrames;
    this.#run = 0;
    return ended ? (this.#frames - 1) * 20 : undefined;
  }
}
