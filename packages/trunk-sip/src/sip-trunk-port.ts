import type { Trunk } from '@paceline/core';
import type { SipTrunkStats } from './sip-trunk-stats';

type InboundMethods = 'acceptInbound' | 'answer' | 'reject';

/** The `Trunk` port over SIP (the inbound methods included), plus introspection. */
export interface SipTrunk extends Omit<Trunk, InboundMethods>, Required<Pick<Trunk, InboundMethods>> {
  /** Leak and load counters: calls, transactions, dialogs, sockets, queues, dropped packets, breakers. */
  stats(): SipTrunkStats;
  /** issue-17: keep what call analysis heard on a call (the first 12 s) for listen-back; resolves with the WAV path once the call ended (needs `listenBackDir`). */
  keepAnalysisAudio(callId: string): Promise<string>;
}
