import { seededRandom, VirtualClock } from '@paceline/core';
import { type SimCallPlan, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../src/index';
import { simulateAgents } from './support/agents';
import { driveUntil } from './support/drive';
import { START, testContacts, testDialer, testNumber } from './support/test-dialer';

const number = (i: number) => testNumber(i, 3000);
const human: SimCallPlan = { outcome: 'human', ringingAfterMs: 500, resolveAfterMs: 4_000, analysisAfterMs: 1_000 };
/** A machine the detector connects as a person at its deadline, found out by a beep 3.5 s later. */
const lateBeep: SimCallPlan = {
  outcome: 'machine',
  ringingAfterMs: 500,
  resolveAfterMs: 4_000,
  analysisAfterMs: 2_300,
  detected: 'human',
  revisedAfterMs: 3_500,
};

/** 12 contacts, every odd one a machine found out late; one campaign with `machineHandling`. */
async function run(machineHandling: 'hangup' | 'message' | 'agent', disposition = 'NOT_INTERESTED') {
  const clock = new VirtualClock(START);
  const store = createMemoryStore();
  const plans: Record<string, SimCallPlan> = {};
  for (let i = 0; i < 12; i++) plans[number(i)] = i % 2 === 1 ? lateBeep : human;
  const { dialer, trunk } = testDialer({ clock, store, model: scriptedOutcomeModel(plans, human), random: seededRandom(2) });
  await dialer.addCampaign({
    id: 'k1',
    name: 'Winback',
    goal: 'retention',
    dialMode: 'progressive',
    complianceProfile: 'us-federal',
    callerId: '+14155550100',
    homeTimeZone: 'America/New_York',
    machineHandling,
  });
  await dialer.addContacts('k1', testContacts(12, 3000));
  const revised: { callId: string; agentId?: string; reason: string; handling: string; at: number }[] = [];
  dialer.on('revised', (e) => revised.push(e));
  const freedAt: { agentId: string; at: number; to: string }[] = [];
  dialer.on('agentStateChanged', (e) => {
    if (e.reason === 'answering machine' || (e.from === 'wrap-up' && e.to === 'ready'))
      freedAt.push({ agentId: e.agentId, at: e.at, to: e.to });
  });
  const ended = new Map<string, { outcome: string; amd?: string }>();
  dialer.on('ended', (e) => ended.set(e.callId, { outcome: e.outcome, ...(e.attempt.amd ? { amd: e.attempt.amd } : {}) }));
  const dispositioned = new Set<string>();
  dialer.on('dispositioned', (e) => dispositioned.add(e.callId));
  const offers = simulateAgents(dialer, clock, { talkMs: () => 20_000, wrapMs: () => 2_000, disposition: () => ({ code: disposition }) });
  for (let i = 0; i < 2; i++) {
    dialer.loginAgent({ id: `a${i}`, name: `Agent ${i}` }, ['k1']);
    dialer.ready(`a${i}`);
  }
  await dialer.start('k1');
  await driveUntil(clock, START + 3_600_000);
  const machineCalls = offers.filter((o) => o.contact.phones[0]?.number && plans[o.contact.phones[0].number] === lateBeep);
  return { store, dialer, trunk, offers, machineCalls, revised, freedAt, ended, dispositioned, status: await dialer.status('k1') };
}

describe('issue-17: the engine acts on a revision (a machine connected as a person)', () => {
  it("'message': the agent is freed at once and told, the message is left, the call ends a machine without a disposition", async () => {
    const { machineCalls, revised, ended, dispositioned, trunk, dialer, status, offers } = await run('message');
    expect(machineCalls).toHaveLength(6);
    for (const call of machineCalls) {
      const r = revised.find((e) => e.callId === call.callId);
      expect(r, call.callId).toMatchObject({ agentId: call.agentId, reason: 'late-beep', handling: 'message' });
      expect(trunk.messagesPlayed(call.callId)).toEqual(['machine-message']);
      expect(ended.get(call.callId)).toEqual({ outcome: 'machine', amd: 'machine' });
      expect(dispositioned.has(call.callId), call.callId).toBe(false);
    }
    // people are untouched: talked, dispositioned, never revised
    for (const call of offers.filter((o) => !machineCalls.includes(o))) {
      expect(revised.some((e) => e.callId === call.callId)).toBe(false);
      expect(dispositioned.has(call.callId)).toBe(true);
    }
    const report = dialer.amdCalibration.report('k1');
    expect(report.machinesConnectedAsPeople).toBe(6);
    expect(report.machineDecisions).toBe(6); // each revision with machine handling is a machine decision
    // revised machines are not live answers in the abandon ledger
    expect(status.liveAnswers).toBe(6);
  });

  it('takes revised machines out of the shared store ledger too: another node or a restart reads only the people', async () => {
    for (const handling of ['hangup', 'agent'] as const) {
      const { store, machineCalls, offers } = await run(handling);
      expect(machineCalls).toHaveLength(6);
      // what another process reads: the store, without this process's calibration
      expect(await store.countLiveAnswers('k1', START, START + 3_600_000), handling).toEqual({ liveAnswers: 6, abandoned: 0 });
      // the 6 that count are the 6 people: every connected call is in the store, the machines marked
      expect(offers).toHaveLength(12);
      for (const call of offers) {
        const attempt = await store.getAttempt(call.callId);
        expect(attempt?.connectedAt, `${handling} ${call.callId}`).toBeDefined();
        expect(attempt?.amd === 'machine', `${handling} ${call.callId}`).toBe(machineCalls.includes(call));
      }
    }
  });

  it("'hangup': each revised call is hung up at the revision and its agent is ready then, not after a 20 s talk", async () => {
    const { machineCalls, revised, freedAt, trunk } = await run('hangup');
    for (const call of machineCalls) {
      const r = revised.find((e) => e.callId === call.callId);
      expect(r?.handling).toBe('hangup');
      expect(trunk.messagesPlayed(call.callId)).toEqual([]);
      // on-call → wrap-up ('answering machine') → ready, at the revision itself
      expect(freedAt.filter((f) => f.agentId === call.agentId && f.at === r?.at).map((f) => f.to)).toEqual(['wrap-up', 'ready']);
    }
    expect(revised.length).toBe(6);
  });

  it("'agent': the agent keeps the call; it is counted a machine and dispositioned as usual", async () => {
    const { machineCalls, revised, dispositioned, dialer, ended } = await run('agent');
    for (const call of machineCalls) {
      expect(revised.find((e) => e.callId === call.callId)).toMatchObject({ handling: 'agent', agentId: call.agentId });
      expect(dispositioned.has(call.callId)).toBe(true);
      expect(ended.get(call.callId)?.amd).toBe('machine');
    }
    const report = dialer.amdCalibration.report('k1');
    expect(report.machinesConnectedAsPeople).toBe(6);
    expect(report.machineDecisions).toBe(0); // nobody was hung up on
  });

  it("an agent's ANSWERING_MACHINE disposition marks the call a machine and feeds calibration", async () => {
    // every call is a person to the detector here ('agent' handling keeps revised ones with agents too)
    const { dialer, offers, revised, store } = await run('agent', 'ANSWERING_MACHINE');
    const byAgent = revised.filter((e) => e.reason === 'agent-disposition');
    // the 6 real people dispositioned ANSWERING_MACHINE by (simulated) agents count; the 6 revised ones are not counted twice
    expect(byAgent).toHaveLength(6);
    expect(dialer.amdCalibration.report('k1').machinesConnectedAsPeople).toBe(12);
    expect(offers).toHaveLength(12);
    // every connected call was a machine: none is a live answer, here or in the store (each counted once)
    expect((await dialer.status('k1')).liveAnswers).toBe(0);
    expect(await store.countLiveAnswers('k1', START, START + 3_600_000)).toEqual({ liveAnswers: 0, abandoned: 0 });
  });
});
