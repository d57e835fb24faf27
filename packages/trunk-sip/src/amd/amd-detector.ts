import { type AmdOptions, resolveAmdOptions } from './amd-options';
import type { AmdDecision, AmdRevision } from './amd-result';
import { BeepDetector } from './beep-detector';
import { GreetingCadence } from './greeting-cadence';
import { GreetingRecorder, type GreetingWords, type GreetingWordsVerdict } from './greeting-words';
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
  /** The greeting-words stage's verdict, whatever it was (its `text` may hold a name: never log it). */
  readonly onWords?: (verdict: GreetingWordsVerdict) => void;
  /** The greeting-words stage failed (the transcriber rejected): the cadence decision stands. */
  readonly onWordsError?: (error: unknown) => void;
}

/**
 * Answering-machine detection on 8 kHz audio by cadence over a voice gate with an adaptive
 * noise floor, plus a beep detector that runs over the whole call. A person says a greeting and
 * waits; a machine talks on, or ends its greeting with a beep. Feed received audio with
 * {@link push}; it decides once (human / machine / unknown) and keeps listening: a beep for
 * `beepListenMs`, and, after a `human` decision made before the greeting ended (a short pause or
 * the `humanDeadlineMs` deadline), the rest of that greeting. Either can revise the call to a
 * machine ({@link AmdListeners.onRevised}).
 *
 * A person must not wait for a long greeting to end (the 2-second rule counts from the end of
 * the greeting, but people are connected only once decided), so by `humanDeadlineMs` a call
 * with someone speaking is connected as a person; a greeting that then runs on past
 * `machineGreetingMs` without a pause, or a beep, makes it a machine after all.
 *
 * ```
 *  initial silence ──voice──▶ greeting ──pause ≥ earlyHumanSilence / deadline──▶ human (provisional)
 *        │                       ├── voiced ≥ machineGreetingMs ──▶ machine        │  ├── pause ≥ afterGreetingSilence ──▶ human
 *        │                       └── beep ──▶ machine                              │  └── voiced ≥ machineGreetingMs ──▶ (revised) machine
 *        │                                                                         └── beep (any time) ──▶ (revised) machine
 *        └── ≥ initialSilenceMs / audio ≥ totalAnalysisMs ──▶ unknown ──beep──▶ (revised) machine
 * ```
 */
export class AmdDetector {
  readonly #options: AmdOptions;
  readonly #listeners: AmdListeners;
  readonly #gate: FrameClassifier;
  readonly #beeps: BeepDetector;
  readonly #cadence: GreetingCadence;
  readonly #pending = new Int16Array(FRAME_SAMPLES);
  #pendingLength = 0;
  #audioMs = 0;
  /** The first greeting is still followed (undecided, or a provisional `human`). */
  #following = true;
  #decision: AmdDecision | undefined;
  #revision: AmdRevision | undefined;
  /** When a message to this machine may start (after its beep, or the silence after its greeting). */
  #cueAtMs: number | undefined;
  #silenceSinceMachineMs = 0;
  #cueWaiters: ((atMs: number) => void)[] = [];
  readonly #words: GreetingWords | undefined;
  readonly #recorder: GreetingRecorder | undefined;
  #wordsCheck: Promise<GreetingWordsVerdict | undefined> | undefined;

  /**
   * `listeners` may be a bare function: it is then `onBeep` (the older signature). `gate`
   * replaces the energy voice gate (for comparisons; the default measured best). `words` adds the
   * optional greeting-words stage: once the first greeting is over, a call decided `human` or
   * `unknown` is transcribed and revised to `machine` (`greeting-words`) if a voicemail phrase
   * is heard.
   */
  constructor(
    options: Partial<AmdOptions> = {},
    listeners: AmdListeners | ((atMs: number) => void) = {},
    gate?: FrameClassifier,
    words?: GreetingWords,
  ) {
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
    this.#cadence = new GreetingCadence(this.#options);
    this.#words = words;
    this.#recorder = words ? new GreetingRecorder(words.endSilenceMs, words.maxGreetingMs) : undefined;
  }

