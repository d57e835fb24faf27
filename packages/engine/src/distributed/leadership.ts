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
  async lead(rt: CampaignRuntime, now: number): Promise<boolean> {
    const leadership = this.core.deps.leadership;
    const lease = this.core.lease;
    if (!leadership || !lease) return true;
    const name = pacingLease(rt.campaign.id);
    const { ttlMs } = leadership;
    const serves = rt.campaign.dialMode === 'agentless' || this.core.parts.agents.hasAgentsFor(rt.campaign.id);
    if (rt.leader && !serves && !this.core.parts.campaigns.hasCallsFor(rt)) {
      const { token } = rt.leader;
      delete rt.leader;
      await lease.release(name, this.core.nodeId, token);
      this.core.events.emit('leadershipChanged', { campaignId: rt.campaign.id, leader: false, at: now });
      return false;
    }
    if (rt.leader) {
      if (now - rt.leader.renewedAt < ttlMs / 3) return true;
      if (await lease.renew(name, this.core.nodeId, rt.leader.token, ttlMs, now)) {
        rt.leader.renewedAt = now;
        return true;
      }
      delete rt.leader;
      this.core.events.emit('leadershipChanged', { campaignId: rt.campaign.id, leader: false, at: now });
      return false;
    }
    if (!serves) return false;
    const token = await lease.acquire(name, this.core.nodeId, ttlMs, now);
    if (token === undefined) return false;
    rt.leader = { token, renewedAt: now };
    const record = await this.core.store.getCampaign(rt.campaign.id);
    if (record) {
      rt.campaign = record.campaign;
      rt.state = record.state;
    }
    const reconciled = await this.core.parts.recovery.reconcile(rt, now);
    this.core.events.emit('leadershipChanged', { campaignId: rt.campaign.id, leader: true, at: now, token, reconciled });
    return rt.state === CampaignState.Running;
  }
}
