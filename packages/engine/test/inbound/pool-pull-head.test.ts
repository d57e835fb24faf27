import { type AgentPool, VirtualClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { createMemoryAgentPool } from '../../src/index';
import { driveUntil } from '../support/drive';
import { HOUR, SERVICE_LINE, START, twoNodesAgentOnB } from './busy-calls';

/**
 * Two engine nodes (one process, one virtual clock) sharing store, lease, job queue and agent
 * pool: a takes the service line's callers and has no agent; b's agent bo serves them. b's view
 * of the pool's waiting callers is a sweep old: the first caller, `x`, is missing from it (as a
 * caller back from a timed-out offer is until the next sweep). When bo frees, b pulls the only
 * caller it sees, `y`; the leader must still give bo the head of its queue, `x`.
 */
async function staleView(options: { stale: boolean }) {
  const clock = new VirtualClock(START);
  const pool = createMemoryAgentPool();
  let hidden: string | undefined;
  const seenByB: AgentPool = {
    put: pool.put.bind(pool),
    remove: pool.remove.bind(pool),
    list: pool.list.bind(pool),
    reserve: pool.reserve.bind(pool),
    putWaiting: pool.putWaiting.bind(pool),
    removeWaiting: pool.removeWaiting.bind(pool),
    listWaiting: async (freshSince) => (await pool.listWaiting(freshSince)).filter((c) => !options.stale || c.callId !== hidden),
    ...(pool.putCommitment ? { putCommitment: pool.putCommitment.bind(pool) } : {}),
    ...(pool.listCommitments ? { listCommitments: pool.listCommitments.bind(pool) } : {}),
  };
  const { a, b } = await twoNodesAgentOnB(clock, 'hold', pool, seenByB);
  b.dialer.on('inbound.connected', (e) => {
    clock.setTimer(20_000, () => void b.dialer.hangup(e.callId));
  });
  b.dialer.on('inbound.ended', (e) => {
    clock.setTimer(500, () => void b.dialer.disposition(e.callId, 'SERVICE'));
  });
  const from = new Map<string, string>();
  const dialIn = (label: string, at: number, handleMs: number) =>
    clock.setTimer(at - clock.now(), () => {
      const callId = a.trunk.dialIn({ from: `+1212555030${from.size}`, to: SERVICE_LINE, patienceMs: HOUR, handleMs });
      if (callId) from.set(callId, label);
      if (label === 'x') hidden = callId;
    });
  dialIn('w', START + 2_000, 30_000);
  dialIn('x', START + 5_000, 10_000);
  dialIn('y', START + 8_000, 10_000);
  await driveUntil(clock, START + 120_000);
  await Promise.all([a.dialer.close(), b.dialer.close()]);
  const served = [...a.seen['inbound.connected'], ...b.seen['inbound.connected']]
    .sort((p, q) => p.at - q.at)
    .map((e) => from.get(e.callId));
  return { served, errors: [...a.seen.error, ...b.seen.error] };
}

describe('a pull from a stale view of the pool (issue 23; two engine nodes, one virtual clock)', () => {
  it('gives the freed agent the head of the leader’s queue, not the caller the puller saw', async () => {
    const { served, errors } = await staleView({ stale: true });
    expect(errors).toEqual([]);
    expect(served).toEqual(['w', 'x', 'y']);
  });

  it('(control) with a fresh view the order is the same', async () => {
    const { served, errors } = await staleView({ stale: false });
    expect(errors).toEqual([]);
    expect(served).toEqual(['w', 'x', 'y']);
  });
});
