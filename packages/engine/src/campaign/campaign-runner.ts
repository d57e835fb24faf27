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
