import { AgentState, type Attempt, CallState, CampaignState, type ContactRecord, ContactState } from '@paceline/core';
import { RELAUNCH_DELAY_MS, STALE_CLAIM_MS } from '../engine-constants';
import type { CampaignRuntime, EngineCore } from '../engine-core';
import type { ObservedAgent, ObservedCall } from '../ports';

/** One pacing round of a campaign: what the pacer observes, its decision, the hopper claim (stale claims handed back) and previews. */
export class PacingLoop {
  constructor(readonly core: EngineCore) {}

  async paceOnce(rt: CampaignRuntime): Promise<void> {
    const now = this.core.deps.clock.now();
    if (!(await this.core.parts.leadership.lead(rt, now))) return;
    // Calls in flight are served whatever happens to new dials: their live answers still go to
    // other nodes' agents, and a dead agent node's calls are still ended.
    if (this.core.pool) await this.core.parts.poolLeader.refreshPool(rt, now);
    if (
      this.core.parts.gates.outsideSchedule(rt, now) ||
      this.core.parts.gates.stillHeld(rt, now) ||
      this.core.parts.gates.outsideHours(rt, now)
    )
      return;
    const window = await this.core.parts.ledger.abandonWindow(rt);
    const agents: ObservedAgent[] = [];
    for (const a of this.core.agents.values()) {
      if (a.campaigns.has(rt.campaign.id) && a.state !== AgentState.LoggedOut) {
        const leaving = a.notReadyReason !== undefined && a.state !== AgentState.NotReady;
        const previewConfirmed = a.preview?.campaignId === rt.campaign.id && a.preview.confirmed;
        agents.push({
          id: a.agent.id,
          state: a.state,
          timeInStateMs: now - a.since,
          ...(leaving ? { leaving } : {}),
          ...(previewConfirmed ? { previewConfirmed } : {}),
        });
      }
    }
    for (const a of rt.pooled) agents.push({ id: a.agentId, state: a.state, timeInStateMs: now - a.since });
    const calls: ObservedCall[] = [];
    for (const c of this.core.calls.values()) {
      if (c.rt !== rt || c.state === CallState.Connected || c.state === CallState.Ended || c.state === CallState.Abandoned) continue;
      const phase = c.waiting
        ? 'waiting'
        : c.state === CallState.Ringing
          ? 'ringing'
          : c.state === CallState.Dialing
            ? 'dialing'
            : 'analysing';
      calls.push({
        id: c.attempt.id,
        ageMs: now - c.attempt.startedAt,
        phase,
        ...(c.forAgentId === undefined ? {} : { agentId: c.forAgentId }),
      });
    }
    if (rt.campaign.dialMode === 'preview') await this.offerPreviews(rt, now);
    const verdict = rt.pacer.decide({
      now,
      campaign: rt.campaign,
      agents: this.core.parts.inbound?.outboundAgents(agents, now) ?? agents, // issue-23: the blend's hold for inbound
      calls,
      liveAnswers: window.liveAnswers,
      abandoned: window.abandoned,
      windowMs: window.windowMs,
    });
    rt.lastDecision = { launch: verdict.launch, reason: verdict.reason, at: now };
    this.core.events.emit('pacingDecision', { campaignId: rt.campaign.id, at: now, verdict });
    if (verdict.launch <= 0) return;
    if (verdict.agentIds) {
      // Preview: dial exactly the contacts the named agents confirmed.
      for (const agentId of verdict.agentIds) {
        const agent = this.core.agents.get(agentId);
        const preview = agent?.preview;
        if (!agent || !preview?.confirmed || preview.campaignId !== rt.campaign.id) continue;
        delete agent.preview;
        await this.core.parts.launcher.launch(rt, preview.record, agentId);
      }
      return;
    }
    const agentIds = agents.filter((a) => a.state === AgentState.Ready).map((a) => a.id);
    const orphans = this.core.orphanedClaims;
    if (orphans.needsReconcile(rt.campaign.id)) {
      // An earlier claim or launch write went unanswered: its contact may sit claimed with no call.
      await this.core.parts.recovery.reconcile(rt, now);
      orphans.reconciled(rt.campaign.id);
    }
    const claimed = await this.core.store.claimDue(rt.campaign.id, now, verdict.launch, agentIds).catch((error: unknown) => {
      orphans.noteFailure(rt.campaign.id, error);
      throw error;
    });
    if (claimed.length < verdict.launch) {
      this.core.events.emit('hopperLow', { campaignId: rt.campaign.id, requested: verdict.launch, claimed: claimed.length, at: now });
    }
    if (this.core.deps.clock.now() - now > STALE_CLAIM_MS) {
      // The store was slow or away (a command queued through a reconnect): the agents the
      // decision counted may be busy by now. Hand the contacts back and decide again.
      this.core.deps.logger.warn(
        { campaignId: rt.campaign.id, claimMs: this.core.deps.clock.now() - now },
        'stale hopper claim handed back',
      );
      for (const record of claimed) this.unclaim(rt, record);
      rt.tickAgain = true;
      return;
    }
    for (const [i, record] of claimed.entries()) {
      if (rt.state !== CampaignState.Running || rt.hold) {
        this.unclaim(rt, record);
        continue;
      }
      try {
        await this.core.parts.launcher.launch(rt, record);
      } catch (error) {
        // The store failed mid-launch: nothing more is dialled; the rest goes back to the hopper.
        for (const rest of claimed.slice(i + 1)) this.unclaim(rt, rest);
        throw error;
      }
    }
    if (claimed.length === 0) await this.core.parts.campaigns.maybeComplete(rt);
  }

