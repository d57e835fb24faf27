import { type Campaign, type CampaignInput, CampaignState, ContactState, seededRandom, VirtualClock } from '@paceline/core';
import { createSimTrunk, type SimCallPlan, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { describe, expect, it } from 'vitest';
import { type CampaignPacer, createMemoryStore, type Dialer, type DialerEvents, defaultPacer, SAFE_HARBOUR_MESSAGE } from '../src/index';
import { simulateAgents } from './support/agents';
import { driveUntil } from './support/drive';
import { dialerWithRegistry } from './support/registry';
import { testCompliance, testPacer, testProgressivePacer } from './support/seams';
import { testDialer } from './support/test-dialer';

const START = Date.UTC(2026, 10, 23, 15, 0); // 10:00 in New York
const MIN = 60_000;

const human = (resolveAfterMs = 5_000): SimCallPlan => ({ outcome: 'human', ringingAfterMs: 500, resolveAfterMs, analysisAfterMs: 1_000 });
const busy: SimCallPlan = { outcome: 'busy', ringingAfterMs: 200, resolveAfterMs: 2_000 };

function campaignInput(overrides: Record<string, unknown> = {}): CampaignInput {
  // `overrides` may be deliberately invalid: the dialer validates at run time.
  return {
    id: 'k1',
    name: 'Retention',
    goal: 'retention',
    dialMode: 'progressive',
    complianceProfile: 'us-federal',
    callerId: '+14155550100',
    homeTimeZone: 'America/New_York',
    ...overrides,
  } as CampaignInput;
}

const number = (i: number) => `+1415555${String(2000 + i).padStart(4, '0')}`;
const contacts = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `c${i}`, phones: [{ number: number(i) }] }));

function setup(
  plans: Record<string, SimCallPlan>,
  fallback: SimCallPlan = human(),
  createPacer: (campaign: Campaign) => CampaignPacer = testProgressivePacer,
) {
  const clock = new VirtualClock(START);
  const store = createMemoryStore();
  const trunk = createSimTrunk({ clock, random: seededRandom(1), model: scriptedOutcomeModel(plans, fallback) });
  const compliance = testCompliance();
  const make = () => testDialer({ store, trunk, clock, random: seededRandom(2), compliance, createPacer }).dialer;
  return { clock, store, trunk, compliance, dialer: make(), make };
}

async function login(dialer: Dialer, n: number, campaignId = 'k1') {
  for (let i = 0; i < n; i++) {
    dialer.loginAgent({ id: `a${i}`, name: `Agent ${i}` }, [campaignId]);
    dialer.ready(`a${i}`);
  }
}

