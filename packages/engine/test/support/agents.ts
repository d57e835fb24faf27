import type { Clock } from '@paceline/core';
import type { CallOffer, Dialer, DispositionData } from '../../src/index';

/** How a simulated agent behaves on a call. */
export interface AgentBehaviour {
  readonly talkMs: (offer: CallOffer) => number;
  readonly wrapMs: (offer: CallOffer) => number;
  readonly disposition: (offer: CallOffer) => { code: string; data?: DispositionData };
}

/**
 * Simulated agents: on `connected` they talk for `talkMs`, hang up, wrap up for `wrapMs`,
 * and disposition the call. Returns the offers they received.
 */
export function simulateAgents(dialer: Dialer, clock: Clock, behaviour: AgentBehaviour): CallOffer[] {
  const offers: CallOffer[] = [];
  const active = new Map<string, CallOffer>();
  dialer.on('connected', (offer) => {
    offers.push(offer);
    active.set(offer.callId, offer);
    clock.setTimer(behaviour.talkMs(offer), () => {
      if (active.has(offer.callId)) void dialer.hangup(offer.callId).catch(() => {});
    });
  });
  dialer.on('ended', ({ callId }) => {
    const offer = active.get(callId);
    if (!offer) return;
    active.delete(callId);
    clock.setTimer(behaviour.wrapMs(offer), () => {
      const { code, data } = behaviour.disposition(offer);
      void dialer.disposition(callId, code, data).catch(() => {});
    });
  });
  return offers;
}
