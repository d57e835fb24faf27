import { type Campaign, CampaignState, campaignLifecycle, PacelineError } from '@paceline/core';
import type { HookRunner } from '@paceline/scripting';
import type { CampaignRuntime, EngineCore } from '../engine-core';

/** A campaign's run: its runtime record, state changes, the pacing tick and completion. */
export class CampaignRunner {
  constructor(readonly core: EngineCore) {}

  runtime(campaign: Campaign, state: CampaignState): CampaignRuntime {
    return {
      campaign,
      state,
      pacer: this.core.deps.createPacer(campaign),
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

  hooksFor(campaign: Campaign): HookRunner | undefined {
    const runner = this.core.deps.hooksFor?.(campaign);
    runner?.events.on('hookFailed', (failure) => this.core.events.emit('hookFailed', { campaignId: campaign.id, failure }));
    return runner;
  }

  async run(rt: CampaignRuntime): Promise<void> {
    await this.setCampaignState(rt, CampaignState.Running);
    this.startTicking(rt);
  }

  startTicking(rt: CampaignRuntime): void {
    this.stopTicking(rt);
    const loop = () => {
      rt.tickTimer = this.core.deps.clock.setTimer(this.core.deps.tickIntervalMs, loop);
      this.tick(rt);
    };
    rt.tickTimer = this.core.deps.clock.setTimer(0, loop);
  }

  stopTicking(rt: CampaignRuntime): void {
    if (rt.tickTimer !== undefined) this.core.deps.clock.clearTimer(rt.tickTimer);
    delete rt.tickTimer;
  }

  /** Run one pacing round now, or right after the one in progress. */
  tick(rt: CampaignRuntime): void {
    if (rt.state !== CampaignState.Running || this.core.closed) return;
    if (rt.ticking) {
      rt.tickAgain = true;
      return;
    }
    rt.ticking = true;
    const round = async () => {
      try {
        do {
          rt.tickAgain = false;
          await this.core.parts.pacing.paceOnce(rt);
        } while (rt.tickAgain && rt.state === CampaignState.Running && !this.core.closed);
      } finally {
        rt.ticking = false;
      }
    };
    this.core.guard(`pacing ${rt.campaign.id}`, round());
  }

  /**
   * A campaign completes when its list is exhausted — unless it is scheduled to run until a
   * later `schedule.endAt`: then it stays running (idle) so callbacks booked later, e.g. after
   * a failed delivery, are still dialled, and completes at its end.
   */
  async maybeComplete(rt: CampaignRuntime): Promise<void> {
    const endAt = rt.campaign.schedule?.endAt;
    const now = this.core.deps.clock.now();
    // Until its end the campaign stays running; the pacing loop completes it there (`#outsideSchedule`).
    if (endAt !== undefined && now < endAt) return;
    if (endAt !== undefined && !this.hasCallsFor(rt) && rt.state === CampaignState.Running) {
      // The end has come: what is left of the list stays as it is.
      await this.setCampaignState(rt, CampaignState.Completed);
      this.stopTicking(rt);
      return;
    }
    const counts = await this.core.store.countContacts(rt.campaign.id);
    const open = counts.ready + counts.queued + counts.dialing + counts.waiting + counts.callback;
    if (open === 0 && !this.hasCallsFor(rt) && counts.done + counts.dnc > 0 && rt.state === CampaignState.Running) {
      await this.setCampaignState(rt, CampaignState.Completed);
      this.stopTicking(rt);
    }
  }

  async setCampaignState(rt: CampaignRuntime, to: CampaignState): Promise<void> {
    const from = rt.state;
    rt.state = campaignLifecycle.transition(from, to, rt.campaign.id);
    const at = this.core.deps.clock.now();
    await this.core.store.putCampaign({ campaign: rt.campaign, state: to, updatedAt: at });
    this.core.events.emit('campaignStateChanged', { campaignId: rt.campaign.id, from, to, at });
  }

  campaign(campaignId: string): CampaignRuntime {
    const rt = this.core.campaigns.get(campaignId);
    if (!rt) throw new PacelineError('E_NOT_FOUND', `no campaign "${campaignId}"; add it with addCampaign first`);
    return rt;
  }

  hasCallsFor(rt: CampaignRuntime): boolean {
    for (const c of this.core.calls.values()) if (c.rt === rt) return true;
    return false;
  }
}
