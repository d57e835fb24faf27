import { AgentState, VirtualClock } from '@paceline/core';
import { scriptedOutcomeModel } from '@paceline/trunk-sim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createComplianceGate } from '../src/default-compliance';
import { AgentFloor, type FloorEventSource } from '../src/floor/agent-floor';
import { CampaignFloor } from '../src/floor/campaign-floor';
import { type HistoryPoint, listExhaustionEta } from '../src/floor/campaign-history';
import { AlertBoard, campaignAlerts, parseFloorPlan, trunkAlerts } from '../src/floor/floor-alerts';
import { FloorMonitor } from '../src/floor/floor-monitor';
import { agentLabel, conversionRate, KPI_DEFINITIONS, outcomeRates, saveRate } from '../src/floor/kpi-definitions';
import { QualityDesk } from '../src/floor/quality-desk';
import { createMemoryQualityStore } from '../src/floor/quality-store';
import { simulateAgents } from './support/agents';
import { testCampaign } from './support/campaign';
import { driveUntil } from './support/drive';
import { MIN, START, testContacts, testDialer } from './support/test-dialer';

const MODEL = scriptedOutcomeModel({}, { outcome: 'human', ringingAfterMs: 500, resolveAfterMs: 20_000, analysisAfterMs: 1_000 });

describe('the floor over a real dialer', () => {
  // START is 07:00 in Los Angeles, where the test numbers (415) are: their window opens at 08:00.
  async function floorDay() {
    const clock = new VirtualClock(START);
    // The real compliance gate (the test default lets every dial through).
    const { dialer } = testDialer({ clock, model: MODEL, compliance: createComplianceGate() });
    const campaign = await dialer.addCampaign(testCampaign('k1'));
    await dialer.addContacts('k1', testContacts(200));
    const floor = new FloorMonitor({ dialer, clock, everyMs: MIN, timeZone: 'America/Los_Angeles' });
    floor.track(campaign, { agents: 3 });
    floor.start();
    simulateAgents(dialer, clock, { talkMs: () => 60_000, wrapMs: () => 10_000, disposition: () => ({ code: 'SAVED' }) });
    for (const id of ['a0', 'a1']) {
      dialer.loginAgent({ id, name: `Agent ${id.toUpperCase()}` }, ['k1']);
      dialer.ready(id);
    }
    floor.agents.planBreaks('a1', [{ start: START + 70 * MIN, end: START + 85 * MIN, label: 'coffee' }]);
    await dialer.start('k1');
    return { clock, dialer, floor };
  }

  it('says why nothing is dialled before the window, counts the refusals, then follows each agent once it opens', async () => {
    const { clock, dialer, floor } = await floorDay();
    const events: string[] = [];
    floor.alerts.on((e) => events.push(`${e.type}:${e.alert.kind}`));
    await driveUntil(clock, START + 10 * MIN);
    const early = await floor.campaign('k1');
    expect(early.status.dials).toBe(0);
    expect(early.why).toMatchObject({ dialling: false, code: 'outside-window', timeZone: 'America/Los_Angeles', until: START + 60 * MIN });
    expect(early.why.message).toContain('outside the calling window until 08:00 America/Los_Angeles');
    expect(early.facts.refusalsByReason['outside-window']).toBeGreaterThan(0);
    // Two agents logged in against a plan of three: more than 20% below plan.
    expect(floor.alerts.active().map((a) => a.kind)).toEqual(['staff-below-plan']);
    expect(events).toEqual(['raised:staff-below-plan']);

    await driveUntil(clock, START + 100 * MIN);
    const open = await floor.campaign('k1');
    expect(open.why.dialling).toBe(true);
    expect(open.status.dials).toBeGreaterThan(0);
    // History: one point a minute, on the minute, whether anyone looked or not.
    expect(open.history.length).toBeGreaterThanOrEqual(99);
    for (const [i, p] of open.history.entries()) {
      expect(p.at % MIN).toBe(0);
      if (i > 0) expect(p.at - (open.history[i - 1] as HistoryPoint).at).toBe(MIN);
    }
    const rows = floor.agents.rows();
    expect(rows.map((r) => r.agentId)).toEqual(['a0', 'a1']);
    for (const row of rows) {
      expect(row.calls).toBeGreaterThan(0);
      // Every call ends SAVED: all but the one in hand (talk or wrap-up) are saves. A save is not a
      // sale: conversion (sales / live answers) stays 0 and the save rate follows the saves.
      expect(row.agentName).toBe(`Agent ${row.agentId.toUpperCase()}`);
      expect(agentLabel(row)).toBe(`Agent ${row.agentId.toUpperCase()} (${row.agentId})`);
      expect(row.saves).toBe(row.calls - (row.callId ? 1 : 0));
      expect(row.sales).toBe(0);
      expect(row.conversion).toBe(0);
      expect(row.saveRate).toBeCloseTo(row.saves / row.calls, 12);
      expect(row.talkMs).toBeGreaterThan(0);
      expect(row.loggedInMs).toBe(100 * MIN);
      expect(row.adherence).toBeGreaterThan(0);
      expect(row.adherence).toBeLessThanOrEqual(1);
    }
    // a1 worked through its planned coffee break: those 15 minutes are not adherent.
    const a1 = rows[1];
    expect(a1?.adherence).toBeCloseTo(85 / 100, 5);
    expect(rows[0]?.adherence).toBe(1);
    const day = floor.agents.day('a0');
    expect(day?.calls.length).toBe(rows[0]?.calls);
    expect(day?.timeline.some((s) => s.state === AgentState.OnCall)).toBe(true);
    floor.close();
    await dialer.close();
  });
});

