import { type AgentPool, type PooledWaitingCaller, VirtualClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { WAITING_STALE_MS } from '../../src/distributed/inbound-leader';
import { createMemoryAgentPool } from '../../src/index';
import { driveUntil } from '../support/drive';
import { replacing } from '../support/replacing';
import { HOUR, SERVICE_LINE, START, twoNodesAgentOnB } from './busy-calls';

/**
 * rb12: the nodes' inbound sweep deletes a gone node's waiting entries from the pool
 * (`sweepWaiting`, entries not republished for {@link WAITING_STALE_MS}), never a live node's.
 * Two engine nodes (one process, one virtual clock, one memory pool): b's agent bo serves a's
 * callers; `w` holds bo for a minute, so `x` waits on a the whole time (queued long ago, seen every
 * sweep). Node c died at START with a caller waiting.
 */
async function day(poolOf: (pool: AgentPool) => AgentPool) {
  const clock = new VirtualClock(START);
  const memory = createMemoryAgentPool();
  const gone: PooledWaitingCaller = { callId: 'c-1', queueId: 'service', nodeId: 'c', queuedAt: START - 5_000, seenAt: START };
  await memory.putWaiting(gone);
  const pool = poolOf(memory);
  const { a, b } = await twoNodesAgentOnB(clock, 'hold', pool, pool);
  const dialIn = (at: number, handleMs: number) =>
    clock.setTimer(at - clock.now(), () => void a.trunk.dialIn({ from: '+12125550301', to: SERVICE_LINE, patienceMs: HOUR, handleMs }));
  dialIn(START + 2_000, 60_000);
  dialIn(START + 5_000, 10_000);
  const waitingAt = async (at: number) => {
    await driveUntil(clock, at);
    return (await memory.listWaiting(0)).map((c) => c.nodeId.split('-')[0]); // a node id carries a suffix (a-…)
  };
  const early = await waitingAt(START + WAITING_STALE_MS - 5_000);
  const late = await waitingAt(START + WAITING_STALE_MS + 10_000);
  await Promise.all([a.dialer.close(), b.dialer.close()]);
  return {
    early,
    late,
    errors: [...a.seen.error, ...b.seen.error].map((e) => e.where),
    served: a.seen['inbound.connected'].length + b.seen['inbound.connected'].length,
  };
}

describe('the inbound sweep deletes a gone node’s waiting entries (rb12; two engine nodes, one virtual clock)', () => {
  it('keeps the dead node’s entry until it is WAITING_STALE_MS old, then deletes it; the live node’s waiting caller stays', async () => {
    const { early, late, errors } = await day((pool) => pool);
    expect(errors).toEqual([]);
    expect(early).toEqual(['c', 'a']);
    expect(late).toEqual(['a']);
  });

  it('a failing sweep is reported (the error event), never thrown from the timer; the queues go on', async () => {
    const failing = (pool: AgentPool): AgentPool =>
      replacing(pool, 'sweepWaiting', () => () => Promise.reject(new Error('the pool is away')));
    const { late, errors, served } = await day(failing);
    expect(late).toEqual(['c', 'a']);
    expect(errors.length).toBeGreaterThan(0);
    expect(new Set(errors)).toEqual(new Set(['inbound waiting sweep']));
    expect(served).toBeGreaterThan(0);
  });
});