describe('Dialer on virtual time', () => {
  it('runs a campaign to completion: every contact dialled, retried per the recycle rules, and finished', async () => {
    const plans: Record<string, SimCallPlan> = {};
    for (let i = 0; i < 40; i++) if (i % 4 === 0) plans[number(i)] = busy;
    const { clock, dialer, store } = setup(plans);
    await dialer.addCampaign(campaignInput({ recycle: { busy: { retryAfterMs: 10 * MIN, maxAttempts: 2 } } }));
    await dialer.addContacts('k1', contacts(40));
    simulateAgents(dialer, clock, { talkMs: () => 60_000, wrapMs: () => 10_000, disposition: () => ({ code: 'NOT_INTERESTED' }) });
    const states: string[] = [];
    dialer.on('campaignStateChanged', (e) => states.push(e.to));
    await login(dialer, 3);
    await dialer.start('k1');
    await driveUntil(clock, START + 3 * 3_600_000);
    expect(states).toEqual(['scheduled', 'running', 'completed']);
    const counts = await store.countContacts('k1');
    expect(counts.done).toBe(40);
    // busy numbers were tried twice (maxAttempts 2), the rest once
    for (let i = 0; i < 40; i++) {
      const attempts = await store.listAttempts('k1', `c${i}`);
      expect(attempts.length, `contact c${i}`).toBe(i % 4 === 0 ? 2 : 1);
      if (i % 4 === 0) expect((attempts[1]?.startedAt ?? 0) - (attempts[0]?.endedAt ?? 0)).toBeGreaterThanOrEqual(10 * MIN);
    }
    await dialer.close();
  });

  it('connects every live answer within 2 s of the greeting, or abandons it with the safe-harbour message', async () => {
    // a pacer that over-dials on purpose (3 lines per ready agent), so some live answers find no agent
    const { clock, dialer, trunk } = setup({}, human(3_000), () => testPacer(3));
    await dialer.addCampaign(campaignInput());
    await dialer.addContacts('k1', contacts(30));
    const connected: number[] = [];
    const abandoned: string[] = [];
    dialer.on('connected', (o) => connected.push(o.latencyMs));
    dialer.on('abandoned', (e) => abandoned.push(e.callId));
    simulateAgents(dialer, clock, { talkMs: () => 90_000, wrapMs: () => 5_000, disposition: () => ({ code: 'SAVED' }) });
    await login(dialer, 2);
    await dialer.start('k1');
    await driveUntil(clock, START + 2 * 3_600_000);
    expect(connected.length).toBeGreaterThan(0);
    for (const latency of connected) expect(latency).toBeLessThanOrEqual(2_000);
    expect(abandoned.length).toBeGreaterThan(0);
    for (const callId of abandoned) expect(trunk.messagesPlayed(callId)).toEqual([SAFE_HARBOUR_MESSAGE]);
    const status = await dialer.status('k1');
    expect(status.abandoned).toBe(abandoned.length);
    expect(status.liveAnswers).toBe(abandoned.length + connected.length);
    await dialer.close();
  });

  it('recycles by disposition: callback at the agreed time, DNC to the internal list, sale to fulfilment', async () => {
    const { clock, dialer, store, compliance } = setup({});
    const callbackAt = START + 90 * MIN;
    await dialer.addCampaign(campaignInput());
    await dialer.addContacts('k1', contacts(3));
    const orders: string[] = [];
    dialer.on('orderCreated', (e) => orders.push(e.order.idempotencyKey));
    const byContact: Record<string, { code: string; data?: object }> = {
      c0: { code: 'CALLBACK', data: { callbackAt } },
      c1: { code: 'DNC' },
      c2: {
        code: 'SALE',
        data: {
          order: {
            items: [{ sku: 'XL', name: 'XL plan', quantity: 1, unitPriceMinor: 2_999 }],
            currency: 'USD',
            fulfilment: { kind: 'pickup', locationId: 'store-1' },
            payment: 'prepaid',
          },
        },
      },
    };
    let c0Calls = 0;
    simulateAgents(dialer, clock, {
      talkMs: () => 30_000,
      wrapMs: () => 5_000,
      disposition: (offer) => {
        if (offer.contact.id === 'c0' && ++c0Calls > 1) return { code: 'SAVED' };
        return byContact[offer.contact.id] as { code: string };
      },
    });
    await login(dialer, 1);
    await dialer.start('k1');
    await driveUntil(clock, START + 30 * MIN);
    expect(await store.getContact('k1', 'c0')).toMatchObject({ state: ContactState.Callback, dueAt: callbackAt });
    expect((await store.getContact('k1', 'c1'))?.state).toBe(ContactState.Dnc);
    expect(compliance.dnc.has(number(1))).toBe(true);
    expect((await store.getContact('k1', 'c2'))?.state).toBe(ContactState.Done);
    expect(orders).toHaveLength(1);
    expect((await dialer.status('k1')).sales).toBe(1);
    await driveUntil(clock, START + 3 * 3_600_000);
    const attempts = await store.listAttempts('k1', 'c0');
    expect(attempts).toHaveLength(2);
    expect(attempts[1]?.startedAt).toBeGreaterThanOrEqual(callbackAt);
    expect((await store.getContact('k1', 'c0'))?.state).toBe(ContactState.Done);
    await dialer.close();
  });

  it('refuses bad dispositions with a clear error', async () => {
    const { clock, dialer } = setup({});
    await dialer.addCampaign(campaignInput());
    await dialer.addContacts('k1', contacts(1));
    const offers: string[] = [];
    dialer.on('connected', (o) => offers.push(o.callId));
    await login(dialer, 1);
    await dialer.start('k1');
    await driveUntil(clock, START + MIN);
    const callId = offers[0] as string;
    await expect(dialer.disposition(callId, 'SOLD')).rejects.toThrow(/code "SOLD" is not defined.*use one of SALE/);
    await expect(dialer.disposition(callId, 'CALLBACK')).rejects.toThrow(/callbackAt is required/);
    await dialer.disposition(callId, 'SAVED');
    await expect(dialer.disposition(callId, 'SAVED')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    await dialer.close();
  });

  it('pause stops new dials and lets calls in flight finish; resume carries on', async () => {
    const { clock, dialer, trunk } = setup({}, human(8_000));
    await dialer.addCampaign(campaignInput());
    await dialer.addContacts('k1', contacts(20));
    simulateAgents(dialer, clock, { talkMs: () => 20_000, wrapMs: () => 1_000, disposition: () => ({ code: 'SAVED' }) });
    const dialed: number[] = [];
    dialer.on('dialed', (e) => dialed.push(e.attempt.startedAt));
    await login(dialer, 2);
    await dialer.start('k1');
    await driveUntil(clock, START + 2_000);
    expect(trunk.callsInFlight).toBe(2);
    await dialer.pause('k1');
    const pausedAt = clock.now();
    await driveUntil(clock, START + 10 * MIN);
    expect(dialed.filter((t) => t > pausedAt)).toEqual([]);
    expect(trunk.callsInFlight).toBe(0); // the two calls finished
    expect((await dialer.status('k1')).state).toBe(CampaignState.Paused);
    await dialer.resume('k1');
    await driveUntil(clock, START + 20 * MIN);
    expect(dialed.filter((t) => t > pausedAt).length).toBeGreaterThan(0);
    await dialer.close();
  });

  it('handles an agent logging out mid-call: the call ends, the contact is recycled, nothing is lost', async () => {
    const { clock, dialer, store, trunk } = setup({});
    await dialer.addCampaign(campaignInput());
    await dialer.addContacts('k1', contacts(2));
    const offers: string[] = [];
    dialer.on('connected', (o) => offers.push(o.callId));
    const agentStates: string[] = [];
    dialer.on('agentStateChanged', (e) => agentStates.push(`${e.agentId}:${e.to}`));
    await login(dialer, 1);
    await dialer.start('k1');
    await driveUntil(clock, START + MIN);
    expect(offers).toHaveLength(1);
    await dialer.logout('a0');
    await driveUntil(clock, START + 2 * MIN);
    expect(trunk.callsInFlight).toBe(0);
    expect(agentStates.at(-1)).toBe('a0:logged-out');
    const attempt = await store.getAttempt(offers[0] as string);
    expect(attempt).toMatchObject({ outcome: 'human', dispositionCode: 'NO_DECISION' });
    expect((await store.getContact('k1', attempt?.contactId as string))?.state).toBe(ContactState.Waiting);
    await expect(dialer.hangup('nope')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    await dialer.close();
  });

  it('never dials a number the compliance gate refuses, and retires a DNC contact', async () => {
    const { clock, dialer, store, compliance } = setup({});
    compliance.dnc.add(number(0));
    await dialer.addCampaign(campaignInput());
    await dialer.addContacts('k1', contacts(2));
    const refused: string[] = [];
    dialer.on('complianceRefused', (e) => refused.push(e.contactId));
    simulateAgents(dialer, clock, { talkMs: () => 1_000, wrapMs: () => 1_000, disposition: () => ({ code: 'SAVED' }) });
    await login(dialer, 1);
    await dialer.start('k1');
    await driveUntil(clock, START + 10 * MIN);
    expect(refused).toEqual(['c0']);
    expect(await store.listAttempts('k1', 'c0')).toEqual([]);
    expect((await store.getContact('k1', 'c0'))?.state).toBe(ContactState.Dnc);
    expect((await store.getContact('k1', 'c1'))?.state).toBe(ContactState.Done);
    await dialer.close();
  });

  it('holds a campaign on a stale registry copy, keeping every contact, and dials again once a fresh copy is loaded', async () => {
    const DAY = 24 * 60 * MIN;
    const { clock, store, dialer, loadCopy } = await dialerWithRegistry(START, START - 40 * DAY, human()); // us-federal allows 31 days
    await dialer.addCampaign(campaignInput());
    await dialer.addContacts(
      'k1',
      contacts(6).map((c) => ({ ...c, timeZones: ['America/New_York'] })),
    );
    const holds: DialerEvents['campaignHold'][0][] = [];
    const refused: string[] = [];
    let dials = 0;
    dialer.on('campaignHold', (e) => holds.push(e));
    dialer.on('complianceRefused', (e) => refused.push(...e.reasons));
    dialer.on('dialed', () => dials++);
    simulateAgents(dialer, clock, { talkMs: () => 30_000, wrapMs: () => 5_000, disposition: () => ({ code: 'SAVED' }) });
    await login(dialer, 2);
    await dialer.start('k1');
    await driveUntil(clock, START + 30 * MIN);

    expect(dials).toBe(0);
    expect(holds).toEqual([
      {
        campaignId: 'k1',
        held: true,
        reasons: ['registry-stale'],
        messages: [expect.stringMatching(/40 days old; us-federal allows 31/)],
        at: START,
      },
    ]);
    expect(refused).toEqual(['registry-stale']); // one refusal puts the campaign on hold; the rest wait unclaimed
    expect(await store.countContacts('k1')).toMatchObject({ ready: 6, done: 0 });
    expect((await dialer.status('k1')).held).toMatchObject({ reasons: ['registry-stale'], since: START });

    await loadCopy(START); // the fresh copy replaces the old one (same name)
    await driveUntil(clock, START + 3 * 60 * MIN);
    expect(holds.map((e) => e.held)).toEqual([true, false]);
    expect(dials).toBe(6);
    expect(await store.countContacts('k1')).toMatchObject({ ready: 0, done: 6 });
    expect((await dialer.status('k1')).held).toBeUndefined();
    await dialer.close();
  });

  it("dials only within schedule.hours, the campaign's own shift in its home time zone", async () => {
    const HOUR = 60 * MIN;
    const { clock, dialer, store } = setup({});
    // 11:00–12:00 New York on weekdays; START is Monday 2026-11-23, 10:00 New York.
    await dialer.addCampaign(campaignInput({ schedule: { hours: { start: '11:00', end: '12:00', days: [1, 2, 3, 4, 5] } } }));
    await dialer.addContacts(
      'k1',
      contacts(40).map((c) => ({ ...c, timeZones: ['America/New_York'] })),
    );
    const dialedAt: number[] = [];
    dialer.on('dialed', (e) => dialedAt.push(e.attempt.startedAt));
    simulateAgents(dialer, clock, { talkMs: () => 10 * MIN, wrapMs: () => MIN, disposition: () => ({ code: 'SAVED' }) });
    await login(dialer, 2);
    await dialer.start('k1');
    await driveUntil(clock, START + 59 * MIN);
    expect(dialedAt).toEqual([]);
    expect((await dialer.status('k1')).lastDecision?.reason).toMatch(/outside the campaign's hours \(11:00–12:00 America\/New_York\)/);

    await driveUntil(clock, START + 26 * HOUR); // through Tuesday's shift too
    const firstDay = dialedAt.filter((at) => at < START + 24 * HOUR);
    const secondDay = dialedAt.filter((at) => at >= START + 24 * HOUR);
    expect(firstDay.length).toBeGreaterThan(0);
    expect(secondDay.length).toBeGreaterThan(0);
    for (const at of firstDay) expect(at - START).toSatisfy((ms: number) => ms >= HOUR && ms < 2 * HOUR);
    for (const at of secondDay) expect(at - START - 24 * HOUR).toSatisfy((ms: number) => ms >= HOUR && ms < 2 * HOUR);
    // the list outlasts two one-hour shifts of two agents: the campaign waits, it does not complete
    expect((await dialer.status('k1')).state).toBe(CampaignState.Running);
    expect((await store.countContacts('k1')).ready).toBeGreaterThan(0);
    await dialer.close();
  });

  it('restarts on an existing store without redialling calls in flight before their retry time', async () => {
    const store = createMemoryStore();
    const model = scriptedOutcomeModel({}, human(60_000));
    const dialerOn = (clock: VirtualClock) => {
      const trunk = createSimTrunk({ clock, random: seededRandom(1), model });
      const dialer = testDialer({
        store,
        trunk,
        clock,
      }).dialer;
      return { dialer, trunk };
    };
    // the first process runs on its own clock; freezing that clock is the crash
    const deadClock = new VirtualClock(START);
    const { dialer: first, trunk: deadTrunk } = dialerOn(deadClock);
    await first.addCampaign(campaignInput({ recycle: { failed: { retryAfterMs: 30 * MIN } } }));
    await first.addContacts('k1', contacts(3));
    await login(first, 2);
    await first.start('k1');
    await driveUntil(deadClock, START + 5_000);
    expect(deadTrunk.callsInFlight).toBe(2);
    const inFlight = (await store.listContacts('k1', ContactState.Dialing)).map((r) => r.contact.id);
    expect(inFlight).toHaveLength(2);

    const clock = new VirtualClock(deadClock.now());
    const crashedAt = clock.now();
    const { dialer: second } = dialerOn(clock);
    const { campaigns, reconciled } = await second.recover();
    expect({ campaigns, reconciled }).toEqual({ campaigns: 1, reconciled: 2 });
    for (const id of inFlight) expect((await store.getContact('k1', id))?.state).toBe(ContactState.Waiting);
    const dialed: Array<{ contact: string; at: number }> = [];
    second.on('dialed', (e) => dialed.push({ contact: e.attempt.contactId, at: e.attempt.startedAt }));
    simulateAgents(second, clock, { talkMs: () => 10_000, wrapMs: () => 1_000, disposition: () => ({ code: 'SAVED' }) });
    await login(second, 2);
    await driveUntil(clock, START + 45 * MIN);
    const [lost] = await store.listAttempts('k1', inFlight[0] as string);
    expect(lost).toMatchObject({ outcome: 'failed' });
    for (const id of inFlight) {
      const redials = dialed.filter((d) => d.contact === id);
      expect(redials.length).toBeGreaterThan(0);
      for (const d of redials) expect(d.at).toBeGreaterThanOrEqual(crashedAt + 30 * MIN);
    }
    expect(dialed.filter((d) => !inFlight.includes(d.contact)).map((d) => d.at)[0]).toBeLessThan(crashedAt + MIN);
    await second.close();
  });

  it('books callbacks from outside a call, and refuses the ones it must', async () => {
    const { clock, dialer, store } = setup({});
    await dialer.addCampaign(campaignInput({ schedule: { endAt: START + 86_400_000 } }));
    await dialer.addContacts('k1', contacts(2));
    const offers: Array<{ contact: string; reason?: string; at: number }> = [];
    dialer.on('connected', (o) =>
      offers.push({ contact: o.contact.id, ...(o.callbackReason ? { reason: o.callbackReason } : {}), at: clock.now() }),
    );
    simulateAgents(dialer, clock, {
      talkMs: () => 10_000,
      wrapMs: () => 1_000,
      disposition: (o) => ({ code: o.contact.id === 'c1' ? 'DNC' : 'SALE' }),
    });
    await login(dialer, 1);
    await dialer.start('k1');
    await driveUntil(clock, START + 10 * MIN);
    expect((await store.getContact('k1', 'c0'))?.state).toBe(ContactState.Done);
    await dialer.scheduleCallback('k1', 'c0', { dueAt: START + 60 * MIN, reason: 'delivery failed: not at home' });
    await expect(dialer.scheduleCallback('k1', 'c1', { dueAt: START, reason: 'x' })).rejects.toMatchObject({ code: 'E_DNC_BLOCKED' });
    await expect(dialer.scheduleCallback('k1', 'nobody', { dueAt: START, reason: 'x' })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    await driveUntil(clock, START + 2 * 60 * MIN);
    const callback = offers.find((o) => o.reason !== undefined);
    expect(callback).toMatchObject({ contact: 'c0', reason: 'delivery failed: not at home' });
    expect(callback?.at).toBeGreaterThanOrEqual(START + 60 * MIN);
    await dialer.close();
  });

  it('preview mode: the agent reviews each contact and the call is placed only on confirmation, for that agent', async () => {
    const { clock, dialer, store } = setup({}, human(), defaultPacer);
    await dialer.addCampaign(campaignInput({ dialMode: 'preview' }));
    await dialer.addContacts('k1', contacts(3));
    const previews: Array<{ agent: string; contact: string }> = [];
    dialer.on('preview', (p) => previews.push({ agent: p.agentId, contact: p.contact.id }));
    const connected: Array<{ agent: string; contact: string }> = [];
    dialer.on('connected', (o) => connected.push({ agent: o.agentId, contact: o.contact.id }));
    const dialed: string[] = [];
    dialer.on('dialed', (e) => dialed.push(e.attempt.contactId));
    simulateAgents(dialer, clock, { talkMs: () => 5_000, wrapMs: () => 1_000, disposition: () => ({ code: 'SAVED' }) });
    await login(dialer, 2);
    await dialer.start('k1');
    await driveUntil(clock, START + MIN);
    expect(previews).toEqual([
      { agent: 'a0', contact: 'c0' },
      { agent: 'a1', contact: 'c1' },
    ]);
    expect(dialed).toEqual([]); // nothing is dialled before an agent confirms
    await dialer.skipPreview('a1');
    await driveUntil(clock, START + 2 * MIN);
    expect(previews.at(-1)).toEqual({ agent: 'a1', contact: 'c1' }); // back to the hopper, offered again (first in order)
    expect((await store.getContact('k1', 'c1'))?.state).toBe(ContactState.Queued);
    dialer.confirmPreview('a0');
    await driveUntil(clock, START + 3 * MIN);
    expect(dialed).toEqual(['c0']);
    expect(connected).toEqual([{ agent: 'a0', contact: 'c0' }]);
    expect(() => dialer.confirmPreview('a0')).not.toThrow(); // a0 got the next preview after wrap-up
    expect(() => dialer.confirmPreview('nobody')).toThrow(/not logged in/);
    await dialer.close();
  });
});
