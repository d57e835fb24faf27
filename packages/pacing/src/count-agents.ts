import { AgentState } from '@paceline/core';
import type { ObservedAgent, PacerState } from './pacer';

/** Ready agents (idle, waiting for a call); with `excludeLeaving`, not those about to pause or log out. */
export function countReady(agents: readonly ObservedAgent[], excludeLeaving = false): number {
  let ready = 0;
  for (let i = 0; i < agents.length; i++) {
    const agent = agents[i];
    if (agent?.state === AgentState.Ready && !(excludeLeaving && agent.leaving === true)) ready++;
  }
  return ready;
}

/** Whether fewer than `below` agents are logged in (any state but logged out: agents on a break count). */
export function loggedInBelow(state: PacerState, below: number): boolean {
  let loggedIn = 0;
  for (let a = 0; a < state.agents.length; a++) {
    const agent = state.agents[a];
    if (agent !== undefined && agent.state !== AgentState.LoggedOut && ++loggedIn >= below) return false;
  }
  return true;
}
