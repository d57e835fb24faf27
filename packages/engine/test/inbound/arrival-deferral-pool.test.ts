import { type AgentPool, seededRandom, VirtualClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import {
  createMemoryAgentPool,
  createMemoryJobQueue,
  createMemoryLease,
  createMemoryStore,
  type DialerEvents,
  INBOUND_EVENTS,
} from '../../src/index';
import { driveUntil } from '../support/drive';
import { inboundDialer, simTrunk } from '../support/inbound-dialer';
import { replacing } from '../support/replacing';
import { addPredictiveCampaign, HOUR, SERVICE_LINE, START } from './busy-calls';

/** The calling day so far, as the shared store counts it: enough live answers that the day absorbs abandons (k ≥ 1), so the router rule lets a caller take the last ready agent and only the arrival deferral decides. */
const DAY_LIVE_ANSWERS = 400;
const TTL = 6_000;

interface Case {
  /** Node a's agent ana ready (in k1), besides b's bo; false: on a break. */
  readonly ana: boolean;
  /** Contacts of k1 (each one outbound call, answered human after its greeting). */
  readonly calls: number;
  /** Which node's trunk the caller dials in on. */
  readonly callerOn: 'a' | 'b';
  /**
   * How the nodes read the pool: `no-claims` without the other nodes' deferral claims (`PooledCommitment.claims`
   * dropped: the per-node count); `b-reads-fail` b's reads of the commitments fail from 1 s after the last answer on.
   */
  readonly view?: 'pool' | 'no-claims' | 'b-reads-fail';
  /** The greeting (call analysis), ms; default 3 s. */
  readonly greetingMs?: number;
  /** When the caller dials in after the last answer, ms; default 500. */
  readonly dialInAfterMs?: number;
}

/**
 * issue-23 23-xdefer: two engine nodes (one process, one virtual clock) sharing store, lease, job
 * queue and memory agent pool, the arrival deferral on (the answer target's window, no room check).
 * Node a leads the blended campaign k1; b's agent bo (and, with `ana`, a's agent ana) serve it and
 * the service line. a's calls are answered human after a greeting; a while after the last is
 * answered a caller dials in on `callerOn`. The calling day has absorbed enough that the router
 * rule allows the caller every ready agent: only the deferral keeps it.
 */
async function scenario({ ana, calls, callerOn, view = 'pool', greetingMs = 3_000, dialInAfterMs = 500 }: Case) {
  const clock = new VirtualClock(START);
  // The day's earlier live answers (no abandon): the shared store's count for the blend's day ledger.
  const store = replacing(createMemoryStore(), 'countLiveAnswers', (t) => async (campaignId: string, from: number, to: number) => {
    const counts = await t.countLiveAnswers(campaignId, from, to);
    return { ...counts, liveAnswers: counts.liveAnswers + DAY_LIVE_ANSWERS };
  });
  const memoryPool = createMemoryAgentPool();
  let readsFailFrom = Number.POSITIVE_INFINITY;
  const poolOf = (nodeId: string): AgentPool =>
    view === 'no-claims'
      ? replacing(
          memoryPool,
          'listCommitments',
          (t) => async (campaignId: string, freshSince: number) =>
            (await t.listCommitments(campaignId, freshSince)).map(({ claims: _, ...rest }) => rest),
        )
      : view === 'b-reads-fail' && nodeId === 'b'
        ? replacing(memoryPool, 'listCommitments', (t) => async (campaignId: string, freshSince: number) => {
            if (clock.now() >= readsFailFrom) throw new Error('the pool is away (test)');
            return t.listCommitments(campaignId, freshSince);
          })
        : memoryPool;
  const lease = createMemoryLease();
  const queue = createMemoryJobQueue({ clock, random: seededRandom(3) });
  const node = (nodeId: string, seed: number) =>
    inboundDialer({
      clock,
      trunkRandom: seededRandom(seed),
      random: seededRandom(seed + 10),
      plan: { outcome: 'human', ringingAfterMs: 500, resolveAfterMs: 3_000, analysisAfterMs: greetingMs },
      trunk: simTrunk,
      tickIntervalMs: 1_000,
      store,
      queue,
      agentPool: poolOf(nodeId),
      nodeId,
      leadership: { lease, ttlMs: TTL },
      inbound: {
        queues: [{ id: 'service', numbers: [SERVICE_LINE], serviceLevel: { fraction: 0.8, answerSeconds: 20 } }],
        blend: { inboundModel: 'demand', arrivalDeferMs: 60_000, arrivalDeferRoom: 'off' },
      },
      record: ['dialed', 'answered', 'analysed', 'connected', 'abandoned', 'error', ...INBOUND_EVENTS] satisfies (keyof DialerEvents)[],
    });
  const a = node('a', 1);
  const b = node('b', 2);
  await addPredictiveCampaign(a.dialer, 'k1', calls);
  let answered = 0;
  a.dialer.on('answered', () => {
    if (++answered !== calls) return;
    const trunk = callerOn === 'a' ? a.trunk : b.trunk;
    readsFailFrom = clock.now() + 1_000;
    clock.setTimer(dialInAfterMs, () => void trunk.dialIn({ from: '+12125550301', to: SERVICE_LINE, patienceMs: HOUR, handleMs: 60_000 }));
  });
  // a leads k1 only with an agent of it logged in: without `ana` she is on a break (not ready, counted nowhere).
  a.dialer.loginAgent({ id: 'ana', name: 'ana' }, ['k1']);
  if (!ana) a.dialer.notReady('ana', 'break');
  await a.dialer.start('k1');
  await driveUntil(clock, START + 1_000);
  await b.dialer.recover();
  b.dialer.loginAgent({ id: 'bo', name: 'bo' }, ['k1']);
  b.dialer.ready('bo');
  if (ana) a.dialer.ready('ana');
  await driveUntil(clock, START + 60_000);
  await Promise.all([a.dialer.close(), b.dialer.close()]);
  const caller = callerOn === 'a' ? a.seen : b.seen;
  return {
    errors: [...a.seen.error, ...b.seen.error].map((e) => e.where),
    dialed: a.seen.dialed.length,
    answered: a.seen.answered,
    queued: caller['inbound.queued'][0],
    inbound: caller['inbound.connected'][0],
    // An outbound live answer's `connected` is emitted by its agent's node.
    outbound: [...a.seen.connected, ...b.seen.connected],
    abandoned: a.seen.abandoned,
  };
}

describe('the arrival deferral across nodes (issue 23, 23-xdefer; two engine nodes, one virtual clock, memory pool)', () => {
  it('a caller on the agent’s node is kept off its agent while the leader’s live answer in its greeting claims it: the live answer gets bo', async () => {
    const r = await scenario({ ana: false, calls: 1, callerOn: 'b' });
    expect(r.errors).toEqual([]);
    expect(r.dialed).toBe(1);
    expect(r.queued?.at).toBe((r.answered[0]?.at ?? 0) + 500);
    expect(r.outbound.map((c) => c.agentId)).toEqual(['bo']);
    expect(r.abandoned).toEqual([]);
    // bo took the live answer; the caller was not given bo at its arrival (it waits for bo to free, 60-s call).
    expect(r.inbound === undefined || (r.inbound.at ?? 0) > (r.queued?.at ?? 0)).toBe(true);
  });

  it('… counted per node (the other node’s claims not read): b hands bo to the caller at once and a’s live answer is abandoned', async () => {
    const r = await scenario({ ana: false, calls: 1, callerOn: 'b', view: 'no-claims' });
    expect(r.errors).toEqual([]);
    expect(r.inbound?.agentId).toBe('bo');
    expect(r.inbound?.at).toBe(r.queued?.at);
    expect(r.outbound).toEqual([]);
    expect(r.abandoned).toHaveLength(1);
  });

  it('a caller on the leader takes its own agent at once when the other node’s ready agent covers the claims (ready counted across the pool)', async () => {
    const r = await scenario({ ana: true, calls: 1, callerOn: 'a' });
    expect(r.errors).toEqual([]);
    expect(r.dialed).toBe(1);
    expect(r.inbound?.agentId).toBe('ana');
    expect(r.inbound?.at).toBe(r.queued?.at);
    expect(r.outbound.map((c) => c.agentId)).toEqual(['bo']);
    expect(r.abandoned).toEqual([]);
  });

  it('b’s reads of the pool failing: a’s last-read claims stop counting one lease TTL after a vouched for them (a dead node’s would too)', async () => {
    // Greeting 12 s; b read a's claims, then its reads fail; the caller dials in 8 s after the answer, 7 s after the last read.
    const r = await scenario({ ana: false, calls: 1, callerOn: 'b', view: 'b-reads-fail', greetingMs: 12_000, dialInAfterMs: 8_000 });
    expect(new Set(r.errors)).toEqual(new Set(['router rule commitments']));
    expect(r.inbound?.agentId).toBe('bo');
    expect(r.inbound?.at).toBe(r.queued?.at);
    // … whereas 2 s after the answer (the claims last read 1 s before, fresh) the same caller is kept.
    const fresh = await scenario({ ana: false, calls: 1, callerOn: 'b', view: 'b-reads-fail', greetingMs: 12_000, dialInAfterMs: 2_000 });
    expect(fresh.inbound === undefined || (fresh.inbound.at ?? 0) > (fresh.queued?.at ?? 0)).toBe(true);
    expect(fresh.outbound.map((c) => c.agentId)).toEqual(['bo']);
  });

  it('a caller on the leader kept off its agent is not handed the other node’s agent that the same claims need: both live answers connect', async () => {
    const r = await scenario({ ana: true, calls: 2, callerOn: 'a' });
    expect(r.errors).toEqual([]);
    expect(r.dialed).toBe(2);
    expect(r.answered).toHaveLength(2);
    expect(r.outbound.map((c) => c.agentId).sort()).toEqual(['ana', 'bo']);
    expect(r.abandoned).toEqual([]);
    expect(r.inbound === undefined || (r.inbound.at ?? 0) > (r.queued?.at ?? 0)).toBe(true);
  });
});
