import { AgentState, parseInboundConfig } from '@paceline/core';
import { BLEND_DEMAND_DEFAULTS, parseBlendPolicyOptions } from '@paceline/pacing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgentRuntime } from '../../src/engine-core';
import { InboundBlend } from '../../src/inbound/inbound-blend';
import type { ObservedAgent } from '../../src/ports';

const T0 = Date.UTC(2026, 10, 23, 15, 0);
const config = parseInboundConfig({ queues: [{ id: 'service', skills: ['service'], serviceLevel: { fraction: 0.8, answerSeconds: 20 } }] });
const STATES = [AgentState.Ready, AgentState.OnCall, AgentState.WrapUp] as const;

function agent(id: string, state: AgentState, skills = ['service']): AgentRuntime {
  return { agent: { id, name: id, skills } as AgentRuntime['agent'], campaigns: new Set(['k']), state, since: T0 - 30_000 };
}
const observed = (a: AgentRuntime, now: number): ObservedAgent => ({ id: a.agent.id, state: a.state, timeInStateMs: now - a.since });

/** A blend that has seen a call a minute for half an hour, handled in 180 s. */
function fed(model: 'demand' | 'hold'): { blend: InboundBlend; now: number } {
  const options = parseBlendPolicyOptions(model === 'demand' ? { ...BLEND_DEMAND_DEFAULTS } : {});
  const blend = new InboundBlend(options, config.queues);
  let now = T0;
  for (; now < T0 + 30 * 60_000; now += 60_000) {
    blend.policy('service')?.observeArrival(now);
    blend.policy('service')?.observeAnswered(0);
    blend.policy('service')?.observeWork('inbound', 180_000);
  }
  return { blend, now };
}

describe("the engine's demand view (issue 23, 23-wire2)", () => {
  it('flags only the reserve; the queued callers and the arrival rate are demand; a hold view flags reserve + queued', () => {
    const { blend, now } = fed('demand');
    const agents = [...STATES, ...STATES, ...STATES].map((s, i) => agent(`a${i}`, s));
    const d = blend.decide(now, agents, new Map([['service', 2]]));
    const view = blend.viewFor(
      agents.map((a) => observed(a, now)),
      d,
    );
    const reserve = d.queues[0]?.decision.reserve ?? 0;
    expect(reserve).toBeGreaterThan(0);
    expect(view.agents.filter((a) => a.leaving === true).length).toBe(Math.min(reserve, 9));
    expect(view.demand?.queued).toBe(2);
    expect(view.demand?.arrivalsPerSecond).toBeGreaterThan(0);
    expect((view.demand?.reserveIdle ?? 0) + (view.demand?.heldBusy?.length ?? 0)).toBe(d.held.size);
    expect(d.heldWithQueued.size).toBe(Math.min(9, reserve + 2));
    expect(blend.status()?.hold).toBe(d.heldWithQueued.size);
  });

  it("splits a queue's demand by the campaign's share of its agents; a campaign without the skill gets none", () => {
    const { blend, now } = fed('demand');
    const agents = Array.from({ length: 8 }, (_, i) => agent(`a${i}`, AgentState.OnCall));
    const d = blend.decide(now, agents, new Map([['service', 4]]));
    const half = blend.viewFor(
      agents.slice(0, 4).map((a) => observed(a, now)),
      d,
    );
    const all = blend.viewFor(
      agents.map((a) => observed(a, now)),
      d,
    );
    expect(half.demand?.queued).toBe(2);
    expect(half.demand?.arrivalsPerSecond).toBeCloseTo((all.demand?.arrivalsPerSecond ?? 0) / 2, 12);
    const other = [agent('x', AgentState.Ready, ['sales'])];
    const none = blend.viewFor(
      other.map((a) => observed(a, now)),
      blend.decide(now, [...agents, ...other], new Map()),
    );
    expect(none.demand).toBeUndefined();
    expect(none.agents.every((a) => a.leaving !== true)).toBe(true);
  });

  it('the demand flags are the held set; the hold view adds at most the callers queued (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...STATES), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 6 }),
        (states, queued) => {
          const { blend, now } = fed('demand');
          const agents = states.map((s, i) => agent(`a${i}`, s));
          const d = blend.decide(now, agents, new Map([['service', queued]]));
          const view = blend.viewFor(
            agents.map((a) => observed(a, now)),
            d,
          );
          const flagged = new Set(view.agents.filter((a) => a.leaving === true).map((a) => a.id));
          expect(flagged).toEqual(d.held);
          for (const id of d.held) expect(d.heldWithQueued.has(id)).toBe(true);
          expect(d.heldWithQueued.size).toBe(Math.min(agents.length, d.held.size + queued));
          expect(view.demand?.queued).toBe(queued);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the hold model is unchanged: reserve + queued flagged, no demand', () => {
    const { blend, now } = fed('hold');
    const agents = Array.from({ length: 6 }, (_, i) => agent(`a${i}`, AgentState.Ready));
    const d = blend.decide(now, agents, new Map([['service', 2]]));
    expect(blend.demandModel).toBe(false);
    expect(d.held).toEqual(d.heldWithQueued);
    expect(d.held.size).toBe(Math.min(6, (d.queues[0]?.decision.reserve ?? 0) + 2));
    expect(d.queues[0]?.decision.inboundDemand).toBeUndefined();
  });
});
