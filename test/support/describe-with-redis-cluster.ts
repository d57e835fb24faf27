import { describeWithProcess } from './describe-with-process';
import { type RedisCluster, type RedisClusterOptions, redisClusterAvailable, startRedisCluster } from './redis-cluster';

export type { ClusterNode, RedisCluster, RedisClusterOptions } from './redis-cluster';

/**
 * A `describe` block with one Redis Cluster shared by its tests (started in `beforeAll`,
 * stopped in `afterAll`). Without `redis-server`/`redis-cli`: skipped with a message locally,
 * a failing test under `CI=true` (as describeWithRedis).
 */
export function describeWithRedisCluster(
  name: string,
  body: (cluster: () => RedisCluster) => void,
  options: RedisClusterOptions = {},
): void {
  describeWithProcess(
    name,
    {
      available: redisClusterAvailable,
      missing: 'redis-server/redis-cli are not installed: install them (Debian: apt-get install redis-server redis-tools)',
      needs: 'needs redis-server and redis-cli',
      start: () => startRedisCluster(options),
      startTimeoutMs: 60_000,
      notStarted: 'the cluster has not started yet (use the getter inside hooks or tests)',
    },
    body,
  );
}
