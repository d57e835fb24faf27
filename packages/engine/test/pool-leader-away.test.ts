import { AgentState, type PooledAgent } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { CallPhase } from '../src/call/call-machine';
import { PoolLeader } from '../src/distributed/pool-leader';

/**
 * issue-23 23-xclaim: the pool away while the leader offers a live answer to another node's agent
 * (`AgentPool.reserve` rejects). The leader's part on a stand-in core: the pool lists b's ready
 * agent, and its reserve fails as a closed Redis connection does.
 */
function leaderWithPoolAway() {
  const bo: PooledAgent = {
    agentId: 'bo',
    nodeId: 'b',
    campaignIds: ['k1'],
    skills: [],
    state: AgentState.Ready,
    since: 500,
    seenAt: 900,
  };
  const run = { campaign: { id: 'k1' }, pooled: [] as PooledAgent[], waiting: [] as unknown[] };
  const call = { run, attempt: { id: 'att-1' }, snapshot: { phase: CallPhase.Waiting }, record: {} };
  run.waiting.push(call);
  const reports: string[] = [];
  const core = {
    nodeId: 'a',
    calls: new Map(),
    events: { on: () => () => {} },
    deps: { clock: { now: () => 1_000 } },
    report: (where: string) => reports.push(where),
    pool: {
      others: async () => [bo],
      reserve: async () => Promise.reject(new Error('Connection is closed.')),
      send: async () => {},
    },
    parts: {
      poolMember: { freshSince: (now: number) => now - 6_000 },
      calls: {
        leaveWaitingList: (c: unknown) => run.waiting.splice(run.waiting.indexOf(c), 1),
        wait: (c: unknown) => void (run.waiting.includes(c) || run.waiting.push(c)),
        onChain: (_c: unknown, what: string, work: () => Promise<unknown>) =>
          Promise.resolve()
            .then(work)
            .catch(() => reports.push(`thrown: ${what}`)),
        apply: async () => {},
        agentLeft: async () => {},
      },
    },
  };
  run.pooled = [bo];
  return { leader: new PoolLeader(core as never), call, run, reports };
}

describe('the pool away during an outbound live answer’s offer to another node (issue 23, 23-xclaim)', () => {
  it('offerRemote answers false (reported, nothing thrown): the caller lets the live answer wait for an agent here', async () => {
    const { leader, call, reports } = leaderWithPoolAway();
    await expect(leader.offerRemote(call as never)).resolves.toBe(false);
    expect(reports).toEqual(['agent pool reserve att-1']);
  });

  it('the pool refresh puts the live answer back in the waiting list', async () => {
    const { leader, call, run, reports } = leaderWithPoolAway();
    await leader.refreshPool(run as never, 1_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(run.waiting).toEqual([call]);
    expect(reports).toEqual(['agent pool reserve att-1']);
  });
});
