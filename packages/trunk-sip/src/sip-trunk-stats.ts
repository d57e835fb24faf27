import { TransactionState } from 'sip.js/lib/core/index.js';
import type { SipCall } from './call/sip-call';
import type { TrunkLine } from './call/trunk-line';
import type { LegRelay } from './media/leg-relay';
import type { BreakerState } from './sip/circuit-breaker';

/** Counters to check for leaks and load (all 0 when idle, but `openSockets` until `close()`). */
export interface SipTrunkStats {
  /** Calls not yet ended. */
  readonly callsInFlight: number;
  /** INVITEs waiting for their calls-per-second slot. */
  readonly queuedInvites: number;
  /** SIP dialogs still held by the stacks (early and confirmed). */
  readonly dialogs: number;
  /** INVITEs whose client transaction has not had its final response. */
  readonly pendingInvites: number;
  /** Client and server transactions of any method not yet terminated, and requests still being retransmitted. */
  readonly transactions: number;
  /** Open SIP and RTP sockets (with the relay sockets towards the media plane's call legs). */
  readonly openSockets: number;
  /** SIP datagrams dropped unread because they did not come from a trunk's addresses. */
  readonly droppedSip: number;
  /** RTP packets dropped because they did not come from the negotiated (or latched) source. */
  readonly droppedRtp: number;
  /** Calls in progress: where each listens for RTP (for diagnostics and tests). */
  readonly calls: readonly { readonly callId: string; readonly state: string; readonly rtpPort: number | undefined }[];
  /** Per trunk: calls holding a channel, whether it takes calls now, its breaker, our SIP port. */
  readonly trunks: readonly {
    readonly id: string;
    readonly localPort: number;
    readonly active: number;
    readonly available: boolean;
    readonly breaker: BreakerState;
  }[];
}

/** What the inbound side adds (its calls, server transactions, dialogs, RTP sockets). */
export interface InboundCounters {
  readonly calls: readonly {
    readonly request: { readonly callId: string };
    readonly state: string;
    readonly rtp: { readonly port: number } | undefined;
  }[];
  readonly transactions: number;
  readonly dialogs: number;
  readonly sockets: number;
  readonly droppedRtp: number;
}

/** The counters of {@link SipTrunkStats} at `now` (inbound calls included). */
export function trunkStats(
  now: number,
  lines: readonly TrunkLine[],
  calls: readonly SipCall[],
  relays: ReadonlySet<LegRelay>,
  droppedRtpOfEnded: number,
  inbound: { counters(): InboundCounters },
): SipTrunkStats {
  const incoming = inbound.counters();
  let dialogs = incoming.dialogs;
  let pendingInvites = 0;
  let transactions = incoming.transactions;
  let openSockets = incoming.sockets;
  let queuedInvites = 0;
  let droppedSip = 0;
  for (const line of lines) {
    dialogs += line.core.dialogs.size;
    for (const uac of line.core.userAgentClients.values()) {
      const state = uac.transaction.state;
      if (state === TransactionState.Terminated) continue;
      transactions++;
      if (uac.transaction.request.method === 'INVITE' && (state === TransactionState.Calling || state === TransactionState.Proceeding)) {
        pendingInvites++;
      }
    }
    for (const uas of line.core.userAgentServers.values()) if (uas.transaction.state !== TransactionState.Terminated) transactions++;
    transactions += line.transport.pendingTransactions;
    queuedInvites += line.queue.filter((call) => call.state === 'queued').length;
    droppedSip += line.transport.droppedForeign;
    if (line.transport.isOpen) openSockets++;
  }
  let droppedRtp = droppedRtpOfEnded + incoming.droppedRtp;
  for (const call of calls) {
    if (call.rtp?.isOpen) openSockets++;
    droppedRtp += call.rtp?.droppedPackets ?? 0;
  }
  for (const relay of relays) if (relay.isOpen) openSockets++;
  return {
    callsInFlight: calls.length + incoming.calls.length,
    queuedInvites,
    dialogs,
    pendingInvites,
    transactions,
    openSockets,
    droppedSip,
    droppedRtp,
    calls: [...calls, ...incoming.calls].map((call) => ({ callId: call.request.callId, state: call.state, rtpPort: call.rtp?.port })),
    trunks: lines.map((l) => ({
      id: l.config.id,
      localPort: l.transport.localPort,
      active: l.active,
      available: l.breaker.allows(now),
      breaker: l.breaker.state(now),
    })),
  };
}
