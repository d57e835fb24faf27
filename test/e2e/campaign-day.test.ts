import { ContactLedger, checkDial, type LedgerEventInput } from '@paceline/compliance';
import { type Campaign, type Contact, ContactState, parseCampaign, type Random } from '@paceline/core';
import { type ComplianceEvent, createComplianceGate, SAFE_HARBOUR_MESSAGE } from '@paceline/engine';
import { EngineSimulation } from '@paceline/sim';
import { basicOutcomeModel } from '@paceline/trunk-sim';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * End to end on virtual time: the real engine with its default predictive pacer and the real
 * compliance gate, trunk-sim, simulated agents, one long day. Every guarantee is checked
 * against what actually happened.
 */
const START = Date.UTC(2026, 2, 9, 12, 0); // Mon 9 Mar 2026, 08:00 New York — the day after the DST change
const HOUR = 3_600_000;
const AREAS = ['212', '305', '312', '602', '808', '415', '904']; // NY, FL, IL, AZ (no DST), HI (no DST), CA, FL

function contacts(n: number): Contact[] {
  return Array.from({ length: n }, (_, i) => {
    const area = AREAS[i % AREAS.length] as string;
    return {
      id: `c${i}`,
      phones: [{ number: `+1${area}555${String(1000 + i).padStart(4, '0')}`, type: 'mobile', priority: 0 }],
      profile: {},
      consents: [],
      priority: 0,
      ...(area === '305' || area === '904' ? { state: 'FL' } : {}),
    } as Contact;
  });
}

const campaignInput = {
  id: 'e2e',
  name: 'End-to-end day',
  goal: 'retention',
  dialMode: 'predictive',
  complianceProfile: 'us-federal',
  callerId: '+12125550100',
  homeTimeZone: 'America/New_York',
  maxAttempts: 4,
  recycle: { busy: { retryAfterMs: 10 * 60_000 }, 'no-answer': { retryAfterMs: 30 * 60_000 }, machine: { retryAfterMs: HOUR } },
};

interface Recorded {
  readonly events: ComplianceEvent[];
  readonly sim: EngineSimulation;
  readonly campaign: Campaign;
}

async function runDay(seed: number): Promise<Recorded> {
  const gate = createComplianceGate();
  const events: ComplianceEvent[] = [];
  const sim = await EngineSimulation.create({
    seed,
    startAt: START,
    campaign: campaignInput,
    contacts: contacts(240),
    compliance: {
      ...gate,
      record: (event) => {
        events.push(event);
        gate.record(event);
      },
    },
    shifts: Array.from({ length: 8 }, (_, i) => ({
      id: `a${i}`,
      name: `Agent ${i}`,
      campaignIds: ['e2e'],
      loginAt: START,
      logoutAt: START + 12 * HOUR,
      breaks: [{ at: START + (3 + (i % 3)) * HOUR, durationMs: 30 * 60_000, reason: 'lunch' }],
    })),
    behaviour: {
      talkMs: (_o, r: Random) => 60_000 + r.int(120_000),
      wrapMs: () => 15_000,
      disposition: (_o, r: Random, now: number) => {
        const u = r.next();
        if (u < 0.15) return { code: 'CALLBACK', data: { callbackAt: now + HOUR } };
        if (u < 0.2) return { code: 'DNC' };
        if (u < 0.5) return { code: 'SAVED' };
        return { code: 'NOT_INTERESTED' };
      },
    },
    outcomeModel: basicOutcomeModel({
      human: 0.3,
      machine: 0.15,
      busy: 0.1,
      failed: 0.03,
      invalid: 0.02,
      answerDelayMeanMs: 8_000,
      failureDelayMeanMs: 3_000,
      analysisMs: 1_500,
      amdFalseMachine: 0.03,
      amdFalseHuman: 0.05,
      patienceMeanMs: 8_000,
    }),
  });
  await sim.runUntil(START + 13 * HOUR);
  return { events, sim, campaign: parseCampaign(campaignInput) };
}

