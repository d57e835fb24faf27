import { seededRandom, VirtualClock } from '@paceline/core';
import { createSimTrunk, type SimCallPlan, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { describe, expect, it } from 'vitest';
import { BENCH_AMD_FALSE_POSITIVE_RATE } from '../src/index';
import { simulateAgents } from './support/agents';
import { driveUntil } from './support/drive';
import { START, testContacts, testDialer, testNumber } from './support/test-dialer';

const number = (i: number) => testNumber(i, 4000);
const human: SimCallPlan = { outcome: 'human', ringingAfterMs: 500, resolveAfterMs: 4_000, analysisAfterMs: 1_000 };
const machine: SimCallPlan = { outcome: 'machine', ringingAfterMs: 500, resolveAfterMs: 4_000, analysisAfterMs: 2_000 };
/** A person the detector took for a machine: the costly error listen-back exists to find. */
const personHungUp: SimCallPlan = { ...human, detected: 'machine' };

describe('issue-17: listen-back of machine decisions through the recording tap', () => {
  it('keeps every sampled machine decision’s audio before the hang-up, queues it for review, and reviews feed the estimate', async () => {
    const clock = new VirtualClock(START);
    const plans: Record<string, SimCallPlan> = {};
    for (let i = 0; i < 20; i++) plans[number(i)] = i % 2 === 0 ? human : i % 4 === 1 ? machine : personHungUp;
    const trunk = createSimTrunk({ clock, random: seededRandom(1), model: scriptedOutcomeModel(plans, human) });
    // The tap: the trunk keeps what analysis heard (trunk-sip writes a WAV); here, where it would be.
    const ended = new Set<string>();
    trunk.onEvent((e) => e.type === 'ended' && ended.add(e.callId));
    const keptWhileUp: boolean[] = [];
    Object.assign(trunk, {
      keepAnalysisAudio: async (callId: string) => {
        keptWhileUp.push(!ended.has(callId));
        return `/srv/listen-back/${callId}.wav`;
      },
    });
    const { dialer } = testDialer({ clock, trunk, random: seededRandom(2), amdListenBackFraction: 1 });
    await dialer.addCampaign({
      id: 'k1',
      name: 'Winback',
      goal: 'retention',
      dialMode: 'progressive',
      complianceProfile: 'uk-ofcom',
      callerId: '+14155550100',
      homeTimeZone: 'Europe/London',
    });
    await dialer.addContacts('k1', testContacts(20, 4000));
    const queued: { callId: string; recording: string }[] = [];
    dialer.on('amdListenBack', (e) => queued.push(e));
    const machineDecisions = new Set<string>();
    dialer.on('analysed', (e) => e.result === 'machine' && machineDecisions.add(e.callId));
    const dialled = new Map<string, string>();
    dialer.on('dialed', ({ attempt }) => dialled.set(attempt.id, attempt.phone));
    simulateAgents(dialer, clock, { talkMs: () => 10_000, wrapMs: () => 1_000, disposition: () => ({ code: 'NOT_INTERESTED' }) });
    dialer.loginAgent({ id: 'a0', name: 'Agent 0' }, ['k1']);
    dialer.ready('a0');
    await dialer.start('k1');
    await driveUntil(clock, START + 3_600_000);
    const calibration = dialer.amdCalibration;

    expect(machineDecisions.size).toBe(10);
    // every machine decision (fraction 1) was kept while the call was still up, and queued with its recording
    expect(keptWhileUp).toEqual(Array(10).fill(true));
    expect(queued.map((q) => q.callId).sort()).toEqual([...machineDecisions].sort());
    const pending = calibration.pendingReviews('k1');
    expect(pending).toHaveLength(10);
    for (const p of pending) expect(p.recording).toBe(`/srv/listen-back/${p.callId}.wav`);
    // a reviewer listens: the people among them ("was a person") raise the estimate above the bench rate
    for (const p of pending) calibration.reviewed('k1', p.callId, plans[dialled.get(p.callId) ?? ''] === personHungUp);
    const report = calibration.report('k1');
    expect(report.pendingReviews).toBe(0);
    expect(report.estimate.method).toBe('listen-back');
    expect(report.estimate.rate).toBeCloseTo((BENCH_AMD_FALSE_POSITIVE_RATE * 50 + 5) / 60, 10);
  });
});
