import { type Campaign, parseCampaign } from '@paceline/core';
import type { CampaignStatus, DialerEvents } from '@paceline/engine';
import type { DashboardDialer } from '../../src/index';

// The dashboard unit tests' shared set-up: a manager token, a campaign whose name is markup,
// and a dialer that answers with a fixed, held status and records the controls it was sent.

/** A manager token (16+ characters). */
export const TOKEN = 'a-token-of-sixteen-chars';
/** A retention campaign whose name is a script tag (the page must render it as text). */
export const campaign: Campaign = parseCampaign({
  id: 'c1',
  name: '<script>alert(1)</script>',
  goal: 'retention',
  dialMode: 'predictive',
  complianceProfile: 'us-federal',
  callerId: '+12125550100',
  homeTimeZone: 'America/New_York',
});

/** A dialer with one running, held campaign (`c1`); `calls` lists the controls it was sent. */
export function fakeDialer(): DashboardDialer & { calls: string[] } {
  const calls: string[] = [];
  const status: CampaignStatus = {
    campaignId: 'c1',
    state: 'running' as CampaignStatus['state'],
    contacts: { ready: 5, queued: 1, dialing: 0, waiting: 0, callback: 0, done: 4, dnc: 0 },
    penetration: 0.4,
    agents: { 'logged-out': 0, ready: 1, reserved: 0, 'on-call': 1, 'wrap-up': 0, 'not-ready': 0 },
    callsInFlight: 3,
    liveAnswers: 0,
    abandoned: 0,
    abandonRate: 0,
    held: {
      reasons: ['registry-stale'],
      messages: ['registry "us-national" (us-national) is 40 days old; us-federal allows 31: load a fresh copy'],
      since: 0,
    },
    dials: 10,
    sales: 0,
  };
  return {
    calls,
    on:
      <K extends keyof DialerEvents>(_event: K, _listener: (...args: DialerEvents[K]) => void) =>
      () => {},
    status: async () => status,
    abandonCounts: async () => ({ liveAnswers: 0, abandoned: 0 }),
    start: async () => void calls.push('start'),
    pause: async () => void calls.push('pause'),
    resume: async () => void calls.push('resume'),
    stop: async () => void calls.push('stop'),
    updatePacing: async (_id, patch) => parseCampaign({ ...campaign, pacing: { ...campaign.pacing, ...patch } }),
  };
}
