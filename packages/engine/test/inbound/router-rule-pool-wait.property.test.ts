import { type AgentPool, seededRandom, VirtualClock } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryAgentPool, createMemoryJobQueue, createMemoryLease, createMemoryStore } from '../../src/index';
import { driveUntil } from '../support/drive';
import { addPredictiveCampaign, BUSY_AFTER_MS, busyCallsDialer, HOUR, SERVICE_LINE, START } from './busy-calls';

/** How late a node may still launch on an agent before it knows of a caller on another node: the pool sweep that shares the queues (1 s) and one commitments refresh. */
const KNOWN_AFTER_MS = 1_250;
/** A sweep and an offer's round trip after the rule allows the take. */
const SLACK_MS = 2_500;
/** The service queue's target answer time. */
const TARGET_MS = 20_000;

interface Layout {
  /** 2 or 3 engine nodes; node 0 leads k1 (its own agent on a break). */
  readonly nodes: number;
  /** Per agent (all in k1, all with the queue's skills), the node it is logged in to. */
  readonly agents: readonly number[];
  /** Per caller: its node, and when it dials in, ms after the leader's first dial. */
  readonly callers: readonly { readonly node: number; readonly afterMs: number }[];
  /** issue-23 23-xwait: the pool one hop away ({@link oneHopAway}). */
  readonly late?: boolean;
}

/**
 * issue-23 23-xwait: the memory pool answering each call a few microtasks later, as a store's
 * round trip would: the nodes' steps interleave otherwise (seed 2's race — a take and the
 * agent's node's own claim of the same agent at one instant — shows only so since 23-xwait's
 * sweep change).
 */
function oneHopAway(pool: AgentPool): AgentPool {
  return new Proxy(pool, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const result: unknown = await value.apply(target, args);
        await Promise.resolve();
        return result;
      };
    },
  });
}

/** The engine nodes on one virtual clock over the memory pool; every outbound call ends busy after 15 s; inbound calls last an hour. */
async function run(layout: Layout) {
  const clock = new VirtualClock(START);
  const shared = {
    store: createMemoryStore(),
    queue: createMemoryJobQueue({ clock, random: seededRandom(3) }),
    agentPool: layout.late ? oneHopAway(createMemoryAgentPool()) : createMemoryAgentPool(),
    leadership: { lease: createMemoryLease(), ttlMs: 6_000 },
  };
  const nodes = Array.from({ length: layout.nodes }, (_, i) =>
    busyCallsDialer(clock, 'demand', { trunkRandom: seededRandom(i + 1), random: seededRandom(i + 11), nodeId: `n${i}`, ...shared }),
  );
  const [leader] = nodes;
  if (!leader) throw new Error('no node');
  await addPredictiveCampaign(leader.dialer, 'k1', 40);
  // As in router-rule-pool.test.ts: the leader's own agent is on a break (it paces for the pool's agents).
  leader.dialer.loginAgent({ id: 'ana', name: 'ana' }, ['k1']);
  leader.dialer.notReady('ana', 'break');
  await leader.dialer.start('k1');
  await driveUntil(clock, START + 1_000); // node 0 holds the lease before the others recover
  for (const n of nodes.slice(1)) await n.dialer.recover();
  layout.agents.forEach((node, i) => {
    const d = nodes[node % nodes.length]?.dialer;
    d?.loginAgent({ id: `ag${i}`, name: `ag${i}` }, ['k1']);
    d?.ready(`ag${i}`);
  });
  let first = true;
  leader.dialer.on('dialed', () => {
    if (!first) return;
    first = false;
    layout.callers.forEach((c, i) => {
      const trunk = nodes[c.node % nodes.length]?.trunk;
      const from = `+1212555${String(300 + i)}`;
      clock.setTimer(c.afterMs, () => void trunk?.dialIn({ from, to: SERVICE_LINE, patienceMs: HOUR, handleMs: HOUR }));
    });
  });
  await driveUntil(clock, START + 75_000);
  await Promise.all(nodes.map((n) => n.dialer.close()));
  return { leader: leader.seen, all: nodes.map((n) => n.seen), ids: nodes.map((_, i) => `n${i}-`) }; // a node's id: its `nodeId` and its start time
}

/** Node layouts and arrival orders; `callersOn` picks each caller's node. */
const layoutsWith = (callersOn: fc.Arbitrary<number>, late: fc.Arbitrary<boolean> = fc.constant(false)) =>
  fc
    .record({
      late,
      nodes: fc.integer({ min: 2, max: 3 }),
      agents: fc.array(fc.nat(2), { minLength: 1, maxLength: 3 }),
      callers: fc.array(fc.record({ node: callersOn, afterMs: fc.integer({ min: 0, max: 30_000 }) }), { minLength: 1, maxLength: 3 }),
    })
    .filter((l) => l.callers.length <= l.agents.length);

