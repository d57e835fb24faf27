import { type AmdOptions, DEFAULT_AMD_OPTIONS } from './amd-options';
import type { AmdDecision } from './amd-result';
import { BeepDetector } from './beep-detector';

/** 20 ms of 8 kHz audio. */
const FRAME_SAMPLES = 160;
const FRAME_MS = 20;

/**
 * Answering-machine detection on 8 kHz audio by energy and cadence: a person says a short
 * greeting ("Hello?") and waits; a machine talks on. Feed received audio with {@link push};
 * it decides once, human / machine / unknown, within `totalAnalysisMs` of audio. After a
 * machine decision it keeps listening for the beep (`onBeep`).
 *
 * ```
 *  initial silence ──voice──▶ greeting ──silence ≥ afterGreetingSilence──▶ human
 *        │                       ├── voice ≥ greetingMs / words ≥ maxWords / word ≥ maxWordMs ──▶ machine
 *        └── ≥ initialSilenceMs ─┴── audio ≥ totalAnalysisMs ──▶ unknown
 * ```
 */
export class AmdDetector {
  readonly #o: AmdOptions;
  readonly #beeps = new BeepDetector();
  readonly #onBeep: ((atMs: number) => void) | undefined;
  readonly #pending = new Int16Array(FRAME_SAMPLES);
  #pendingLength = 0;
  #t = 0;
  #noiseFloor: number;
  #voicedRun = 0;
  #silenceRun = 0;
  #inWord = false;
  #words = 0;
  #greetingStart: number | undefined;
  #greetingVoicedMs = 0;
  #decision: AmdDecision | undefined;

  constructor(options: Partial<AmdOptions> = {}, onBeep?: (atMs: number) => void) {
    this.#o = { ...DEFAULT_AMD_OPTIONS, ...options };
    this.#noiseFloor = this.#o.silenceThreshold / this.#o.noiseFloorRatio;
    this.#onBeep = onBeep;
  }

  /** The decision, once made. */
  get decision(): AmdDecision | undefined {
    return this.#decision;
  }

  /** Milliseconds of audio analysed so far. */
  get audioMs(): number {
    return this.#t;
  }

  /** Feed decoded samples (any length); returns the decision on the call that makes it. */
  push(samples: Int16Array): AmdDecision | undefined {
    let decided: AmdDecision | undefined;
    let i = 0;
    while (i < samples.length) {
      const take = Math.min(FRAME_SAMPLES - this.#pendingLength, samples.length - i);
      this.#pending.set(samples.subarray(i, i + take), this.#pendingLength);
      this.#pendingLength += take;
      i += take;
      if (this.#pendingLength < FRAME_SAMPLES) break;
      this.#pendingLength = 0;
      decided = this.#frame(this.#pending) ?? decided;
    }
    return decided;
  }

  /** Decide now with what was heard (the caller's budget ran out): `unknown` unless already decided. */
  finish(): AmdDecision {
    return this.#decision ?? this.#decide('unknown', 'budget', this.#t);
  }

  #frame(frame: Int16Array): AmdDecision | undefined {
    this.#t += FRAME_MS;
    if (this.#decision) {
      if (this.#decision.result === 'machine' && this.#t - this.#decision.decidedAtMs <= this.#o.beepListenMs) {
        const beepEnd = this.#beeps.push(frame);
        if (beepEnd !== undefined) this.#onBeep?.(beepEnd);
      }
      return undefined;
    }
    this.#beeps.push(frame);
    const o = this.#o;
    let energy = 0;
    for (const x of frame) energy += x * x;
    const rms = Math.sqrt(energy / frame.length);
    const threshold = Math.max(o.silenceThreshold, this.#noiseFloor * o.noiseFloorRatio);
    const voiced = rms > threshold;
    if (!voiced) this.#noiseFloor += (rms - this.#noiseFloor) * 0.05;

    if (voiced) {
      this.#silenceRun = 0;
      this.#voicedRun += FRAME_MS;
      if (this.#greetingStart !== undefined) this.#greetingVoicedMs += FRAME_MS;
      if (!this.#inWord && this.#voicedRun >= o.minWordMs) {
        this.#inWord = true;
        this.#words++;
        if (this.#greetingStart === undefined) {
          this.#greetingStart = this.#t - this.#voicedRun;
          this.#greetingVoicedMs = this.#voicedRun;
        }
        if (this.#words >= o.maxWords) return this.#decide('machine', 'max-words', this.#t);
      }
      if (this.#inWord && this.#voicedRun >= o.maxWordMs) return this.#decide('machine', 'long-word', this.#t);
    } else {
      this.#silenceRun += FRAME_MS;
      if (this.#silenceRun >= o.betweenWordsSilenceMs) {
        this.#inWord = false;
        this.#voicedRun = 0;
      }
      if (this.#greetingStart === undefined) {
        if (this.#silenceRun >= o.initialSilenceMs) return this.#decide('unknown', 'initial-silence', this.#t);
      } else if (this.#silenceRun >= o.afterGreetingSilenceMs) {
        return this.#decide('human', 'after-greeting-silence', this.#t - this.#silenceRun);
      }
    }
    if (this.#greetingVoicedMs >= o.greetingMs) {
      return this.#decide('machine', 'long-greeting', this.#t);
    }
    if (this.#t >= o.totalAnalysisMs) return this.#decide('unknown', 'budget', this.#t);
    return undefined;
  }

  #decide(result: AmdDecision['result'], reason: AmdDecision['reason'], greetingEndedAtMs: number): AmdDecision {
    this.#decision = { result, reason, decidedAtMs: this.#t, greetingEndedAtMs };
    return this.#decision;
  }
}

/** Run the detector over a whole recording (bench and tests); `unknown` if it never decides. */
export function detectAnsweringMachine(samples: Int16Array, options: Partial<AmdOptions> = {}): AmdDecision {
  const detector = new AmdDetector(options);
  return detector.push(samples) ?? detector.finish();
}
