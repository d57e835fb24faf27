/**
 * Answering-machine detection settings, in the cadence terms telephony uses (the same knobs as
 * Asterisk's AMD()). Durations in milliseconds of received audio.
 */
export interface AmdOptions {
  /** Silence before anyone speaks; longer gives `unknown` (dead air). */
  readonly initialSilenceMs: number;
  /** A greeting with more voiced audio than this (gaps shorter than `afterGreetingSilenceMs` not counted) is a machine. */
  readonly greetingMs: number;
  /** Silence after a short greeting that marks a person waiting for us to speak. */
  readonly afterGreetingSilenceMs: number;
  /** Give up with `unknown` after this much audio: the decision budget. */
  readonly totalAnalysisMs: number;
  /** Voiced stretch needed to count as a word. */
  readonly minWordMs: number;
  /** Silence that separates two words. */
  readonly betweenWordsSilenceMs: number;
  /** This many words before a long-enough pause is a machine. */
  readonly maxWords: number;
  /** One word longer than this is a machine. */
  readonly maxWordMs: number;
  /** Frame RMS (16-bit scale) above which a frame is voice, at least; raised with the noise floor. */
  readonly silenceThreshold: number;
  /** Voice must be this many times the running noise floor. */
  readonly noiseFloorRatio: number;
  /** Listen for a voicemail beep after a machine decision, for this long. */
  readonly beepListenMs: number;
}

/** Defaults tuned on the generated corpus (`pnpm bench:amd`): decisions within 3.5 s. */
export const DEFAULT_AMD_OPTIONS: AmdOptions = {
  initialSilenceMs: 2_500,
  greetingMs: 1_200,
  afterGreetingSilenceMs: 700,
  totalAnalysisMs: 3_500,
  minWordMs: 100,
  betweenWordsSilenceMs: 250,
  maxWords: 4,
  maxWordMs: 3_000,
  silenceThreshold: 256,
  noiseFloorRatio: 3,
  beepListenMs: 30_000,
};