/** Every caller connected (a caller is its node's call id: the sim trunks number calls `in-N` per node); the connects by time, each with its wait. */
function connects(layout: Layout, { all, ids }: Awaited<ReturnType<typeof run>>) {
  expect(all.flatMap((s) => s.error)).toEqual([]);
  const queued = all.flatMap((s, i) => s['inbound.queued'].map((q) => ({ ...q, node: ids[i] ?? '' })));
  const connected = all.flatMap((s) => s['inbound.connected']).sort((x, y) => x.at - y.at);
  expect(connected).toHaveLength(layout.callers.length);
  const waits = queued.map((q) => {
    const c = connected.find((x) => x.callId === q.callId && x.callNode?.startsWith(q.node) === true);
    expect(c, `caller ${q.node}${q.callId} connected`).toBeDefined();
    return { queuedAt: q.at, waitMs: (c?.at ?? Number.POSITIVE_INFINITY) - q.at };
  });
  return { connected, waits };
}

/**
 * Each caller's wait within the bound the rule allows: the calls already in flight when it became
 * known (the last of the leader's calls dialled by then ends {@link BUSY_AFTER_MS} later), plus a
 * sweep and an offer's round trip, and within the target.
 */
function expectWaitBound(
  leader: Awaited<ReturnType<typeof run>>['leader'],
  waits: readonly { readonly queuedAt: number; readonly waitMs: number }[],
) {
  const dials = leader.dialed.map((d) => d.attempt.startedAt);
  for (const { queuedAt, waitMs } of waits) {
    const lastEnd = Math.max(queuedAt, ...dials.filter((at) => at <= queuedAt + KNOWN_AFTER_MS).map((at) => at + BUSY_AFTER_MS));
    expect(waitMs).toBeLessThanOrEqual(Math.min(TARGET_MS, lastEnd - queuedAt + SLACK_MS));
  }
}

/** At the k-th connect the rule held: the leader's calls in flight ≤ the agents still ready (N − k). */
function expectRuleAtEveryConnect(
  layout: Layout,
  leader: Awaited<ReturnType<typeof run>>['leader'],
  connected: readonly { readonly at: number }[],
) {
  connected.forEach((c, k) => {
    const inFlight = leader.dialed.filter((d) => d.attempt.startedAt <= c.at).length - leader.ended.filter((e) => e.at <= c.at).length;
    expect(inFlight).toBeLessThanOrEqual(layout.agents.length - (k + 1));
  });
}

describe('a waiting caller holds its agent across nodes (issue 23, 23-pool, 23-xnode; properties over node layouts and arrival orders)', () => {
  /**
   * The router rule lets a caller wait while a ready agent with its skills exists only as long as
   * the calls in flight counting on that agent exceed what the day absorbs (here nothing: the day
   * has no live answer). So a caller's wait is bounded by the calls already in flight when it
   * became known — the last of the leader's calls dialled before then ends {@link BUSY_AFTER_MS}
   * later — plus a sweep and an offer's round trip; never by calls launched after it waits (the
   * starvation before 23-pool). With at least as many agents as callers (inbound calls last an
   * hour) every caller gets one, and the rule holds at every connect.
   *
   * Callers queued on the leader's node, agents on any node. Seeds 1, 2, 3 and 23 (100 layouts
   * each) pass; the recorded seed is 1. With no hold (`viewFor(…, new Map())`) it fails at once.
   */
  it('callers on the leader: each connected within the bound the rule allows, and the rule holds at every connect', async () => {
    await fc.assert(
      fc.asyncProperty(layoutsWith(fc.constant(0)), async (layout) => {
        const result = await run(layout);
        const { connected, waits } = connects(layout, result);
        expectWaitBound(result.leader, waits);
        expectRuleAtEveryConnect(layout, result.leader, connected);
      }),
      { numRuns: 100, seed: 1, endOnFailure: true },
    );
  }, 300_000);

  /**
   * Callers queued on any node (23-xnode): the rule's check is inside the pool's atomic take and
   * the leader's launch is ordered against it (docs/blending.md "The take and the launch,
   * ordered"), so at every connect the rule holds, and every caller is connected. Seeds 1, 2, 3
   * and 23 (100 layouts each) pass; the recorded seed is 1. Mutant: the take's check and the
   * launch's ordering both removed — fails (a caller arriving 2 ms before a call ends); either one
   * alone still closes the crossing in these layouts (the pool conformance tests catch the take's).
   * The wait bound above is not asserted here: at seed 2 a new caller on the agents' node takes
   * the agent held for an older caller on another node, which then waits 21.9 s where the bound
   * is 9.4 s — open (docs/blending.md, hand-off note 23-xnode).
   */
  it('callers on any node: every caller connected, and the rule holds at every connect', async () => {
    await fc.assert(
      fc.asyncProperty(layoutsWith(fc.nat(2), fc.boolean()), async (layout) => {
        const result = await run(layout);
        const { connected, waits } = connects(layout, result);
        expectWaitBound(result.leader, waits);
        expectRuleAtEveryConnect(layout, result.leader, connected);
      }),
      {
        numRuns: 100,
        seed: 1,
        endOnFailure: true,
        // Seed 2's counterexample before 23-xwait: a new caller on the agents' node took the agent held for the older caller on node 1.
        examples: [
          [
            {
              late: true,
              nodes: 3,
              agents: [2, 2],
              callers: [
                { node: 2, afterMs: 30_000 },
                { node: 1, afterMs: 23_094 },
              ],
            },
          ],
        ],
      },
    );
  }, 300_000);
});
