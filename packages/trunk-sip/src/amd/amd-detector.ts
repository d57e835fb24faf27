import { type AmdOptions, resolveAmdOptions } from './amd-options';
import type { AmdDecision, AmdRevision } from './amd-result';
import { BeepDetector } from './beep-detector';
import { type FrameClass, VoiceGate } from './voice-gate';

/** 20 ms of 8 kHz audio. */
const FRAME_SAMPLES = 160;
const FRAME_MS = 20;

/**
 * What classifies 20 ms frames as voice, silence or lost. The default is {@link VoiceGate}; the
 * bench plugs in others (the WebRTC VAD) to compare them on the same cadence logic.
 */
export interface FrameClassifier {
  push(frame: Int16Array): FrameClass;
}

/** Callbacks of {@link AmdDetector}; never throw from them (they run inside audio handling). */
export interface AmdListeners {
  /** Every beep heard, at the audio time (ms) it ended. */
  readonly onBeep?: (atMs: number) => void;
  /** A beep after a `human` or `unknown` decision: the call was a machine after all. */
  readonly onRevised?: (revision: AmdRevision) => void;
}

/**
 * Answering-machine detection on 8 kHz audio by cadence over a voice gate with an adaptive
 * noise floor, plus a beep detector that runs over the whole call. A person says a greeting and
 * waits; a machine talks on, or ends its greeting with a beep. Feed received audio with
 * {@link push}; it decides once (human / machine / unknown) and keeps listening for a beep for
 * `beepListenMs`: a beep after a `human` decision is reported as a revision.
 *
 * ```
 *  initial silence ──voice──▶ greeting ──silence ≥ afterGreetingSilence──▶ human ──beep──▶ (revised) machine
 *        │                       ├── voiced ≥ machineGreetingMs ──▶ machine
 *        │                       └── beep ──▶ machine
 *        └── ≥ initialSilenceMs / audio ≥ totalAnalysisMs ──▶ unknown ──beep──▶ (revised) machine
 * ```
 */
export class AmdDetector {
  readonly #options: AmdOptions;
  readonly #listeners: AmdListeners;
  readonly #gate: FrameClassifier;
  readonly #beeps: BeepDetector;
  readonly #pending = new Int16Array(FRAME_SAMPLES);
  #pendingLength = 0;
  #audioMs = 0;
  #voicedRun = 0;
  #silenceRun = 0;
  #inWord = false;
  #greetingStartMs: number | undefined;
  #greetingVoicedMs = 0;
  #decision: AmdDecision | undefined;
  #revision: AmdRevision | undefined;

