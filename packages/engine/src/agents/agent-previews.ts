import { ContactState, contactLifecycle, PacelineError } from '@paceline/core';
import type { EngineCore } from '../engine-core';

/**
 * Preview mode, the agent's side: the pacing loop offers a ready agent a contact to review
 * (`preview` event); the agent confirms it (the next pacing round dials it, and only that agent
 * takes its live answer) or skips it (back to the hopper, the next one is offered).
 */
export class AgentPreviews {
  constructor(readonly core: EngineCore) {}

  /** The agent has reviewed the offered contact and wants it dialled. */
  confirm(agentId: string): void {
    const agent = this.core.parts.agents.agent(agentId);
    if (!agent.preview) throw new PacelineError('E_CONFLICT', `confirmPreview: agent ${agentId} has no contact in preview`);
    agent.preview.confirmed = true;
    this.core.parts.campaigns.tick(this.core.parts.campaigns.campaign(agent.preview.campaignId));
  }

  /** The agent passes on the offered contact: it goes back to the hopper. */
  async skip(agentId: string): Promise<void> {
    const agent = this.core.parts.agents.agent(agentId);
    const preview = agent.preview;
    if (!preview) throw new PacelineError('E_CONFLICT', `skipPreview: agent ${agentId} has no contact in preview`);
    delete agent.preview;
    const { record } = preview;
    await this.core.store.updateContact({
      ...record,
      state: contactLifecycle.transition(record.state, ContactState.Ready, record.contact.id),
    });
    this.core.parts.campaigns.tick(this.core.parts.campaigns.campaign(preview.campaignId));
  }
}
