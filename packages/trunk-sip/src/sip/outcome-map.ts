import type { CallOutcome } from '@paceline/core';

/**
 * What a final non-2xx response to our INVITE means (docs/trunks.md has the table):
 * - `outcome`: the call ends with `outcome`; `retryable` says whether dialling the contact again
 *   later can help; the trunk did its job.
 * - `trunk-failure`: the trunk, not the number, failed (5xx, a timeout, a transport error): it
 *   counts against the trunk's breaker and the call goes to the next trunk.
 * - `redirect`: 3xx, followed within the redirect budget or ended `failed` with the code.
 */
export type FinalResponseMeaning =
  | { readonly kind: 'outcome'; readonly outcome: CallOutcome; readonly cause: string; readonly retryable: boolean }
  | { readonly kind: 'trunk-failure'; readonly cause: string }
  | { readonly kind: 'redirect'; readonly cause: string };

/**
 * Map a final response status to its meaning. RFC 3261 21.4/21.6: 486 Busy Here, 600 Busy
 * Everywhere, 603 Decline (the callee refused); 404/410/484/485/604 say the number is wrong;
 * 408/480, and 487 after our CANCEL at the ring timeout, are no-answer; 401/407 that survive
 * our credentials, 403 and 488/606 are our set-up's fault and end `failed` (not retryable);
 * 5xx is the trunk's trouble (RFC 3261 21.5: the request may succeed elsewhere).
 * `cancelled` is how our CANCEL went out: at the ring timeout, by `hangup`, or not at all.
 */
export function mapFinalResponse(status: number, cancelled: 'ring-timeout' | 'hangup' | 'none' | boolean): FinalResponseMeaning {
  const cancel = cancelled === true ? 'ring-timeout' : cancelled === false ? 'none' : cancelled;
  const cause = `sip:${status}`;
  const ends = (outcome: CallOutcome, retryable: boolean): FinalResponseMeaning => ({ kind: 'outcome', outcome, cause, retryable });
  if (status >= 300 && status < 400) return { kind: 'redirect', cause };
  if (status >= 500 && status < 600) return { kind: 'trunk-failure', cause };
  switch (status) {
    case 486:
    case 600:
    case 603:
      return ends('busy', true);
    case 404:
    case 410:
    case 484:
    case 485:
    case 604:
      return ends('invalid-number', false);
    case 408:
    case 480:
      return ends('no-answer', true);
    case 487:
      if (cancel === 'ring-timeout') return { kind: 'outcome', outcome: 'no-answer', cause: 'ring-timeout', retryable: true };
      if (cancel === 'hangup') return { kind: 'outcome', outcome: 'no-answer', cause: 'cancelled', retryable: true };
      return ends('failed', true);
    case 401:
    case 403:
    case 407:
    case 488:
    case 606:
      return ends('failed', false);
    default:
      // Any other 4xx (RFC 3261 21.4: the request cannot succeed as sent) and any unknown class.
      return ends('failed', true);
  }
}

/**
 * RFC 3261 20.33: Retry-After in seconds (comments and parameters ignored), capped at `maxMs`;
 * undefined when absent or unreadable.
 */
export function parseRetryAfterMs(value: string | undefined, maxMs = 600_000): number | undefined {
  const match = value === undefined ? null : /^\s*(\d{1,10})(?:\s|;|\(|$)/.exec(value);
  if (!match?.[1]) return undefined;
  return Math.min(Number(match[1]) * 1_000, maxMs);
}

/**
 * The E.164 number a 3xx redirects to: RFC 3261 8.1.3.4 tries the Contacts in order of their
 * `q` (highest first; none is 1.0; equal ones in the order given), and the first that names an
 * E.164 number (`<sip:+4420…@host>`) is the one we can follow — a voicemail URI listed first
 * must not hide it. `contacts` is each Contact value (the parser splits comma-separated ones).
 */
export function redirectTarget(contacts: readonly string[]): string | undefined {
  const ranked = contacts
    .map((contact, index) => {
      const user = /^\s*(?:"[^"]*"\s*)?<?sips?:([^@;>]+)@/i.exec(contact)?.[1];
      const params = contact.includes('>') ? contact.slice(contact.lastIndexOf('>')) : contact;
      const q = Number(/;\s*q\s*=\s*([0-9.]+)/i.exec(params)?.[1] ?? 1);
      return { user, q: Number.isFinite(q) ? q : 0, index };
    })
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.find((c) => c.user !== undefined && /^\+[1-9][0-9]{6,14}$/.test(c.user))?.user;
}

/**
 * How long a final response from the trunk takes the whole trunk out, ms. RFC 3261 21.5.4:
 * only a 503 with Retry-After (capped at `maxMs`), or a 503 without it when `defaultMs` says so;
 * a 500, or any other 5xx, is one failure towards the breaker (one bad call must not stop them all).
 */
export function trunkBackOffMs(status: number, retryAfter: string | undefined, maxMs: number, defaultMs: number): number {
  return status === 503 ? (parseRetryAfterMs(retryAfter, maxMs) ?? defaultMs) : 0;
}
