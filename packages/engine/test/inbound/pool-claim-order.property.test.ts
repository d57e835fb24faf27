import { seededRandom, VirtualClock } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INBOUND_POOL_SWEEP_MS } from '../../src/distributed/inbound-leader';
import { createMemoryAgentPool, createMemoryJobQueue, createMemoryLease, createMemoryStore } from '../../src/index';
import { driveUntil } from '../support/drive';
import { addPredictiveCampaign, busyCallsDialer, HOUR, SERVICE_LINE, START } from './busy-calls';

/** Every inbound call lasts this long on its agent's desk (then hung up and dispositioned at once). */
const CALL_MS = 10_000;

interface Layout {
  readonly model: 'hold' | 'demand';
  /** 2 or 3 engine nodes; node 0 leads k1 (no contacts: no outbound call). */
  readonly nodes: number;
  /** Per agent, the node it is logged in to. */
  readonly agents: readonly number[];
  /** Per caller: its node, and when it dials in (whole seconds, so arrivals, frees and sweeps meet at one instant). */
  readonly callers: readonly { readonly node: number; readonly afterS: number }[];
}

/** The nodes on one virtual clock over the memory pool; each agent's own node hangs its calls up after {@link CALL_MS}. */
async function run(layout: Layout) {
  const clock = new VirtualClock(START);
  const shared = {
    store: createMemoryStore(),
    queue: createMemoryJobQueue({ clock, random: seededRandom(3) }),
    agentPool: createMemoryAgentPool(),
    leadership: { lease: createMemoryLease(), ttlMs: 6_000 },
  };
  const nodes = Array.from({ length: layout.nodes }, (_, i) =>
    busyCallsDialer(clock, layout.model, { trunkRandom: seededRandom(i + 1), random: seededRandom(i + 11), nodeId: `n${i}`, ...shared }),
  );
  const [leader] = nodes;
  if (!leader) throw new Error('no node');
  await addPredictiveCampaign(leader.dialer, 'k1', 0);
  await leader.dialer.start('k1');
  await driveUntil(clock, START + 1_000);
  for (const n of nodes.slice(1)) await n.dialer.recover();
  // Each call is ended on the node whose trunk holds it (the caller hangs up) and dispositioned there: the sim
  // trunks number calls `in-N` per node, so an agent's node may hold another call of the same id.
  const hungUp = new Set<string>();
  nodes.forEach(({ dialer, trunk }, n) => {
    dialer.on('inbound.connected', (e) => {
      const at = nodes.findIndex((_, i) => e.callNode === undefined || e.callNode.startsWith(`n${i}-`));
      const holder = nodes[at]?.trunk ?? trunk;
      clock.setTimer(CALL_MS, () => {
        hungUp.add(`${at}:${e.callId}`);
        void holder.hangup(e.callId);
      });
    });
    dialer.on('inbound.ended', (e) => {
      if (hungUp.delete(`${n}:${e.callId}`)) void dialer.disposition(e.callId, 'SERVICE');
    });
  });
  layout.agents.forEach((node, i) => {
    const d = nodes[node % nodes.length]?.dialer;
    d?.loginAgent({ id: `ag${i}`, name: `ag${i}` }, ['k1']);
    d?.ready(`ag${i}`);
  });
  layout.callers.forEach((c, i) => {
    const trunk = nodes[c.node % nodes.length]?.trunk;
    clock.setTimer(1_000 + c.afterS * 1_000, () => {
      trunk?.dialIn({ from: `+1212555${String(300 + i)}`, to: SERVICE_LINE, patienceMs: HOUR, handleMs: HOUR });
    });
  });
  await driveUntil(clock, START + 200_000);
  await Promise.all(nodes.map((n) => n.dialer.close()));
  const ids = nodes.map((_, i) => `n${i}-`); // a node's id: its `nodeId` and its start time
  const errors = nodes.flatMap((n) => n.seen.error);
  const queued = nodes.flatMap((n, i) => n.seen['inbound.queued'].map((q) => ({ ...q, node: ids[i] ?? '' })));
  const connected = nodes.flatMap((n) => n.seen['inbound.connected']);
  const callers = queued.map((q) => ({
    queuedAt: q.at,
    connectedAt: connected.find((c) => c.callId === q.callId && c.callNode?.startsWith(q.node) === true)?.at,
    label: `${q.node}${q.callId}`,
  }));
  // An agent's connects, by time (each is emitted once, on the agent's node).
  const byAgent = new Map<string, number[]>();
  for (const c of connected)
    byAgent.set(
      c.agentId,
      [...(byAgent.get(c.agentId) ?? []), c.at].sort((x, y) => x - y),
    );
  return { errors, callers, byAgent };
}