  /**
   * The greeting-words check, once started (undefined before, or without the stage); resolves
   * to its verdict, or undefined if the transcriber failed. Any revision it makes is done when
   * it resolves.
   */
  get wordsChecked(): Promise<GreetingWordsVerdict | undefined> | undefined {
    return this.#wordsCheck;
  }

  /**
   * The audio has ended (a recording ran out): the greeting-words stage takes the greeting heard
   * so far. Resolves once its check (if any) is done.
   */
  async endOfAudio(): Promise<GreetingWordsVerdict | undefined> {
    this.#recorder?.finish();
    this.#maybeCheckWords();
    return this.#wordsCheck;
  }

  /** The decision, once made. */
  get decision(): AmdDecision | undefined {
    return this.#decision;
  }

  /** The revision to `machine` (a late beep, or a greeting that ran on), if one happened. */
  get revision(): AmdRevision | undefined {
    return this.#revision;
  }

  /** What the call was in the end: the revision's `machine` if there was one, else the decision. */
  get finalResult(): AmdDecision['result'] | undefined {
    return this.#revision ? 'machine' : this.#decision?.result;
  }

  /**
   * Audio time a message to this machine may start: the end of its beep, or, with no beep, after
   * `messageSilenceMs` of silence once the greeting is over (where voicemail starts recording).
   * Undefined while the call is not (yet) a machine, or its greeting still runs.
   */
  get messageCueAtMs(): number | undefined {
    return this.#cueAtMs;
  }

