// The router rule's unit tests' world (issue 23, 23-router; shared with 23-dist's pool property):
// a fake engine core with one campaign `k`, its agents and calls, and its calling day's counts.
import { type AgentState, type Campaign, type PooledAgent, seededRandom, VirtualClock } from '@paceline/core';
import { AmdCalibration } from '../../src/amd-calibration';
import type { CallPhase } from '../../src/call/call-machine';
import type { AgentRuntime, CallRuntime, CampaignRuntime, EngineCore } from '../../src/engine-core';
import { createBlendSeam } from '../../src/inbound/blended-pacer';
import { createMemoryStore } from '../../src/index';

export const T0 = Date.UTC(2026, 10, 23, 14, 0);

export interface World {
  core: EngineCore;
  run: CampaignRuntime;
  agent(id: string, state: AgentState, campaigns?: string[]): AgentRuntime;
  call(id: string, phase: CallPhase, machine?: boolean): void;
  /** Record the day's live answers and abandons in the store and read the span once. */
  day(liveAnswers: number, abandoned: number): Promise<void>;
}

export function world(options: { blended?: boolean; cap?: number } = {}): World {
  const clock = new VirtualClock(T0);
  const store = createMemoryStore();
  const amdCalibration = new AmdCalibration({ random: seededRandom(1), includeFalsePositives: () => false });
  const agents = new Map<string, AgentRuntime>();
  const calls = new Map<string, CallRuntime>();
  const campaigns = new Map<string, CampaignRuntime>();
  const core = { deps: { clock }, store, amdCalibration, agents, calls, campaigns } as unknown as EngineCore;
  const campaign = { id: 'k', pacing: { abandonTarget: options.cap ?? 0.03 } } as unknown as Campaign;
  const run = { campaign, pooled: [] as PooledAgent[], liveAnswers: 0, abandoned: 0 } as unknown as CampaignRuntime;
  if (options.blended !== false) run.blend = createBlendSeam(core, () => campaign);
  campaigns.set('k', run);
  return {
    core,
    run,
    agent(id, state, ids = ['k']) {
      const a = { agent: { id, skills: ['service'] }, campaigns: new Set(ids), state, since: T0 } as unknown as AgentRuntime;
      agents.set(id, a);
      return a;
    },
    call(id, phase, machine) {
      calls.set(id, { run, snapshot: { phase, machineHandling: 'hangup', ...(machine ? { machine } : {}) } } as unknown as CallRuntime);
    },
    async day(liveAnswers, abandoned) {
      for (let i = 0; i < liveAnswers; i++)
        await store.recordLiveAnswer({ campaignId: 'k', attemptId: `l${i}`, at: T0 - 60_000 + i, abandoned: i < abandoned });
      const seam = run.blend;
      if (!seam) return;
      seam.span = { startMs: T0 - 3_600_000, endMs: T0 + 3_600_000 } as NonNullable<typeof seam.span>;
      seam.day = await seam.ledger.since(run, seam.span.startMs);
    },
  };
}
