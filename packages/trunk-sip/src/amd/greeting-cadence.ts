import type { AmdOptions } from './amd-options';
import type { FrameClass } from './voice-gate';

/** 20 ms frames. */
const FRAME_MS = 20;

/** What one frame changed in the cadence of the first greeting. */
export type CadenceEvent =
  /** The greeting has run past `machineGreetingMs` of voiced audio without a pause that ends it. */
  | 'long-greeting'
  /** A pause of `earlyHumanSilenceMs` after the greeting: a person waiting for a reply, perhaps. */
  | 'pause'
  /** A pause of `afterGreetingSilenceMs`: the greeting is over. */
  | 'greeting-ended'
  | undefined;

/**
 * The cadence of the first greeting over a voice gate's frame classes: when the first word
 * started, how much of the greeting was voiced (pauses shorter than `afterGreetingSilenceMs` do
 * not end it), and how long the current silence is. Blips shorter than `minWordMs` (a noise
 * burst, a babble peak) neither start a word nor end a silence; lost packets continue whatever
 * was going on (concealment), so a word is not split.
 */
export class GreetingCadence {
  readonly #options: AmdOptions;
  #audioMs = 0;
  #voicedRun = 0;
  #silenceRun = 0;
  #inWord = false;
  #startMs: number | undefined;
  #voicedMs = 0;
  #paused = false;

  constructor(options: AmdOptions) {
    this.#options = options;
  }

  /** Audio time the first word started, once one did. */
  get startMs(): number | undefined {
    return this.#startMs;
  }

  /** Voiced audio in the greeting so far, ms. */
  get voicedMs(): number {
    return this.#voicedMs;
  }

  /** The silence running now, ms (0 while someone speaks). */
  get silenceMs(): number {
    return this.#silenceRun;
  }

  /** Feed one frame's class; returns what it changed. */
  push(kind: FrameClass): CadenceEvent {
    this.#audioMs += FRAME_MS;
    if (kind === 'lost') {
      if (this.#voicedRun > 0 && this.#silenceRun === 0) return this.#voiced();
      if (this.#startMs !== undefined || this.#silenceRun > 0) this.#silenceRun += FRAME_MS;
    } else if (kind === 'voice') {
      return this.#voiced();
    } else {
      this.#silenceRun += FRAME_MS;
      if (!this.#inWord) this.#voicedRun = 0;
      if (this.#silenceRun >= this.#options.betweenWordsSilenceMs) {
        this.#inWord = false;
        this.#voicedRun = 0;
      }
    }
    if (this.#startMs === undefined || this.#silenceRun === 0) return undefined;
    if (this.#silenceRun >= this.#options.afterGreetingSilenceMs) return 'greeting-ended';
    if (!this.#paused && this.#silenceRun >= this.#options.earlyHumanSilenceMs) {
      this.#paused = true;
      return 'pause';
    }
    return undefined;
  }

  #voiced(): CadenceEvent {
    const o = this.#options;
    this.#voicedRun += FRAME_MS;
    if (this.#voicedRun < o.minWordMs && !this.#inWord) {
      if (this.#silenceRun > 0) this.#silenceRun += FRAME_MS;
      return undefined;
    }
    if (this.#silenceRun > 0 && !this.#inWord && this.#startMs !== undefined) {
      // The word's first frames were counted as silence above; they were voice.
      this.#voicedMs += this.#voicedRun - FRAME_MS;
    }
    this.#silenceRun = 0;
    this.#paused = false;
    if (this.#startMs !== undefined) this.#voicedMs += FRAME_MS;
    if (!this.#inWord && this.#voicedRun >= o.minWordMs) {
      this.#inWord = true;
      if (this.#startMs === undefined) {
        this.#startMs = this.#audioMs - this.#voicedRun;
        this.#voicedMs = this.#voicedRun;
      }
    }
    return this.#voicedMs >= o.machineGreetingMs ? 'long-greeting' : undefined;
  }
}
