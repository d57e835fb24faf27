import {
  type Campaign,
  type CampaignInput,
  CampaignState,
  campaignLifecycle,
  PacelineError,
  type PacingOptions,
  parseCampaign,
} from '@paceline/core';
import type { HookRunner } from '@paceline/scripting';
import { defaultPacer } from '../default-pacer';
import type { CampaignRuntime, EngineCore } from '../engine-core';
import { type BlendSeam, createBlendedCampaignPacer, createBlendSeam } from '../inbound/blended-pacer'; // issue-23 23-wire2
import type { CampaignPacer } from '../ports';

/** A campaign's run: added, started (on schedule), paused, stopped, re-paced, recovered; its state changes, the pacing tick and completion. */
export class CampaignRunner {
  constructor(readonly core: EngineCore) {}

  runtime(campaign: Campaign, state: CampaignState): CampaignRuntime {
    return {
      campaign,
      state,
      ...this.pacerFor(campaign), // issue-23 23-wire2: the blended pacer under the `demand` model
      hooks: this.hooksFor(campaign),
      ticking: false,
      tickAgain: false,
      waiting: [],
      pooled: [],
      dials: 0,
      sales: 0,
      liveAnswers: 0,
      abandoned: 0,
    };
  }

  /**
   * issue-23 23-wire2: a predictive campaign on a dialer whose blend runs the `demand` model,
   * with the default pacing, gets the blended pacer (inbound/blended-pacer.ts) and its seam;
   * every other campaign the host's (or default) pacer, as before.
   */
  pacerFor(campaign: Campaign, current: () => Campaign = () => campaign): { pacer: CampaignPacer; blend?: BlendSeam } {
    const demand = this.core.deps.inbound?.blend.inboundModel === 'demand';
    if (!demand || campaign.dialMode !== 'predictive' || this.core.deps.createPacer !== defaultPacer) {
      return { pacer: this.core.deps.createPacer(campaign) };
    }
    const blend = createBlendSeam(this.core, current);
    return { pacer: createBlendedCampaignPacer(campaign, blend), blend };
  }

  hooksFor(campaign: Campaign): HookRunner | undefined {
    const runner = this.core.deps.hooksFor?.(campaign);
    runner?.events.on('hookFailed', (failure) => this.core.events.emit('hookFailed', { campaignId: campaign.id, failure }));
    return runner;
  }

  /** Validate and add a campaign (state draft). Throws `E_INVALID_CAMPAIGN` or `E_CONFLICT`. */
  async add(input: CampaignInput): Promise<Campaign> {
    const campaign = parseCampaign(input);
    if (this.core.campaigns.has(campaign.id) || (await this.core.store.getCampaign(campaign.id))) {
      throw new PacelineError('E_CONFLICT', `campaign ${campaign.id} already exists; pick another id`, { campaignId: campaign.id });
    }
    this.core.deps.compliance.assertCampaign(campaign);
    await this.core.store.putCampaign({ campaign, state: CampaignState.Draft, updatedAt: this.core.deps.clock.now() });
    this.core.campaigns.set(campaign.id, this.runtime(campaign, CampaignState.Draft));
    return campaign;
  }

  /** Draft → scheduled → running (at `schedule.startAt` if it is later). */
  async start(run: CampaignRuntime): Promise<void> {
    await this.setCampaignState(run, CampaignState.Scheduled);
    const startAt = run.campaign.schedule?.startAt ?? 0;
    const now = this.core.deps.clock.now();
    if (startAt > now) {
      run.scheduleTimer = this.core.deps.clock.setTimer(startAt - now, () => {
        this.core.guard('scheduled start', this.run(run));
      });
      return;
    }
    await this.run(run);
  }

  /** No new dials; calls in flight finish and live answers still reach agents. */
  async pause(run: CampaignRuntime): Promise<void> {
    await this.setCampaignState(run, CampaignState.Paused);
    this.stopTicking(run);
  }

  /** Stop for good: no new dials; calls in flight finish. */
  async stop(run: CampaignRuntime): Promise<void> {
    await this.setCampaignState(run, CampaignState.Stopped);
    this.stopTicking(run);
    if (run.scheduleTimer) this.core.deps.clock.clearTimer(run.scheduleTimer);
  }

  /** Change pacing settings live (validated like a new campaign); the pacer starts afresh. */
  async updatePacing(run: CampaignRuntime, patch: Partial<PacingOptions> & { dialMode?: Campaign['dialMode'] }): Promise<Campaign> {
    const { dialMode, ...pacing } = patch;
    const campaign = parseCampaign({ ...run.campaign, ...(dialMode ? { dialMode } : {}), pacing: { ...run.campaign.pacing, ...pacing } });
    run.campaign = campaign;
    const { pacer, blend } = this.pacerFor(campaign, () => run.campaign); // issue-23 23-wire2
    run.pacer = pacer;
    if (blend) run.blend = blend;
    else delete run.blend;
    await this.core.store.putCampaign({ campaign, state: run.state, updatedAt: this.core.deps.clock.now() });
    this.tick(run);
    return campaign;
  }

