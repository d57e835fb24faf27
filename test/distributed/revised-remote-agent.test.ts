import { createRedisStore } from '@paceline/store-redis';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { describeWithRedis } from '../support/redis-server';
import { type NodeEvent, startNode, stopNodes, waitFor } from './node-process';

const CONTACTS = 12;
/** Agents talk 4 s; a revision comes 1.5 s after the analysis, so a freed agent is free long before its talk would end. */
const TALK_MS = 4_000;

describeWithRedis('issue-17: a call revised to a machine whose agent is on another node (real Redis, two engine processes)', (server) => {
  it('the agent’s node frees its agent at the revision, as a local one is; the machine is counted once, on the leader', async () => {
    const events: NodeEvent[] = [];
    const extra = ['--revised', '--talk', String(TALK_MS)];
    const a = startNode(server().url, 'a', 1, events, { create: CONTACTS, pool: true, extra });
    await a.ready;
    const b = startNode(server().url, 'b', 2, events, { pool: true, extra });
    const redis = new Redis(server().url);
    try {
      await b.ready;
      const store = createRedisStore({ redis, tenant: 'dist-test' });
      await waitFor(() => events.some((e) => e.type === 'campaign' && e.state === 'completed'), 90_000, 'the campaign to complete');

      // The revisions the leader (a) acted on; every odd contact is a late-beep machine.
      const revisedOnA = events.filter((e) => e.node === 'a' && e.type === 'revised');
      const remote = revisedOnA.filter((e) => e.agent?.startsWith('b-'));
      expect(remote.length, 'revised calls connected to b’s agents').toBeGreaterThan(0);
      for (const r of remote) {
        const id = `${r.attempt} (${r.agent})`;
        expect(r.code, id).toBe('hangup');
        // b was told and freed the agent at once: on-call → wrap-up ('answering machine') → ready, not after the 4 s talk.
        const told = events.find((e) => e.node === 'b' && e.type === 'revised' && e.attempt === r.attempt);
        expect(told, id).toMatchObject({ agent: r.agent, code: 'hangup' });
        const states = events.filter((e) => e.node === 'b' && e.type === 'agentState' && e.agent === r.agent && (e.at ?? 0) >= (r.at ?? 0));
        expect(states[0], id).toMatchObject({ state: 'wrap-up', reason: 'answering machine' });
        expect(states[1]?.state, id).toBe('ready');
        expect((states[1]?.at ?? Number.POSITIVE_INFINITY) - (r.at ?? 0), id).toBeLessThan(TALK_MS / 2);
        // no disposition owed or recorded; the attempt is a machine in the shared store
        expect(
          events.some((e) => e.type === 'dispositioned' && e.attempt === r.attempt),
          id,
        ).toBe(false);
        const attempt = await store.getAttempt(r.attempt ?? '');
        expect(attempt?.amd, id).toBe('machine');
        expect(attempt?.dispositionCode, id).toBeUndefined();
        expect(attempt?.endedAt, id).toBeDefined();
      }
      // Counted once: the leader's calibration holds every revision; b counted none and revised no call itself.
      const amd = events.filter((e) => e.type === 'amd');
      expect(amd.map((e) => [e.node, e.machinesConnectedAsPeople])).toEqual([['a', revisedOnA.length]]);
      expect(events.filter((e) => e.node === 'b' && e.type === 'revised').length).toBe(remote.length);
      // Each odd contact ends a machine (never dispositioned), each even one with exactly one disposition.
      for (let i = 0; i < CONTACTS; i++) {
        const attempts = await store.listAttempts('dist', `c${i}`);
        const coded = attempts.filter((x) => x.dispositionCode !== undefined);
        expect(coded, `c${i}`).toHaveLength(i % 2 === 0 ? 1 : 0);
      }
      expect(events.filter((e) => e.type === 'error')).toEqual([]);
    } finally {
      await stopNodes([a, b], redis);
    }
  }, 120_000);
});
