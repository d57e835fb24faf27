import { describeWithProcess } from './describe-with-process';
import { type RedisServer, type RedisServerOptions, redisServerAvailable, startRedisServer } from './redis-process';

export { type RedisOutage, type RedisServer, type RedisServerOptions, redisServerAvailable, startRedisServer } from './redis-process';

/**
 * A `describe` block with one `redis-server` shared by its tests (started in `beforeAll`,
 * stopped in `afterAll`). Without `redis-server`: skipped with a message locally, but a
 * failing test under `CI=true`, so CI never passes by skipping.
 */
export function describeWithRedis(name: string, body: (server: () => RedisServer) => void, options: RedisServerOptions = {}): void {
  describeWithProcess(
    name,
    {
      available: redisServerAvailable,
      missing: 'redis-server is not installed: install it (Debian: apt-get install redis-server, or run .ci/setup)',
      needs: 'needs redis-server',
      start: () => startRedisServer(options),
      notStarted: 'redis-server has not started yet (use the getter inside hooks or tests)',
    },
    body,
  );
}
