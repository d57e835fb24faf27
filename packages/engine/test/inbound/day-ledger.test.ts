import { seededRandom, VirtualClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { AmdCalibration } from '../../src/amd-calibration';
import type { CampaignRuntime, EngineCore } from '../../src/engine-core';
import { DayLedger } from '../../src/inbound/day-ledger';
import { createMemoryStore } from '../../src/index';

const T0 = Date.UTC(2026, 10, 23, 14, 0);
const DAY = 86_400_000;

describe("the blend's day ledger (issue 23, 23-wire2)", () => {
  it("counts the span's live answers and abandons only, not the compliance window's, plus this process's since the read", async () => {
    const clock = new VirtualClock(T0);
    const store = createMemoryStore();
    const amd = new AmdCalibration({ random: seededRandom(1), includeFalsePositives: () => false });
    const core = { deps: { clock }, store, amdCalibration: amd } as unknown as EngineCore;
    const run = { campaign: { id: 'k' }, liveAnswers: 0, abandoned: 0 } as unknown as CampaignRuntime;
    // Yesterday (inside a 30-day window): 100 live answers, 10 abandoned. Today: 20, 1 abandoned.
    for (let i = 0; i < 100; i++)
      await store.recordLiveAnswer({ campaignId: 'k', attemptId: `y${i}`, at: T0 - DAY + i, abandoned: i < 10 });
    for (let i = 0; i < 20; i++)
      await store.recordLiveAnswer({ campaignId: 'k', attemptId: `t${i}`, at: T0 - 3_600_000 + i, abandoned: i < 1 });
    const ledger = new DayLedger(core);
    const dayStart = T0 - 2 * 3_600_000;
    expect(await ledger.since(run, dayStart)).toEqual({ liveAnswers: 20, abandoned: 1, windowMs: 2 * 3_600_000 });
    // This process's own live answers count at once, before the next store read.
    run.liveAnswers += 3;
    run.abandoned += 1;
    expect(await ledger.since(run, dayStart)).toMatchObject({ liveAnswers: 23, abandoned: 2 });
    // A new span reads afresh from its own start.
    expect(await ledger.since(run, T0 - 30 * 60_000)).toMatchObject({ liveAnswers: 0, abandoned: 0 });
  });
});
