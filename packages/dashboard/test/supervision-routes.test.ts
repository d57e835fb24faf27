import { type Campaign, parseCampaign, TypedEmitter, VirtualClock } from '@paceline/core';
import { type CallOffer, type DialerEvents, SupervisionBoard } from '@paceline/engine';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { type DashboardAuditEvent, type DashboardDialer, dashboardPlugin } from '../src/index';
import { recordingSupervisor } from './support/recording-supervisor';

const MANAGER = 'manager-token-16-chars';
const VIEWER = 'viewer-token-of-16-chars';
const WRITE = { 'x-paceline-dashboard': '1' };
const campaign: Campaign = parseCampaign({
  id: 'c1',
  name: 'Retention',
  goal: 'retention',
  dialMode: 'progressive',
  complianceProfile: 'us-federal',
  callerId: '+12125550100',
  homeTimeZone: 'America/New_York',
});

async function mount() {
  const clock = new VirtualClock(1_000);
  const events = new TypedEmitter<DialerEvents>({
    onListenerError: (e) => {
      throw e;
    },
  });
  const dialer = {
    on: (event, listener) => events.on(event, listener),
    status: async () => {
      throw new Error('not used');
    },
    abandonCounts: async () => ({ liveAnswers: 0, abandoned: 0 }),
    start: async () => {},
    pause: async () => {},
    resume: async () => {},
    stop: async () => {},
    updatePacing: async () => campaign,
  } as DashboardDialer;
  const supervisor = recordingSupervisor();
  const board = new SupervisionBoard({ dialer, supervisor, clock });
  const audit: DashboardAuditEvent[] = [];
  const app = Fastify();
  await app.register(dashboardPlugin, {
    prefix: '/dash',
    dialer,
    campaigns: [],
    tokens: { manager: MANAGER, viewer: VIEWER },
    clock,
    onAudit: (e) => audit.push(e),
    supervision: board,
  });
  const connect = (callId: string, agentId: string) =>
    events.emit('connected', { campaignId: 'c1', callId, agentId, latencyMs: 100 } as unknown as CallOffer);
  return { app, events, supervisor, audit, connect };
}

const as = (token: string) => ({ authorization: `Bearer ${token}`, ...WRITE });

describe('supervision routes on the dashboard', () => {
  it('lists live calls, lets a manager join, change mode and leave, and refuses a viewer (audited)', async () => {
    const { app, supervisor, audit, connect, events } = await mount();
    connect('call-1', 'ana');
    const viewerList = (await app.inject({ url: '/dash/api/supervision/calls', headers: as(VIEWER) })).json();
    expect(viewerList).toMatchObject({
      canSupervise: false,
      calls: [{ callId: 'call-1', agentId: 'ana', campaignId: 'c1', supervisors: [] }],
    });
    expect((await app.inject({ url: '/dash/api/supervision/calls', headers: as(MANAGER) })).json().canSupervise).toBe(true);

    const join = { supervisorId: 'sam', mode: 'listen' };
    const refused = await app.inject({
      method: 'POST',
      url: '/dash/api/supervision/calls/call-1/join',
      headers: as(VIEWER),
      payload: join,
    });
    expect(refused.statusCode).toBe(403);
    expect(supervisor.asked).toEqual([]); // a viewer never reaches the media plane

    const joined = await app.inject({
      method: 'POST',
      url: '/dash/api/supervision/calls/call-1/join',
      headers: as(MANAGER),
      payload: join,
    });
    expect(joined.statusCode).toBe(200);
    expect(joined.json().calls[0].supervisors).toEqual([{ supervisorId: 'sam', mode: 'listen' }]);
    const mode = await app.inject({
      method: 'POST',
      url: '/dash/api/supervision/mode',
      headers: as(MANAGER),
      payload: { supervisorId: 'sam', mode: 'whisper' },
    });
    expect(mode.statusCode).toBe(200);
    const left = await app.inject({
      method: 'POST',
      url: '/dash/api/supervision/leave',
      headers: as(MANAGER),
      payload: { supervisorId: 'sam' },
    });
    expect(left.statusCode).toBe(200);
    expect(supervisor.asked).toEqual(['supervise call-1 sam listen', 'mode sam whisper', 'leave sam']);

    expect(audit.map((a) => [a.who.role, a.action, a.status, a.outcome])).toEqual([
      ['viewer', 'POST /api/supervision/calls/:callId/join', 403, 'refused'],
      ['manager', 'POST /api/supervision/calls/:callId/join', 200, 'ok'],
      ['manager', 'POST /api/supervision/mode', 200, 'ok'],
      ['manager', 'POST /api/supervision/leave', 200, 'ok'],
    ]);

    events.emit('ended', { campaignId: 'c1', callId: 'call-1', outcome: 'completed', at: 2_000 } as never);
    expect((await app.inject({ url: '/dash/api/supervision/calls', headers: as(MANAGER) })).json().calls).toEqual([]);
    await app.close();
  });

  it('answers clear errors: a bad mode (400), an unknown call (404), no supervisor id (400)', async () => {
    const { app, supervisor, connect } = await mount();
    connect('call-1', 'ana');
    const post = (url: string, payload: unknown) =>
      app.inject({ method: 'POST', url: `/dash${url}`, headers: as(MANAGER), payload: payload as object });
    const badMode = await post('/api/supervision/calls/call-1/join', { supervisorId: 'sam', mode: 'shout' });
    expect(badMode.statusCode).toBe(400);
    expect(badMode.json().error).toBe('mode: expected one of listen, whisper, barge, got "shout"');
    const unknown = await post('/api/supervision/calls/call-9/join', { supervisorId: 'sam', mode: 'listen' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toContain('call-9');
    const noId = await post('/api/supervision/calls/call-1/join', { mode: 'listen' });
    expect(noId.statusCode).toBe(400);
    expect(noId.json().error).toContain('supervisorId');
    expect(supervisor.asked).toEqual([]);
    await app.close();
  });
});
