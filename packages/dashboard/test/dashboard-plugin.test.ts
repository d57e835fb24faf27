import { type Campaign, parseCampaign, VirtualClock } from '@paceline/core';
import type { CampaignStatus, DialerEvents } from '@paceline/engine';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { type DashboardDialer, dashboardPlugin } from '../src/index';

const TOKEN = 'a-token-of-sixteen-chars';
const campaign: Campaign = parseCampaign({
  id: 'c1',
  name: '<script>alert(1)</script>',
  goal: 'retention',
  dialMode: 'predictive',
  complianceProfile: 'us-federal',
  callerId: '+12125550100',
  homeTimeZone: 'America/New_York',
});

function fakeDialer(): DashboardDialer & { calls: string[] } {
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

async function mount(dialer = fakeDialer()) {
  const app = Fastify();
  await app.register(dashboardPlugin, { prefix: '/dash', dialer, campaigns: [campaign], token: TOKEN, clock: new VirtualClock(0) });
  return { app, dialer };
}

describe('dashboardPlugin', () => {
  it('answers 401 on every route without the token, and refuses a short token', async () => {
    const { app } = await mount();
    for (const url of ['/dash/', '/dash/events', '/dash/api/campaigns', '/dash/assets/chart.js']) {
      expect((await app.inject({ url })).statusCode).toBe(401);
    }
    expect((await app.inject({ method: 'POST', url: '/dash/api/campaigns/c1/pause' })).statusCode).toBe(401);
    const short = Fastify();
    await expect(
      short.register(dashboardPlugin, { dialer: fakeDialer(), campaigns: [campaign], token: 'short', clock: new VirtualClock(0) }).ready(),
    ).rejects.toThrow(/at least 16 characters/);
  });

  it('lets the page in with ?token= once (HttpOnly cookie) and serves escaped markup under a strict CSP', async () => {
    const { app } = await mount();
    const page = await app.inject({ url: `/dash/?token=${TOKEN}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['set-cookie']).toContain('HttpOnly; SameSite=Strict');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const cookie = String(page.headers['set-cookie']).split(';')[0] as string;
    const api = await app.inject({ url: '/dash/api/campaigns', headers: { cookie } });
    expect(api.json().campaigns[0]).toMatchObject({
      campaignId: 'c1',
      name: '<script>alert(1)</script>',
      hopperDepth: 6,
      dialRatio: 1.5,
      held: { reasons: ['registry-stale'], since: 0 },
    });
  });

  it('controls the campaign only with the write header, and rejects pacing outside the limits', async () => {
    const { app, dialer } = await mount();
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await app.inject({ method: 'POST', url: '/dash/api/campaigns/c1/pause', headers: auth })).statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: '/dash/api/campaigns/c1/pause', headers: { ...auth, 'x-paceline-dashboard': '1' } });
    expect(ok.statusCode).toBe(200);
    expect(dialer.calls).toEqual(['pause']);
    const missing = await app.inject({
      method: 'POST',
      url: '/dash/api/campaigns/nope/stop',
      headers: { ...auth, 'x-paceline-dashboard': '1' },
    });
    expect(missing.statusCode).toBe(404);
    const tooHigh = await app.inject({
      method: 'POST',
      url: '/dash/api/campaigns/c1/pacing',
      headers: { ...auth, 'x-paceline-dashboard': '1' },
      payload: { abandonTarget: 0.05 },
    });
    expect(tooHigh.statusCode).toBe(400);
    expect(tooHigh.json().error).toContain('campaign.pacing.abandonTarget');
    const upload = await app.inject({
      method: 'POST',
      url: '/dash/api/campaigns/c1/lists',
      headers: { ...auth, 'x-paceline-dashboard': '1', 'content-type': 'text/csv' },
      payload: 'phone\n1\n',
    });
    expect(upload.statusCode).toBe(501);
  });
});
