import { type AgentPool, AgentState, VirtualClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { createMemoryAgentPool } from '../../src/index';
import { driveUntil } from '../support/drive';
import { HOUR, SERVICE_LINE, START, twoNodesAgentOnB } from './busy-calls';

/**
 * issue-23 23-xclaim: a claim outside the `demand` blend (`hold`: no router rule, no
 * `PoolCommitments`) asks the pool too. Two engine nodes (one process, one virtual clock): a
 * leads k1 and has no agent; b's agent bo serves the service line. b's view of the pool's waiting
 * callers misses a's caller `x` (a sweep old, as a caller back from a timed-out offer is): when bo
 * frees, b does not pull x, and at that instant b's own new caller `y` dials in and b claims bo
 * for y — a caller seven seconds younger than x. The pool's claim (its service order) must give
 * bo to x, whatever b's view.
 */
async function run(options: { readonly model: 'hold' | 'demand'; readonly claims: boolean; readonly claimsFail?: boolean }) {
  const clock = new VirtualClock(START);
  const pool = createMemoryAgentPool();
  let hidden: string | undefined;
  // b's link to the pool: its listing of the waiting callers is stale (x missing); `claims: false` — a pool without the atomic claim.
  const seenByB: AgentPool = new Proxy(pool as AgentPool, {
    get(target, key) {
      if (key === 'listWaiting')
        return async (freshSince: number) => (await pool.listWaiting(freshSince)).filter((c) => c.callId !== hidden);
      if (key === 'claimAgent' && !options.claims) return undefined;
      if (key === 'claimAgent' && options.claimsFail) return async () => Promise.reject(new Error('connection is closed'));
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const { a, b } = await twoNodesAgentOnB(clock, options.model, pool, seenByB);
  // bo's desk: each call 10 s, then the disposition (a remote call's media is the host's: the trunk's handle time does not run).
  b.dialer.on('inbound.connected', (e) => {
    clock.setTimer(10_000, () => void b.dialer.hangup(e.callId));
  });
  b.dialer.on('inbound.ended', (e) => void b.dialer.disposition(e.callId, 'SERVICE'));
  const label = new Map<string, string>();
  const dialIn = (trunk: typeof a.trunk, name: string) => {
    const callId = trunk.dialIn({ from: `+1212555030${label.size}`, to: SERVICE_LINE, patienceMs: HOUR, handleMs: HOUR });
    if (callId) label.set(`${trunk === a.trunk ? 'a' : 'b'}:${callId}`, name);
    if (name === 'x') hidden = callId;
  };
  clock.setTimer(2_000, () => dialIn(b.trunk, 'w')); // bo's first call, on b
  clock.setTimer(5_000, () => dialIn(a.trunk, 'x')); // waits on a: bo is on w's call
  // y dials in on b the instant bo is ready again after w.
  let wEnded = false;
  b.dialer.on('inbound.ended', () => {
    wEnded = true;
  });
  b.dialer.on('agentStateChanged', (e) => {
    if (e.agentId !== 'bo' || e.to !== AgentState.Ready || !wEnded || label.size > 2) return;
    dialIn(b.trunk, 'y');
  });
  await driveUntil(clock, START + 60_000);
  await Promise.all([a.dialer.close(), b.dialer.close()]);
  const connected = [
    ...a.seen['inbound.connected'].map((e) => ({ ...e, node: 'a' })),
    ...b.seen['inbound.connected'].map((e) => ({ ...e, node: 'b' })),
  ].sort((p, q) => p.at - q.at);
  const served = connected.map((e) => label.get(`${(e.callNode ?? e.node).charAt(0)}:${e.callId}`));
  return {
    served,
    errors: [...a.seen.error, ...b.seen.error],
    claimFailures: b.seen.error.filter((e) => e.where === 'inbound claim').length,
  };
}

describe('a claim outside the demand blend keeps the service order across nodes (issue 23, 23-xclaim)', () => {
  it('hold: the freed agent goes to the older caller on the other node, not to its own node’s newer one', async () => {
    const { served, errors } = await run({ model: 'hold', claims: true });
    expect(errors).toEqual([]);
    expect(served).toEqual(['w', 'x', 'y']);
  });

  it('(control) without the pool’s atomic claim the newer caller jumps the queue', async () => {
    const { served, errors } = await run({ model: 'hold', claims: false });
    expect(errors).toEqual([]);
    expect(served).toEqual(['w', 'y', 'x']);
  });

  it('hold, the pool’s claim failing (the pool away): the claim is taken as on a single node, reported, nothing thrown', async () => {
    const { served, errors, claimFailures } = await run({ model: 'hold', claims: true, claimsFail: true });
    expect(served).toEqual(['w', 'y', 'x']);
    expect(claimFailures).toBeGreaterThan(0);
    expect(errors).toHaveLength(claimFailures);
  });

  it('demand (the pool’s commitments): the same order', async () => {
    const { served, errors } = await run({ model: 'demand', claims: true });
    expect(errors).toEqual([]);
    expect(served).toEqual(['w', 'x', 'y']);
  });
});
