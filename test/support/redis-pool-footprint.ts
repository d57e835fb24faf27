/** The keys of the Redis agent pool's waiting callers (`RedisKeys` of the pool's prefix and tenant). */
interface WaitingKeys {
  readonly poolWaiting: string;
  readonly poolWaitingOrder: string;
  readonly poolWaitingSeen: string;
  readonly poolTaken: string;
}

/** What the commands need of an ioredis client or Cluster. */
interface Sizes {
  hlen(key: string): Promise<number>;
  zcard(key: string): Promise<number>;
}

/**
 * rb12: the AgentPool conformance fixture's `footprint` on Redis: the entries of the waiting callers'
 * hash and its two indexes (order by queuedAt, seenAt), and of the marks' index.
 */
export function redisPoolFootprint(redis: Sizes, keys: WaitingKeys): () => Promise<{ callers: number[]; marks: number }> {
  return async () => ({
    callers: [await redis.hlen(keys.poolWaiting), await redis.zcard(keys.poolWaitingOrder), await redis.zcard(keys.poolWaitingSeen)],
    marks: await redis.hlen(keys.poolTaken),
  });
}