  /**
   * After a restart: load the store's campaigns, reconcile attempts in an unknown state (without
   * leadership; with it, the node that takes the lease does), restart the running ones.
   */
  async recover(): Promise<{ campaigns: number; reconciled: number }> {
    let reconciled = 0;
    const records = await this.core.store.listCampaigns();
    const now = this.core.deps.clock.now();
    for (const record of records) {
      if (this.core.campaigns.has(record.campaign.id)) continue;
      const run = this.runtime(record.campaign, record.state);
      this.core.campaigns.set(record.campaign.id, run);
      // With leadership, the calls may belong to a live leader elsewhere: the node that takes
      // the lease reconciles them then, not every node at start.
      if (!this.core.deps.leadership) reconciled += await this.core.parts.recovery.reconcile(run, now);
      if (record.state === CampaignState.Running) this.startTicking(run);
    }
    return { campaigns: records.length, reconciled };
  }

  async run(run: CampaignRuntime): Promise<void> {
    await this.setCampaignState(run, CampaignState.Running);
    this.startTicking(run);
  }

  startTicking(run: CampaignRuntime): void {
    this.stopTicking(run);
    const loop = () => {
      run.tickTimer = this.core.deps.clock.setTimer(this.core.deps.tickIntervalMs, loop);
      this.tick(run);
    };
    run.tickTimer = this.core.deps.clock.setTimer(0, loop);
  }

  stopTicking(run: CampaignRuntime): void {
    if (run.tickTimer !== undefined) this.core.deps.clock.clearTimer(run.tickTimer);
    delete run.tickTimer;
  }

  /** Run one pacing round now, or right after the one in progress. */
  tick(run: CampaignRuntime): void {
    if (run.state !== CampaignState.Running || this.core.closed) return;
    if (run.ticking) {
      run.tickAgain = true;
      return;
    }
    run.ticking = true;
    const round = async () => {
      try {
        do {
          run.tickAgain = false;
          await this.core.parts.pacing.paceOnce(run);
        } while (run.tickAgain && run.state === CampaignState.Running && !this.core.closed);
      } finally {
        run.ticking = false;
      }
    };
    this.core.guard(`pacing ${run.campaign.id}`, round());
  }

  /**
   * A campaign completes when its list is exhausted — unless it is scheduled to run until a
   * later `schedule.endAt`: then it stays running (idle) so callbacks booked later, e.g. after
   * a failed delivery, are still dialled, and completes at its end.
   */
  async maybeComplete(run: CampaignRuntime): Promise<void> {
    const endAt = run.campaign.schedule?.endAt;
    const now = this.core.deps.clock.now();
    // Until its end the campaign stays running; the pacing loop completes it there (`#outsideSchedule`).
    if (endAt !== undefined && now < endAt) return;
    if (endAt !== undefined && !this.hasCallsFor(run) && run.state === CampaignState.Running) {
      // The end has come: what is left of the list stays as it is.
      await this.setCampaignState(run, CampaignState.Completed);
      this.stopTicking(run);
      return;
    }
    const counts = await this.core.store.countContacts(run.campaign.id);
    const open = counts.ready + counts.queued + counts.dialing + counts.waiting + counts.callback;
    if (open === 0 && !this.hasCallsFor(run) && counts.done + counts.dnc > 0 && run.state === CampaignState.Running) {
      await this.setCampaignState(run, CampaignState.Completed);
      this.stopTicking(run);
    }
  }

  async setCampaignState(run: CampaignRuntime, to: CampaignState): Promise<void> {
    const from = run.state;
    run.state = campaignLifecycle.transition(from, to, run.campaign.id);
    const at = this.core.deps.clock.now();
    await this.core.store.putCampaign({ campaign: run.campaign, state: to, updatedAt: at });
    this.core.events.emit('campaignStateChanged', { campaignId: run.campaign.id, from, to, at });
  }

  campaign(campaignId: string): CampaignRuntime {
    const run = this.core.campaigns.get(campaignId);
    if (!run) throw new PacelineError('E_NOT_FOUND', `no campaign "${campaignId}"; add it with addCampaign first`);
    return run;
  }

  hasCallsFor(run: CampaignRuntime): boolean {
    for (const c of this.core.calls.values()) if (c.run === run) return true;
    return false;
  }
}
