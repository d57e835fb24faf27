import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** The ioredis client a Redis adapter runs on: one server (`Redis`) or a Redis Cluster (`Cluster`). */
export type RedisClient = Redis | Cluster;

/**
 * One Lua script, run with `EVALSHA` and loaded with `EVAL` on the first `NOSCRIPT` (after a
 * Redis restart or on a new cluster node). Unlike ioredis's `defineCommand`, it does not add
 * methods to the host's client, so several stores can share one connection.
 */
export class LuaScript {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return await redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
