import type { Order } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { computeScorecard, type KpiAttempt, localDays, type ScorecardInput } from '../src/index';

const S = 1_000;
const H = 3_600_000;
// 2026-04-01 09:00 in New York (EDT, UTC−4).
const T0 = Date.UTC(2026, 3, 1, 13, 0, 0);
const DAY2 = T0 + 25 * H; // 2026-04-02 10:00 EDT

const base = { campaignId: 'ret', phone: '+14155550123', callerId: '+14155550100', abandoned: false };
function call(id: string, contactId: string, agentId: string, at: number, talkS: number, wrapS: number, code: string): KpiAttempt {
  return {
    ...base,
    id,
    contactId,
    agentId,
    startedAt: at,
    answeredAt: at + 5 * S,
    connectedAt: at + 10 * S,
    endedAt: at + (10 + talkS) * S,
    wrapEndedAt: at + (10 + talkS + wrapS) * S,
    outcome: 'human',
    amd: 'human',
    dispositionCode: code,
  };
}

const attempts: KpiAttempt[] = [
  call('a-1', 'c1', 'a1', T0, 300, 60, 'SALE'),
  call('a-2', 'c2', 'a1', T0 + 1_000 * S, 200, 40, 'SAVED'),
  call('a-3', 'c3', 'a2', T0 + 500 * S, 100, 20, 'CALLBACK'),
  { ...base, id: 'a-4', contactId: 'c4', startedAt: T0, endedAt: T0 + 20 * S, outcome: 'busy' },
  { ...base, id: 'a-5', contactId: 'c5', startedAt: T0, endedAt: T0 + 30 * S, outcome: 'no-answer' },
  {
    ...base,
    id: 'a-6',
    contactId: 'c6',
    startedAt: T0,
    answeredAt: T0 + 5 * S,
    endedAt: T0 + 20 * S,
    outcome: 'human',
    amd: 'human',
    abandoned: true,
  },
  { ...base, id: 'a-7', contactId: 'c7', startedAt: T0, answeredAt: T0 + 5 * S, endedAt: T0 + 9 * S, outcome: 'machine', amd: 'machine' },
  call('a-8', 'c3', 'a2', DAY2, 150, 30, 'SAVED'),
];

const order: Order = {
  id: 'o-1',
  idempotencyKey: 'a-1',
  campaignId: 'ret',
  contactId: 'c1',
  attemptId: 'a-1',
  items: [
    { sku: 'fibre', name: 'Home fibre', quantity: 2, unitPriceMinor: 4_999 },
    { sku: 'router', name: 'Router', quantity: 1, unitPriceMinor: 10_000 },
  ],
  currency: 'USD',
  fulfilment: { kind: 'pickup', locationId: 'store-1' },
  payment: 'prepaid',
  createdAt: T0 + 400 * S,
};

const input: ScorecardInput = {
  attempts,
  orders: [order],
  offerOutcomes: [
    { attemptId: 'a-1', offerId: 'home-fibre', kind: 'cross-sell', accepted: true },
    { attemptId: 'a-1', offerId: 'mobile-xl', kind: 'up-sell', accepted: false },
    { attemptId: 'a-2', offerId: 'discount-20', kind: 'retention', accepted: true },
    { attemptId: 'a-3', offerId: 'home-fibre', kind: 'cross-sell', accepted: false },
  ],
  sessions: [
    { agentId: 'a1', campaignId: 'ret', loginAt: T0, logoutAt: T0 + 4 * H },
    { agentId: 'a2', campaignId: 'ret', loginAt: T0, logoutAt: T0 + H },
    // 23:00 → 11:00 EDT: one hour on the 1st, eleven on the 2nd.
    { agentId: 'a2', campaignId: 'ret', loginAt: T0 + 14 * H, logoutAt: T0 + 26 * H },
  ],
};

describe('computeScorecard', () => {
  const card = computeScorecard(input, { timeZone: 'America/New_York' });

  it('computes the campaign KPIs of a hand-worked day and a half', () => {
    expect(card.overall).toEqual({
      attempts: 8,
      liveAnswers: 5, // four connected + one abandoned; the machine is not live
      connected: 4,
      abandoned: 1,
      contactRate: 5 / 8,
      abandonRate: 1 / 5,
      sales: 1,
      conversion: 1 / 5,
      saves: 2,
      saveRate: 2 / 4,
      crossSellOffered: 3,
      crossSellAccepted: 1,
      crossSellTakeRate: 1 / 3,
      revenueMinor: { USD: 19_998 },
      handled: 4,
      serviceCalls: 0, // issue-23: no inbound service calls in this day
      talkMs: 750 * S,
      wrapMs: 150 * S,
      ahtMs: 225 * S,
      loggedInMs: 17 * H,
      occupancy: (900 * S) / (17 * H),
      firstContacts: 3, // c1 sale and c2 save resolve first time; c3 needed a callback
      resolvedFirstContact: 2,
      firstContactResolution: 2 / 3,
    });
    expect(card.campaigns.ret).toEqual(card.overall);
  });

  it('scores agents: one sale counts as five handled contacts', () => {
    expect(card.agents.a1).toMatchObject({
      sales: 1,
      saves: 1,
      otherContacts: 0,
      score: 6,
      ahtMs: 300 * S,
      occupancy: (600 * S) / (4 * H),
    });
    expect(card.agents.a2).toMatchObject({ sales: 0, saves: 1, otherContacts: 1, score: 2, loggedInMs: 13 * H, firstContactResolution: 0 });
    const weighted = computeScorecard(input, { timeZone: 'America/New_York', weights: { save: 5 } });
    expect([weighted.agents.a1?.score, weighted.agents.a2?.score]).toEqual([10, 6]);
  });

  it('groups by the local day and splits logged-in time at local midnight', () => {
    expect(Object.keys(card.days)).toEqual(['2026-04-01', '2026-04-02']);
    expect(card.days['2026-04-01']).toMatchObject({ attempts: 7, liveAnswers: 4, loggedInMs: 6 * H, sales: 1 });
    expect(card.days['2026-04-02']).toMatchObject({ attempts: 1, saves: 1, loggedInMs: 11 * H, occupancy: (180 * S) / (11 * H) });
    // In UTC the night session falls on the 2nd from 00:00 UTC (20:00 EDT).
    expect(computeScorecard(input).days['2026-04-02']?.loggedInMs).toBe(12 * H);
  });

  it('gives null rates for empty groups rather than NaN', () => {
    const empty = computeScorecard({ attempts: [] });
    expect(empty.overall).toMatchObject({ attempts: 0, contactRate: null, conversion: null, occupancy: null, ahtMs: null });
  });

  it('knows local midnight', () => {
    const days = localDays('America/New_York');
    expect(days.startOf(T0)).toBe(Date.UTC(2026, 3, 1, 4));
    expect(days.nextStart(T0)).toBe(Date.UTC(2026, 3, 2, 4));
    expect(() => localDays('Mars/Olympus')).toThrow(/IANA/);
  });
});
