import { PacelineError, type ReplayStore } from '@paceline/core';
import { RedisKeys } from './keys';
import type { RedisClient } from './lua-script';

/** Options of {@link createRedisReplayStore}. */
export interface RedisReplayStoreOptions {
  /** A connected ioredis client; the host owns it (never closed here). */
  readonly redis: RedisClient;
  /** The tenant whose webhooks these are. 1–64 of `A–Z a–z 0–9 _ . -`. */
  readonly tenant: string;
  /** First segment of every key; default `paceline`. */
  readonly keyPrefix?: string;
}

const KEY = /^[A-Za-z0-9_.:-]{1,200}$/;

/**
 * The webhook {@link ReplayStore} on Redis, shared by every node that receives the same
 * webhook: a request accepted by one node is a replay on all of them. One key per accepted
 * request, `<prefix>:<tenant>:replay:<key>`, set with `SET … NX PX <ms left in its window>`
 * in one atomic step, so of two nodes racing with one request exactly one accepts it. Entries
 * are never evicted early as long as Redis runs with `maxmemory-policy noeviction` (the policy
 * Paceline's ledgers need anyway; a `volatile-*` or `allkeys-*` policy would drop these keys
 * first); when Redis is full the `SET` fails and the request is refused, never accepted.
 */
export class RedisReplayStore implements ReplayStore {
  readonly #redis: RedisClient;
  readonly #root: string;

  constructor(options: RedisReplayStoreOptions) {
    if (options?.redis === undefined) {
      throw new PacelineError(
        'E_INVALID_CONFIG',
        'RedisReplayStore options.redis: expected an ioredis client (new Redis(url)), got nothing',
      );
    }
    this.#redis = options.redis;
    this.#root = `${new RedisKeys(options.keyPrefix ?? 'paceline', options.tenant).root}replay:`;
  }

  async remember(key: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    if (!KEY.test(key))
      throw new PacelineError(
        'E_INVALID_INPUT',
        `replay key: expected 1–200 of A–Z a–z 0–9 _ . : -, got ${JSON.stringify(key.slice(0, 40))}`,
      );
    // At least 1 ms: an entry whose window has just ended is refused as stale by the verifier anyway.
    const ttlMs = Math.max(1, Math.ceil(expiresAtMs - nowMs));
    const redisKey = `${this.#root}${key}`;
    try {
      return (await this.#redis.set(redisKey, '1', 'PX', ttlMs, 'NX')) === 'OK';
    } catch (error) {
      // A full Redis refuses every write, NX or not: a request it already holds is still a
      // replay (EXISTS is a read); anything else fails closed with Redis's error.
      if ((await this.#redis.exists(redisKey).catch(() => 0)) === 1) return false;
      throw error;
    }
  }
}

/** Create a {@link RedisReplayStore}. */
export function createRedisReplayStore(options: RedisReplayStoreOptions): RedisReplayStore {
  return new RedisReplayStore(options);
}
