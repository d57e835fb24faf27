import { type AgentState, agentLifecycle } from '@paceline/core';
import { amdReport } from '../amd-calibration';
import type { CampaignStatus, EngineCore } from '../engine-core';

/** A campaign's live numbers (dashboard, demo progress line): contacts, agents, calls, the abandon ledger, the hold. */
export async function campaignStatus(core: EngineCore, campaignId: string): Promise<CampaignStatus> {
  const run = core.parts.campaigns.campaign(campaignId);
  const contacts = await core.store.countContacts(campaignId);
  const total = Object.values(contacts).reduce((a, b) => a + b, 0);
  const agents = Object.fromEntries(agentLifecycle.states.map((s) => [s, 0])) as Record<AgentState, number>;
  for (const a of core.agents.values()) if (a.campaigns.has(campaignId)) agents[a.state]++;
  const window = await core.parts.ledger.abandonWindow(run);
  return {
    campaignId,
    state: run.state,
    contacts,
    penetration: total === 0 ? 0 : (contacts.done + contacts.dnc) / total,
    agents,
    callsInFlight: [...core.calls.values()].filter((c) => c.run === run).length,
    liveAnswers: window.liveAnswers,
    abandoned: window.abandoned,
    abandonRate: window.liveAnswers === 0 ? 0 : window.abandoned / window.liveAnswers,
    abandonWindowMs: window.windowMs, // issue-24: which window the law measures
    ...(run.lastDecision ? { lastDecision: { ...run.lastDecision } } : {}),
    ...(run.hold ? { held: { reasons: run.hold.reasons, messages: run.hold.messages, since: run.hold.since } } : {}),
    dials: run.dials,
    sales: run.sales,
    amdFalsePositives: amdReport(core.amdCalibration, campaignId),
  };
}
