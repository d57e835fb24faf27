/** What the detector decided and why (the reason names follow Asterisk's AMDCAUSE). */
export interface AmdDecision {
  readonly result: 'human' | 'machine' | 'unknown';
  readonly reason: 'after-greeting-silence' | 'long-greeting' | 'max-words' | 'long-word' | 'initial-silence' | 'budget';
  /** Audio time (ms since analysis start) when the decision was made. */
  readonly decidedAtMs: number;
  /** Audio time when the greeting ended (the start of the silence that followed it), else `decidedAtMs`. */
  readonly greetingEndedAtMs: number;
}