  /** Run `fn` once at the message cue (at once if it has come). Never throw from `fn`. */
  onceMessageCue(fn: (atMs: number) => void): void {
    if (this.#cueAtMs !== undefined) fn(this.#cueAtMs);
    else this.#cueWaiters.push(fn);
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
    let decidedByBeep: AmdDecision | undefined;
    if (this.#audioMs <= o.beepListenMs && this.#cueAtMs === undefined) {
      const beepEnd = this.#beeps.push(frame);
      if (beepEnd !== undefined) {
        this.#listeners.onBeep?.(beepEnd);
        if (!this.#decision) decidedByBeep = this.#decide('machine', 'beep', beepEnd);
        else if (this.#decision.result !== 'machine' && !this.#revision) this.#revise('late-beep', beepEnd);
        if (this.finalResult === 'machine') this.#cue(beepEnd);
        if (decidedByBeep) return decidedByBeep;
      }
    }
    const kind = this.#gate.push(frame);
    if (this.#recorder && this.#wordsCheck === undefined) {
      this.#recorder.push(frame, kind);
      this.#maybeCheckWords();
    }
    if (this.finalResult === 'machine' && this.#cueAtMs === undefined) {
      this.#silenceSinceMachineMs = kind === 'voice' ? 0 : this.#silenceSinceMachineMs + FRAME_MS;
      if (this.#silenceSinceMachineMs >= o.messageSilenceMs) this.#cue(this.#audioMs);
    }
    if (!this.#following || this.#revision) return undefined;
    const event = this.#cadence.push(kind);
    const greetingEnded = this.#audioMs - this.#cadence.silenceMs;
    if (this.#decision) {
      // A provisional `human`: follow the greeting until it ends, or runs on like a machine's.
      if (event === 'long-greeting') this.#revise('long-greeting', this.#audioMs);
      if (event === 'greeting-ended') this.#following = false;
      return undefined;
    }
    if (event === 'long-greeting') return this.#decide('machine', 'long-greeting', this.#audioMs);
    if (event === 'greeting-ended') return this.#decide('human', 'after-greeting-silence', greetingEnded);
    if (event === 'pause') return this.#decide('human', 'after-greeting-silence', greetingEnded);
    const startedAt = this.#cadence.startMs;
    const started = startedAt !== undefined;
    // A late first word (a person who paused, a machine that starts late) is heard for a while first.
    if (started && o.humanDeadlineMs > 0 && this.#audioMs >= Math.max(o.humanDeadlineMs, startedAt + o.minGreetingHeardMs)) {
      return this.#decide('human', 'deadline', this.#cadence.silenceMs > 0 ? greetingEnded : this.#audioMs);
    }
    if (!started && this.#cadence.silenceMs > 0 && this.#audioMs >= o.initialSilenceMs) {
      return this.#decide('unknown', 'initial-silence', this.#audioMs);
    }
    if (this.#audioMs >= o.totalAnalysisMs) return this.#decide('unknown', 'budget', this.#audioMs);
    return undefined;
  }

  /** Start the words check once the greeting is over and the cadence said `human` or `unknown`. */
  #maybeCheckWords(): void {
    const recorder = this.#recorder;
    const words = this.#words;
    const decision = this.#decision;
    if (!recorder || !words || this.#wordsCheck || !recorder.done || !recorder.started) return;
    if (!decision || decision.result === 'machine' || decision.reason === 'disabled' || this.finalResult === 'machine') return;
    // The audio time the words are known: the greeting's end, the silence that confirmed it, the compute.
    const knownFromMs = Math.min(this.#audioMs, recorder.endMs + words.endSilenceMs);
    this.#wordsCheck = words.check(Int16Array.from(recorder.greeting)).then(
      (verdict) => {
        this.#listeners.onWords?.(verdict);
        if (verdict.machine && !this.#revision && this.finalResult !== 'machine') {
          this.#revise('greeting-words', Math.round(knownFromMs + verdict.computeMs), verdict.match?.phrase);
        }
        return verdict;
      },
      (error: unknown) => {
        this.#listeners.onWordsError?.(error);
        return undefined;
      },
    );
  }

  #cue(atMs: number): void {
    this.#cueAtMs = atMs;
    const waiters = this.#cueWaiters;
    this.#cueWaiters = [];
    for (const waiter of waiters) waiter(atMs);
  }

  #revise(reason: AmdRevision['reason'], atMs: number, phrase?: string): void {
    const previous = this.#decision as AmdDecision;
    this.#revision =
      reason === 'late-beep'
        ? { result: 'machine', reason, atMs, beepEndedAtMs: atMs, previous }
        : phrase !== undefined
          ? { result: 'machine', reason, atMs, phrase, previous }
          : { result: 'machine', reason, atMs, previous };
    this.#following = false;
    this.#listeners.onRevised?.(this.#revision);
  }

  #decide(result: AmdDecision['result'], reason: AmdDecision['reason'], greetingEndedAtMs: number): AmdDecision {
    this.#decision = { result, reason, decidedAtMs: this.#audioMs, greetingEndedAtMs };
    // Only a `human` decision made before its greeting ended stays open to a long-greeting revision.
    if (result !== 'human' || (reason === 'after-greeting-silence' && this.#cadence.silenceMs >= this.#options.afterGreetingSilenceMs)) {
      this.#following = false;
    }
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

/** What {@link detectAnsweringMachineWithWords} found: the run, and the words stage's verdict if it ran. */
export interface AmdWordsRun extends AmdRun {
  readonly words: GreetingWordsVerdict | undefined;
}

/**
 * {@link detectAnsweringMachine} with the greeting-words stage: waits for its check (run on the
 * greeting heard when the recording ends, if it had not ended before).
 */
export async function detectAnsweringMachineWithWords(
  samples: Int16Array,
  words: GreetingWords,
  options: Partial<AmdOptions> = {},
): Promise<AmdWordsRun> {
  const detector = new AmdDetector(options, {}, undefined, words);
  detector.push(samples);
  const decision = detector.decision ?? detector.finish();
  const verdict = await detector.endOfAudio();
  return { ...decision, revision: detector.revision, finalResult: detector.revision ? 'machine' : decision.result, words: verdict };
}

/** Run the detector over a whole recording (bench and tests); `unknown` if it never decides. */
export function detectAnsweringMachine(samples: Int16Array, options: Partial<AmdOptions> = {}, gate?: FrameClassifier): AmdRun {
  const detector = new AmdDetector(options, {}, gate);
  detector.push(samples);
  const decision = detector.decision ?? detector.finish();
  return { ...decision, revision: detector.revision, finalResult: detector.revision ? 'machine' : decision.result };
}
