import type { Clock, InboundRejectReason, MediaBridge, TrunkEvent } from '@paceline/core';
import type { SimTrunk } from '@paceline/trunk-sim';

/**
 * A sim trunk with the inbound half of the port, driven by the test: `call(from, to)` offers an
 * incoming call (refused at the network unless `to` was accepted), `callerHangsUp` ends it. The
 * outbound half is the sim trunk's. Lets a test place each caller and its hang-up at an exact
 * moment (trunk-sim's own generator draws patience); it implements the port's contract, nothing more.
 */
export interface InboundTestTrunk extends Omit<SimTrunk, 'dialIn' | 'inboundStats'> {
  /** Offer an incoming call; returns its call id, or undefined when the number is not accepted. */
  call(from: string | undefined, to: string): string | undefined;
  callerHangsUp(callId: string): void;
  readonly accepted: ReadonlySet<string>;
  readonly answered: ReadonlySet<string>;
  readonly rejected: ReadonlyMap<string, InboundRejectReason>;
  /** Messages played to inbound callers (through the media bridge), by call. */
  readonly inboundMessages: ReadonlyMap<string, string[]>;
}

/** `idPrefix`: call ids are `<idPrefix>-<n>` (distinct per node in the pool tests: call ids are unique across the pool). */
export function withInbound(sim: SimTrunk, clock: Clock, idPrefix = 'inb'): InboundTestTrunk {
  const listeners = new Set<(event: TrunkEvent) => void>();
  const accepted = new Set<string>();
  const live = new Set<string>();
  const answered = new Set<string>();
  const rejected = new Map<string, InboundRejectReason>();
  const inboundMessages = new Map<string, string[]>();
  let seq = 0;
  const emit = (event: TrunkEvent) => {
    for (const listener of listeners) listener(event);
  };
  const end = (callId: string) => {
    if (!live.delete(callId)) return;
    emit({ type: 'ended', callId, at: clock.now(), outcome: answered.has(callId) ? 'human' : 'no-answer' });
  };
  const media: MediaBridge = {
    connect: async (callId, agentId) => {
      if (!live.has(callId)) return sim.media.connect(callId, agentId);
      if (!answered.has(callId)) throw new Error(`connect before answer ${callId}`);
    },
    disconnect: async (callId) => (live.has(callId) ? undefined : sim.media.disconnect(callId)),
    close: () => sim.media.close(),
    playToCaller: async (callId, messageId) => {
      if (!live.has(callId)) throw new Error(`no inbound call ${callId}`);
      inboundMessages.set(callId, [...(inboundMessages.get(callId) ?? []), messageId]);
    },
  };
  return {
    originate: (r) => sim.originate(r),
    hangup: async (callId) => (live.has(callId) ? end(callId) : sim.hangup(callId)),
    playMessage: (callId, messageId) => sim.playMessage(callId, messageId),
    onEvent: (listener) => {
      listeners.add(listener);
      const off = sim.onEvent(listener);
      return () => {
        listeners.delete(listener);
        off();
      };
    },
    close: () => sim.close(),
    acceptInbound: (numbers) => {
      accepted.clear();
      for (const n of numbers) accepted.add(n);
    },
    answer: async (callId) => {
      if (!live.has(callId)) throw new Error(`answer: caller ${callId} is gone`);
      answered.add(callId);
    },
    reject: async (callId, reason) => {
      live.delete(callId);
      rejected.set(callId, reason);
    },
    media,
    get callsInFlight() {
      return sim.callsInFlight + live.size;
    },
    get peakChannels() {
      return sim.peakChannels;
    },
    messagesPlayed: (callId) => sim.messagesPlayed(callId),
    call(from, to) {
      if (!accepted.has(to)) return undefined;
      const callId = `${idPrefix}-${++seq}`;
      live.add(callId);
      emit({ type: 'incoming', callId, at: clock.now(), to, ...(from === undefined ? {} : { from }) });
      return callId;
    },
    callerHangsUp: (callId) => end(callId),
    accepted,
    answered,
    rejected,
    inboundMessages,
  };
}
