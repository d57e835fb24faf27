import { AgentState, type Attempt, CampaignState, type ContactRecord, ContactState } from '@paceline/core';
import { CallPhase } from '../call/call-machine';
import { RELAUNCH_DELAY_MS, STALE_CLAIM_MS } from '../engine-constants';
import type { CallRuntime, CampaignRuntime, EngineCore } from '../engine-core';
import type { ObservedAgent, ObservedCall, PacingDecision } from '../ports';

/** One pacing round of a campaign: what the pacer observes, its decision, the hopper claim (stale claims handed back) and previews. */
export class PacingLoop {
  constructor(readonly core: EngineCore) {}

  async paceOnce(run: CampaignRuntime): Promise<void> {
    const now = this.core.deps.clock.now();
    if (!(await this.core.parts.leadership.lead(run, now))) return;
    // Calls in flight are served whatever happens to new dials: their live answers still go to
    // other nodes' agents, and a dead agent node's calls are still ended.
    if (this.core.pool) await this.core.parts.poolLeader.refreshPool(run, now);
    if (
      this.core.parts.gates.outsideSchedule(run, now) ||
      this.core.parts.gates.stillHeld(run, now) ||
      this.core.parts.gates.outsideHours(run, now)
    )
      return;
    const window = await this.core.parts.ledger.abandonWindow(run);
    const agents: ObservedAgent[] = [];
    for (const a of this.core.agents.values()) {
      if (a.campaigns.has(run.campaign.id) && a.state !== AgentState.LoggedOut) {
        const leaving = a.notReadyReason !== undefined && a.state !== AgentState.NotReady;
        const previewConfirmed = a.preview?.campaignId === run.campaign.id && a.preview.confirmed;
        agents.push({
          id: a.agent.id,
          state: a.state,
          timeInStateMs: now - a.since,
          ...(leaving ? { leaving } : {}),
          ...(previewConfirmed ? { previewConfirmed } : {}),
        });
      }
    }
    for (const a of run.pooled) agents.push({ id: a.agentId, state: a.state, timeInStateMs: now - a.since });
    const calls: ObservedCall[] = [];
    for (const c of this.core.calls.values()) {
      const phase = c.run === run ? observedPhase(c) : undefined;
      if (phase === undefined) continue;
      const previewAgentId = c.snapshot.previewAgentId;
      calls.push({
        id: c.attempt.id,
        ageMs: now - c.attempt.startedAt,
        phase,
        ...(previewAgentId === undefined ? {} : { agentId: previewAgentId }),
      });
    }
    if (run.campaign.dialMode === 'preview') await this.offerPreviews(run, now);
    if (run.blend) {
      // issue-23 23-wire2: the blended pacer's calling day and the day's own abandon counts (never the compliance window's).
      run.blend.span = run.blend.tracker.spanAt(now);
      run.blend.day = run.blend.span ? await run.blend.ledger.since(run, run.blend.span.startMs) : undefined;
    }
    const verdict = run.pacer.decide({
      now,
      campaign: run.campaign,
      agents: this.core.parts.inbound?.outboundAgents(agents, now, run.blend) ?? agents, // issue-23: the blend's hold (23-wire2: and demand)
      calls,
      liveAnswers: window.liveAnswers,
      abandoned: window.abandoned,
      windowMs: window.windowMs,
    });
    run.lastDecision = { launch: verdict.launch, reason: verdict.reason, at: now };
    this.core.events.emit('pacingDecision', { campaignId: run.campaign.id, at: now, verdict });
    if (verdict.launch <= 0) return;
    if (!run.blend) return this.launchDecided(run, verdict, agents, now);
    // issue-23 23-router: the router rule counts the decided calls from now, not only once they exist (outbound-commitments.ts).
    run.blend.launching = verdict.launch;
    try {
      // issue-23 23-xnode: the launch ordered against other nodes' takes of the campaign's agents (the pool's atomic step).
      const allowed = (await this.core.parts.inbound?.launchAllowed?.(run, verdict.launch)) ?? verdict.launch;
      run.blend.launching = allowed;
      if (allowed <= 0) return;
      await this.launchDecided(run, allowed < verdict.launch ? { ...verdict, launch: allowed } : verdict, agents, now);
    } finally {
      run.blend.launching = 0;
    }
  }

