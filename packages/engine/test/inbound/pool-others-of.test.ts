import { type AgentPool, AgentState, type PooledAgent, seededRandom, VirtualClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { AgentPoolLink } from '../../src/distributed/pool-protocol';
import { createMemoryAgentPool, createMemoryJobQueue } from '../../src/index';

// issue-23 23-pool: the router rule's commitments refresh reads the other nodes' agents of every
// blended campaign; with a pool that has `listAll` that is one read per refresh, however many
// campaigns (it was one `list` per campaign: an HGETALL each on Redis). The Redis command rate
// was measured once (hand-off note 23-pool); this pins the reads, independent of timing.

const agent = (agentId: string, nodeId: string, campaignIds: string[]): PooledAgent => ({
  agentId,
  nodeId,
  campaignIds,
  skills: [],
  state: AgentState.Ready,
  since: 0,
  seenAt: 1_000,
});

/** `pool` with its reads counted; `withListAll: false` hides `listAll` (a pool that lacks it). */
function counted(pool: AgentPool, withListAll: boolean) {
  const reads = { list: 0, listAll: 0 };
  const wrapped = new Proxy(pool, {
    get(target, name) {
      if (name === 'listAll' && !withListAll) return undefined;
      const value: unknown = Reflect.get(target, name, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (name === 'list' || name === 'listAll') reads[name]++;
        return value.apply(target, args);
      };
    },
  });
  return { wrapped, reads };
}

async function othersOf(pool: AgentPool, campaigns: string[]) {
  for (const a of [agent('bo', 'b', ['k1', 'k2']), agent('cy', 'c', ['k3']), agent('ana', 'a', ['k1']), agent('di', 'c', ['k9'])])
    await pool.put(a);
  const queue = createMemoryJobQueue({ clock: new VirtualClock(0), random: seededRandom(1) });
  const link = new AgentPoolLink({ pool, queue, nodeId: 'a', durable: (_what, write) => write(), report: () => undefined });
  return (await link.othersOf(campaigns, 0)).map((a) => a.agentId).sort();
}

describe('AgentPoolLink.othersOf (issue 23, 23-pool)', () => {
  it('reads the pool once for any number of campaigns when it can list all, and finds what one read per campaign finds', async () => {
    const campaigns = ['k1', 'k2', 'k3', 'k4', 'k5'];
    const once = counted(createMemoryAgentPool(), true);
    const each = counted(createMemoryAgentPool(), false);
    const viaAll = await othersOf(once.wrapped, campaigns);
    const viaEach = await othersOf(each.wrapped, campaigns);
    expect(viaAll).toEqual(['bo', 'cy']); // other nodes' agents of these campaigns, each once; not ours (ana), not k9's (di)
    expect(viaEach).toEqual(viaAll);
    expect(once.reads).toEqual({ list: 0, listAll: 1 });
    expect(each.reads).toEqual({ list: 5, listAll: 0 });
  });
});
