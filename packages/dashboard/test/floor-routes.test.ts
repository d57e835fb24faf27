import { parseCampaign, VirtualClock } from '@paceline/core';
import { type DashboardAuditEvent, dashboardPlugin } from '@paceline/dashboard';
import type { CampaignStatus, DialerEvents } from '@paceline/engine';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { FLOOR_JS } from '../src/floor-script';
import { DASHBOARD_JS } from '../src/page';
import { SUPERVISE_JS } from '../src/supervise-script';

const MANAGER = 'floor-routes-manager-token';
const VIEWER = 'floor-routes-viewer-token!';
const WRITE = { 'x-paceline-dashboard': '1', authorization: `Bearer ${MANAGER}` };
const campaign = parseCampaign({
  id: 'c1',
  name: 'Floor routes',
  goal: 'retention',
  dialMode: 'predictive',
  complianceProfile: 'us-federal',
  callerId: '+12125550100',
  homeTimeZone: 'America/Chicago',
});

/** A dialer fake with an event bus the test drives, so the floor sees agents and calls. */
function busDialer() {
  const listeners = new Map<string, Array<(e: unknown) => void>>();
  const status: CampaignStatus = {
    campaignId: 'c1',
    state: 'running' as CampaignStatus['state'],
    contacts: { ready: 5, queued: 0, dialing: 0, waiting: 0, callback: 0, done: 0, dnc: 0 },
    penetration: 0,
    agents: { 'logged-out': 0, ready: 1, reserved: 0, 'on-call': 0, 'wrap-up': 0, 'not-ready': 0 },
    callsInFlight: 0,
    liveAnswers: 0,
    abandoned: 0,
    abandonRate: 0,
    dials: 0,
    sales: 0,
  };
  return {
    emit: (event: keyof DialerEvents, e: unknown) => {
      for (const l of listeners.get(event) ?? []) l(e);
    },
    dialer: {
      on: <K extends keyof DialerEvents>(event: K, listener: (...args: DialerEvents[K]) => void) => {
        const list = listeners.get(event) ?? [];
        list.push(listener as (e: unknown) => void);
        listeners.set(event, list);
        return () => {};
      },
      status: async () => status,
      abandonCounts: async () => ({ liveAnswers: 0, abandoned: 0 }),
      start: async () => {},
      pause: async () => {},
      resume: async () => {},
      stop: async () => {},
      updatePacing: async () => campaign,
    },
  };
}

async function mount() {
  const bus = busDialer();
  const clock = new VirtualClock(Date.UTC(2026, 10, 23, 15, 0));
  const audit: DashboardAuditEvent[] = [];
  const app = Fastify();
  await app.register(dashboardPlugin, {
    prefix: '/dash',
    dialer: bus.dialer,
    campaigns: [campaign],
    tokens: { manager: MANAGER, viewer: VIEWER },
    clock,
    onAudit: (e) => audit.push(e),
  });
  return { app, clock, audit, ...bus };
}

describe('the floor routes', () => {
  it('serve page scripts that parse (no inline script: the CSP forbids it)', () => {
    expect(() => new Function(DASHBOARD_JS)).not.toThrow();
    expect(() => new Function(FLOOR_JS)).not.toThrow();
    expect(() => new Function(SUPERVISE_JS)).not.toThrow();
  });

  it('refuse bad plans, forms, scores and breaks with the field named, and audit every write', async () => {
    const { app, audit } = await mount();
    const post = (url: string, payload: unknown) =>
      app.inject({ method: 'POST', url: `/dash${url}`, headers: WRITE, payload: payload as object });
    const bad = async (url: string, payload: unknown, status: number, message: string) => {
      const r = await post(url, payload);
      expect([r.statusCode, r.json().error]).toEqual([status, expect.stringContaining(message)]);
    };
    await bad('/api/campaigns/c1/plan', { agents: 'many' }, 400, 'plan.agents: expected a number of 0 or more, got "many"');
    await bad('/api/campaigns/nope/plan', { agents: 1 }, 404, 'no campaign "nope"');
    await bad('/api/campaigns/c1/scoring-form', { criteria: [{ id: 'Bad Id', label: 'x', weight: 1 }] }, 400, 'form.criteria[0].id');
    await bad('/api/campaigns/c1/scoring-form', ['x'], 400, 'form: expected a JSON object body');
    await bad('/api/calls/k1/score', { campaignId: 'c1', agentId: 'a1', scores: { x: 1 } }, 404, 'has no scoring form yet');
    await bad('/api/agents/a1/breaks', { breaks: [{ start: '2026-11-23T16:00:00Z', end: '2026-11-23T15:00:00Z' }] }, 400, 'breaks[0].end');
    await bad('/api/agents/a1/breaks', { breaks: [{ start: 'noon', end: 1 }] }, 400, 'breaks[0].start');
    expect((await post('/api/campaigns/c1/plan', { agents: 4, outboundPerHour: '120' })).json()).toEqual({
      ok: true,
      plan: { agents: 4, outboundPerHour: 120 },
    });
    const form = await post('/api/campaigns/c1/scoring-form', { criteria: [{ id: 'greeting', label: 'Greeting', weight: 2 }] });
    expect(form.statusCode).toBe(200);
    const score = await post('/api/calls/k1/score', { campaignId: 'c1', agentId: 'a1', scores: { greeting: 80 }, notes: 'ok' });
    expect(score.json().score).toMatchObject({ callId: 'k1', total: 80, scoredBy: 'bearer:manager' });
    expect(audit.map((e) => `${e.action} ${e.status}`)).toContain('POST /api/calls/:callId/score 200');
    expect(audit.filter((e) => e.outcome === 'failed').length).toBe(7);
  });

  it('follow the agents from the dialer’s events, and a viewer reads but cannot write', async () => {
    const { app, emit, clock } = await mount();
    const at = clock.now();
    emit('agentStateChanged', { agentId: 'a1', from: 'logged-out', to: 'ready', at });
    clock.advance(60_000);
    const viewer = { authorization: `Bearer ${VIEWER}` };
    const agents = (await app.inject({ url: '/dash/api/agents', headers: viewer })).json().agents;
    expect(agents).toMatchObject([{ agentId: 'a1', state: 'ready', timeInStateMs: 60_000, loggedInMs: 60_000, adherence: 1 }]);
    expect((await app.inject({ url: '/dash/api/agents/a1', headers: viewer })).json().day.timeline.length).toBe(2);
    expect((await app.inject({ url: '/dash/api/agents/nobody', headers: viewer })).statusCode).toBe(404);
    const write = await app.inject({
      method: 'POST',
      url: '/dash/api/campaigns/c1/plan',
      headers: { ...viewer, 'x-paceline-dashboard': '1' },
      payload: { agents: 1 },
    });
    expect(write.statusCode).toBe(403);
    const snapshot = (await app.inject({ url: '/dash/api/campaigns', headers: viewer })).json().campaigns[0];
    expect(snapshot).toMatchObject({
      timeZone: 'America/Chicago',
      why: { dialling: false, code: 'pacer-zero', message: expect.stringContaining('no pacing decision so far') },
      agentsWorking: 1,
      agentsLoggedIn: 1,
    });
  });
});
