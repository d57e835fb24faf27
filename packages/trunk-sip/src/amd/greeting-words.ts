import { PacelineError } from '@paceline/core';
import { MachinePhraseMatcher, type MachinePhraseOptions, type PhraseMatch } from './machine-phrases';
import type { FrameClass } from './voice-gate';

/** 20 ms frames of 8 kHz audio. */
const FRAME_MS = 20;
const FRAME_SAMPLES = 160;

/**
 * Speech to text for one greeting: the port of the greeting-words stage. `@paceline/amd-words`
 * implements it with the Moonshine tiny English model; a host may plug in any other. Must not
 * throw synchronously; a rejected promise only means the words are not used.
 */
export interface GreetingTranscriber {
  /**
   * Transcribe 8 kHz 16-bit mono audio: the likeliest reading, and optionally other readings
   * the recogniser kept (an n-best list), searched for phrases too.
   */
  transcribe(
    samples: Int16Array,
  ): Promise<{ readonly text: string; readonly alternatives?: readonly string[]; readonly computeMs?: number }>;
}

/** Settings of {@link GreetingWords}. */
export interface GreetingWordsOptions extends MachinePhraseOptions {
  /**
   * Silence that ends the greeting for the words stage (longer than the cadence's
   * `afterGreetingSilenceMs`, so a greeting that opens like a person, "Hello? … This is Jo,
   * leave a message", is heard whole). Default 2 000 ms.
   */
  readonly endSilenceMs?: number;
  /** Transcribe at most this much of the greeting (ms from its first voice). Default 10 000. */
  readonly maxGreetingMs?: number;
}

/** What the words stage found in one greeting. */
export interface GreetingWordsVerdict {
  /** A machine phrase was heard: the call is a machine. */
  readonly machine: boolean;
  /** The transcript (may hold a name: never log it). */
  readonly text: string;
  /** The recogniser's other readings, if it gave any. */
  readonly alternatives: readonly string[];
  /** The phrase that matched, when one did. */
  readonly match: PhraseMatch | undefined;
  /** What the transcriber reported it spent, ms. */
  readonly computeMs: number;
  /** Audio transcribed, ms. */
  readonly audioMs: number;
}

/**
 * The optional greeting-words stage of answering-machine detection: transcribes a greeting the
 * cadence stage called a person (or could not decide) and looks for voicemail phrases ("leave a
 * message", "after the tone", "not available", …) with fuzzy matching. Only a phrase can turn a
 * call into a machine; nothing the recogniser says makes a machine a person. Inject it into
 * {@link AmdDetector}; the detector works without it.
 */
export class GreetingWords {
  readonly #transcriber: GreetingTranscriber;
  readonly #matcher: MachinePhraseMatcher;
  /** Silence that ends the greeting, ms. */
  readonly endSilenceMs: number;
  /** Longest greeting kept, ms. */
  readonly maxGreetingMs: number;

  /** Throws `E_INVALID_CONFIG` naming the setting for bad phrases or durations. */
  constructor(transcriber: GreetingTranscriber, options: GreetingWordsOptions = {}) {
    this.#transcriber = transcriber;
    this.#matcher = new MachinePhraseMatcher(options);
    this.endSilenceMs = checkedMs('endSilenceMs', options.endSilenceMs ?? 2_000, 200, 10_000);
    this.maxGreetingMs = checkedMs('maxGreetingMs', options.maxGreetingMs ?? 10_000, 1_000, 30_000);
  }

  /** The phrase matcher in use. */
  get matcher(): MachinePhraseMatcher {
    return this.#matcher;
  }

  /** Transcribe `greeting` (8 kHz) and look for machine phrases. Rejects only if the transcriber does. */
  async check(greeting: Int16Array): Promise<GreetingWordsVerdict> {
    const { text, alternatives = [], computeMs } = await this.#transcriber.transcribe(greeting);
    const match = this.matchAny(text, alternatives);
    return { machine: match !== undefined, text, alternatives, match, computeMs: computeMs ?? 0, audioMs: greeting.length / 8 };
  }

  /** The first phrase found in the likeliest reading, else in the other readings in order. */
  matchAny(text: string, alternatives: readonly string[] = [], matcher = this.#matcher): PhraseMatch | undefined {
    for (const reading of [text, ...alternatives]) {
      const match = matcher.match(reading);
      if (match) return match;
    }
    return undefined;
  }
}

function checkedMs(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new PacelineError('E_INVALID_CONFIG', `amdWords.${name}: expected ${min} to ${max} ms, got ${value}`, {
      field: `amdWords.${name}`,
    });
  }
  return value;
}

/**
 * Keeps the first greeting's audio for the words stage: from 200 ms before the first voiced
 * frame until `endSilenceMs` of silence (or lost packets) follow voice, or `maxGreetingMs`.
 */
export class GreetingRecorder {
  readonly #endSilenceFrames: number;
  readonly #buffer: Int16Array;
  #length = 0;
  #preRoll: Int16Array[] = [];
  #started = false;
  #silentFrames = 0;
  #done = false;
  #endMs = 0;
  #audioMs = 0;

  constructor(endSilenceMs: number, maxGreetingMs: number) {
    this.#endSilenceFrames = Math.ceil(endSilenceMs / FRAME_MS);
    this.#buffer = new Int16Array(Math.ceil((maxGreetingMs + 200) / FRAME_MS) * FRAME_SAMPLES);
  }

  /** The greeting is complete. */
  get done(): boolean {
    return this.#done;
  }

  /** Some voice was heard. */
  get started(): boolean {
    return this.#started;
  }

  /** Audio time the greeting ended (its last voiced frame), once done. */
  get endMs(): number {
    return this.#endMs;
  }

  /** The greeting heard, with at most 200 ms of the silence after it. */
  get greeting(): Int16Array {
    const trailing = Math.max(0, this.#silentFrames - 10) * FRAME_SAMPLES;
    return this.#buffer.subarray(0, Math.max(0, this.#length - trailing));
  }

  /** Feed one 20 ms frame and its class; true on the frame that completes the greeting. */
  push(frame: Int16Array, kind: FrameClass): boolean {
    this.#audioMs += FRAME_MS;
    if (this.#done) return false;
    if (!this.#started) {
      if (kind !== 'voice') {
        this.#preRoll.push(Int16Array.from(frame));
        if (this.#preRoll.length > 10) this.#preRoll.shift();
        return false;
      }
      this.#started = true;
      for (const f of this.#preRoll) this.#append(f);
      this.#preRoll = [];
    }
    this.#append(frame);
    this.#silentFrames = kind === 'voice' ? 0 : this.#silentFrames + 1;
    if (kind === 'voice') this.#endMs = this.#audioMs;
    if (this.#silentFrames >= this.#endSilenceFrames || this.#length + FRAME_SAMPLES > this.#buffer.length) this.finish();
    return this.#done;
  }

  /** End the greeting now (the audio ended). */
  finish(): void {
    if (!this.#done && this.#started && this.#silentFrames === 0) this.#endMs = this.#audioMs;
    this.#done = true;
  }

  #append(frame: Int16Array): void {
    const take = Math.min(frame.length, this.#buffer.length - this.#length);
    this.#buffer.set(frame.subarray(0, take), this.#length);
    this.#length += take;
  }
}
