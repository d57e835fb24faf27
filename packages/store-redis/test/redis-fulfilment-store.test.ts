import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { describeFulfilmentStoreConformance } from '../../../test/conformance/fulfilment-store';
import { describeWithRedis } from '../../../test/support/redis-server';
import { createRedisFulfilmentStore } from '../src/index';

describeWithRedis('store-redis: the fulfilment store on a real redis-server', (server) => {
  let redis: Redis;
  let tenants = 0;
  beforeAll(async () => {
    redis = new Redis(server().port, server().host);
  });
  afterAll(async () => {
    await redis?.quit();
  });
  describeFulfilmentStoreConformance('redis', async () => ({ store: createRedisFulfilmentStore({ redis, tenant: `f${++tenants}` }) }));
});
