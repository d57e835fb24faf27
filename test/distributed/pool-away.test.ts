// issue-23 23-realaway: the agent pool away on a real redis-server, two blended engine nodes in this
// process. The store, lease and BullMQ queue live on the file's shared redis-server; the agent pool
// on a second one of its own, which the test freezes (SIGSTOP: every pool command hangs until the
// pool's `commandTimeoutMs`, 1 s by default — before 23-realaway, for ever) or kills (SIGKILL: connection refused) while
//  (a) node b's inbound caller waits for b's agent bea, who comes back from a break: her claim in the
//      pool (`claimAgent`, `inboundModel: 'hold'`) fails, and the node answers `taken` (reported);
//  (b) node a, the leader of the outbound campaign, has a live answer to offer to b's agent bo: the
//      `reserve` fails (reported) and the live answer goes back to a's waiting list, where a's agent
//      ana, back from her break, takes it.
// Then the server comes back (SIGCONT, or a restart on the same port and dir) and a caller who has
// been waiting on node a — no agent of a's can serve it — reaches bea through the pool.
import type { DialerEvents } from '@paceline/engine';
import { scriptedOutcomeModel } from '@paceline/trunk-sim';
import { expect, it } from 'vitest';
import { escapesToProcess } from '../support/escapes';
import { describeWithRedis, type RedisServer, startRedisServer } from '../support/redis-server';
import { waitFor } from '../support/wait-for';
import { aLeadsK1 } from './a-leads-k1';
import { pooledPair } from './pooled-pair';

const SERVICE_LINE = '+12125550199';
const CONTACT = '+12125551000';

/** What escapes to the host process: unhandled rejections and uncaught exceptions while a case runs. */
const escaped = escapesToProcess();

type Away = 'SIGSTOP' | 'SIGKILL';

