/** 20 ms frames at 8 kHz. */
const FRAME = 160;
/**
 * Candidate tone frequencies (Hz): voicemail beeps sit between 400 and 2 000 Hz; the grid runs
 * 250 Hz beyond on each side for the sideband test. A 20 ms Hann-windowed bin is 50 Hz apart
 * with a ±100 Hz main lobe, so a 25 Hz grid keeps any tone within a quarter bin (≈ 0.4 dB lost).
 */
const STEP_HZ = 25;
const GRID = Array.from({ length: 81 }, (_, i) => 150 + i * STEP_HZ);
const COEFFICIENTS = GRID.map((f) => 2 * Math.cos((2 * Math.PI * f) / 8000));
const HANN = Float64Array.from({ length: FRAME }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FRAME));
/** Frames quieter than this (RMS, 16-bit) are not looked at: −50 dBFS. */
const MIN_RMS = 104;
/** Share of the frame's energy in the peak bin to call it a tone (a pure tone gives ≈ 0.9–1). */
const MIN_SHARE = 0.45;
/**
 * A tone has nothing beside it; a voiced speech frame whose energy sits in one harmonic still has
 * the neighbouring harmonics at f ± F0 (F0 ≈ 80–300 Hz). Bins 125–400 Hz away must stay this far
 * below the peak (Hann sidelobes are −31 dB, so a pure tone passes even in moderate noise).
 */
const MAX_SIDEBAND_RATIO = 0.06;

/** A beep holds its pitch: frame-to-frame estimates stay this close to the first (speech glides). */
const MAX_DRIFT_HZ = 8;

/**
 * A beep holds its level too: the frames inside it (not the first and last, which a beep may
 * fill only in part) stay within this many dB. A nasal murmur or a low harmonic of a monotone
 * voice ("mm", festival's diphone voice, 300–450 Hz after the telephone high-pass) can be as
 * pure and steady in pitch as a 400 Hz beep for 120 ms, but its level swings by 3–6 dB.
 * Measured on the tune half of the corpus (issue 17, corpus v4): this removed both beeps heard
 * in people's speech and lost no real beep.
 */
const MAX_LEVEL_SPREAD_DB = 2.5;

/**
 * Hann-windowed Goertzel power at one frequency (`coefficient` = 2·cos(2πf/8000)), as a share of
 * the frame energy (≈ 1 for a pure tone on the frequency).
 */
function goertzelShare(frame: Int16Array, coefficient: number, energy: number): number {
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < FRAME; i++) {
    const s0 = (frame[i] as number) * (HANN[i] as number) + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  // A Hann-windowed tone of amplitude A gives |X|² = A²N²/16 against an energy of A²N/2.
  return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / ((FRAME / 8) * energy);
}

/** The share of one frequency (off the grid: the harmonics test). */
function shareAt(frame: Int16Array, frequency: number, energy: number): number {
  return goertzelShare(frame, 2 * Math.cos((2 * Math.PI * frequency) / 8000), energy);
}

/** The share of every grid frequency. */
function shares(frame: Int16Array, energy: number, out: Float64Array): void {
  for (let k = 0; k < COEFFICIENTS.length; k++) out[k] = goertzelShare(frame, COEFFICIENTS[k] as number, energy);
}

/**
 * Finds the voicemail beep: one steady tone of 400–2 000 Hz holding most of the frame energy
 * for at least `minMs` (speech never holds one frequency that long with that purity; its
 * energy spreads over harmonics and formants). One lost or mixed frame inside a tone is
 * bridged, so a beep crossing a lost packet still counts.
 */
export class BeepDetector {
  readonly #minFrames: number;
  #run = 0;
  #runFrequency = 0;
  #gap = 0;
  #frames = 0;
  /** Levels (dB) of the tone frames of the current run. */
  #levels: number[] = [];
  readonly #shares = new Float64Array(GRID.length);

  /** `minMs`: shortest beep to accept; frames are 20 ms, so a beep must fill `minMs − 20` ms of whole frames. */
  constructor(minMs = 120) {
    this.#minFrames = Math.max(2, Math.floor((minMs - 20) / 20));
  }

  /** Feed one 20 ms frame; returns the audio time (ms) the beep ended when one just ended, else undefined. */
  push(frame: Int16Array): number | undefined {
    this.#frames++;
    if (frame.length !== FRAME) return undefined;
    let energy = 0;
    for (const x of frame) energy += x * x;
    const rms = Math.sqrt(energy / frame.length);
    let best = -1;
    let bestShare = 0;
    let frequency = 0;
    if (rms > MIN_RMS) {
      shares(frame, energy, this.#shares);
      for (let k = 0; k < GRID.length; k++) {
        const f = GRID[k] as number;
        const share = this.#shares[k] as number;
        if (f >= 400 && f <= 2_000 && share > bestShare) {
          bestShare = share;
          best = k;
        }
      }
      if (best >= 0 && bestShare > MIN_SHARE) {
        let side = 0;
        for (let k = 0; k < GRID.length; k++) {
          const distance = Math.abs(k - best) * STEP_HZ;
          if (distance >= 125 && distance <= 400) side = Math.max(side, this.#shares[k] as number);
        }
        // Quadratic interpolation of the peak (log domain) gives the frequency to a few Hz.
        const left = Math.log((this.#shares[best - 1] as number) + 1e-9);
        const centre = Math.log(bestShare + 1e-9);
        const right = Math.log((this.#shares[best + 1] as number) + 1e-9);
        const denominator = left - 2 * centre + right;
        frequency = (GRID[best] as number) + (denominator < 0 ? (0.5 * (left - right) * STEP_HZ) / denominator : 0);
        // A voice whose fundamental (or one harmonic) carries the frame still has other harmonics.
        for (const ratio of [0.5, 1.5, 2]) {
          const harmonic = frequency * ratio;
          if (harmonic >= 150 && harmonic <= 3_400) side = Math.max(side, shareAt(frame, harmonic, energy));
        }
        if (side > bestShare * MAX_SIDEBAND_RATIO) bestShare = 0;
      }
    }
    const tonal = bestShare > MIN_SHARE && (this.#run === 0 || Math.abs(frequency - this.#runFrequency) <= MAX_DRIFT_HZ);
    if (tonal) {
      if (this.#run === 0) {
        this.#runFrequency = frequency;
        this.#levels = [];
      }
      this.#levels.push(10 * Math.log10(energy + 1));
      this.#run++;
      this.#gap = 0;
      return undefined;
    }
    if (this.#run > 0 && this.#gap === 0 && rms <= MIN_RMS) {
      // Bridge one silent frame (a lost packet) inside a tone.
      this.#gap = 1;
      return undefined;
    }
    const inside = this.#levels.slice(1, -1);
    const steady = inside.length === 0 || Math.max(...inside) - Math.min(...inside) <= MAX_LEVEL_SPREAD_DB;
    const ended = this.#run >= this.#minFrames && steady;
    const endFrames = this.#frames - 1 - this.#gap;
    this.#run = 0;
    this.#gap = 0;
    this.#levels = [];
    return ended ? endFrames * 20 : undefined;
  }
}
