/** What the detector decided and why (the cadence reasons follow Asterisk's AMDCAUSE). */
export interface AmdDecision {
  readonly result: 'human' | 'machine' | 'unknown';
  /**
   * `after-greeting-silence`: a greeting, then a pause (a person waiting for us to speak).
   * `deadline`: still undecided at `humanDeadlineMs` with someone speaking: connected as a person
   * so that a person is never kept waiting; the detector keeps listening and may revise it.
   */
  readonly reason:
    | 'after-greeting-silence'
    | 'deadline'
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
 * later in the call (`late-beep`), or a greeting that went on, without a pause, past
 * `machineGreetingMs` after a `deadline` decision (`long-greeting`), or a voicemail phrase in the
 * greeting's words (`greeting-words`, with the optional `GreetingWords` stage). The call was connected as a
 * person; the host treats it as a machine from here on (leave-message flow if configured) and
 * counts it for calibration.
 */
export interface AmdRevision {
  readonly result: 'machine';
  readonly reason: 'late-beep' | 'long-greeting' | 'greeting-words';
  /** Audio time (ms since analysis start) of the revision. */
  readonly atMs: number;
  /** Audio time the beep ended (`late-beep` only): the moment to start a message. */
  readonly beepEndedAtMs?: number;
  /** The voicemail phrase heard (`greeting-words` only), as listed. */
  readonly phrase?: string;
  /** The decision it overrides. */
  readonly previous: AmdDecision;
}
