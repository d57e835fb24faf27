import { PacelineError } from '@paceline/core';
import { MachinePhraseMatcher, type MachinePhraseOptions, normaliseWords, type PhraseMatch } from './machine-phrases';
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
  transcribe(samples: Int16Array): Promise<{
    readonly text: string;
    readonly alternatives?: readonly string[];
    readonly computeMs?: number;
    /**
     * issue-17 old: the recogniser gave up (`@paceline/amd-words`: its worker hung past
     * `requestTimeoutMs`); the text is empty and the greeting counts as no evidence, so no
     * forced scoring is asked either.
     */
    readonly timedOut?: boolean;
  }>;
  /**
   * Optional (issue-17 f2): how likely the recogniser finds each phrase in the audio, asked
   * directly (forced decoding), for the phrases no reading held. `margin`: the phrase's
   * log-likelihood minus what the recogniser's own reading scores at the same point (≥ 0: as
   * likely as what it heard). `@paceline/amd-words` implements it.
   */
  scorePhrases?(
    samples: Int16Array,
    phrases: readonly string[],
  ): Promise<{
    readonly scores: readonly { readonly phrase: string; readonly logProb: number; readonly margin: number }[];
    readonly computeMs?: number;
  }>;
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
  /**
   * issue-17 f2: the key phrases asked of the recogniser directly (forced scoring) when no reading
   * held a phrase and the transcriber can score phrases. Default {@link DEFAULT_FORCED_PHRASES};
   * `[]` switches forced scoring off.
   */
  readonly forcedPhrases?: readonly string[];
  /**
   * issue-17 f2: a forced phrase counts when its `margin` (log-likelihood minus the recogniser's
   * own reading's at the same point, natural log) is at least this. Default −6, chosen on the
   * tune half of the AMD corpus (its people reach −10.6, its machines −5.7 and above).
   */
  readonly minForcedMargin?: number;
  /**
   * issue-17 f2: play rates the greeting is also scored at, besides 1 (each > 1 plays it slower
   * and lower: `1.2` makes a 230 Hz voice 192 Hz), the best margin per phrase counting. The tiny
   * model mishears some high (female, synthetic) voices that it hears when lowered. Each rate
   * costs one more forced scoring. Default {@link DEFAULT_FORCED_SLOWDOWNS} (`[1.2]`, issue-17
   * old: checked safe for people on the tune half of the AMD corpus); `[]` scores only the
   * greeting as heard.
   */
  readonly forcedSlowdowns?: readonly number[];
}

/**
 * issue-17 f2: the key phrases scored by forced decoding: few, and ones people answering a call
 * do not say (not "take a message", "not available", "get back to you").
 */
export const DEFAULT_FORCED_PHRASES: readonly string[] = ['leave a message', 'leave your message', 'after the tone', 'after the beep'];

/**
 * issue-17 old: the play rates forced scoring also runs at by default: the greeting 20% slower
 * and lower, where the tiny model hears short key phrases in high voices it mishears at 1×
 * ("… snee my marriage" → "… leave my man"). The rate came from the old corpus's miss; the tune half
 * showed only that it is safe for people (see docs/trunks.md).
 */
export const DEFAULT_FORCED_SLOWDOWNS: readonly number[] = [1.2];

/** What the words stage found in one greeting. */
export interface GreetingWordsVerdict {
  /** A machine phrase was heard: the call is a machine. */
  readonly machine: boolean;
  /** The transcript (may hold a name: never log it). */
  readonly text: string;
  /** The recogniser's other readings, if it gave any. */
  readonly alternatives: readonly string[];
  /** The phrase that matched, when one did (`forced` set when forced scoring found it, not a reading). */
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
  /** issue-17 f2: phrases scored by forced decoding. */
  readonly forcedPhrases: readonly string[];
  /** issue-17 f2: the margin a forced phrase needs. */
  readonly minForcedMargin: number;
  /** issue-17 f2: extra play rates forced scoring runs at. */
  readonly forcedSlowdowns: readonly number[];

