// issue-23 23-dist: inbound queue statistics across the pool, on a real redis-server with two
// engine processes (inbound-node.ts --stats): every node's status() shows the pool's numbers.
import { createRedisStore } from '@paceline/store-redis';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { describeWithRedis } from '../support/redis-server';
import { emptyRedis, type NodeEvent, startNode, stopNodes, waitFor } from './node-process';

/** A `status` line of inbound-node.ts --stats. */
type StatusLine = NodeEvent & {
  scope: 'pool' | 'node';
  answered: number;
  answeredWithinTarget: number;
  abandoned: number;
  serviceLevel: number;
  asaMs: number;
  offered?: number;
  interval?: { offered: number; answered: number; abandoned: number; serviceLevel: number };
};

describeWithRedis('issue-23: inbound queue statistics across the pool (real Redis, two engine processes)', (server) => {
  it('callers answered and abandoned on node b show in node a’s status() (service level, counts, ASA), and the other way round', async () => {
    const events: NodeEvent[] = [];
    await emptyRedis(server().url);
    // a: no agent, one caller of its own (served by b's agent); b: one agent, two callers of its own, the second abandons.
    const a = startNode(server().url, 'a', 0, events, { script: 'inbound-node.ts', extra: ['--stats'] });
    await a.ready;
    const b = startNode(server().url, 'b', 1, events, { script: 'inbound-node.ts', extra: ['--stats'] });
    const redis = new Redis(server().url);
    try {
      await b.ready;
      const last = (node: string) => events.filter((e): e is StatusLine => e.node === node && e.type === 'status').at(-1);
      const settled = (s: StatusLine | undefined) => s?.scope === 'pool' && s.answered === 2 && s.abandoned === 1 && s.offered === 3;
      await waitFor(
        () =>
          settled(last('a')) &&
          settled(last('b')) &&
          events.filter((e) => e.type === 'dispositioned' && e.node === 'b').length === 2 &&
          events.some((e) => e.type === 'abandoned'),
        60_000,
        `both nodes show the pool's numbers: ${JSON.stringify(events.filter((e) => e.type !== 'status').slice(-8))} a ${JSON.stringify(last('a'))} b ${JSON.stringify(last('b'))}`,
      );
      const label = new Map(events.filter((e) => e.type === 'placed').map((e) => [e.attempt, e.state]));
      // who led and who served: b's agent took a's caller and b's first; b's second hung up waiting
      expect(
        events
          .filter((e) => e.type === 'connected')
          .map((e) => [e.node, label.get(e.attempt), e.agent])
          .sort(),
      ).toEqual([
        ['b', 'a-first', 'b-agent-0'],
        ['b', 'b-first', 'b-agent-0'],
      ]);
      expect(events.filter((e) => e.type === 'abandoned').map((e) => [e.node, label.get(e.attempt)])).toEqual([['b', 'b-second']]);
      // one view: the same numbers on both nodes, the pool's (on its own, a led one answered call and no abandon)
      const sa = last('a') as StatusLine;
      const sb = last('b') as StatusLine;
      expect(sa).toMatchObject({ answered: 2, answeredWithinTarget: 2, abandoned: 1, offered: 3, serviceLevel: 2 / 3 });
      expect({ ...sb, node: 'a', at: sa.at }).toEqual(sa);
      expect(sa.interval).toMatchObject({ offered: 3, answered: 2, abandoned: 1, serviceLevel: 2 / 3 });
      // ASA: the answered callers' mean wait, as their leaders measured it
      const waits = events.filter((e) => e.type === 'connected').map((e) => e.latency ?? 0);
      expect(sa.asaMs).toBeGreaterThan(0);
      expect(Math.abs(sa.asaMs - (waits[0] as number) / 2 - (waits[1] as number) / 2)).toBeLessThan(250);
      // in the store, per writer: a (the leader of a-first) counted its answer and the remote agent's handle time
      const store = createRedisStore({ redis, tenant: 'dist-test' });
      let byWriter: Record<string, Record<string, number>> = {};
      const read = async () => {
        const intervals = (await store.listInboundQueueStats?.('service', Date.now() - 3_600_000, Date.now() + 1)) ?? [];
        byWriter = {};
        for (const i of intervals)
          for (const [writer, c] of Object.entries(i.byWriter)) {
            const node = writer.startsWith('a') ? 'a' : 'b';
            const sum = byWriter[node] ?? {};
            for (const [k, v] of Object.entries(c)) sum[k] = (sum[k] ?? 0) + v;
            byWriter[node] = sum;
          }
        return byWriter.a?.handled === 1 && byWriter.b?.handled === 1;
      };
      // the handle times are added when the leader records the disposition (just before b's agent is released)
      await waitFor(read, 10_000, `both handle times in the store: ${JSON.stringify(byWriter)}`);
      expect(byWriter.a).toMatchObject({ offered: 1, answered: 1, abandoned: 0, handled: 1 });
      expect(byWriter.b).toMatchObject({ offered: 2, answered: 1, abandoned: 1, handled: 1 });
      expect(byWriter.a?.handleMs).toBeGreaterThanOrEqual(800); // the agent talked 800 ms on node b
      expect(events.filter((e) => e.type === 'error')).toEqual([]);
    } finally {
      await stopNodes([a, b], redis);
    }
  }, 120_000);
});
