import {
  type AgentPool,
  AgentState,
  type PooledAgent,
  type PooledCommitment,
  type PooledWaitingCaller,
  type PoolServiceOrder,
} from '@paceline/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** How a conformance run gets a fresh, empty agent pool, and how it cleans up after. */
export interface AgentPoolFixture {
  readonly pool: AgentPool;
  readonly cleanup?: () => Promise<void>;
  /**
   * rb12: what the pool holds for waiting callers: `callers` the entries of each structure keyed by
   * caller (the Redis pool: the hash, its order and its `seenAt` index), `marks` the marks' index
   * (Redis; one per agent a take marked). A sweep must free every one of them.
   */
  readonly footprint?: () => Promise<{ readonly callers: readonly number[]; readonly marks?: number }>;
}

const agent = (agentId: string, over: Partial<PooledAgent> = {}): PooledAgent => ({
  agentId,
  nodeId: 'node-a',
  campaignIds: ['k1'],
  skills: [],
  state: AgentState.Ready,
  since: 1_000,
  seenAt: 1_000,
  ...over,
});

/** The one `AgentPool` conformance suite (in-memory and Redis). Time is passed in; nothing waits. */
export function describeAgentPoolConformance(name: string, makePool: () => Promise<AgentPoolFixture>): void {
  describe(`AgentPool conformance: ${name}`, () => {
    let fixture: AgentPoolFixture;
    let pool: AgentPool;

    beforeEach(async () => {
      fixture = await makePool();
      pool = fixture.pool;
    });
    afterEach(async () => {
      await fixture.cleanup?.();
    });

    it('issue-23 23-dist: every node’s fresh commitments to a campaign, by node; replaced, and a gone node’s dropped', async () => {
      if (!pool.putCommitment || !pool.listCommitments) return; // optional: each node's router rule on its own calls
      const share = (nodeId: string, inFlight: number, seenAt: number, over: Partial<PooledCommitment> = {}): PooledCommitment => ({
        campaignId: 'k1',
        nodeId,
        inFlight,
        seenAt,
        ...over,
      });
      expect(await pool.listCommitments('k1', 0)).toEqual([]);
      await pool.putCommitment(share('node-b', 2, 2_000, { absorb: 3 }));
      await pool.putCommitment(share('node-a', 1, 2_000));
      await pool.putCommitment(share('node-c', 4, 900)); // its node stopped vouching for it
      await pool.putCommitment(share('node-a', 5, 1_500, { campaignId: 'k2', absorb: 0 })); // another campaign
      expect(await pool.listCommitments('k1', 1_000)).toEqual([share('node-a', 1, 2_000), share('node-b', 2, 2_000, { absorb: 3 })]);
      // node-c's stale entry was dropped: a refresh with an older seenAt than the freshness bound would not bring it back either
      expect(await pool.listCommitments('k1', 0)).toEqual([share('node-a', 1, 2_000), share('node-b', 2, 2_000, { absorb: 3 })]);
      await pool.putCommitment(share('node-b', 0, 2_500)); // replaced: no absorb any more
      expect(await pool.listCommitments('k1', 2_000)).toEqual([share('node-a', 1, 2_000), share('node-b', 0, 2_500)]);
      expect(await pool.listCommitments('k2', 1_000)).toEqual([share('node-a', 5, 1_500, { campaignId: 'k2', absorb: 0 })]);
      expect(await pool.listCommitments('k1', 2_100)).toEqual([share('node-b', 0, 2_500)]);
    });

    it('issue-23: lists every node’s fresh waiting callers, longest waiting first; refresh and removal', async () => {
      if (!pool.putWaiting || !pool.removeWaiting || !pool.listWaiting) return; // optional: per-node inbound queues
      const caller = (callId: string, queuedAt: number, seenAt = 2_000, nodeId = 'node-a') => ({
        callId,
        queueId: 'service',
        nodeId,
        queuedAt,
        seenAt,
      });
      await pool.putWaiting(caller('in-3', 1_500, 2_000, 'node-b'));
      await pool.putWaiting(caller('in-1', 1_000));
      await pool.putWaiting(caller('in-2', 1_000));
      await pool.putWaiting(caller('in-0', 500, 900)); // its node stopped vouching for it
      expect((await pool.listWaiting(1_000)).map((c) => c.callId)).toEqual(['in-1', 'in-2', 'in-3']);
      expect((await pool.listWaiting(1_000))[2]).toEqual(caller('in-3', 1_500, 2_000, 'node-b'));
      await pool.putWaiting(caller('in-0', 500, 2_500)); // refreshed
      await pool.removeWaiting('in-2', 'node-a');
      await pool.removeWaiting('unknown', 'node-a');
      await pool.removeWaiting('in-1', 'node-b'); // another node's call with that id: none
      expect((await pool.listWaiting(1_000)).map((c) => c.callId)).toEqual(['in-0', 'in-1', 'in-3']);
    });

    it('rb12: a sweep deletes a gone node’s waiting entries with everything indexing them, never one seen since', async () => {
      if (!pool.sweepWaiting || !pool.putWaiting || !pool.removeWaiting || !pool.listWaiting || !pool.takeWaiting) return;
      const caller = (callId: string, nodeId: string, seenAt: number) => ({ callId, queueId: 'service', nodeId, queuedAt: 500, seenAt });
      const emptied = (live: number) => fixture.footprint?.().then((f) => ({ callers: f.callers.map(() => live), marks: f.marks && 0 }));
      await pool.put(agent('ana', { nodeId: 'node-b' }));
      await pool.put(agent('bea', { nodeId: 'node-b' }));
      // node-b's callers, then node-b dies: one waiting, one being offered ana, one bea took with no entry yet (the take writes it)
      await pool.putWaiting(caller('in-1', 'node-b', 1_000));
      await pool.putWaiting(caller('in-2', 'node-b', 1_000));
      expect(await pool.takeWaiting('in-2', 'ana', 1_000, 0, 'node-b')).toBe('taken');
      expect(await pool.takeWaiting('in-3', 'bea', 1_000, 0, 'node-b')).toBe('taken');
      await pool.putWaiting(caller('in-4', 'node-a', 9_000)); // seen exactly at the bound: stays
      await pool.putWaiting(caller('in-5', 'node-a', 20_000));
      await pool.putWaiting(caller('in-1', 'node-c', 20_000)); // another node's call with in-1's id
      expect(await pool.sweepWaiting(9_000)).toBe(3);
      expect((await pool.listWaiting(0)).map((c) => [c.callId, c.nodeId])).toEqual([
        ['in-1', 'node-c'],
        ['in-4', 'node-a'],
        ['in-5', 'node-a'],
      ]);
      expect(await fixture.footprint?.()).toEqual(await emptied(3));
      expect(await pool.sweepWaiting(9_000)).toBe(0);
      // a node back from a stall puts its callers again: waiting as before
      await pool.putWaiting(caller('in-1', 'node-b', 30_000));
      expect((await pool.listWaiting(25_000)).map((c) => [c.callId, c.nodeId])).toEqual([['in-1', 'node-b']]);
      for (const [callId, nodeId] of [
        ['in-1', 'node-b'],
        ['in-1', 'node-c'],
        ['in-4', 'node-a'],
        ['in-5', 'node-a'],
      ] as const)
        await pool.removeWaiting(callId, nodeId);
      expect(await fixture.footprint?.()).toEqual(await emptied(0));
    });

    it('issue-23 23-xnode: two nodes’ callers with one call id are two callers (listed, removed and taken apart)', async () => {
      if (!pool.takeWaiting || !pool.putWaiting || !pool.removeWaiting || !pool.listWaiting) return;
      const caller = (nodeId: string, queuedAt: number) => ({ callId: 'in-1', queueId: 'service', nodeId, queuedAt, seenAt: 1_000 });
      await pool.put(agent('ana'));
      await pool.putWaiting(caller('node-b', 900));
      await pool.putWaiting(caller('node-c', 900));
      expect(await pool.listWaiting(0)).toEqual([caller('node-b', 900), caller('node-c', 900)]);
      expect(await pool.takeWaiting('in-1', 'ana', 1_500, 1_000, 'node-c')).toBe('taken');
      expect((await pool.listWaiting(0)).map((c) => [c.nodeId, c.takenBy])).toEqual([
        ['node-b', undefined],
        ['node-c', 'ana'],
      ]);
      await pool.removeWaiting('in-1', 'node-b');
      expect((await pool.listWaiting(0)).map((c) => c.nodeId)).toEqual(['node-c']);
    });

    it('issue-23 23-pool: racing takes of one waiting caller for one agent: exactly one wins', async () => {
      if (!pool.takeWaiting || !pool.putWaiting || !pool.listWaiting) return; // optional: the leader reserves the agent alone
      await pool.put(agent('ana'));
      await pool.putWaiting({ callId: 'in-1', queueId: 'service', nodeId: 'node-b', queuedAt: 900, seenAt: 1_000 });
      const take = pool.takeWaiting.bind(pool);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => take('in-1', 'ana', 1_500 + i, 1_000, 'node-b')));
      expect(results.filter((r) => r === 'taken')).toHaveLength(1);
      expect((await pool.list('k1', 0))[0]).toMatchObject({ state: AgentState.Reserved, callId: 'in-1' });
      // Taken: listed as being offered that agent (no node counts it as waiting for another).
      expect((await pool.listWaiting(0)).map((c) => [c.callId, c.takenBy])).toEqual([['in-1', 'ana']]);
    });

    it('issue-23 23-pool: racing takes of one caller for two agents, and of two callers for one agent: one each', async () => {
      if (!pool.takeWaiting || !pool.putWaiting || !pool.listWaiting) return;
      await pool.put(agent('ana'));
      await pool.put(agent('bo', { nodeId: 'node-c' }));
      await pool.put(agent('cy', { seenAt: 500 })); // stale: never taken
      const caller = (callId: string) => ({ callId, queueId: 'service', nodeId: 'node-b', queuedAt: 900, seenAt: 1_000 });
      await pool.putWaiting(caller('in-1'));
      await pool.putWaiting(caller('in-2'));
      const take = pool.takeWaiting.bind(pool);
      const sameCaller = await Promise.all([take('in-1', 'ana', 1_500, 1_000, 'node-b'), take('in-1', 'bo', 1_500, 1_000, 'node-b')]);
      expect(sameCaller.filter((r) => r === 'taken')).toHaveLength(1);
      const free = sameCaller[0] === 'taken' ? 'bo' : 'ana';
      const sameAgent = await Promise.all([take('in-2', free, 1_600, 1_000, 'node-b'), take('in-3', free, 1_600, 1_000, 'node-b')]);
      expect(sameAgent.filter((r) => r === 'taken')).toHaveLength(1);
      expect(await take('in-4', 'cy', 1_700, 1_000, 'node-b')).toBe('unavailable');
      // The offer declined: the caller's node puts it again, the agent's node its agent; taken again once.
      await pool.putWaiting(caller('in-1'));
      expect((await pool.listWaiting(0)).find((c) => c.callId === 'in-1')?.takenBy).toBeUndefined();
      await pool.put(agent('ana', { since: 2_000, seenAt: 2_000 }));
      expect(await take('in-1', 'ana', 2_100, 1_000, 'node-b')).toBe('taken');
      expect(await take('in-1', 'ana', 2_100, 1_000, 'node-b')).toBe('unavailable');
    });

    const commitment = (nodeId: string, inFlight: number, over: Partial<PooledCommitment> = {}): PooledCommitment => ({
      campaignId: 'k1',
      nodeId,
      inFlight,
      seenAt: 1_000,
      ...over,
    });

    it('issue-23 23-xnode: the take checks the router rule on the pool’s commitments in the same step', async () => {
      if (!pool.takeWaiting || !pool.claimAgent || !pool.putCommitment) return; // optional: the rule read beside the take
      await pool.put(agent('ana'));
      await pool.put(agent('bo'));
      await pool.put(agent('cy', { campaignIds: ['k2'] })); // no blended campaign counts on cy
      await pool.putCommitment(commitment('node-l', 1)); // one call in flight of k1: one of its ready agents stays
      await pool.putCommitment(commitment('node-z', 5, { seenAt: 500 })); // a gone node's: not counted
      expect(await pool.takeWaiting('in-1', 'ana', 1_500, 1_000, 'node-b')).toBe('taken');
      expect(await pool.takeWaiting('in-2', 'bo', 1_500, 1_000, 'node-b')).toBe('kept');
      expect(await pool.claimAgent('bo', ['k1'], 'in-3', 1_500, 1_000)).toBe('kept');
      expect((await pool.list('k1', 0)).find((a) => a.agentId === 'bo')?.state).toBe(AgentState.Ready); // kept: untouched
      expect(await pool.claimAgent('cy', ['k2'], 'in-3', 1_500, 1_000)).toBe('taken');
      // The day absorbs one abandon (k = 1, the smallest fresh absorb): the call may go without bo.
      await pool.putCommitment(commitment('node-l', 1, { absorb: 1 }));
      expect(await pool.claimAgent('bo', ['k1'], 'in-2', 1_600, 1_000)).toBe('taken');
      expect((await pool.list('k1', 0)).find((a) => a.agentId === 'bo')).toMatchObject({ state: AgentState.Reserved, callId: 'in-2' });
    });

    it('issue-23 23-xdefer: a commitment’s arrival-deferral claims read back as written, through a launch too; a gone node’s dropped', async () => {
      if (!pool.putCommitment || !pool.listCommitments) return;
      await pool.putCommitment(commitment('node-l', 2, { claims: 1.75 })); // one live answer waiting, one in its greeting × 3/4
      await pool.putCommitment(commitment('node-m', 0, { claims: 0 }));
      await pool.putCommitment(commitment('node-z', 3, { claims: 2, seenAt: 500 })); // a gone node's
      expect((await pool.listCommitments('k1', 1_000)).map((c) => [c.nodeId, c.claims])).toEqual([
        ['node-l', 1.75],
        ['node-m', 0],
      ]);
      if (!pool.launchCommitment) return;
      await pool.put(agent('ana'));
      // The launch writes the node's commitment in its own step (Redis: re-encoded by the script): the claims kept.
      expect(await pool.launchCommitment(commitment('node-m', 0, { claims: 0.5, seenAt: 1_200 }), 1, 1_000)).toBeGreaterThanOrEqual(0);
      expect((await pool.listCommitments('k1', 1_000)).find((c) => c.nodeId === 'node-m')?.claims).toBe(0.5);
    });

    it('issue-23 23-xnode: a launch and takes racing for the last ready agent: one wins, the rule never broken', async () => {
      if (!pool.takeWaiting || !pool.launchCommitment || !pool.putCommitment || !pool.listCommitments || !pool.putWaiting) return;
      await pool.put(agent('ana'));
      await pool.put(agent('bo'));
      await pool.putCommitment(commitment('node-l', 1)); // one call counts on one of them
      for (const n of [1, 2, 3])
        await pool.putWaiting({ callId: `in-${n}`, queueId: 'service', nodeId: 'node-b', queuedAt: 900, seenAt: 1_000 });
      const take = pool.takeWaiting.bind(pool);
      const [t1, launched, t2, t3] = await Promise.all([
        take('in-1', 'ana', 1_500, 1_000, 'node-b'),
        pool.launchCommitment(commitment('node-l', 1, { seenAt: 1_500 }), 3, 1_000),
        take('in-2', 'bo', 1_500, 1_000, 'node-b'),
        take('in-3', 'ana', 1_500, 1_000, 'node-c'),
      ]);
      const takes = [t1, t2, t3];
      const taken = takes.filter((r) => r === 'taken').length;
      // Two agents, one call in flight: a launch of one more, or one take — never both, never more.
      expect(launched + taken).toBe(1);
      const [mine] = await pool.listCommitments('k1', 1_000);
      expect(mine?.inFlight).toBe(1 + launched);
      const ready = (await pool.list('k1', 0)).filter((a) => a.state === AgentState.Ready).length;
      expect(mine?.inFlight ?? 0).toBeLessThanOrEqual(ready);
    });

    const queues = [
      { id: 'service', priority: 0, skills: [] },
      { id: 'vip', priority: 5, skills: ['vip'] },
    ];
    const order = (nodeId: string, callId: string, queuedAt: number, priority = 0): PoolServiceOrder => ({
      nodeId,
      callId,
      priority,
      queuedAt,
      queues,
      waitingSince: 1_000,
    });
    const waiting = (nodeId: string, callId: string, queuedAt: number, over: Partial<PooledWaitingCaller> = {}): PooledWaitingCaller => ({
      callId,
      queueId: 'service',
      nodeId,
      queuedAt,
      seenAt: 1_000,
      ...over,
    });

    it('issue-23 23-xwait: service order across nodes — one agent frees: node A’s older caller gets it, not node B’s newer one', async () => {
      if (!pool.takeWaiting || !pool.claimAgent || !pool.putWaiting || !pool.launchCommitment || !pool.putCommitment) return;
      await pool.put(agent('ana', { state: AgentState.OnCall }));
      await pool.putWaiting(waiting('node-a', 'in-1', 900));
      await pool.putWaiting(waiting('node-b', 'in-1', 950)); // the same call id on another node: another caller
      await pool.putWaiting(waiting('node-c', 'in-9', 800, { seenAt: 500 })); // a gone node's: not first
      await pool.put(agent('ana', { since: 1_200, seenAt: 1_200 })); // ana frees
      // Node B's newer caller: neither its own node's claim nor a take gets her.
      expect(await pool.claimAgent('ana', ['k1'], 'in-1', 1_300, 1_000, order('node-b', 'in-1', 950))).toBe('older');
      expect(await pool.takeWaiting('in-1', 'ana', 1_300, 1_000, 'node-b', order('node-b', 'in-1', 950))).toBe('older');
      expect((await pool.list('k1', 0))[0]?.state).toBe(AgentState.Ready); // refused: untouched
      expect(await pool.takeWaiting('in-1', 'ana', 1_300, 1_000, 'node-a', order('node-a', 'in-1', 900))).toBe('taken');
      // Her node's heartbeat republishes her ready before the offer arrives: she stays node A's caller's.
      await pool.put(agent('ana', { since: 1_200, seenAt: 1_400 }));
      expect(await pool.claimAgent('ana', ['k1'], 'in-1', 1_400, 1_000, order('node-b', 'in-1', 950))).toBe('older');
      expect(await pool.takeWaiting('in-1', 'ana', 1_400, 1_000, 'node-b', order('node-b', 'in-1', 950))).toBe('unavailable');
      expect(await pool.launchCommitment(commitment('node-l', 0, { seenAt: 1_400 }), 1, 1_000)).toBe(0); // not counted ready
      // The next agent to free goes to node B's caller, now the oldest waiting.
      await pool.put(agent('bo', { since: 1_500, seenAt: 1_500 }));
      expect(await pool.claimAgent('bo', ['k1'], 'in-1', 1_500, 1_000, order('node-b', 'in-1', 950))).toBe('taken');
    });

    it('rb11: with no queue above the taker’s priority, the callers queued before it come first; one that left, or a newer one, does not', async () => {
      if (!pool.takeWaiting || !pool.claimAgent || !pool.putWaiting || !pool.removeWaiting) return;
      // One priority: the Redis pool reads only the callers queued up to the taker (its order index).
      const serviceOnly = (nodeId: string, callId: string, queuedAt: number): PoolServiceOrder => ({
        ...order(nodeId, callId, queuedAt),
        queues: queues.filter((q) => q.id === 'service'),
      });
      await pool.put(agent('ana', { since: 1_200, seenAt: 1_200 }));
      await pool.putWaiting(waiting('node-c', 'in-3', 1_000)); // newer than the taker: never first
      await pool.putWaiting(waiting('node-a', 'in-1', 900));
      await pool.putWaiting(waiting('node-b', 'in-2', 950));
      await pool.putWaiting(waiting('node-b', 'in-2', 950, { seenAt: 1_100 })); // republished by its node's sweep
      expect(await pool.claimAgent('ana', ['k1'], 'in-2', 1_300, 1_000, serviceOnly('node-b', 'in-2', 950))).toBe('older');
      expect(await pool.takeWaiting('in-2', 'ana', 1_300, 1_000, 'node-b', serviceOnly('node-b', 'in-2', 950))).toBe('older');
      await pool.removeWaiting('in-1', 'node-a'); // node A's caller hung up
      expect(await pool.takeWaiting('in-2', 'ana', 1_300, 1_000, 'node-b', serviceOnly('node-b', 'in-2', 950))).toBe('taken');
    });

    it('issue-23 23-xwait: the order counts queue priority, skills, declines and the router rule’s room', async () => {
      if (!pool.takeWaiting || !pool.claimAgent || !pool.putWaiting || !pool.putCommitment) return;
      await pool.put(agent('ana', { since: 1_100 }));
      await pool.put(agent('bo', { since: 1_200, skills: ['vip'] }));
      await pool.putWaiting(waiting('node-c', 'in-7', 990, { queueId: 'vip' }));
      // A newer caller of a higher-priority queue comes first: it needs bo (vip), so node A's older service caller gets ana.
      expect(await pool.claimAgent('bo', ['k1'], 'in-1', 1_300, 1_000, order('node-a', 'in-1', 900))).toBe('older');
      expect(await pool.claimAgent('ana', ['k1'], 'in-1', 1_300, 1_000, order('node-a', 'in-1', 900))).toBe('taken');
      await pool.removeWaiting?.('in-7', 'node-c');
      await pool.put(agent('ana', { since: 1_100 }));
      await pool.putWaiting(waiting('node-a', 'in-1', 900));
      await pool.putWaiting(waiting('node-b', 'in-2', 950));
      // One call in flight leaves room for one take: node A's older caller would take ana and use it up.
      await pool.putCommitment(commitment('node-l', 1));
      expect(await pool.takeWaiting('in-2', 'bo', 1_400, 1_000, 'node-b', order('node-b', 'in-2', 950))).toBe('older');
      // Node A's caller declined both (struck them off): it no longer comes first for them.
      await pool.putWaiting(waiting('node-a', 'in-1', 900, { declined: ['ana', 'bo'] }));
      expect(await pool.takeWaiting('in-2', 'bo', 1_400, 1_000, 'node-b', order('node-b', 'in-2', 950))).toBe('taken');
    });

    it('issue-23 23-xclaim: a plain reserve passes by an agent a take gave a caller (takenBy), even republished ready', async () => {
      if (!pool.takeWaiting || !pool.putWaiting) return; // optional: no waiting entries, no marks
      await pool.put(agent('ana'));
      await pool.putWaiting(waiting('node-b', 'in-1', 900));
      expect(await pool.takeWaiting('in-1', 'ana', 1_100, 1_000, 'node-b')).toBe('taken');
      // Her node's heartbeat republishes her ready before the offer arrives: a leader's outbound live answer does not get her.
      await pool.put(agent('ana', { seenAt: 1_200 }));
      expect(await pool.reserve('ana', 'call-1', 1_300, 1_000)).toBe(false);
      expect((await pool.list('k1', 0))[0]).toEqual(agent('ana', { seenAt: 1_200 })); // refused: untouched
      // The offer declined: the caller's node puts the caller back waiting (the mark ends); she is free for the call.
      await pool.putWaiting(waiting('node-b', 'in-1', 900, { seenAt: 1_400 }));
      expect(await pool.reserve('ana', 'call-1', 1_500, 1_000)).toBe(true);
      // A mark its node stopped vouching for (the caller's node gone) does not hold the agent.
      await pool.put(agent('bo', { seenAt: 1_600 }));
      await pool.putWaiting(waiting('node-c', 'in-2', 900));
      expect(await pool.takeWaiting('in-2', 'bo', 1_600, 1_000, 'node-c')).toBe('taken');
      await pool.put(agent('bo', { seenAt: 2_000 }));
      expect(await pool.reserve('bo', 'call-2', 2_100, 1_000)).toBe(false);
      expect(await pool.reserve('bo', 'call-2', 2_100, 1_500)).toBe(true);
    });

    it('issue-23 23-xclaim: a reserve and takes racing for one agent: exactly one gets her', async () => {
      if (!pool.takeWaiting || !pool.putWaiting) return;
      await pool.put(agent('ana'));
      for (const n of [1, 2]) await pool.putWaiting(waiting('node-b', `in-${n}`, 900));
      const [r1, t1, r2, t2] = await Promise.all([
        pool.reserve('ana', 'call-1', 1_100, 1_000),
        pool.takeWaiting('in-1', 'ana', 1_100, 1_000, 'node-b'),
        pool.reserve('ana', 'call-2', 1_100, 1_000),
        pool.takeWaiting('in-2', 'ana', 1_100, 1_000, 'node-b'),
      ]);
      expect([r1, r2].filter(Boolean).length + [t1, t2].filter((t) => t === 'taken').length).toBe(1);
    });

    it('rb9 (issue-23): an agent of no campaign (inbound only): listed by listAll, by no campaign; reserved, taken and claimed like any other', async () => {
      const inboundOnly = (agentId: string, over: Partial<PooledAgent> = {}) =>
        agent(agentId, { nodeId: 'node-b', campaignIds: [], ...over });
      await pool.put(inboundOnly('bea', { skills: ['vip'] }));
      await pool.put(inboundOnly('bo'));
      await pool.put(agent('ana'));
      expect((await pool.list('k1', 0)).map((a) => a.agentId)).toEqual(['ana']);
      if (pool.listAll)
        expect(await pool.listAll(1_000)).toEqual([agent('ana'), inboundOnly('bea', { skills: ['vip'] }), inboundOnly('bo')]);
      // read back with her empty lists as lists once a script has rewritten her entry (Redis's cjson writes an empty table as `{}`)
      expect(await pool.reserve('bo', 'call-1', 1_100, 1_000)).toBe(true);
      const reserved = inboundOnly('bo', { state: AgentState.Reserved, since: 1_100, callId: 'call-1' });
      if (pool.listAll) expect((await pool.listAll(0)).find((a) => a.agentId === 'bo')).toEqual(reserved);
      if (!pool.takeWaiting || !pool.claimAgent || !pool.putWaiting || !pool.putCommitment) return;
      // The router rule keeps k1's only ready agent for k1's calls in flight; no campaign counts on bea.
      await pool.putCommitment(commitment('node-l', 3));
      expect(await pool.claimAgent('ana', ['k1'], 'in-5', 1_200, 1_000)).toBe('kept');
      // The service order by skill: an older vip caller comes first for bea (vip), not for ana.
      await pool.putWaiting(waiting('node-c', 'in-7', 900, { queueId: 'vip' }));
      expect(await pool.claimAgent('bea', [], 'in-2', 1_200, 1_000, order('node-b', 'in-2', 950))).toBe('older');
      expect(await pool.takeWaiting('in-7', 'bea', 1_200, 1_000, 'node-c', order('node-c', 'in-7', 900, 5))).toBe('taken');
      expect((await pool.listWaiting?.(1_000))?.find((c) => c.callId === 'in-7')?.takenBy).toBe('bea');
      // Her node gives her back ready (the call is over): its own caller claims her.
      await pool.removeWaiting?.('in-7', 'node-c');
      await pool.put(inboundOnly('bea', { skills: ['vip'], since: 1_300, seenAt: 1_300 }));
      expect(await pool.claimAgent('bea', [], 'in-2', 1_300, 1_000, order('node-b', 'in-2', 950))).toBe('taken');
      expect(await pool.reserve('bea', 'call-2', 1_300, 1_000)).toBe(false);
    });

    it('lists a campaign’s fresh agents by id, as they were put', async () => {
      await pool.put(agent('bo', { nodeId: 'node-b', campaignIds: ['k1', 'k2'], skills: ['fr'], state: AgentState.OnCall }));
      await pool.put(agent('ana'));
      await pool.put(agent('cy', { campaignIds: ['k2'] }));
      await pool.put(agent('di', { seenAt: 500 })); // its node stopped vouching for it
      expect(await pool.list('k1', 1_000)).toEqual([
        agent('ana'),
        agent('bo', { nodeId: 'node-b', campaignIds: ['k1', 'k2'], skills: ['fr'], state: AgentState.OnCall }),
      ]);
      expect((await pool.list('k2', 0)).map((a) => a.agentId)).toEqual(['bo', 'cy']);
      expect(await pool.list('k3', 0)).toEqual([]);
    });

    it('issue-23 23-pool: lists every campaign’s fresh agents in one read, by id', async () => {
      if (!pool.listAll) return; // optional: `list` per campaign
      await pool.put(agent('bo', { nodeId: 'node-b', campaignIds: ['k1', 'k2'] }));
      await pool.put(agent('ana'));
      await pool.put(agent('cy', { campaignIds: ['k2'] }));
      await pool.put(agent('di', { seenAt: 500 }));
      expect((await pool.listAll(1_000)).map((a) => a.agentId)).toEqual(['ana', 'bo', 'cy']);
      expect(await pool.listAll(1_000)).toContainEqual(agent('bo', { nodeId: 'node-b', campaignIds: ['k1', 'k2'] }));
    });

    it('replaces an entry on put and forgets it on remove', async () => {
      await pool.put(agent('ana'));
      await pool.put(agent('ana', { state: AgentState.NotReady, since: 2_000, seenAt: 2_000 }));
      expect(await pool.list('k1', 0)).toEqual([agent('ana', { state: AgentState.NotReady, since: 2_000, seenAt: 2_000 })]);
      await pool.remove('ana');
      await pool.remove('nobody');
      expect(await pool.list('k1', 0)).toEqual([]);
    });

    it('reserves a ready, fresh agent once, for one call', async () => {
      await pool.put(agent('ana'));
      expect(await pool.reserve('ana', 'call-1', 1_500, 1_000)).toBe(true);
      expect(await pool.reserve('ana', 'call-2', 1_600, 1_000)).toBe(false);
      expect(await pool.list('k1', 0)).toEqual([agent('ana', { state: AgentState.Reserved, since: 1_500, callId: 'call-1' })]);
      // the agent's node publishes it ready again (it declined, or the call is over)
      await pool.put(agent('ana', { since: 3_000, seenAt: 3_000 }));
      expect(await pool.reserve('ana', 'call-3', 3_100, 3_000)).toBe(true);
    });

    it('refuses to reserve an agent that is not ready, is stale, or is unknown', async () => {
      await pool.put(agent('ana', { state: AgentState.WrapUp }));
      await pool.put(agent('bo', { seenAt: 100 }));
      expect(await pool.reserve('ana', 'c', 1_500, 1_000)).toBe(false);
      expect(await pool.reserve('bo', 'c', 1_500, 1_000)).toBe(false);
      expect(await pool.reserve('nobody', 'c', 1_500, 0)).toBe(false);
    });

    it('never reserves one agent for two calls under concurrent reservations', async () => {
      await pool.put(agent('ana'));
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.reserve('ana', `call-${i}`, 1_500, 1_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
}
