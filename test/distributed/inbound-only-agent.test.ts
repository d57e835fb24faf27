// rb9 (issue-23, found by 23-realaway): an agent who serves inbound only — logged in to no campaign —
// on another node, on a real redis-server. Two engine nodes in this process (each its own Redis
// connections, BullMQ queue and sim trunk, the system clock) sharing the store, lease and agent pool.
// Node b has two such agents: bo (no skills) ready first, then bea (skill `service`). Callers dial in
// on node a, which has no agent who can take them: a `service` caller must reach bea (bo, idle
// longer, lacks the skill), and then a `general` caller (no skills) bo. Before rb9 a node found other
// nodes' agents only through the campaigns it knows, so neither caller ever reached an agent.
import type { DialerEvents } from '@paceline/engine';
import { scriptedOutcomeModel } from '@paceline/trunk-sim';
import { expect, it } from 'vitest';
import { describeWithRedis, type RedisServer } from '../support/redis-server';
import { waitFor } from '../support/wait-for';
import { aLeadsK1 } from './a-leads-k1';
import { pooledPair } from './pooled-pair';

const SERVICE_LINE = '+12125550199';
const GENERAL_LINE = '+12125550198';

async function inboundOnly(server: RedisServer, aHasCampaign: boolean) {
  const { a, b } = pooledPair(server.url, 'inbound-only', scriptedOutcomeModel({}, { outcome: 'no-answer', resolveAfterMs: 20_000 }), {
    inbound: {
      queues: [
        { id: 'service', numbers: [SERVICE_LINE], skills: ['service'] },
        { id: 'general', numbers: [GENERAL_LINE] },
      ],
    },
  });
  const connected: (DialerEvents['inbound.connected'][0] & { node: string })[] = [];
  const abandoned: unknown[] = [];
  const errors: string[] = [];
  for (const [id, n] of [
    ['a', a],
    ['b', b],
  ] as const) {
    n.dialer.on('inbound.connected', (e) => connected.push({ ...e, node: id }));
    n.dialer.on('inbound.abandoned', (e) => abandoned.push(e));
    n.dialer.on('error', (e) => errors.push(`${id} ${e.where}: ${String((e.error as Error)?.message ?? e.error)}`));
    // b's agents end their inbound calls' wrap-up at once
    n.dialer.on('inbound.ended', (e) => {
      if (e.agentId?.startsWith('b'))
        void n.dialer.disposition(e.callId, 'SERVICE').catch((error: unknown) => errors.push(`test ${error}`));
    });
  }
  try {
    // a: the leader of an outbound campaign (its agent on a break), or a node with no campaign at all
    if (aHasCampaign) await aLeadsK1(a, b, ['+12125551000']);
    else await b.dialer.recover();
    b.dialer.loginAgent({ id: 'bo', name: 'bo' }, []);
    b.dialer.ready('bo');
    await new Promise((resolve) => setTimeout(resolve, 50)); // bo idle longest
    b.dialer.loginAgent({ id: 'bea', name: 'bea', skills: ['service'] }, []);
    b.dialer.ready('bea');

    a.trunk.dialIn({ from: '+12125550301', to: SERVICE_LINE, patienceMs: 120_000, handleMs: 30_000 });
    await waitFor(() => connected.length > 0, 15_000, "a's service caller reaching b's inbound-only agent");
    a.trunk.dialIn({ from: '+12125550302', to: GENERAL_LINE, patienceMs: 120_000, handleMs: 1_000 });
    await waitFor(() => connected.length > 1, 15_000, "a's general caller reaching b's other inbound-only agent");
    return { connected, abandoned, errors };
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

describeWithRedis('rb9 (issue-23): an inbound-only agent (no campaign) on another node, on a real redis-server', (server) => {
  it.each([
    ['a leads an outbound campaign', true],
    ['a knows no campaign', false],
  ])(
    '%s: its callers reach b’s agents logged in to no campaign, by skill',
    async (_name, aHasCampaign) => {
      const { connected, abandoned, errors } = await inboundOnly(server(), aHasCampaign);
      // the agent's node shows each connect (its agent's desk), for a call a's trunk holds (a's node id: `a-<instance>`)
      expect(connected.map((e) => [e.node, e.callNode?.split('-')[0], e.queueId, e.agentId])).toEqual([
        ['b', 'a', 'service', 'bea'],
        ['b', 'a', 'general', 'bo'],
      ]);
      expect(abandoned).toEqual([]);
      expect(errors).toEqual([]);
    },
    60_000,
  );
});