  /** Claim the decided number of contacts and launch them (or, in preview, the named agents' confirmed contacts). */
  async launchDecided(run: CampaignRuntime, verdict: PacingDecision, agents: readonly ObservedAgent[], now: number): Promise<void> {
    if (verdict.agentIds) {
      // Preview: dial exactly the contacts the named agents confirmed.
      for (const agentId of verdict.agentIds) {
        const agent = this.core.agents.get(agentId);
        const preview = agent?.preview;
        if (!agent || !preview?.confirmed || preview.campaignId !== run.campaign.id) continue;
        delete agent.preview;
        await this.core.parts.launcher.launch(run, preview.record, agentId);
      }
      return;
    }
    const agentIds = agents.filter((a) => a.state === AgentState.Ready).map((a) => a.id);
    const orphans = this.core.orphanedClaims;
    if (orphans.needsReconcile(run.campaign.id)) {
      // An earlier claim or launch write went unanswered: its contact may sit claimed with no call.
      await this.core.parts.recovery.reconcile(run, now);
      orphans.reconciled(run.campaign.id);
    }
    const claimed = await this.core.store.claimDue(run.campaign.id, now, verdict.launch, agentIds).catch((error: unknown) => {
      orphans.noteFailure(run.campaign.id, error);
      throw error;
    });
    if (claimed.length < verdict.launch) {
      this.core.events.emit('hopperLow', { campaignId: run.campaign.id, requested: verdict.launch, claimed: claimed.length, at: now });
    }
    if (this.core.deps.clock.now() - now > STALE_CLAIM_MS) {
      // The store was slow or away (a command queued through a reconnect): the agents the
      // decision counted may be busy by now. Hand the contacts back and decide again.
      this.core.deps.logger.warn(
        { campaignId: run.campaign.id, claimMs: this.core.deps.clock.now() - now },
        'stale hopper claim handed back',
      );
      for (const record of claimed) this.unclaim(run, record);
      run.tickAgain = true;
      return;
    }
    for (const [i, record] of claimed.entries()) {
      if (run.state !== CampaignState.Running || run.hold) {
        this.unclaim(run, record);
        continue;
      }
      try {
        await this.core.parts.launcher.launch(run, record);
      } catch (error) {
        // The store failed mid-launch: nothing more is dialled; the rest goes back to the hopper.
        for (const rest of claimed.slice(i + 1)) this.unclaim(run, rest);
        throw error;
      }
    }
    if (claimed.length === 0) await this.core.parts.campaigns.maybeComplete(run);
  }

  /** Preview mode: give every ready agent without one the next contact to review. */
  async offerPreviews(run: CampaignRuntime, now: number): Promise<void> {
    for (const a of this.core.agents.values()) {
      if (a.state !== AgentState.Ready || !a.campaigns.has(run.campaign.id) || a.preview || a.callId) continue;
      const [record] = await this.core.store.claimDue(run.campaign.id, now, 1, [a.agent.id]);
      if (!record) {
        this.core.events.emit('hopperLow', { campaignId: run.campaign.id, requested: 1, claimed: 0, at: now });
        return;
      }
      a.preview = { campaignId: run.campaign.id, record, confirmed: false };
      this.core.events.emit('preview', {
        campaignId: run.campaign.id,
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
  unclaim(run: CampaignRuntime, claimed: ContactRecord, attempt?: Attempt): Promise<void> {
    const campaignId = run.campaign.id;
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

/**
 * A call as the pacer sees it: still setting up (dialing, ringing, analysing — an offered live
 * answer counts as analysing), or a live answer waiting for an agent; connected and finished
 * calls are not the pacer's (undefined).
 */
function observedPhase(call: CallRuntime): ObservedCall['phase'] | undefined {
  switch (call.snapshot.phase) {
    case CallPhase.Dialing:
      return 'dialing';
    case CallPhase.Ringing:
      return 'ringing';
    case CallPhase.Waiting:
      return call.run.waiting.includes(call) ? 'waiting' : 'analysing';
    case CallPhase.Analysing:
    case CallPhase.Offered:
      return 'analysing';
    default:
      return undefined;
  }
}