describe('a campaign day end to end (predictive pacing, real compliance gate)', () => {
  let day: Recorded;
  beforeAll(async () => {
    day = await runDay(3);
  }, 120_000);

  it('loses no contact: after the day each one is finished or waiting for its retry, none stuck in flight', async () => {
    const status = await day.sim.status();
    const c = status.contacts;
    expect(c.ready + c.queued + c.dialing + c.waiting + c.callback + c.done + c.dnc).toBe(240);
    expect(c.queued + c.dialing).toBe(0);
    expect(c.done + c.dnc).toBeGreaterThan(0.8 * 240);
    expect(day.sim.trunk.callsInFlight).toBe(0);
  });

  it('connects every live answer within 2 s of the greeting, or counts it abandoned with the message played', () => {
    const c = day.sim.counters;
    expect(c.liveAnswers).toBe(c.connected + c.abandoned);
    expect(c.connected).toBeGreaterThan(100);
    for (const latency of c.connectLatenciesMs) expect(latency).toBeLessThanOrEqual(2_000);
    // an abandoned call without the message is one whose caller hung up before the 2 s were up
    expect(c.abandonedWithMessage).toBeLessThanOrEqual(c.abandoned);
    expect(c.abandoned / c.liveAnswers).toBeLessThanOrEqual(0.03);
  });

  it('plays the safe-harbour message on every abandon the engine made', () => {
    let played = 0;
    for (const e of day.events)
      if (e.kind === 'abandon' && day.sim.trunk.messagesPlayed(attemptIdOf(e)).includes(SAFE_HARBOUR_MESSAGE)) played++;
    expect(played).toBe(day.sim.counters.abandonedWithMessage);
  });

  it('never breaks a compliance rule: each attempt, replayed against the ledger as it stood, was allowed', () => {
    const ledger = new ContactLedger();
    const attempts = day.events.filter((e) => e.kind === 'attempt');
    expect(attempts.length).toBe(day.sim.counters.dials);
    const sorted = [...day.events].sort((a, b) => a.at - b.at || (a.kind === 'attempt' ? -1 : 1));
    for (const event of sorted) {
      if (event.kind === 'attempt') {
        const verdict = checkDial(event.contact, event.phone, day.campaign, event.at, ledger);
        expect(verdict.allowed, `${event.contact.id} at ${new Date(event.at).toISOString()}: ${verdict.codes.join(', ')}`).toBe(true);
      }
      ledger.record(toLedger(event));
    }
  });

  it('drives recycling from dispositions: callbacks redialled at or after the agreed time, DNC numbers never redialled', async () => {
    const dnc = new Set(day.events.filter((e) => e.kind === 'refusal').map((e) => e.phone));
    const callbacks = day.sim.counters.dispositions.CALLBACK ?? 0;
    expect(callbacks).toBeGreaterThan(0);
    for (const phone of dnc) {
      const after = day.events.filter((e) => e.kind === 'attempt' && e.phone === phone);
      const refusedAt = day.events.find((e) => e.kind === 'refusal' && e.phone === phone)?.at ?? 0;
      expect(after.filter((e) => e.at > refusedAt)).toEqual([]);
    }
    const status = await day.sim.status();
    expect(status.contacts.dnc).toBe(dnc.size);
    expect(status.contacts[ContactState.Callback]).toBe(0);
  });

  it('replays exactly for the same seed', async () => {
    const again = await runDay(3);
    expect(again.sim.counters).toEqual(day.sim.counters);
  }, 120_000);
});

describe('a small campaign end to end', () => {
  it('runs to completion: every contact finished and the campaign completed', async () => {
    const sim = await EngineSimulation.create({
      seed: 5,
      startAt: START + HOUR, // 09:00 New York
      campaign: { ...campaignInput, id: 'small' },
      // New York numbers only: the Florida overlay's 3-calls-per-24-h cap would (rightly) hold some to tomorrow.
      contacts: contacts(60).map(({ state: _state, ...c }) => ({
        ...c,
        phones: [{ ...c.phones[0], number: c.phones[0]?.number.replace(/^\+1\d{3}/, '+1212') }],
      })),
      shifts: Array.from({ length: 5 }, (_, i) => ({
        id: `a${i}`,
        name: `A${i}`,
        campaignIds: ['small'],
        loginAt: START + HOUR,
        logoutAt: START + 11 * HOUR,
      })),
      behaviour: { talkMs: () => 90_000, wrapMs: () => 10_000, disposition: () => ({ code: 'SAVED' }) },
      outcomeModel: basicOutcomeModel({
        human: 0.4,
        machine: 0.1,
        busy: 0.1,
        failed: 0.02,
        invalid: 0.02,
        answerDelayMeanMs: 6_000,
        failureDelayMeanMs: 3_000,
        analysisMs: 1_000,
        amdFalseMachine: 0,
        amdFalseHuman: 0,
        patienceMeanMs: 10_000,
      }),
    });
    const states: string[] = [];
    sim.dialer.on('campaignStateChanged', (e) => states.push(e.to));
    await sim.runUntil(START + 11 * HOUR);
    const status = await sim.status();
    expect(status.contacts.done + status.contacts.dnc).toBe(60);
    expect(status.state).toBe('completed');
    expect(states.at(-1)).toBe('completed');
    await sim.close();
  }, 60_000);
});

function attemptIdOf(event: ComplianceEvent): string {
  return event.attemptId;
}

function toLedger(event: ComplianceEvent): LedgerEventInput {
  const base = { at: event.at, campaignId: event.campaignId, phone: event.phone, contact: event.contact };
  if (event.kind === 'machine') return { ...base, kind: 'amd', amdResult: 'machine' };
  if (event.kind === 'attempt') return { ...base, kind: 'attempt', agentless: event.agentless };
  return { ...base, kind: event.kind };
}
