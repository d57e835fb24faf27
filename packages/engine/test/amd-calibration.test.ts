import { seededRandom, VirtualClock } from '@paceline/core';
import { type SimCallPlan, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { describe, expect, it } from 'vitest';
import { AmdCalibration, BENCH_AMD_FALSE_POSITIVE_RATE } from '../src/index';
import { simulateAgents } from './support/agents';
import { driveUntil } from './support/drive';
import { testCompliance } from './support/seams';
import { testNumber as number, START, testContacts, testDialer } from './support/test-dialer';

const machine: SimCallPlan = { outcome: 'machine', ringingAfterMs: 500, resolveAfterMs: 4_000, analysisAfterMs: 2_000 };
const human: SimCallPlan = { outcome: 'human', ringingAfterMs: 500, resolveAfterMs: 4_000, analysisAfterMs: 1_000 };

/** 40 contacts, every fourth a machine; one campaign on `profile`, with or without AMD. */
async function run(profile: 'uk-ofcom' | 'us-federal', answeringMachineDetection = true) {
  const clock = new VirtualClock(START);
  const plans: Record<string, SimCallPlan> = {};
  for (let i = 0; i < 40; i++) plans[number(i)] = i % 4 === 0 ? machine : human;
  const compliance = {
    ...testCompliance(),
    // As the default gate does from the profile: Ofcom counts AMD false positives as abandons.
    abandonIncludesAmdFalsePositives: (campaign: { complianceProfile: string }) => campaign.complianceProfile === 'uk-ofcom',
    abandonWindowMs: () => (profile === 'uk-ofcom' ? 24 : 720) * 3_600_000,
  };
  const { dialer } = testDialer({ clock, model: scriptedOutcomeModel(plans, human), random: seededRandom(2), compliance });
  await dialer.addCampaign({
    id: 'k1',
    name: 'Winback',
    goal: 'retention',
    dialMode: 'progressive',
    complianceProfile: profile,
    callerId: '+14155550100',
    homeTimeZone: 'Europe/London',
    answeringMachineDetection,
  });
  await dialer.addContacts('k1', testContacts(40));
  simulateAgents(dialer, clock, { talkMs: () => 30_000, wrapMs: () => 5_000, disposition: () => ({ code: 'NOT_INTERESTED' }) });
  for (let i = 0; i < 4; i++) {
    dialer.loginAgent({ id: `a${i}`, name: `Agent ${i}` }, ['k1']);
    dialer.ready(`a${i}`);
  }
  await dialer.start('k1');
  await driveUntil(clock, START + 2 * 3_600_000);
  return { dialer, status: await dialer.status('k1'), report: dialer.amdCalibration.report('k1') };
}

describe('AMD calibration in the engine', () => {
  it('a UK campaign’s abandon ledger includes the estimated people among its machine decisions', async () => {
    const { status, report } = await run('uk-ofcom');
    expect(report.machineDecisions).toBe(10);
    expect(report.countedInAbandonRate).toBe(true);
    expect(report.estimate.method).toBe('bench-default');
    const estimated = 10 * BENCH_AMD_FALSE_POSITIVE_RATE;
    // 30 people answered and reached agents; the ledger adds 10 × the bench rate as abandoned live answers.
    expect(status.liveAnswers).toBeCloseTo(30 + estimated, 10);
    expect(status.abandoned).toBeCloseTo(estimated, 10);
    expect(status.abandonRate).toBeGreaterThan(0);
    // The status (and so the dashboard) shows the estimate and how it was made.
    expect(status.amdFalsePositives).toMatchObject({
      rate: BENCH_AMD_FALSE_POSITIVE_RATE,
      method: 'bench-default',
      countedInAbandonRate: true,
    });
    expect(status.amdFalsePositives?.explanation).toMatch(/bench rate/);
  });

  it('a US campaign’s ledger does not (the TSR counts measured abandons), and calibration still estimates', async () => {
    const { status, report } = await run('us-federal');
    expect(report.machineDecisions).toBe(10);
    expect(report.countedInAbandonRate).toBe(false);
    expect(status.liveAnswers).toBe(30);
    expect(status.abandoned).toBe(0);
  });

  it('with AMD switched off for the campaign, machines go to agents too and nothing is estimated', async () => {
    const { status, report } = await run('uk-ofcom', false);
    expect(report.machineDecisions).toBe(0);
    // Every answer was connected as a person (unknown connects as a person).
    expect(status.liveAnswers).toBe(40);
    expect(status.abandoned).toBe(0);
  });

  it('samples machine decisions for listen-back and pools the reviews into the estimate', () => {
    const calibration = new AmdCalibration({ random: seededRandom(3), listenBackFraction: 1, includeFalsePositives: () => true });
    for (let i = 0; i < 100; i++) expect(calibration.machineDecided('k', `m${i}`, i).listenBack).toBe(true);
    for (let i = 0; i < 100; i++) calibration.reviewed('k', `m${i}`, i < 10);
    const report = calibration.report('k');
    expect(report.pendingReviews).toBe(0);
    expect(report.estimate.method).toBe('listen-back');
    expect(report.estimate.rate).toBeCloseTo((BENCH_AMD_FALSE_POSITIVE_RATE * 50 + 10) / 150, 10);
    expect(() => calibration.reviewed('k', 'never-sampled', true)).toThrow(expect.objectContaining({ code: 'E_NOT_FOUND' }));
    expect(calibration.abandonCounts('k', { liveAnswers: 100, abandoned: 1 }, 100).estimatedFalsePositives).toBeCloseTo(
      100 * report.estimate.rate,
      10,
    );
  });
});
