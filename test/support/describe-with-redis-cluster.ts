import { afterAll, beforeAll, describe, it } from 'vitest';
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
  if (!redisClusterAvailable()) {
    const message = `redis-server/redis-cli are not installed: install them (Debian: apt-get install redis-server redis-tools) to run "${name}"`;
    if (process.env.CI === 'true') {
      describe(name, () => {
        it('needs redis-server and redis-cli', () => {
          throw new Error(message);
        });
      });
    } else {
      console.warn(`skipped: ${message}`);
      describe.skip(name, () => body(() => unavailable(message)));
    }
    return;
  }
  describe(name, () => {
    let cluster: RedisCluster | undefined;
    beforeAll(async () => {
      cluster = await startRedisCluster(options);
    }, 60_000);
    afterAll(async () => {
      await cluster?.stop();
    });
    body(() => cluster ?? unavailable('the cluster has not started yet (use the getter inside hooks or tests)'));
  });
}

function unavailable(message: string): never {
  throw new Error(message);
}
