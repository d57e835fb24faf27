import { AgentState } from '@paceline/core';
import type { Pacer } from './pacer';

/**
 * Preview: the agent reviews the record and confirms each call. One call per ready agent
 * who confirmed and has no call in flight yet; the decision names those agents.
 */
export function previewPacer(): Pacer {
  return {
    name: 'preview',
    decide(state) {
      const busy = new Set<string>();
      for (const call of state.calls) if (call.agentId !== undefined) busy.add(call.agentId);
      const agentIds: string[] = [];
      for (const agent of state.agents) {
        if (agent.state === AgentState.Ready && agent.previewConfirmed === true && !busy.has(agent.id)) agentIds.push(agent.id);
      }
      return { launch: agentIds.length, reason: 'preview', inputs: { confirmed: agentIds.length, inFlight: state.calls.length }, agentIds };
    },
  };
}
