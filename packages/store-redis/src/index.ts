export type { CampaignKeys } from './keys';
export { RedisKeys } from './keys';
export type { RedisClient } from './lua-script';
export type { RedisAgentPoolOptions } from './redis-agent-pool';
export { createRedisAgentPool, RedisAgentPool } from './redis-agent-pool';
export type { RedisLeaseOptions } from './redis-lease';
export { createRedisLease, RedisLease } from './redis-lease';
export type { RedisStoreOptions } from './redis-store';
export { createRedisStore, RedisStore } from './redis-store';
