import type { Clock } from '@paceline/core';
import { type OutgoingInviteRequest, TransactionState, type UserAgentCore } from 'sip.js/lib/core/index.js';

/** RFC 3261 17.1.1.2: an INVITE client transaction still waiting for its final response. */
export function awaitingFinal(state: TransactionState): boolean {
  return state === TransactionState.Calling || state === TransactionState.Proceeding;
}

/** True while `invite`'s client transaction still waits for its final response. */
export function invitePending(core: UserAgentCore, invite: OutgoingInviteRequest): boolean {
  for (const uac of core.userAgentClients.values()) {
    if (uac.transaction.request === invite.message && awaitingFinal(uac.transaction.state)) return true;
  }
  return false;
}

/**
 * Drop `invite`'s client transaction if it still waits: SIP.js keeps an INVITE in Proceeding
 * forever when the far end goes silent after a provisional response, and its dispose() leaves
 * the transaction in the core's table.
 */
export function abandonInvite(line: { readonly core: UserAgentCore }, invite: OutgoingInviteRequest): void {
  for (const [key, uac] of line.core.userAgentClients) {
    if (uac.transaction.request === invite.message && awaitingFinal(uac.transaction.state)) {
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
 * Resolves when `invite` has its final response, or after `maxMs` (RFC 3261 9.1: 64·T1 after
 * a CANCEL the INVITE is over) or once `closing()` says so — then the transaction is dropped.
 */
export function lingerUntilFinal(
  line: { readonly core: UserAgentCore },
  invite: OutgoingInviteRequest,
  clock: Clock,
  maxMs: number,
  closing: () => boolean,
): Promise<void> {
  return new Promise<void>((resolve) => {
    const started = clock.now();
    const check = () => {
      if (!invitePending(line.core, invite)) return resolve();
      if (closing() || clock.now() - started >= maxMs) {
        abandonInvite(line, invite);
        return resolve();
      }
      clock.setTimer(100, check);
    };
    clock.setTimer(100, check);
  });
}
