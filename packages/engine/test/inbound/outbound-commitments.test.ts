import { AgentState, type PooledAgent } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CallPhase } from '../../src/call/call-machine';
import type { CampaignRuntime } from '../../src/engine-core';
import { inboundMayTake, inboundRoom } from '../../src/inbound/outbound-commitments';
import { world } from './rule-world';

describe('the router rule: inbound never takes the agents outbound calls in flight count on (issue 23, 23-router)', () => {
  it('two calls ringing for two ready agents on a day that absorbs nothing: neither ready agent is offered to inbound', async () => {
    const w = world();
    await w.day(10, 0); // 0.03 × 10 = 0.3: no abandon absorbed
    const a = w.agent('a', AgentState.Ready);
    const b = w.agent('b', AgentState.Ready);
    w.call('c1', CallPhase.Ringing);
    w.call('c2', CallPhase.Dialing);
    expect(inboundRoom(w.core, w.run)).toBe(0);
    expect(inboundMayTake(w.core, a)).toBe(false);
    expect(inboundMayTake(w.core, b)).toBe(false);
    // An agent in wrap-up is nobody the calls count on (not ready): the rule never stops it.
    expect(inboundMayTake(w.core, w.agent('w', AgentState.WrapUp))).toBe(true);
    // A third ready agent: one more than the calls need.
    w.agent('c', AgentState.Ready);
    expect(inboundRoom(w.core, w.run)).toBe(1);
    expect(inboundMayTake(w.core, a)).toBe(true);
  });

  it('counts only calls that may still answer live and need a ready agent, and the calls the round decided but has not launched', async () => {
    const w = world();
    await w.day(0, 0);
    const a = w.agent('a', AgentState.Ready);
    w.call('machine', CallPhase.Analysing, true);
    w.call('offered', CallPhase.Offered);
    w.call('connected', CallPhase.Connected);
    w.call('abandoned', CallPhase.Abandoned);
    expect(inboundMayTake(w.core, a)).toBe(true);
    w.call('waiting', CallPhase.Waiting); // a live answer waiting for an agent
    expect(inboundMayTake(w.core, a)).toBe(false);
    w.core.calls.delete('waiting');
    expect(inboundMayTake(w.core, a)).toBe(true);
    (w.run.blend as NonNullable<typeof w.run.blend>).launching = 1;
    expect(inboundMayTake(w.core, a)).toBe(false);
  });

  it("the day's absorb lets inbound take agents the calls count on; this process's abandons since the read count at once", async () => {
    const w = world();
    await w.day(70, 0); // ⌊(0.03·70 − 0)/0.97⌋ = 2 abandons absorbed
    const a = w.agent('a', AgentState.Ready);
    w.agent('b', AgentState.Ready);
    for (const id of ['c1', 'c2', 'c3']) w.call(id, CallPhase.Ringing);
    // P = 3, R = 2, k = 2: room 2 − max(0, 3 − 2) = 1.
    expect(inboundRoom(w.core, w.run)).toBe(1);
    expect(inboundMayTake(w.core, a)).toBe(true);
    // One abandon here since the read (a live answer too): k = ⌊(0.03·71 − 1)/0.97⌋ = 1, room 0.
    w.run.liveAnswers += 1;
    w.run.abandoned += 1;
    expect(inboundRoom(w.core, w.run)).toBe(0);
    expect(inboundMayTake(w.core, a)).toBe(false);
  });

  it('no rule on the hold model (no blend seam), and an agent of two campaigns is kept when either counts on it', async () => {
    const hold = world({ blended: false });
    const a = hold.agent('a', AgentState.Ready);
    hold.call('c1', CallPhase.Ringing);
    expect(inboundRoom(hold.core, hold.run)).toBeUndefined();
    expect(inboundMayTake(hold.core, a)).toBe(true);

    const w = world();
    await w.day(0, 0);
    const other = { campaign: { id: 'j', pacing: { abandonTarget: 0.03 } }, pooled: [] } as unknown as CampaignRuntime;
    w.core.campaigns.set('j', other);
    const shared = w.agent('s', AgentState.Ready, ['j', 'k']);
    w.call('c1', CallPhase.Ringing);
    expect(inboundMayTake(w.core, shared)).toBe(false);
  });

  it('property: the rule allows taking a ready agent exactly when the worst case after it stays within the absorb', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          ready: fc.integer({ min: 0, max: 6 }),
          busy: fc.integer({ min: 0, max: 3 }),
          inFlight: fc.array(
            fc.constantFrom(CallPhase.Dialing, CallPhase.Ringing, CallPhase.Analysing, CallPhase.Waiting, CallPhase.Connected),
            {
              maxLength: 10,
            },
          ),
          live: fc.integer({ min: 0, max: 300 }),
          abandonedShare: fc.double({ min: 0, max: 0.06, noNaN: true }),
          pooledReady: fc.integer({ min: 0, max: 2 }),
        }),
        async (c) => {
          const w = world();
          const abandoned = Math.floor(c.live * c.abandonedShare);
          await w.day(c.live, abandoned);
          const ready = Array.from({ length: c.ready }, (_, i) => w.agent(`r${i}`, AgentState.Ready));
          for (let i = 0; i < c.busy; i++) w.agent(`b${i}`, AgentState.OnCall);
          for (let i = 0; i < c.pooledReady; i++)
            w.run.pooled.push({ agentId: `p${i}`, state: AgentState.Ready } as unknown as PooledAgent);
          for (const [i, phase] of c.inFlight.entries()) w.call(`c${i}`, phase);
          const p = c.inFlight.filter((phase) => phase !== CallPhase.Connected).length;
          const absorb = Math.max(0, Math.floor((0.03 * c.live - abandoned) / 0.97 + 1e-9));
          const r = c.ready + c.pooledReady;
          const allowed = p === 0 || Math.max(0, p - (r - 1)) <= absorb;
          for (const a of ready) expect(inboundMayTake(w.core, a)).toBe(allowed);
        },
      ),
      { numRuns: 300, seed: 23 },
    );
  });
});
