/** What the detector decided and why (the cadence reasons follow Asterisk's AMDCAUSE). */
export interface AmdDecision {
  readonly result: 'human' | 'machine' | 'unknown';
  readonly reason:
    | 'after-greeting-silence'
    | 'long-greeting'
    | 'max-words'
    | 'long-word'
    | 'beep'
    | 'initial-silence'
    | 'budget'
    | 'disabled';
  /** Audio time (ms since analysis start) when the decision was made. */
  readonly decidedAtMs: number;
  /** Audio time when the greeting ended (the start of the silence that followed it), else `decidedAtMs`. */
  readonly greetingEndedAtMs: number;
}

/**
 * A machine found after the first decision was `human` or `unknown`: a voicemail beep heard
 * later in the call. The call was connected as a person; the host treats it as a machine from
 * here on (leave-message flow if configured) and counts it for calibration.
 */
export interface AmdRevision {
  readonly result: 'machine';
  readonly reason: 'late-beep';
  /** Audio time the beep ended (ms since analysis start): the moment to start a message. */
  readonly beepEndedAtMs: number;
  /** The decision it overrides. */
  readonly previous: AmdDecision;
}