  /** Preview mode: give every ready agent without one the next contact to review. */
  async offerPreviews(rt: CampaignRuntime, now: number): Promise<void> {
    for (const a of this.core.agents.values()) {
      if (a.state !== AgentState.Ready || !a.campaigns.has(rt.campaign.id) || a.preview || a.callId) continue;
      const [record] = await this.core.store.claimDue(rt.campaign.id, now, 1, [a.agent.id]);
      if (!record) {
        this.core.events.emit('hopperLow', { campaignId: rt.campaign.id, requested: 1, claimed: 0, at: now });
        return;
      }
      a.preview = { campaignId: rt.campaign.id, record, confirmed: false };
      this.core.events.emit('preview', {
        campaignId: rt.campaign.id,
        agentId: a.agent.id,
        contact: record.contact,
        attempts: record.attempts,
      });
    }
  }

  /**
   * Give a claimed contact back (retried until the store takes it): still `queued` → `ready`;
   * `dialing` without a call here (the launch failed after marking it) → `waiting` for
   * `RELAUNCH_DELAY_MS` with its attempt count restored — a launch that never reached the
   * trunk does not count against the contact.
   */
  unclaim(rt: CampaignRuntime, claimed: ContactRecord, attempt?: Attempt): Promise<void> {
    const campaignId = rt.campaign.id;
    const contactId = claimed.contact.id;
    const work = this.core.parts.writes.durable(`unclaim ${contactId}`, async () => {
      const now = this.core.deps.clock.now();
      if (attempt) await this.core.store.putAttempt({ ...attempt, endedAt: now, outcome: 'failed' });
      const current = await this.core.store.getContact(campaignId, contactId);
      if (current?.state === ContactState.Queued) {
        await this.core.store.updateContact({ ...current, state: ContactState.Ready });
      } else if (current?.state === ContactState.Dialing && ![...this.core.calls.values()].some((c) => c.attempt.contactId === contactId)) {
        await this.core.store.updateContact({
          ...current,
          state: ContactState.Waiting,
          attempts: claimed.attempts,
          dueAt: now + RELAUNCH_DELAY_MS,
        });
      }
    });
    return work.catch((error) => this.core.report(`unclaim ${contactId}`, error));
  }
}
