import type { Random } from '@paceline/core';
import type { IncomingResponseMessage, OutgoingInviteRequest, OutgoingRequestMessage, Session } from 'sip.js/lib/core/index.js';
import { describeAgain } from '../media/sdp';
import { abandonInvite } from '../sip/invite-transactions';
import { handleInDialog, takeAnswerInAck } from './mid-call';
import type { SipCall } from './sip-call';

/** The longest session interval we accept from a 422's Min-SE (a day): a bad value cannot stop refreshes. */
const MAX_INTERVAL_S = 86_400;

/** What a refresh needs from the trunk. */
export interface RefreshContext {
  /** Run `fn` after `delayMs` on the trunk's clock, for this call only (dropped when it ends). */
  readonly schedule: (delayMs: number, fn: () => void) => void;
  readonly guard: (what: string, fn: () => void) => void;
  /** For RFC 3261 14.1's 491 back-off. */
  readonly random: Random;
  /** The refresh's 2xx was ACKed with `ack`: a retransmission of it must get the same ACK (RFC 3261 13.2.2.4). */
  readonly acked: (answer: IncomingResponseMessage, ack: OutgoingRequestMessage) => void;
  /** The far end lost the session (408, 481, no answer): end the call with BYE. */
  readonly refused: () => void;
  /** No refresh succeeded before the session's end: end the call with BYE. */
  readonly expired: () => void;
}

/** `Session-Expires: N;refresher=uac` — the interval in seconds when it makes us the refresher. */
export function refresherInterval(message: IncomingResponseMessage): number | undefined {
  const match = /^\s*(\d{1,6})\s*(;.*)?$/.exec(message.getHeader('session-expires') ?? '');
  if (!match?.[1] || !/;\s*refresher\s*=\s*uac\b/i.test(match[2] ?? '')) return undefined;
  return Math.max(2, Number(match[1]));
}

/**
 * RFC 4028 7.2 / 10: when the 2xx makes us the refresher (`Session-Expires: N;refresher=uac` —
 * a carrier that ignores that we never offered `timer`), re-INVITE with our description every
 * N/2 s, or the carrier ends the call at N. At least 1 s apart, so a bad value cannot start a
 * storm; a refresh that cannot go now (an INVITE in progress either way) is tried again in 1 s.
 * What the far end says to a refresh:
 * - 2xx: ACKed (the ACK is kept so a retransmitted 2xx gets it again, `acked`); its own
 *   `Session-Expires` sets the next interval, and `refresher=uas` hands the refreshing over.
 * - 408 or 481, or none (SIP.js reports Timer B as a 408): the session is gone (RFC 4028 10,
 *   RFC 3261 12.2.1.2) — `refused` ends the call with BYE.
 * - 491 (glare with the far end's own re-INVITE): tried again after 2.1–4 s (RFC 3261 14.1: we
 *   chose the Call-ID).
 * - 422 with `Min-SE`: tried again at once with that interval (RFC 4028 7.4).
 * - Anything else (488, 5xx, another 4xx or 6xx): the session goes on unchanged (RFC 3261 14.1),
 *   so the refresh is tried again after N/8 s (at least 1 s), or its `Retry-After`.
 * Whatever the answers, a session with no successful refresh is over at N; our BYE goes
 * min(32 s, N/3) before that (RFC 4028 10), so the call does not sit on a session the carrier
 * has already dropped — `expired`.
 */
