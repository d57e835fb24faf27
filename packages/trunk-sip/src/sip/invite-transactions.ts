import type { Clock } from '@paceline/core';
import { type IncomingResponseMessage, type OutgoingInviteRequest, TransactionState, type UserAgentCore } from 'sip.js/lib/core/index.js';

/** RFC 3261 17.1.1.2: an INVITE client transaction still waiting for its final response. */
export function awaitingFinal(state: TransactionState): boolean {
  return state === TransactionState.Calling || state === TransactionState.Proceeding;
}

/**
 * True while `invite`'s client transaction is alive: waiting for its final response, or
 * (RFC 6026 7.2, Timer M) absorbing 2xx retransmissions after one.
 */
export function invitePending(core: UserAgentCore, invite: OutgoingInviteRequest): boolean {
  for (const uac of core.userAgentClients.values()) {
    if (uac.transaction.request === invite.message && alive(uac.transaction.state)) return true;
  }
  return false;
}

/** True when a live INVITE client transaction of `core` matches `response` (RFC 3261 17.1.3: Via branch and CSeq method). */
export function inviteTakes2xx(core: UserAgentCore, response: IncomingResponseMessage): boolean {
  const uac = core.userAgentClients.get(`${response.viaBranch}INVITE`);
  return uac !== undefined && alive(uac.transaction.state);
}

function alive(state: TransactionState): boolean {
  return awaitingFinal(state) || state === TransactionState.Accepted;
}

/**
 * Drop `invite`'s client transaction if it is still alive: SIP.js keeps an INVITE in Proceeding
 * forever when the far end goes silent after a provisional response, holds an accepted one for
 * its own fixed 32 s Timer M, and its dispose() leaves the transaction in the core's table.
 */
export function abandonInvite(line: { readonly core: UserAgentCore }, invite: OutgoingInviteRequest): void {
  for (const [key, uac] of line.core.userAgentClients) {
    if (uac.transaction.request === invite.message && alive(uac.transaction.state)) {
      uac.dispose();
      line.core.userAgentClients.delete(key);
    }
  }
}

/** Forget a call's timed-out non-INVITE client transactions (RFC 3261 17.1.2.2 Timer F). */
export function dropTransactions(line: { readonly core: UserAgentCore }, sipCallId: string, method: string): void {
  for (const [key, uac] of line.core.userAgentClients) {
    const request = uac.transaction.request;
    if (request.callId === sipCallId && request.method === method) {
      uac.dispose();
      line.core.userAgentClients.delete(key);
    }
  }
}

/**
 * Drop `invite`'s transaction `maxMs` from now if it is still alive then (RFC 3261 9.1: 64·T1
 * after a CANCEL the INVITE is over; RFC 6026 Timer M: 64·T1 after a 2xx). One timer, no
 * polling. Returns a function that drops it at once (for close()).
 */
export function dropInviteLater(
  line: { readonly core: UserAgentCore },
  invite: OutgoingInviteRequest,
  clock: Clock,
  maxMs: number,
): () => void {
  const timer = clock.setTimer(maxMs, () => abandonInvite(line, invite));
  return () => {
    clock.clearTimer(timer);
    abandonInvite(line, invite);
  };
}

/**
 * Let `invite`'s transaction, if still alive, outlive its call for at most `maxMs` (RFC 3261
 * 9.1: the 487 after our CANCEL; RFC 6026 Timer M after a 2xx), its drop kept in `pending`
 * meanwhile so that close() can run it at once.
 */
export function lingerInvite(
  line: { readonly core: UserAgentCore },
  invite: OutgoingInviteRequest | undefined,
  clock: Clock,
  maxMs: number,
  pending: Set<() => void>,
): void {
  if (!invite || !invitePending(line.core, invite)) return;
  const drop = dropInviteLater(line, invite, clock, maxMs);
  pending.add(drop);
  clock.setTimer(maxMs + 1, () => pending.delete(drop));
}

/**
 * Forget the server transactions of a call's re-INVITEs once their ACK came: SIP.js holds an
 * accepted INVITE server transaction for its own fixed Timer L (RFC 6026 8.7, 32 s) only to
 * absorb retransmitted INVITEs, which the dialog's CSeq check refuses anyway.
 */
export function dropAcceptedReinvites(line: { readonly core: UserAgentCore }, sipCallId: string): void {
  for (const [key, uas] of line.core.userAgentServers) {
    const request = uas.transaction.request;
    if (request.callId === sipCallId && request.method === 'INVITE' && uas.transaction.state === TransactionState.Accepted) {
      uas.dispose();
      line.core.userAgentServers.delete(key);
    }
  }
}
