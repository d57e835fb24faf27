import { AgentState, type Clock, type Random } from '@paceline/core';
import type { CallOffer, Dialer, DispositionData } from '@paceline/engine';

/** One agent's shift on the simulated day, in ms from the clock's epoch. */
export interface SimulatedShift {
  readonly id: string;
  readonly name: string;
  readonly campaignIds: readonly string[];
  readonly loginAt: number;
  readonly logoutAt: number;
  readonly breaks?: ReadonlyArray<{ readonly at: number; readonly durationMs: number; readonly reason: string }>;
}

/** How simulated agents handle a call. Draw randomness only from `random`. */
export interface AgentBehaviour {
  talkMs(offer: CallOffer, random: Random): number;
  wrapMs(offer: CallOffer, random: Random): number;
  disposition(offer: CallOffer, random: Random, now: number): { readonly code: string; readonly data?: DispositionData };
  /** Preview mode: how long the agent reviews a contact before confirming the dial (default 10 s). */
  reviewMs?(contactId: string, random: Random): number;
}

/** Time each agent spent per state, ms (occupancy and talk fraction come from it). */
export type AgentTimeByState = Readonly<Record<AgentState, number>>;

/** A running set of simulated agents. */
export interface SimulatedAgents {
  /** Calls the agents were offered, in order. */
  readonly offers: readonly CallOffer[];
  /** Time per state summed over agents, up to `now`. */
  timeByState(now: number): AgentTimeByState;
  /** Agents per state right now. */
  countByState(): Readonly<Record<AgentState, number>>;
}

/**
 * Simulated agents for the engine: they log in and out on their shifts, take breaks (after
 * the call in hand, as people do), talk for `talkMs` then hang up, wrap up for `wrapMs`, and
 * disposition each call. Everything runs on the injected clock.
 */
export function simulateAgents(
  dialer: Dialer,
  clock: Clock,
  random: Random,
  shifts: readonly SimulatedShift[],
  behaviour: AgentBehaviour,
): SimulatedAgents {
  const offers: CallOffer[] = [];
  const onCall = new Map<string, CallOffer>();
  const state = new Map<string, { state: AgentState; since: number; leaving: boolean }>();
  const total = Object.fromEntries(Object.values(AgentState).map((s) => [s, 0])) as Record<AgentState, number>;
  const streams = new Map(shifts.map((s) => [s.id, random.split(`agent:${s.id}`)]));
  const streamOf = (agentId: string) => streams.get(agentId) ?? random;

  dialer.on('agentStateChanged', (e) => {
    const current = state.get(e.agentId);
    if (!current) return;
    total[current.state] += e.at - current.since;
    current.state = e.to;
    current.since = e.at;
    if (current.leaving && e.to === AgentState.NotReady) void dialer.logout(e.agentId);
  });
  // Preview mode: the agent reads the record, then confirms the dial.
  dialer.on('preview', ({ agentId, contact }) => {
    const rng = streamOf(agentId);
    clock.setTimer(behaviour.reviewMs?.(contact.id, rng) ?? 10_000, () => {
      try {
        dialer.confirmPreview(agentId);
      } catch {
        // the agent logged out or the preview was taken back meanwhile
      }
    });
  });
  dialer.on('connected', (offer) => {
    offers.push(offer);
    onCall.set(offer.callId, offer);
    clock.setTimer(behaviour.talkMs(offer, streamOf(offer.agentId)), () => {
      if (onCall.has(offer.callId)) void dialer.hangup(offer.callId).catch(() => {});
    });
  });
  dialer.on('ended', ({ callId }) => {
    const offer = onCall.get(callId);
    if (!offer) return;
    onCall.delete(callId);
    const rng = streamOf(offer.agentId);
    clock.setTimer(behaviour.wrapMs(offer, rng), () => {
      const { code, data } = behaviour.disposition(offer, rng, clock.now());
      void dialer.disposition(callId, code, data).catch(() => {});
    });
  });

  const now = clock.now();
  for (const shift of shifts) {
    clock.setTimer(shift.loginAt - now, () => {
      dialer.loginAgent({ id: shift.id, name: shift.name }, shift.campaignIds);
      state.set(shift.id, { state: AgentState.NotReady, since: clock.now(), leaving: false });
      dialer.ready(shift.id);
    });
    const loggedIn = () => {
      const s = state.get(shift.id);
      return s !== undefined && s.state !== AgentState.LoggedOut && !s.leaving;
    };
    for (const pause of shift.breaks ?? []) {
      clock.setTimer(pause.at - now, () => loggedIn() && dialer.notReady(shift.id, pause.reason));
      clock.setTimer(pause.at + pause.durationMs - now, () => loggedIn() && dialer.ready(shift.id));
    }
    clock.setTimer(shift.logoutAt - now, () => {
      const current = state.get(shift.id);
      if (!current || current.state === AgentState.LoggedOut) return;
      if (current.state === AgentState.Ready || current.state === AgentState.NotReady) {
        void dialer.logout(shift.id);
      } else {
        // Finish the call in hand, then leave.
        current.leaving = true;
        dialer.notReady(shift.id, 'end of shift');
      }
    });
  }

  return {
    offers,
    timeByState(at) {
      const result = { ...total };
      for (const s of state.values()) result[s.state] += at - s.since;
      return result;
    },
    countByState() {
      const counts = Object.fromEntries(Object.values(AgentState).map((s) => [s, 0])) as Record<AgentState, number>;
      for (const s of state.values()) counts[s.state]++;
      return counts;
    },
  };
}
