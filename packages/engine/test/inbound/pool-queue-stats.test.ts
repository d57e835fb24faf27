// issue-23 23-dist: the pool's queue statistics as one node reads them (PoolQueueStats), on the
// in-memory store and a virtual clock: status numbers, the blend learning the other nodes' counts,
// and the share of serving agents.
import { AgentState, type PooledAgent, parseInboundConfig, VirtualClock } from '@paceline/core';
import { parseBlendPolicyOptions } from '@paceline/pacing';
import { describe, expect, it } from 'vitest';
import type { AgentRuntime, EngineCore } from '../../src/engine-core';
import { InboundBlend } from '../../src/inbound/inbound-blend';
import { POOL_STATS_REFRESH_MS, PoolQueueStats } from '../../src/inbound/pool-queue-stats';
import { withPoolNumbers } from '../../src/inbound/queue-stats';
import { MemoryStore } from '../../src/memory/memory-store';

const T0 = Date.UTC(2026, 10, 23, 15, 0);
const config = parseInboundConfig({ queues: [{ id: 'service', skills: ['service'], serviceLevel: { fraction: 0.8, answerSeconds: 20 } }] });
const queue = config.queues[0] as (typeof config.queues)[number];

function agent(id: string, state: AgentState = AgentState.Ready): AgentRuntime {
  return { agent: { id, name: id, skills: ['service'] } as AgentRuntime['agent'], campaigns: new Set(['k']), state, since: T0 };
}

/** One node ('b') of the pool: a core with just what PoolQueueStats uses. */
function node(store: MemoryStore = new MemoryStore(), elsewhere: PooledAgent[] = []) {
  const clock = new VirtualClock(T0);
  const errors: unknown[] = [];
  const pending: Promise<unknown>[] = [];
  const agents = new Map<string, AgentRuntime>([['b1', agent('b1')]]);
  const core = {
    nodeId: 'b',
    deps: { clock },
    agents,
    guard: (_where: string, work: Promise<unknown>) => {
      pending.push(work.catch((error: unknown) => errors.push(error)));
    },
  } as unknown as EngineCore;
  const blend = new InboundBlend(parseBlendPolicyOptions({ recomputeEveryMs: 0 }), config.queues);
  const stats = new PoolQueueStats(core, config.queues, blend, store as never, async () => elsewhere);
  const settle = async () => {
    await Promise.all(pending.splice(0));
  };
  return { clock, store, blend, stats, errors, settle, agents };
}

const pooled = (id: string, nodeId: string, state = AgentState.Ready): PooledAgent =>
  ({ agentId: id, nodeId, campaignIds: ['k'], skills: ['service'], state, since: T0, seenAt: T0 }) as PooledAgent;

