import { createRedisStore } from '@paceline/store-redis';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { describeWithRedis } from '../support/redis-server';
import { emptyRedis, type NodeEvent, startNode, stopNodes, waitFor } from './node-process';

const SERVICE_CALLS = 3;

describeWithRedis('issue-23: inbound across the pool (real Redis: store, lease, agent pool, BullMQ; two engine processes)', (server) => {
  it('callers arriving on node a reach the agent logged in on node b; hang-up, disposition and a DNC request come back; recorded once', async () => {
    const events: NodeEvent[] = [];
    await emptyRedis(server().url);
    const a = startNode(server().url, 'a', 0, events, { script: 'inbound-node.ts', extra: ['--callers', String(SERVICE_CALLS)] });
    await a.ready;
    const b = startNode(server().url, 'b', 1, events, { script: 'inbound-node.ts' });
    const redis = new Redis(server().url);
    try {
      await b.ready;
      const placed = () => events.filter((e) => e.type === 'placed');
      await waitFor(
        () =>
          placed().length === SERVICE_CALLS + 1 &&
          // on a (the record) and on b (its agent released): b hears of it after a, in its own process
          placed().every((p) =>
            ['a', 'b'].every((node) => events.some((e) => e.node === node && e.type === 'dispositioned' && e.attempt === p.attempt)),
          ),
        60_000,
        `every call dispositioned: ${JSON.stringify(events.filter((e) => e.type !== 'placed').slice(-6))}`,
      );
      const store = createRedisStore({ redis, tenant: 'dist-test' });
      const records = (await store.listInboundCalls?.(0, Date.now() + 1)) ?? [];
      for (const p of placed()) {
        const id = `${p.attempt} (${p.state})`;
        // shown to b's agent only; the leader (a) shows no one
        expect(
          events.filter((e) => e.type === 'connected' && e.attempt === p.attempt).map((e) => [e.node, e.agent, e.state]),
          id,
        ).toEqual([['b', 'b-agent-0', p.state]]);
        // the end on both (as an outbound call's): a's for the call, b's for its agent's wrap-up
        const ended = events.filter((e) => e.type === 'ended' && e.attempt === p.attempt);
        expect(ended.map((e) => [e.node, e.agent]).sort(), id).toEqual([
          ['a', 'b-agent-0'],
          ['b', 'b-agent-0'],
        ]);
        // the disposition recorded once, on a, and b told (its agent released)
        const code = p.state === 'returned' ? 'NOT_INTERESTED' : 'SERVICE';
        expect(
          events
            .filter((e) => e.type === 'dispositioned' && e.attempt === p.attempt)
            .map((e) => [e.node, e.code])
            .sort(),
          id,
        ).toEqual([
          ['a', code],
          ['b', code],
        ]);
        expect(
          records.find((r) => r.id === p.attempt),
          id,
        ).toMatchObject({ outcome: 'answered', agentId: 'b-agent-0', dispositionCode: code });
      }
      // the returned caller's do-not-call request, made on b: honoured on a, the contact retired in the shared store
      const returned = placed().find((p) => p.state === 'returned');
      expect(events.filter((e) => e.type === 'dnc').map((e) => [e.node, e.attempt, e.contact])).toEqual([['a', returned?.attempt, 'c0']]);
      expect((await store.getContact('dist', 'c0'))?.state).toBe('dnc');
      expect(events.filter((e) => e.type === 'error')).toEqual([]);
    } finally {
      await stopNodes([a, b], redis);
    }
  }, 90_000);

  it('one view of the queues: node b’s freed agent takes node a’s older caller before b’s own newer one', async () => {
    const events: NodeEvent[] = [];
    await emptyRedis(server().url);
    const a = startNode(server().url, 'a', 0, events, { script: 'inbound-node.ts', extra: ['--oldest'] });
    await a.ready;
    const b = startNode(server().url, 'b', 1, events, { script: 'inbound-node.ts', extra: ['--oldest'] });
    try {
      await b.ready;
      await waitFor(
        () => events.filter((e) => e.node === 'b' && e.type === 'dispositioned').length === 3,
        60_000,
        `three calls dispositioned: ${JSON.stringify(events.slice(-8))}`,
      );
      const label = new Map(events.filter((e) => e.type === 'placed').map((e) => [e.attempt, `${e.node}:${e.state}`]));
      const order = events.filter((e) => e.node === 'b' && e.type === 'connected').map((e) => label.get(e.attempt));
      expect(order).toEqual(['b:busy', 'a:older', 'b:newer']);
      const placedAt = (what: string) => events.find((e) => e.type === 'placed' && e.state === what)?.at ?? 0;
      expect(placedAt('older')).toBeLessThan(placedAt('newer'));
      expect(events.filter((e) => e.type === 'error')).toEqual([]);
    } finally {
      await stopNodes([a, b]);
    }
  }, 90_000);
});