async function poolAway(server: RedisServer, away: Away) {
  const poolServer = await startRedisServer();
  const { a, b } = pooledPair(
    server.url,
    'away',
    // the one contact answers (a person) 1.5 s after the dial: the test stops the pool meanwhile
    scriptedOutcomeModel({ [CONTACT]: { outcome: 'human', ringingAfterMs: 200, resolveAfterMs: 1_500, patienceMs: 120_000 } }),
    {
      poolUrl: poolServer.url,
      // no ioredis `commandTimeout`: the pool's own bound (`commandTimeoutMs`, default 1 s) ends a frozen server's calls
      poolRedisOptions: { retryStrategy: () => 100 },
      inbound: { queues: [{ id: 'service', numbers: [SERVICE_LINE], skills: ['service'] }], blend: { inboundModel: 'hold' } },
    },
  );
  const errors: string[] = [];
  const messages = new Set<string>();
  const connected: DialerEvents['connected'][0][] = [];
  const abandoned: unknown[] = [];
  const inboundConnected: (DialerEvents['inbound.connected'][0] & { node: string })[] = [];
  const dialed: unknown[] = [];
  for (const [id, n] of [
    ['a', a],
    ['b', b],
  ] as const) {
    n.dialer.on('error', (e) => {
      errors.push(`${id} ${e.where}`);
      messages.add(String((e.error as Error)?.message ?? e.error));
    });
    n.dialer.on('connected', (e) => connected.push(e));
    n.dialer.on('abandoned', (e) => abandoned.push(e));
    n.dialer.on('inbound.abandoned', (e) => abandoned.push(e));
    n.dialer.on('inbound.connected', (e) => inboundConnected.push({ ...e, node: id }));
    n.dialer.on('dialed', (e) => dialed.push(e));
    // b's agents end their inbound calls' wrap-up at once
    n.dialer.on('inbound.ended', (e) => {
      if (e.agentId?.startsWith('b'))
        void n.dialer.disposition(e.callId, 'SERVICE').catch((error: unknown) => errors.push(`test ${error}`));
    });
  }
  let poolServerStopped = false;
  try {
    await aLeadsK1(a, b, [CONTACT]);
    // bea logged in to k1 too: a node finds another node's agents through the campaigns it knows (docs/distributed.md)
    b.dialer.loginAgent({ id: 'bea', name: 'bea', skills: ['service'] }, ['k1']);
    b.dialer.notReady('bea', 'break');
    b.dialer.loginAgent({ id: 'bo', name: 'bo' }, ['k1']);
    b.dialer.ready('bo');
    // a dials c0 for bo (the only ready agent of k1, on b); it answers 1.5 s later
    await waitFor(() => dialed.length > 0, 20_000, "a's dial for bo");
    if (away === 'SIGSTOP') process.kill(poolServer.pid(), 'SIGSTOP');
    else await poolServer.halt('SIGKILL');
    poolServerStopped = true;

    // (a) b's caller waits for bea (back from her break while the pool is away): the claim fails, taken, reported
    b.trunk.dialIn({ from: '+12125550301', to: SERVICE_LINE, patienceMs: 120_000, handleMs: 1_000 });
    await waitFor(() => errors.some((e) => e.startsWith('b inbound') || e.startsWith('b agent pool')), 10_000, "b's first pool failure");
    b.dialer.ready('bea');
    await waitFor(() => inboundConnected.length > 0, 10_000, "b's caller connected while the pool is away");
    expect(inboundConnected[0]).toMatchObject({ agentId: 'bea', node: 'b' });
    expect(errors).toContain('b inbound claim');

    // (b) the live answer: the reserve of bo fails; back in the waiting list, ana takes it
    await waitFor(() => errors.some((e) => e.startsWith('a agent pool reserve')), 10_000, "a's reserve of bo failing");
    expect(connected).toEqual([]);
    a.dialer.ready('ana');
    await waitFor(() => connected.length > 0, 10_000, 'the live answer connected to ana');
    expect(connected[0]?.agentId).toBe('ana');

    // A caller on a (no agent of a's has the skill) waits through the outage
    a.trunk.dialIn({ from: '+12125550302', to: SERVICE_LINE, patienceMs: 120_000, handleMs: 1_000 });
    await waitFor(() => errors.filter((e) => e.startsWith('b ')).length > 3, 10_000, 'the outage going on'); // bea's call ends meanwhile
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(inboundConnected).toHaveLength(1);

    // The pool's server comes back: the waiting caller reaches bea through the pool
    if (away === 'SIGSTOP') process.kill(poolServer.pid(), 'SIGCONT');
    else await poolServer.relaunch();
    poolServerStopped = false;
    await waitFor(() => inboundConnected.length > 1, 30_000, "a's caller reaching an agent after the pool's return");
    expect(inboundConnected[1]).toMatchObject({ agentId: 'bea' });
    expect(abandoned).toEqual([]);
    expect(escaped).toEqual([]);
    return { errors, messages };
  } finally {
    if (poolServerStopped && away === 'SIGSTOP') process.kill(poolServer.pid(), 'SIGCONT');
    await Promise.all([a.close(), b.close()]);
    if (poolServerStopped && away === 'SIGKILL') await poolServer.relaunch();
    await poolServer.stop();
  }
}

describeWithRedis('issue-23 23-realaway: the agent pool away on a real redis-server (two blended engine nodes)', (server) => {
  it.each<[string, Away]>([
    ['frozen (SIGSTOP: each command bounded by the pool’s commandTimeoutMs)', 'SIGSTOP'],
    ['killed (SIGKILL: connection refused), restarted on the same port', 'SIGKILL'],
  ])(
    'the pool %s: the claim taken and reported, the live answer back in waiting, nothing abandoned, the nodes resume',
    async (_name, away) => {
      const { messages } = await poolAway(server(), away);
      // every failure reported is a pool call's — bounded (frozen) or refused (killed): the store, the lease and the queue stayed up
      expect([...messages].filter((m) => !/RedisAgentPool: \w+ got no answer within 1000 ms|max retries per request/.test(m))).toEqual([]);
    },
    90_000,
  );
});