describe('issue-23 23-dist: PoolQueueStats (one node reading the pool’s queue statistics)', () => {
  it('status shows the pool’s numbers of the UTC day once read; a node without them shows its own, unchanged', async () => {
    const { store, stats, settle, clock } = node();
    const local = { queueId: 'service', waiting: 1, longestWaitMs: 5, answered: 1, answeredWithinTarget: 1, abandoned: 0 } as const;
    const status = { ...local, serviceLevel: 1, target: queue.serviceLevel, asaMs: 3_000, overflowed: 0 };
    expect(withPoolNumbers(status, stats.numbers('service'))).toBe(status); // nothing read yet: this node's, as it was
    stats.answered(queue, T0, 3_000); // b's own answer, in the store
    await store.addInboundQueueStats('service', T0 - 1, 'a', { offered: 1, answered: 1, answeredWithinTarget: 0, answeredWaitMs: 40_000 }); // the last interval
    await store.addInboundQueueStats('service', T0, 'a', { offered: 2, abandoned: 1, abandonedWaitMs: 9_000 });
    await store.addInboundQueueStats('service', T0 - 24 * 3_600_000, 'a', { offered: 5, answered: 5 }); // yesterday: not today's
    await settle();
    await stats.refresh();
    const shown = withPoolNumbers(status, stats.numbers('service'));
    expect(shown).toMatchObject({
      waiting: 1, // this node's
      longestWaitMs: 5,
      answered: 2,
      answeredWithinTarget: 1,
      abandoned: 1,
      serviceLevel: 1 / 3,
      asaMs: 21_500,
      pool: {
        since: Date.UTC(2026, 10, 23),
        offered: 3,
        interval: { start: T0, offered: 2, answered: 1, answeredWithinTarget: 1, abandoned: 1, serviceLevel: 0.5, asaMs: 3_000 },
        at: clock.now(),
      },
    });
  });

  it('the blend learns the other nodes’ arrivals and handle times (a remote agent’s call included), not its own twice', async () => {
    const { store, stats, blend, clock } = node();
    const estimator = () => blend.policy('service')?.estimator;
    await store.addInboundQueueStats('service', T0 - 60_000, 'a', { offered: 50, handled: 50, handleMs: 50 * 600_000 }); // before b started
    await stats.refresh(); // the first read notes it: nothing learnt
    const prior = estimator()?.inboundHandleSeconds as number;
    expect(prior).toBe(240);
    const rateBefore = estimator()?.arrivalRate(clock.now()).mean as number;
    clock.advanceTo(T0 + POOL_STATS_REFRESH_MS / 2); // before the node's own refresh timer: this test reads when it says
    // a led ten calls; a remote agent (say, on b) took them and a recorded their handle times: 60 s each
    await store.addInboundQueueStats('service', clock.now(), 'a', {
      offered: 10,
      answered: 10,
      answeredWaitMs: 10_000,
      handled: 10,
      handleMs: 600_000,
    });
    // b's own adds are learnt as they happen (the desk), not from the store
    await store.addInboundQueueStats('service', clock.now(), 'b', { offered: 100, handled: 100, handleMs: 100 * 1_000_000 });
    await stats.refresh();
    const learnt = estimator()?.inboundHandleSeconds as number;
    expect(learnt).toBeLessThan(prior);
    expect(learnt).toBeGreaterThan(60);
    // exactly ten observations of 60 s after the 10-observation prior of 240 s (half-life 200)
    const keep = 0.5 ** (1 / 200);
    let sum = 240 * 10;
    let weight = 10;
    for (let i = 0; i < 10; i++) {
      sum = sum * keep + 60;
      weight = weight * keep + 1;
    }
    expect(learnt).toBeCloseTo(sum / weight, 9);
    expect(estimator()?.arrivalRate(clock.now()).mean).toBeGreaterThan(rateBefore);
    // read again with nothing new: nothing learnt twice
    await stats.refresh();
    expect(estimator()?.inboundHandleSeconds).toBe(learnt);
  });

  it('sizes this node’s reserve for its share of the pool’s serving agents', async () => {
    const elsewhere = [
      pooled('a1', 'a'),
      pooled('a2', 'a'),
      pooled('a3', 'a', AgentState.OnCall),
      pooled('gone', 'a', AgentState.LoggedOut),
    ];
    const { stats, blend, clock, agents } = node(new MemoryStore(), elsewhere);
    const policy = blend.policy('service');
    // heavy traffic learnt: a call every 10 s, 3 min each (18 Erlangs for the pool)
    for (let t = T0 - 1_800_000; t < T0; t += 10_000) {
      policy?.observeArrival(t);
      policy?.observeWork('inbound', 180_000);
    }
    const mine = [...agents.values()];
    const whole = blend.decide(clock.now(), mine, new Map()).queues[0]?.decision;
    await stats.refresh(); // b has 1 of 4 serving agents (a's logged-out one does not count)
    clock.advanceTo(clock.now() + 1);
    const shared = blend.decide(clock.now(), mine, new Map()).queues[0]?.decision;
    expect(Number(shared?.inputs.arrivalsPerHour)).toBeCloseTo(Number(whole?.inputs.arrivalsPerHour) / 4, 2); // 1 ms of decay apart
    expect(Number(shared?.inputs.plannedArrivalsPerHour)).toBeCloseTo(Number(whole?.inputs.plannedArrivalsPerHour) / 4, 2);
  });

  it('reports a failing store through the engine’s guard, never throws', async () => {
    const store = new MemoryStore();
    const { stats, errors, settle } = node({
      ...store,
      addInboundQueueStats: async () => {
        throw new Error('redis down');
      },
      listInboundQueueStats: store.listInboundQueueStats.bind(store),
    } as never);
    stats.record('service', T0, { offered: 1 });
    await settle();
    expect(errors).toHaveLength(1);
  });
});
