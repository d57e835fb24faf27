import { afterAll, beforeAll, describe, it } from 'vitest';
import { type RedisServer, type RedisServerOptions, redisServerAvailable, startRedisServer } from './redis-process';

export { type RedisOutage, type RedisServer, type RedisServerOptions, redisServerAvailable, startRedisServer } from './redis-process';

/**
 * A `describe` block with one `redis-server` shared by its tests (started in `beforeAll`,
 * stopped in `afterAll`). Without `redis-server`: skipped with a message locally, but a
 * failing test under `CI=true`, so CI never passes by skipping.
 */
export function describeWithRedis(name: string, body: (server: () => RedisServer) => void, options: RedisServerOptions = {}): void {
  if (!redisServerAvailable()) {
    const message = `redis-server is not installed: install it (Debian: apt-get install redis-server, or run .ci/setup) to run "${name}"`;
    if (process.env.CI === 'true') {
      describe(name, () => {
        it('needs redis-server', () => {
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
    let server: RedisServer | undefined;
    beforeAll(async () => {
      server = await startRedisServer(options);
    });
    afterAll(async () => {
      await server?.stop();
    });
    body(() => server ?? unavailable('redis-server has not started yet (use the getter inside hooks or tests)'));
  });
}

function unavailable(message: string): never {
  throw new Error(message);
}
