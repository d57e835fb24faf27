import { CampaignState } from '@paceline/core';
import { pacingLease } from '../engine-constants';
import type { CampaignRuntime, EngineCore } from '../engine-core';

/** Per-campaign pacing leadership (distributed mode): hold, renew, take over or release the campaign's lease. */
export class Leadership {
  constructor(readonly core: EngineCore) {}

  /**
   * Distributed mode: hold (or take) the campaign's pacing lease before pacing. Renewed every
   * third of its TTL; a failed renewal means another node leads now, so this one stops at
   * once. On taking over, the campaign is re-read (another node may have changed it) and the
   * previous leader's calls are reconciled.
   *
   * A node stands for a campaign only while it can serve it — an agent of the campaign is
   * logged in here (or the campaign is agentless) — so campaigns are led where their agents
   * are. A leader left without agents and without calls in flight releases the lease.
   */
  async lead(run: CampaignRuntime, now: number): Promise<boolean> {
    const leadership = this.core.deps.leadership;
    const lease = this.core.lease;
    if (!leadership || !lease) return true;
    const name = pacingLease(run.campaign.id);
    const { ttlMs } = leadership;
    const serves = run.campaign.dialMode === 'agentless' || this.core.parts.agents.hasAgentsFor(run.campaign.id);
    if (run.leader && !serves && !this.core.parts.campaigns.hasCallsFor(run)) {
      const { token } = run.leader;
      delete run.leader;
      await lease.release(name, this.core.nodeId, token);
      this.core.events.emit('leadershipChanged', { campaignId: run.campaign.id, leader: false, at: now });
      return false;
    }
    if (run.leader) {
      if (now - run.leader.renewedAt < ttlMs / 3) return true;
      if (await lease.renew(name, this.core.nodeId, run.leader.token, ttlMs, now)) {
        run.leader.renewedAt = now;
        return true;
      }
      delete run.leader;
      this.core.events.emit('leadershipChanged', { campaignId: run.campaign.id, leader: false, at: now });
      return false;
    }
    if (!serves) return false;
    const token = await lease.acquire(name, this.core.nodeId, ttlMs, now);
    if (token === undefined) return false;
    run.leader = { token, renewedAt: now };
    const record = await this.core.store.getCampaign(run.campaign.id);
    if (record) {
      run.campaign = record.campaign;
      run.state = record.state;
    }
    const reconciled = await this.core.parts.recovery.reconcile(run, now);
    this.core.events.emit('leadershipChanged', { campaignId: run.campaign.id, leader: true, at: now, token, reconciled });
    return run.state === CampaignState.Running;
  }
}