  /**
   * `listeners` may be a bare function: it is then `onBeep` (the older signature). `gate`
   * replaces the energy voice gate (for comparisons; the default measured best).
   */
  constructor(options: Partial<AmdOptions> = {}, listeners: AmdListeners | ((atMs: number) => void) = {}, gate?: FrameClassifier) {
    this.#options = resolveAmdOptions(options);
    this.#listeners = typeof listeners === 'function' ? { onBeep: listeners } : listeners;
    this.#gate =
      gate ??
      new VoiceGate({
        marginDb: this.#options.voiceMarginDb,
        minVoiceDbfs: this.#options.minVoiceDbfs,
        windowFrames: Math.round(this.#options.noiseWindowMs / FRAME_MS),
      });
    this.#beeps = new BeepDetector(this.#options.minBeepMs);
  }

  /** The decision, once made. */
  get decision(): AmdDecision | undefined {
    return this.#decision;
  }

  /** The revision to `machine` (a late beep), if one happened. */
  get revision(): AmdRevision | undefined {
    return this.#revision;
  }

  /** What the call was in the end: the revision's `machine` if there was one, else the decision. */
  get finalResult(): AmdDecision['result'] | undefined {
    return this.#revision ? 'machine' : this.#decision?.result;
  }

  /** Milliseconds of audio analysed so far. */
  get audioMs(): number {
    return this.#audioMs;
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
    return this.#decision ?? this.#decide('unknown', 'budget', this.#audioMs);
  }

  #frame(frame: Int16Array): AmdDecision | undefined {
    this.#audioMs += FRAME_MS;
    const o = this.#options;
    if (!o.enabled) return this.#decision ? undefined : this.#decide('unknown', 'disabled', this.#audioMs);
    if (this.#audioMs <= o.beepListenMs && !this.#revision) {
      const beepEnd = this.#beeps.push(frame);
      if (beepEnd !== undefined) {
        this.#listeners.onBeep?.(beepEnd);
        if (!this.#decision) return this.#decide('machine', 'beep', beepEnd);
        if (this.#decision.result !== 'machine') {
          this.#revision = { result: 'machine', reason: 'late-beep', beepEndedAtMs: beepEnd, previous: this.#decision };
          this.#listeners.onRevised?.(this.#revision);
        }
      }
    }
    const kind = this.#gate.push(frame);
    if (this.#decision) return undefined;
    if (kind === 'lost') {
      // A lost packet: keep the run going as it was (concealment), so a word is not split.
      if (this.#voicedRun > 0 && this.#silenceRun === 0) this.#voiced(o);
      else if (this.#greetingStartMs !== undefined || this.#silenceRun > 0) this.#silenceRun += FRAME_MS;
    } else if (kind === 'voice') {
      const decided = this.#voiced(o);
      if (decided) return decided;
    } else {
      this.#silenceRun += FRAME_MS;
      if (!this.#inWord) this.#voicedRun = 0;
      if (this.#silenceRun >= o.betweenWordsSilenceMs) {
        this.#inWord = false;
        this.#voicedRun = 0;
      }
    }
    if (this.#silenceRun > 0) {
      if (this.#greetingStartMs === undefined) {
        if (this.#audioMs >= o.initialSilenceMs) return this.#decide('unknown', 'initial-silence', this.#audioMs);
      } else if (this.#silenceRun >= o.afterGreetingSilenceMs) {
        return this.#decide('human', 'after-greeting-silence', this.#audioMs - this.#silenceRun);
      }
    }
    if (this.#audioMs >= o.totalAnalysisMs) return this.#decide('unknown', 'budget', this.#audioMs);
    return undefined;
  }

  #voiced(o: AmdOptions): AmdDecision | undefined {
    this.#voicedRun += FRAME_MS;
    // A blip shorter than a word (a noise burst, a babble peak) does not end a silence.
    if (this.#voicedRun < o.minWordMs && !this.#inWord) {
      if (this.#silenceRun > 0) this.#silenceRun += FRAME_MS;
      return undefined;
    }
    if (this.#silenceRun > 0 && !this.#inWord && this.#greetingStartMs !== undefined) {
      // The word's first frames were counted as silence above; they were voice.
      this.#greetingVoicedMs += this.#voicedRun - FRAME_MS;
    }
    this.#silenceRun = 0;
    if (this.#greetingStartMs !== undefined) this.#greetingVoicedMs += FRAME_MS;
    if (!this.#inWord && this.#voicedRun >= o.minWordMs) {
      this.#inWord = true;
      if (this.#greetingStartMs === undefined) {
        this.#greetingStartMs = this.#audioMs - this.#voicedRun;
        this.#greetingVoicedMs = this.#voicedRun;
      }
    }
    if (this.#greetingVoicedMs >= o.machineGreetingMs) return this.#decide('machine', 'long-greeting', this.#audioMs);
    return undefined;
  }

  #decide(result: AmdDecision['result'], reason: AmdDecision['reason'], greetingEndedAtMs: number): AmdDecision {
    this.#decision = { result, reason, decidedAtMs: this.#audioMs, greetingEndedAtMs };
    return this.#decision;
  }
}

/** What {@link detectAnsweringMachine} found over a whole recording. */
export interface AmdRun extends AmdDecision {
  /** The revision to `machine` by a later beep, if any. */
  readonly revision: AmdRevision | undefined;
  /** `machine` if revised, else the decision's result. */
  readonly finalResult: AmdDecision['result'];
}

/** Run the detector over a whole recording (bench and tests); `unknown` if it never decides. */
export function detectAnsweringMachine(samples: Int16Array, options: Partial<AmdOptions> = {}, gate?: FrameClassifier): AmdRun {
  const detector = new AmdDetector(options, {}, gate);
  detector.push(samples);
  const decision = detector.decision ?? detector.finish();
  return { ...decision, revision: detector.revision, finalResult: detector.revision ? 'machine' : decision.result };
}