const layouts = fc
  .record({
    model: fc.constantFrom<'hold' | 'demand'>('hold', 'demand'),
    nodes: fc.integer({ min: 2, max: 3 }),
    agents: fc.array(fc.nat(2), { minLength: 1, maxLength: 2 }),
    callers: fc.array(fc.record({ node: fc.nat(2), afterS: fc.integer({ min: 0, max: 25 }) }), { minLength: 2, maxLength: 5 }),
  })
  .filter((l) => l.callers.length > l.agents.length); // someone waits

describe('the service order across nodes, whatever the blend (issue 23, 23-xclaim; property over node layouts and arrivals)', () => {
  /**
   * Every caller queued, on any node, is published to the pool at its node's next sweep
   * ({@link INBOUND_POOL_SWEEP_MS}); from then on every take and claim of any node goes through the
   * pool's order. So a caller is never connected after a caller who queued more than a sweep after
   * it (one queue, every agent skilled for it, no decline): an agent is never given to the newer
   * one while the older one waits. The arrivals fall on whole seconds, as do the agents' frees and
   * the nodes' sweeps, so a new caller often arrives at the instant an agent frees on its node.
   * Recorded seed 1 (60 layouts); the mutant — a claim outside the `demand` blend taken without
   * the pool (the code before 23-xclaim) — fails after 9 layouts (kept as a fixed example).
   */
  it('no caller is passed by one that queued more than a sweep after it; each agent serves one call at a time', async () => {
    await fc.assert(
      fc.asyncProperty(layouts, async (layout) => {
        const { errors, callers, byAgent } = await run(layout);
        expect(errors).toEqual([]);
        expect(callers).toHaveLength(layout.callers.length);
        for (const c of callers) expect(c.connectedAt, `${c.label} connected`).toBeDefined();
        for (const older of callers)
          for (const newer of callers)
            if (older.queuedAt + INBOUND_POOL_SWEEP_MS < newer.queuedAt)
              expect(older.connectedAt ?? Number.POSITIVE_INFINITY, `${older.label} before ${newer.label}`).toBeLessThanOrEqual(
                newer.connectedAt ?? Number.POSITIVE_INFINITY,
              );
        // One call at a time: an agent's next connect comes after its call ({@link CALL_MS}) ends.
        for (const [agentId, ats] of byAgent)
          for (let i = 1; i < ats.length; i++)
            expect((ats[i] ?? 0) - (ats[i - 1] ?? 0), `${agentId}'s calls`).toBeGreaterThanOrEqual(CALL_MS);
      }),
      {
        numRuns: 60,
        seed: 1,
        endOnFailure: true,
        // The mutant's counterexample (seed 1, the 9th layout; the fix passes it).
        examples: [
          [
            {
              model: 'hold',
              nodes: 3,
              agents: [0],
              callers: [
                { node: 0, afterS: 21 },
                { node: 1, afterS: 19 },
                { node: 0, afterS: 1 },
                { node: 2, afterS: 2 },
                { node: 0, afterS: 22 },
              ],
            },
          ],
        ],
      },
    );
  }, 300_000);
});
