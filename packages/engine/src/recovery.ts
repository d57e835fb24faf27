import { ContactState } from '@paceline/core';
import type { CampaignRuntime, EngineCore } from './engine-core';
import { recycle } from './recycle';

/** Reconciliation of calls left in an unknown state (after a restart or a leader's death). */
export class Recovery {
  constructor(readonly core: EngineCore) {}

  /**
   * Calls in an unknown state — open attempts this process does not run — are ended as failed
   * and their contacts recycled (so never redialled before their retry time); contacts claimed
   * but never dialled go back to the hopper. Returns how many attempts were reconciled.
   */
  async reconcile(run: CampaignRuntime, now: number): Promise<number> {
    let reconciled = 0;
    const campaignId = run.campaign.id;
    for (const attempt of await this.core.store.listOpenAttempts(campaignId)) {
      if (this.core.calls.has(attempt.id)) continue;
      await this.core.store.putAttempt({ ...attempt, endedAt: now, outcome: 'failed' });
      const contact = await this.core.store.getContact(campaignId, attempt.contactId);
      if (contact?.state === ContactState.Dialing)
        await this.core.parts.dispositions.applyRecycle(run, contact, recycle(run.campaign, contact, { outcome: 'failed' }, now));
      reconciled++;
    }
    // A contact can also be left `dialing` after its call ended but before the disposition
    // (the agent was in wrap-up when the node died): recycle it on its last outcome.
    const ours = new Set([...this.core.calls.values()].map((c) => c.attempt.contactId));
    for (const dialing of await this.core.store.listContacts(campaignId, ContactState.Dialing)) {
      if (ours.has(dialing.contact.id)) continue;
      const last = (await this.core.store.listAttempts(campaignId, dialing.contact.id)).at(-1);
      await this.core.parts.dispositions.applyRecycle(
        run,
        dialing,
        recycle(run.campaign, dialing, { outcome: last?.outcome ?? 'failed' }, now),
      );
      reconciled++;
    }
    for (const queued of await this.core.store.listContacts(campaignId, ContactState.Queued)) {
      await this.core.store.updateContact({ ...queued, state: ContactState.Ready });
    }
    return reconciled;
  }
}
