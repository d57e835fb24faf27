import type { CallOutcome } from '@paceline/core';

/** What a final non-2xx response to our INVITE means for the call. */
export type FinalResponseMeaning =
  /** The call ends with this outcome; `cause` is `sip:<code>`. */
  | { readonly kind: 'outcome'; readonly outcome: CallOutcome; readonly cause: string }
  /** The trunk, not the number, failed: back the trunk off and try the call elsewhere. */
  | { readonly kind: 'trunk-unavailable'; readonly cause: string };

/**
 * Map a final response status to a call outcome (docs/trunks.md has the table).
 * RFC 3261 21.4/21.6: 486 Busy Here, 600 Busy Everywhere; 404/484/410/604 say the number is
 * wrong; 408/480, and 487 after our CANCEL at the ring timeout, are no-answer; 500/503 are
 * the trunk's trouble (RFC 3261 21.5.4: honour Retry-After).
 */
export function mapFinalResponse(status: number, cancelledAtRingTimeout: boolean): FinalResponseMeaning {
  const cause = `sip:${status}`;
  switch (status) {
    case 486:
    case 600:
      return { kind: 'outcome', outcome: 'busy', cause };
    case 404:
    case 410:
    case 484:
    case 604:
      return { kind: 'outcome', outcome: 'invalid-number', cause };
    case 408:
    case 480:
      return { kind: 'outcome', outcome: 'no-answer', cause };
    case 487:
      return cancelledAtRingTimeout
        ? { kind: 'outcome', outcome: 'no-answer', cause: 'ring-timeout' }
        : { kind: 'outcome', outcome: 'failed', cause };
    case 500:
    case 503:
      return { kind: 'trunk-unavailable', cause };
    default:
      return { kind: 'outcome', outcome: 'failed', cause };
  }
}

/** RFC 3261 20.33: Retry-After in seconds (comments and parameters ignored); undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined): number | undefined {
  const seconds = value === undefined ? Number.NaN : Number.parseInt(value.trim(), 10);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1_000 : undefined;
}
