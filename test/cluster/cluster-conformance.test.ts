// Issue 21: the adapters' conformance suites against a real Redis Cluster (three masters, three
// replicas, started here on free ports): Store, Lease, AgentPool, FulfilmentStore (store-redis)
// and JobQueue (queue-bullmq, with a hash-tagged prefix).
import { seededRandom, systemClock } from '@paceline/core';
import { createBullJobQueue } from '@paceline/queue-bullmq';
import { createRedisAgentPool, createRedisFulfilmentStore, createRedisLease, createRedisStore, RedisKeys } from '@paceline/store-redis';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { describeAgentPoolConformance } from '../conformance/agent-pool';
import { describeFulfilmentStoreConformance } from '../conformance/fulfilment-store';
import { describeJobQueueConformance } from '../conformance/job-queue';
import { describeLeaseConformance } from '../conformance/lease';
import { describeStoreConformance } from '../conformance/store';
import { describeWithRedisCluster } from '../support/describe-with-redis-cluster';
import { redisPoolFootprint } from '../support/redis-pool-footprint';

describeWithRedisCluster('store-redis and queue-bullmq on a real Redis Cluster (3 masters + 3 replicas)', (cluster) => {
  let redis: Cluster;
  let tenants = 0;
  const freshTenant = () => `t${++tenants}`;
  const clock = systemClock();
  beforeAll(async () => {
    redis = new Cluster([...cluster().nodes], { redisOptions: { maxRetriesPerRequest: null } });
    await new Promise((resolve) => redis.once('ready', resolve));
  });
  afterAll(async () => {
    await redis?.quit();
  });

  describeStoreConformance('redis cluster', async () => ({ store: createRedisStore({ redis, tenant: freshTenant() }) }));
  describeLeaseConformance('redis cluster', async () => ({ lease: createRedisLease({ redis, tenant: freshTenant() }) }));
  describeAgentPoolConformance('redis cluster', async () => {
    const tenant = freshTenant();
    return { pool: createRedisAgentPool({ redis, tenant }), footprint: redisPoolFootprint(redis, new RedisKeys('paceline', tenant)) };
  });
  describeFulfilmentStoreConformance('redis cluster', async () => ({
    store: createRedisFulfilmentStore({ redis, tenant: freshTenant() }),
  }));
  describeJobQueueConformance('bullmq on redis cluster', async () => {
    const tenant = freshTenant();
    // BullMQ on Cluster: every key of a queue in one slot, so the prefix carries a hash tag.
    const queue = createBullJobQueue({ connection: redis, prefix: `{paceline:${tenant}}:bull`, tenant, clock, random: seededRandom(1) });
    return { queue, now: () => clock.now(), cleanup: () => queue.close() };
  });
});
