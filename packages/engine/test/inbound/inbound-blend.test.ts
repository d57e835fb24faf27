import { AgentState, parseInboundConfig } from '@paceline/core';
import { parseBlendPolicyOptions } from '@paceline/pacing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgentRuntime } from '../../src/engine-core';
import { InboundBlend } from '../../src/inbound/inbound-blend';

const T0 = Date.UTC(2026, 10, 23, 15, 0);
const MIN = 60_000;

const config = parseInboundConfig({
  queues: [
    { id: 'sales', skills: ['sales'], priority: 0, serviceLevel: { fraction: 0.8, answerSeconds: 30 } },
    { id: 'care', skills: ['care'], priority: 1, serviceLevel: { fraction: 0.95, answerSeconds: 10 } },
  ],
});

function agent(id: string, skills: readonly string[], state: AgentState = AgentState.Ready, since = T0): AgentRuntime {
  return { agent: { id, name: id, skills: [...skills] } as AgentRuntime['agent'], campaigns: new Set(['k']), state, since };
}

/** Both queues see the same traffic for `minutes`: a call every `everyMs`, handled in 180 s; outbound calls take 120 s. */
function feed(blend: InboundBlend, minutes: number, everyMs: number, queues = ['sales', 'care']): number {
  let now = T0;
  for (; now < T0 + minutes * MIN; now += everyMs) {
    for (const q of queues) {
      blend.policy(q)?.observeArrival(now);
      blend.policy(q)?.observeAnswered(0);
      blend.policy(q)?.observeWork('inbound', 180_000);
    }
    blend.observeOutboundWork(120_000);
  }
  return now;
}

describe('the blend per inbound queue', () => {
  it('sizes each queue from its own service-level target over the agents with its skills', () => {
    const blend = new InboundBlend(parseBlendPolicyOptions({}), config.queues);
    const now = feed(blend, 30, 60_000); // 3 Erlangs per queue on 10 agents each
    const agents = [
      ...Array.from({ length: 10 }, (_, i) => agent(`s${i}`, ['sales'])),
      ...Array.from({ length: 10 }, (_, i) => agent(`c${i}`, ['care'])),
    ];
    const d = blend.decide(now, agents, new Map());
    const [care, sales] = d.queues; // care decides first: higher priority
    expect(care?.queueId).toBe('care');
    expect(sales?.queueId).toBe('sales');
    // Same traffic, a stricter target (95% in 10 s vs 80% in 30 s): care keeps more agents free.
    expect(care?.decision.reserve).toBeGreaterThan(sales?.decision.reserve ?? Number.POSITIVE_INFINITY);
    expect(sales?.decision.reserve).toBeGreaterThan(0);
    for (const id of care?.held ?? []) expect(id.startsWith('c')).toBe(true);
    for (const id of sales?.held ?? []) expect(id.startsWith('s')).toBe(true);
    expect(d.held.size).toBe((care?.held.size ?? 0) + (sales?.held.size ?? 0));
    // Only the care queue has callers: the sales agents are not held for it.
    const quiet = new InboundBlend(parseBlendPolicyOptions({}), config.queues);
    const at = feed(quiet, 30, 60_000, ['care']);
    const q = quiet.decide(at, agents, new Map());
    expect(q.queues.find((x) => x.queueId === 'sales')?.decision.reserve).toBe(0);
    expect([...q.held].every((id) => id.startsWith('c'))).toBe(true);
  });

  it('holds an agent who serves two queues for one of them at most (three shared agents, two busy queues)', () => {
    const blend = new InboundBlend(parseBlendPolicyOptions({}), config.queues);
    const now = feed(blend, 30, 10_000);
    const shared = [agent('x', ['sales', 'care']), agent('y', ['sales', 'care']), agent('z', ['care', 'sales'])];
    const d = blend.decide(
      now,
      shared,
      new Map([
        ['care', 2],
        ['sales', 2],
      ]),
    );
    const [care, sales] = d.queues;
    expect(care?.held.size).toBe(3); // care decides first and needs them all
    expect(sales?.held.size).toBe(0); // nobody left: never counted twice
    expect(d.held.size).toBe(3);
  });

  it('never holds more agents than there are, nor one agent twice, nor an agent without the queue skills (property)', () => {
    const skillSets = fc.constantFrom(['sales'], ['care'], ['sales', 'care'], ['outbound']);
    const states = fc.constantFrom(AgentState.Ready, AgentState.OnCall, AgentState.WrapUp, AgentState.Reserved, AgentState.NotReady);
    fc.assert(
      fc.property(
        fc.array(fc.record({ skills: skillSets, state: states, idleMs: fc.integer({ min: 0, max: 600_000 }) }), { maxLength: 40 }),
        fc.integer({ min: 2_000, max: 120_000 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        (specs, everyMs, queuedSales, queuedCare) => {
          const blend = new InboundBlend(parseBlendPolicyOptions({}), config.queues);
          const now = feed(blend, 20, everyMs);
          const agents = specs.map((s, i) => agent(`a${i}`, s.skills, s.state, now - s.idleMs));
          const d = blend.decide(
            now,
            agents,
            new Map([
              ['sales', queuedSales],
              ['care', queuedCare],
            ]),
          );
          const seen = new Set<string>();
          for (const q of d.queues) {
            const queue = config.queues.find((x) => x.id === q.queueId);
            for (const id of q.held) {
              expect(seen.has(id)).toBe(false);
              seen.add(id);
              const a = agents.find((x) => x.agent.id === id);
              expect(queue?.skills.every((skill) => a?.agent.skills.includes(skill))).toBe(true);
              expect(a?.state).not.toBe(AgentState.NotReady);
            }
          }
          const inboundCapable = agents.filter((a) => a.agent.skills.some((s) => s === 'sales' || s === 'care')).length;
          expect(d.held.size).toBe(seen.size);
          expect(d.held.size).toBeLessThanOrEqual(inboundCapable);
        },
      ),
      { numRuns: 200 },
    );
  });
});
