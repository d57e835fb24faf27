import { parseCampaign, VirtualClock } from '@paceline/core';
import type { CampaignStatus, InboundStatus } from '@paceline/engine';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { type DashboardDialer, dashboardPlugin } from '../src/index';

const TOKEN = 'a-token-of-sixteen-chars';
const campaign = parseCampaign({
  id: 'c1',
  name: 'c1',
  goal: 'retention',
  dialMode: 'predictive',
  complianceProfile: 'us-federal',
  callerId: '+12125550100',
  homeTimeZone: 'America/New_York',
});

function dialer(inbound?: InboundStatus): DashboardDialer {
  const status = { campaignId: 'c1', state: 'running', contacts: {}, agents: {}, dials: 0, sales: 0 } as unknown as CampaignStatus;
  return {
    on: () => () => {},
    status: async () => status,
    abandonCounts: async () => ({ liveAnswers: 0, abandoned: 0 }),
    start: async () => {},
    pause: async () => {},
    resume: async () => {},
    stop: async () => {},
    updatePacing: async () => campaign,
    ...(inbound ? { inbound: { status: () => inbound } } : {}),
  } as DashboardDialer;
}

async function mount(d: DashboardDialer) {
  const app = Fastify();
  await app.register(dashboardPlugin, {
    prefix: '/dash',
    dialer: d,
    campaigns: [campaign],
    tokens: { manager: TOKEN },
    clock: new VirtualClock(0),
  });
  return app;
}

const auth = { authorization: `Bearer ${TOKEN}` };

describe('the dashboard inbound panel (issue 23)', () => {
  it('serves the live inbound status — waiting callers, service level, ASA, queue abandons — behind the same auth', async () => {
    const status: InboundStatus = {
      queues: [
        {
          queueId: 'service',
          waiting: 3,
          longestWaitMs: 42_000,
          answered: 10,
          answeredWithinTarget: 7,
          abandoned: 2,
          serviceLevel: 7 / 12,
          target: { fraction: 0.8, answerSeconds: 20 },
          asaMs: 18_500,
          overflowed: 0,
        },
      ],
      withAgents: 4,
      blend: { reserve: 1, hold: 4, predictedServiceLevel: 0.9, at: 0 },
    };
    const app = await mount(dialer(status));
    expect((await app.inject({ url: '/dash/api/inbound' })).statusCode).toBe(401);
    const answer = await app.inject({ url: '/dash/api/inbound', headers: auth });
    expect(answer.json()).toEqual({ inbound: status });
    const page = await app.inject({ url: '/dash/', headers: auth });
    expect(page.body).toContain('/dash/assets/inbound.js');
    expect(page.body).toContain('id="inbound"');
    const script = await app.inject({ url: '/dash/assets/inbound.js', headers: auth });
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.body).toContain("'/api/inbound'");
    expect(script.body).not.toContain('innerHTML');
    await app.close();
  });

  it('passes the pool’s numbers through in distributed mode, and the panel shows them as every node’s (issue-23 23-dist)', async () => {
    const interval = { start: 0, offered: 3, answered: 2, answeredWithinTarget: 2, abandoned: 1, serviceLevel: 2 / 3, asaMs: 900 };
    const status: InboundStatus = {
      queues: [
        {
          queueId: 'service',
          waiting: 0,
          longestWaitMs: 0,
          answered: 2,
          answeredWithinTarget: 2,
          abandoned: 1,
          serviceLevel: 2 / 3,
          target: { fraction: 0.8, answerSeconds: 20 },
          asaMs: 900,
          overflowed: 0,
          pool: { since: 0, offered: 3, interval, at: 1 },
        },
      ],
      withAgents: 0,
    };
    const app = await mount(dialer(status));
    expect((await app.inject({ url: '/dash/api/inbound', headers: auth })).json()).toEqual({ inbound: status });
    const script = await app.inject({ url: '/dash/assets/inbound.js', headers: auth });
    expect(script.body).toContain('(all nodes)');
    expect(script.body).toContain('q.pool.interval.serviceLevel');
    await app.close();
  });

  it('answers null for a dialer that takes no inbound calls (the panel stays hidden)', async () => {
    const app = await mount(dialer());
    expect((await app.inject({ url: '/dash/api/inbound', headers: auth })).json()).toEqual({ inbound: null });
    await app.close();
  });
});
