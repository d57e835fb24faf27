// issue-23 23-pool: what the router rule across nodes costs Redis per blended campaign. Two engine
// nodes in this process (real redis-server, system clock, BullMQ), node a leading N blended
// predictive campaigns with nothing to dial, node b's agent bo logged in to all of them. Every
// node refreshes its commitments every 250 ms; before 23-pool each blended campaign's refresh
// listed the whole agents hash (one HGETALL per campaign per refresh per node), now one listing
// per refresh serves every campaign. Measured: Redis commands per second (INFO commandstats) over
// a window with the nodes idle, for 1 and for 5 campaigns.
import { createSimTrunk, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { progressiveCampaign } from '../support/campaign';
import { describeWithRedis, type RedisServer } from '../support/redis-server';
import { waitFor } from '../support/wait-for';
import { createNodeDialer } from './node-dialer';

const WINDOW_MS = 4_000;
let tenants = 0;

/** Calls per command since the server started (`INFO commandstats`). */
async function commandCalls(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  const calls = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([a-z|_-]+):calls=(\d+)/gm)) calls.set(m[1] as string, Number(m[2]));
  return calls;
}

async function perSecond(server: RedisServer, campaigns: number): Promise<{ total: number; hgetall: number }> {
  const tenant = `cmds-${process.pid}-${++tenants}`;
  const node = (nodeId: string) =>
    createNodeDialer({
      url: server.url,
      nodeId,
      tenant,
      pooled: true,
      trunk: (clock, random) =>
        createSimTrunk({ clock, random, model: scriptedOutcomeModel({}, { outcome: 'busy', resolveAfterMs: 5_000 }) }),
      inbound: { queues: [{ id: 'service', numbers: ['+12125550199'] }], blend: { inboundModel: 'demand' } },
    });
  const a = node('a');
  const b = node('b');
  const redis = new Redis(server.url);
  try {
    const ids = Array.from({ length: campaigns }, (_, i) => `k${i + 1}`);
    for (const id of ids) await a.dialer.addCampaign(progressiveCampaign(id, { dialMode: 'predictive', homeTimeZone: 'UTC' }));
    a.dialer.loginAgent({ id: 'ana', name: 'ana' }, ids);
    a.dialer.notReady('ana', 'break');
    let led = 0;
    a.dialer.on('leadershipChanged', (e) => {
      if (e.leader) led++;
    });
    for (const id of ids) await a.dialer.start(id);
    await waitFor(() => led >= campaigns, 15_000, 'a leads every campaign');
    await b.dialer.recover();
    b.dialer.loginAgent({ id: 'bo', name: 'bo' }, ids);
    b.dialer.ready('bo');
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // settled: both nodes refreshing
    const before = await commandCalls(redis);
    const startedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const after = await commandCalls(redis);
    const seconds = (Date.now() - startedAt) / 1_000;
    const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    const total = [...after.keys()].reduce((sum, name) => sum + delta(name), 0) - 1; // less the second INFO
    return { total: total / seconds, hgetall: delta('hgetall') / seconds };
  } finally {
    redis.disconnect();
    await Promise.all([a.close(), b.close()]);
  }
}

describeWithRedis('issue-23 23-pool: the Redis cost of the router rule across nodes per blended campaign', (server) => {
  it('one listing of the pool’s agents per refresh serves every blended campaign: fewer HGETALL per extra campaign', async () => {
    const one = await perSecond(server(), 1);
    const five = await perSecond(server(), 5);
    console.info(
      `[pool-commands] 1 campaign: ${one.total.toFixed(0)} cmd/s (${one.hgetall.toFixed(1)} HGETALL/s); 5: ${five.total.toFixed(0)} cmd/s (${five.hgetall.toFixed(1)} HGETALL/s)`,
    );
    // Before 23-pool each extra campaign added one agents listing per node and refresh (2 nodes × 4/s = 8/s) on top of
    // what else lists per campaign (the leader's pacing rounds): measured 21.7 HGETALL/s per extra campaign, 12.1 after.
    expect((five.hgetall - one.hgetall) / 4).toBeLessThanOrEqual(16);
  }, 90_000);
});
