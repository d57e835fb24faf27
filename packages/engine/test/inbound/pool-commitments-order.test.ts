import type { PooledCommitment } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { PoolCommitments } from '../../src/inbound/pool-commitments';

/**
 * issue-23 23-xclaim: an outbound live answer's two writes. When a call is given one of this node's
 * agents, the agent's entry (R falls) goes through the node's publish chain and the share (P falls)
 * through `publishSoon`; the share must not land before the entries queued ahead of it, or the pool
 * sees the room one too high meanwhile. A stand-in core: the publish chain is a gate the test opens.
 */
function commitmentsWithGate() {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const run = { campaign: { id: 'k1' }, blend: { launching: 1 } };
  const puts: PooledCommitment[] = [];
  const core = {
    nodeId: 'a',
    closed: false,
    calls: new Map(),
    campaigns: new Map([['k1', run]]),
    deps: { clock: { now: () => 1_000, setTimer: () => 0, clearTimer: () => {} } },
    pool: { published: () => gate },
    guard: (_where: string, work: Promise<unknown>) => void work.catch(() => {}),
    report: () => {},
  };
  const pool = {
    putCommitment: async (c: PooledCommitment) => void puts.push(c),
    listCommitments: async () => [],
  };
  const commitments = new PoolCommitments(core as never, pool, () => {});
  return { commitments, run, puts, open };
}

const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('the share follows the agent entries queued before it (issue 23, 23-xclaim)', () => {
  it('publishSoon waits for the publish chain, then sends the share as it is then', async () => {
    const { commitments, run, puts, open } = commitmentsWithGate();
    commitments.publishSoon(); // a call was given an agent here: its agent entry is still being written
    await turns();
    expect(puts).toEqual([]); // not before the agent's entry
    run.blend.launching = 0; // meanwhile the call left `waiting` (P − 1)
    open();
    await turns();
    expect(puts.map((c) => c.inFlight)).toEqual([0]); // computed when sent
    commitments.close();
  });
});