  /** Throws `E_INVALID_CONFIG` naming the setting for bad phrases or durations. */
  constructor(transcriber: GreetingTranscriber, options: GreetingWordsOptions = {}) {
    this.#transcriber = transcriber;
    this.#matcher = new MachinePhraseMatcher(options);
    this.endSilenceMs = checkedMs('endSilenceMs', options.endSilenceMs ?? 2_000, 200, 10_000);
    this.maxGreetingMs = checkedMs('maxGreetingMs', options.maxGreetingMs ?? 10_000, 1_000, 30_000);
    this.forcedPhrases = (options.forcedPhrases ?? DEFAULT_FORCED_PHRASES).map((p, i) => {
      const normal = normaliseWords(p);
      if (normal.length === 0) {
        throw new PacelineError('E_INVALID_CONFIG', `amdWords.forcedPhrases[${i}]: expected some words, got ${JSON.stringify(p)}`, {
          field: `amdWords.forcedPhrases[${i}]`,
        });
      }
      return normal;
    });
    this.minForcedMargin = options.minForcedMargin ?? -6;
    if (!Number.isFinite(this.minForcedMargin) || this.minForcedMargin < -20 || this.minForcedMargin > 20) {
      throw new PacelineError('E_INVALID_CONFIG', `amdWords.minForcedMargin: expected −20 to 20, got ${this.minForcedMargin}`, {
        field: 'amdWords.minForcedMargin',
      });
    }
    this.forcedSlowdowns = (options.forcedSlowdowns ?? DEFAULT_FORCED_SLOWDOWNS).map((rate, i) => {
      if (!Number.isFinite(rate) || rate < 1 || rate > 1.5) {
        throw new PacelineError('E_INVALID_CONFIG', `amdWords.forcedSlowdowns[${i}]: expected 1 to 1.5, got ${rate}`, {
          field: `amdWords.forcedSlowdowns[${i}]`,
        });
      }
      return rate;
    });
  }

  /** The phrase matcher in use. */
  get matcher(): MachinePhraseMatcher {
    return this.#matcher;
  }

  /** Transcribe `greeting` (8 kHz) and look for machine phrases. Rejects only if the transcriber does. */
  async check(greeting: Int16Array): Promise<GreetingWordsVerdict> {
    const { text, alternatives = [], computeMs, timedOut } = await this.#transcriber.transcribe(greeting);
    let match = this.matchAny(text, alternatives);
    let spent = computeMs ?? 0;
    // issue-17 f2: no reading held a phrase: ask the recogniser about the key phrases directly
    // (issue-17 old: not after a timed-out transcription: no evidence, and no second wait).
    if (!match && !timedOut && this.#transcriber.scorePhrases && this.forcedPhrases.length > 0) {
      const scores: { phrase: string; logProb: number; margin: number }[] = [];
      for (const rate of [1, ...this.forcedSlowdowns]) {
        const forced = await this.#transcriber.scorePhrases(rate === 1 ? greeting : slowDown(greeting, rate), this.forcedPhrases);
        spent += forced.computeMs ?? 0;
        scores.push(...forced.scores);
      }
      match = this.forcedMatch(scores);
    }
    return { machine: match !== undefined, text, alternatives, match, computeMs: spent, audioMs: greeting.length / 8 };
  }

  /** issue-17 f2: the forced phrase with the best margin, if it reaches `minForcedMargin`. */
  forcedMatch(
    scores: readonly { readonly phrase: string; readonly logProb: number; readonly margin: number }[],
    minMargin = this.minForcedMargin,
  ): PhraseMatch | undefined {
    let best: (typeof scores)[number] | undefined;
    for (const s of scores) if (s.margin >= minMargin && (!best || s.margin > best.margin)) best = s;
    return best && { phrase: best.phrase, heard: '', edits: 0, forced: { logProb: best.logProb, margin: best.margin } };
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

/** issue-17 f2: `samples` played `rate` times slower (and lower), by linear interpolation. */
export function slowDown(samples: Int16Array, rate: number): Int16Array {
  const out = new Int16Array(Math.floor(samples.length * rate));
  for (let i = 0; i < out.length; i++) {
    const at = i / rate;
    const j = Math.floor(at);
    const a = samples[j] ?? 0;
    const b = samples[j + 1] ?? a;
    out[i] = Math.round(a + (b - a) * (at - j));
  }
  return out;
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
