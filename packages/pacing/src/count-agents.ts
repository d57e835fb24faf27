import { AgentState } from '@paceline/core';
import type { ObservedAgent } from './pacer';

/** Ready agents (idle, waiting for a call); with `excludeLeaving`, not those about to pause or log out. */
export function countReady(agents: readonly ObservedAgent[], excludeLeaving = false): number {
  let ready = 0;
  for (let i = 0; i < agents.length; i++) {
    const agent = agents[i];
    if (agent?.state === AgentState.Ready && !(excludeLeaving && agent.leaving === true)) ready++;
  }
  return ready;
}