describe('AgentFloor accounting', () => {
  /** A hand-driven event source: emit agent state changes at chosen times. */
  function source() {
    const listeners = new Map<string, Array<(e: unknown) => void>>();
    const events: FloorEventSource = {
      on: (event, listener) => {
        const list = listeners.get(event) ?? [];
        list.push(listener as (e: unknown) => void);
        listeners.set(event, list);
        return () => {};
      },
    };
    const emit = (event: string, e: unknown) => {
      for (const l of listeners.get(event) ?? []) l(e);
    };
    return { events, emit };
  }

  it('keeps adherence within 0–1 and logged-in time equal to the sum of the stretches, for any day', () => {
    const states = [AgentState.Ready, AgentState.OnCall, AgentState.WrapUp, AgentState.NotReady, AgentState.LoggedOut];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 30 * MIN }), fc.constantFrom(...states)), { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 8 * 60 * MIN }), fc.integer({ min: 1, max: 60 * MIN })), { maxLength: 4 }),
        (steps, breaks) => {
          let now = START;
          const { events, emit } = source();
          const floor = new AgentFloor({ events, now: () => now, timeZone: 'UTC' });
          floor.planBreaks(
            'x',
            breaks.map(([s, d]) => ({ start: START + s, end: START + s + d })),
          );
          let from = AgentState.LoggedOut;
          let loggedIn = 0;
          for (const [gap, to] of steps) {
            emit('agentStateChanged', { agentId: 'x', from, to, at: now });
            now += gap;
            if (to !== AgentState.LoggedOut) loggedIn += gap;
            from = to;
          }
          const [row] = floor.rows();
          expect(row?.loggedInMs).toBe(loggedIn);
          if (loggedIn > 0) {
            expect(row?.adherence).toBeGreaterThanOrEqual(0);
            expect(row?.adherence).toBeLessThanOrEqual(1 + 1e-12);
          } else expect(row?.adherence).toBeUndefined();
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('alerts', () => {
  const base = { campaignId: 'c', cap: 0.03, outboundLastHour: 100, loggedInAgents: 10 };
  it('fire exactly at the manuals’ thresholds', () => {
    expect(campaignAlerts({ ...base, abandonRate: 0.0269 })).toEqual([]);
    expect(campaignAlerts({ ...base, abandonRate: 0.027 }).map((a) => [a.kind, a.severity])).toEqual([['abandon-near-cap', 'warning']]);
    expect(campaignAlerts({ ...base, abandonRate: 0.031 })[0]?.severity).toBe('critical');
    const plan = { outboundPerHour: 100, inboundPerHour: 20, agents: 10 };
    expect(campaignAlerts({ ...base, abandonRate: 0, outboundLastHour: 150, inboundLastHour: 30, loggedInAgents: 8, plan })).toEqual([]);
    expect(
      campaignAlerts({ ...base, abandonRate: 0, outboundLastHour: 151, inboundLastHour: 31, loggedInAgents: 7, plan }).map((a) => a.kind),
    ).toEqual(['outbound-above-forecast', 'inbound-above-forecast', 'staff-below-plan']);
    expect(
      trunkAlerts([
        { id: 't1', breaker: 'open' },
        { id: 't2', breaker: 'half-open' },
      ]).map((a) => a.id),
    ).toEqual(['trunk-breaker-open:t1']);
  });

  it('are raised once, cleared once, and a throwing listener does not stop the others', () => {
    const errors: unknown[] = [];
    const board = new AlertBoard({ onListenerError: (e) => errors.push(e) });
    const seen: string[] = [];
    board.on(() => {
      throw new Error('listener bug');
    });
    board.on((e) => seen.push(`${e.type}:${e.alert.id}@${e.alert.since}`));
    const drafts = trunkAlerts([{ id: 't1', breaker: 'open' }]);
    board.update('trunks', drafts, 1);
    board.update('trunks', drafts, 2);
    board.update('c', campaignAlerts({ ...base, abandonRate: 0.05 }), 2);
    board.update('trunks', [], 3);
    expect(seen).toEqual(['raised:trunk-breaker-open:t1@1', 'raised:abandon-near-cap:c@2', 'cleared:trunk-breaker-open:t1@1']);
    expect(board.active().map((a) => a.id)).toEqual(['abandon-near-cap:c']);
    expect(errors).toHaveLength(3);
  });

  it('count the campaign’s returned inbound calls of the last hour from the dialer’s own events (first queue only)', () => {
    const listeners = new Map<string, Array<(e: unknown) => void>>();
    const events: FloorEventSource = {
      on: (event, listener) => {
        listeners.set(event, [...(listeners.get(event) ?? []), listener as (e: unknown) => void]);
        return () => {};
      },
    };
    const emit = (event: string, e: unknown) => {
      for (const l of listeners.get(event) ?? []) l(e);
    };
    let now = START;
    const floor = new CampaignFloor({ events, now: () => now });
    const returned = (callId: string, at: number, from?: string) =>
      emit('inbound.queued', {
        callId,
        queueId: 'care',
        at,
        waiting: 1,
        caller: { kind: 'returned', campaignId: 'k1', contactId: 'c1' },
        ...(from === undefined ? {} : { from }),
      });
    returned('i1', START);
    returned('i1', START + 1_000, 'care-first'); // the same call overflowing: not counted again
    returned('i2', START + 30 * MIN);
    emit('inbound.queued', { callId: 'i3', queueId: 'care', at: START + 31 * MIN, waiting: 1, caller: { kind: 'service' } });
    now = START + 45 * MIN;
    expect(floor.facts('k1').inboundLastHour).toBe(2);
    now = START + 61 * MIN;
    expect(floor.facts('k1').inboundLastHour).toBe(1);
    const plan = { inboundPerHour: 1 };
    expect(campaignAlerts({ ...base, abandonRate: 0, inboundLastHour: floor.facts('k1').inboundLastHour, plan })).toEqual([]);
    returned('i4', now);
    expect(
      campaignAlerts({ ...base, abandonRate: 0, inboundLastHour: floor.facts('k1').inboundLastHour, plan }).map((a) => a.kind),
    ).toEqual(['inbound-above-forecast']);
  });

  it('plans are checked field by field', () => {
    expect(parseFloorPlan({ outboundPerHour: '300', agents: 12 })).toEqual({ outboundPerHour: 300, agents: 12 });
    expect(() => parseFloorPlan({ agents: -1 })).toThrow('plan.agents: expected a number of 0 or more, got -1');
    expect(() => parseFloorPlan({ staff: 3 })).toThrow('plan.staff: unknown field');
    expect(() => parseFloorPlan([])).toThrow('plan: expected an object');
  });
});

describe('coaching', () => {
  it('validates the form and the score with the bad field named, and keeps a weighted scorecard', async () => {
    const desk = new QualityDesk(createMemoryQualityStore(), { now: () => 5, recordingOf: (id) => `rec://${id}` });
    await expect(desk.setForm({ campaignId: 'c', criteria: [] })).rejects.toThrow(/form\.criteria/);
    await expect(desk.setForm({ campaignId: 'c', criteria: [{ id: 'a', label: 'A', weight: 0 }] })).rejects.toThrow(
      /form\.criteria\[0\]\.weight/,
    );
    await expect(
      desk.setForm({
        campaignId: 'c',
        criteria: [
          { id: 'a', label: 'A', weight: 1 },
          { id: 'a', label: 'B', weight: 1 },
        ],
      }),
    ).rejects.toThrow('form.criteria[1].id: "a" is used twice');
    await expect(desk.score({ callId: 'k', campaignId: 'c', agentId: 'x', scores: {} }, 'coach')).rejects.toThrow(/no scoring form yet/);
    await desk.setForm({
      campaignId: 'c',
      criteria: [
        { id: 'greeting', label: 'Greeting', weight: 1 },
        { id: 'offer', label: 'Offer', weight: 3 },
      ],
    });
    await expect(desk.score({ callId: 'k', campaignId: 'c', agentId: 'x', scores: { greeting: 100 } }, 'coach')).rejects.toThrow(
      'score.scores.offer: missing',
    );
    await expect(
      desk.score({ callId: 'k', campaignId: 'c', agentId: 'x', scores: { greeting: 100, offer: 101 } }, 'coach'),
    ).rejects.toThrow(/score\.scores\.offer/);
    const first = await desk.score(
      { callId: 'k1', campaignId: 'c', agentId: 'x', scores: { greeting: 100, offer: 0 }, notes: 'rushed' },
      'coach',
    );
    expect(first).toMatchObject({ total: 25, recording: 'rec://k1', scoredBy: 'coach', at: 5, notes: 'rushed' });
    await desk.score(
      { callId: 'k2', campaignId: 'c', agentId: 'x', scores: { greeting: 50, offer: 100 }, recording: 'https://r/2' },
      'coach',
    );
    const card = await desk.scorecard('x');
    expect(card.scored).toBe(2);
    expect(card.average).toBeCloseTo((25 + 87.5) / 2, 10);
    expect(card.byCriterion).toEqual({ greeting: 75, offer: 50 });
    expect(card.scores.map((s) => s.callId)).toEqual(['k2', 'k1']);
    expect((await desk.scorecard('nobody')).average).toBeUndefined();
  });
});

describe('KPIs', () => {
  it('one conversion (DESIGN.md: sales / live answers) and a save rate beside it', () => {
    expect(conversionRate({ sales: 5, liveAnswers: 80 })).toBe(5 / 80);
    expect(saveRate({ saves: 11, liveAnswers: 80 })).toBe(11 / 80);
    expect(outcomeRates({ sales: 5, saves: 11, liveAnswers: 80 })).toEqual({ conversion: 5 / 80, saveRate: 11 / 80 });
    expect(outcomeRates({ sales: 0, saves: 0, liveAnswers: 0 })).toEqual({ conversion: 0, saveRate: 0 });
    expect(KPI_DEFINITIONS.conversion).toMatch(/^Conversion = sales \/ live answers/);
    expect(KPI_DEFINITIONS.saveRate).toMatch(/^Save rate = retention saves .*\/ live answers/);
  });

  it('names an agent "name (id)", the id alone without a distinct name', () => {
    expect(agentLabel({ agentId: 'a7', agentName: 'Dana Ruiz' })).toBe('Dana Ruiz (a7)');
    expect(agentLabel({ agentId: 'a7', agentName: 'a7' })).toBe('a7');
    expect(agentLabel({ agentId: 'a7', agentName: '  ' })).toBe('a7');
    expect(agentLabel({ agentId: 'a7' })).toBe('a7');
  });

  it('the list runs out at the last hour’s pace', () => {
    const point = (at: number, finished: number, remaining: number): HistoryPoint => ({
      at,
      finished,
      remaining,
      rate24h: 0,
      rate30d: 0,
      governorRate: 0,
      dials: 0,
      liveAnswers: 0,
      working: 0,
      loggedIn: 0,
    });
    expect(listExhaustionEta([point(0, 0, 100)])).toBeUndefined();
    // 60 finished in the last hour, 120 left: two more hours.
    expect(listExhaustionEta([point(0, 0, 180), point(30 * MIN, 30, 150), point(60 * MIN, 60, 120)])).toBe(180 * MIN);
    expect(listExhaustionEta([point(0, 10, 100), point(60 * MIN, 10, 100)])).toBeUndefined();
    expect(listExhaustionEta([point(0, 10, 0)])).toBe(0);
  });
});
