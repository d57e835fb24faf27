// rb11 (issue 23's leftovers, rb9's store-frozen on Redis Cluster): one cluster master frozen (SIGSTOP)
// mid-day — the master serving the campaign's slot (`{k1}`), so the store's campaign keys stop
// answering while the other masters (the lease's or the queue's slots may be there) go on. One engine
// node (store, lease, BullMQ with a hash-tagged prefix, all on the cluster) runs the frozen-store day
// (frozen-store-day.ts): host calls made during the freeze settle within the bound, the outage is
// reported, nothing is dialled and nothing escapes; after SIGCONT the campaign completes, every
// contact done, no attempt open. Three masters, no replicas, `cluster-node-timeout` 15 s (Redis's
// default): the 10 s freeze is a stall the cluster does not fail over, as a single server's is.
import { Cluster } from 'ioredis';
import { it } from 'vitest';
import { frozenStoreDay } from '../distributed/frozen-store-day';
import { describeWithRedisCluster } from '../support/describe-with-redis-cluster';
import { escapesToProcess } from '../support/escapes';

const escaped = escapesToProcess();

describeWithRedisCluster(
  'rb11: a Redis Cluster master frozen mid-day (SIGSTOP), one engine node',
  (cluster) => {
    it('host calls settle within the bound, nothing escapes, nothing is dialled; after SIGCONT the campaign completes', async () => {
      const nodes = cluster().nodes;
      const victim = await cluster().masterOf('{k1}');
      const reader = new Cluster([...nodes], { redisOptions: { maxRetriesPerRequest: 2 } }); // the test's reads, after the freeze
      reader.on('error', () => {});
      try {
        await frozenStoreDay({
          url: `cluster://${nodes.map((n) => `${n.host}:${n.port}`).join(',')}`,
          tenant: `cluster-frozen-${process.pid}`,
          reader,
          freeze: () => cluster().signal(victim, 'SIGSTOP'),
          thaw: () => cluster().signal(victim, 'SIGCONT'),
          escaped,
        });
      } finally {
        reader.disconnect();
      }
    }, 120_000);
  },
  { replicas: 0, nodeTimeoutMs: 15_000 },
);
