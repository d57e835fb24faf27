import { CampaignState, ContactState, contactLifecycle, PacelineError } from '@paceline/core';
import type { EngineCore } from '../engine-core';

/** A callback booked outside a call: when, why (shown to the agent on connect), and for whom (absent = anyone). */
export interface CallbackBooking {
  readonly dueAt: number;
  readonly reason: string;
  readonly agentId?: string;
}

/**
 * Book a callback for a contact outside a call — after a failed delivery, a complaint, a
 * follow-up. Refused for a campaign that no longer runs, a DNC contact, or a contact being
 * dialled right now; retried a few times when the contact changes under it. The compliance
 * gate still decides at dial time.
 */
export async function scheduleCallback(core: EngineCore, campaignId: string, contactId: string, callback: CallbackBooking): Promise<void> {
  const run = core.parts.campaigns.campaign(campaignId);
  if (run.state === CampaignState.Completed || run.state === CampaignState.Stopped || run.state === CampaignState.Archived) {
    throw new PacelineError(
      'E_CONFLICT',
      `scheduleCallback: campaign ${campaignId} is ${run.state}; book the callback in a campaign that still runs`,
    );
  }
  if (!Number.isFinite(callback.dueAt))
    throw new PacelineError('E_INVALID_INPUT', `scheduleCallback: dueAt: expected epoch ms, got ${callback.dueAt}`);
  for (let tries = 0; tries < 3; tries++) {
    const record = await core.store.getContact(campaignId, contactId);
    if (!record) throw new PacelineError('E_NOT_FOUND', `scheduleCallback: no contact ${contactId} in campaign ${campaignId}`);
    if (record.state === ContactState.Dnc) {
      throw new PacelineError('E_DNC_BLOCKED', `scheduleCallback: contact ${contactId} is on a do-not-call list; it cannot be called back`);
    }
    if (record.state === ContactState.Queued || record.state === ContactState.Dialing) {
      throw new PacelineError('E_CONFLICT', `scheduleCallback: contact ${contactId} is being dialled right now; try again after the call`);
    }
    if (record.state !== ContactState.Callback) contactLifecycle.transition(record.state, ContactState.Callback, contactId);
    const { callbackAgentId: _agent, ...rest } = record;
    const updated = await core.store.updateContact({
      ...rest,
      state: ContactState.Callback,
      dueAt: callback.dueAt,
      callbackReason: callback.reason,
      ...(callback.agentId === undefined ? {} : { callbackAgentId: callback.agentId }),
    });
    if (updated) {
      core.parts.campaigns.tick(run);
      return;
    }
  }
  throw new PacelineError('E_CONFLICT', `scheduleCallback: contact ${contactId} kept changing; try again`);
}