export function refreshWhenAsked(call: SipCall, session: Session, answer: IncomingResponseMessage, context: RefreshContext): void {
  const first = refresherInterval(answer);
  if (first === undefined) return;
  const { schedule, guard } = context;
  let seconds = first;
  /** Bumped on every success: a deadline or a retry of an older session interval does nothing. */
  let epoch = 0;
  let deadlineMs = 0;

  const renewed = (interval: number | undefined) => {
    const mine = ++epoch;
    if (interval === undefined) return; // the far end refreshes from now on (RFC 4028 7.2)
    seconds = interval;
    deadlineMs = seconds * 1000 - Math.min(32_000, (seconds * 1000) / 3);
    schedule(deadlineMs, () => {
      if (mine === epoch && call.state === 'answered') context.expired();
    });
    schedule(seconds * 500, () => refresh(mine, seconds * 500));
  };

  /** Try again `delayMs` after a failure, `elapsedMs` into the interval, when it still lands before the deadline. */
  const retry = (mine: number, elapsedMs: number, delayMs: number) => {
    if (elapsedMs + delayMs < deadlineMs) schedule(delayMs, () => refresh(mine, elapsedMs + delayMs));
  };

  const refresh = (mine: number, elapsedMs: number) => {
    const rtp = call.rtp;
    if (mine !== epoch || call.state !== 'answered' || !rtp) return;
    const sdp = describeAgain(call.line.transport.localAddress, rtp.port, call.sdpSessionId, call.sdpVersion + 1, undefined, 'sendrecv');
    try {
      const request: OutgoingInviteRequest = session.invite(
        {
          // ACKed, the refresh is done: SIP.js would hold its transaction 32 s (Timer M); `acked` answers a retransmitted 2xx.
          onAccept: (response) =>
            guard('refresh 2xx', () => {
              const ack = response.ack();
              context.acked(response.message, ack.message);
              takeAnswerInAck(call, response.message.body || undefined);
              abandonInvite(call.line, request);
              if (mine !== epoch) return;
              const next = refresherInterval(response.message);
              renewed(next ?? (/\S/.test(response.message.getHeader('session-expires') ?? '') ? undefined : seconds));
            }),
          onReject: (response) =>
            guard('refresh refused', () => {
              if (mine !== epoch || call.state !== 'answered') return;
              const message = response.message;
              const status = message.statusCode ?? 0;
              if (status === 408 || status === 481) return context.refused();
              if (status === 491) return retry(mine, elapsedMs, 2_100 + context.random.int(1_901));
              const minSe = /^\s*(\d{1,6})/.exec(message.getHeader('min-se') ?? '')?.[1];
              if (status === 422 && minSe && Number(minSe) > seconds && Number(minSe) <= MAX_INTERVAL_S) {
                seconds = Number(minSe);
                return retry(mine, elapsedMs, 0);
              }
              const retryAfter = /^\s*(\d{1,6})/.exec(message.getHeader('retry-after') ?? '')?.[1];
              const backoff = Math.max(1_000, seconds * 125);
              const delay = retryAfter && elapsedMs + Number(retryAfter) * 1000 < deadlineMs ? Number(retryAfter) * 1000 : backoff;
              retry(mine, elapsedMs, delay);
            }),
        },
        {
          body: { contentDisposition: 'session', contentType: 'application/sdp', content: sdp },
          extraHeaders: [`Contact: ${call.line.core.configuration.contact.toString()}`, `Session-Expires: ${seconds};refresher=uac`],
        },
      );
    } catch {
      return retry(mine, elapsedMs, 1_000);
    }
    call.sdpVersion++;
  };

  renewed(seconds);
}

/** What an answered outbound call's dialog needs from the trunk. */
export interface DialogContext extends Omit<RefreshContext, 'refused' | 'expired'> {
  /** 64·T1: how long our 2xx to a re-INVITE waits for its ACK (RFC 3261 13.3.1.4). */
  readonly ackWaitMs: number;
  /** The far end's BYE ended the call. */
  readonly remoteBye: () => void;
  /** End the call with our BYE, for `cause`. */
  readonly bye: (cause: string) => void;
}

/**
 * An answered outbound call's dialog: the far end's in-dialog requests ({@link handleInDialog};
 * no ACK to our 2xx ends the call as `reinvite-no-ack`) and our session refreshes when the 2xx
 * made us the refresher ({@link refreshWhenAsked}; `session-refresh-failed`, `session-expired`).
 */
export function superviseDialog(call: SipCall, session: Session, answer: IncomingResponseMessage, context: DialogContext): void {
  const byeFor = (cause: string) => () => context.bye(cause);
  handleInDialog(call, session, context.remoteBye, context.guard, {
    schedule: context.schedule,
    ackWaitMs: context.ackWaitMs,
    noAck: byeFor('reinvite-no-ack'),
  });
  refreshWhenAsked(call, session, answer, { ...context, refused: byeFor('session-refresh-failed'), expired: byeFor('session-expired') });
}
