import { type Clock, commandTimeoutOf, type Lease, type LeaseGrant, PacelineError, systemClock } from '@paceline/core';
import { boundedClient, LEASE_COMMAND_TIMEOUT_MS } from './command-timeout';
import { RedisKeys } from './keys';
import { LuaScript, type RedisClient } from './lua-script';

/*
 * One lease is one hash (`<p>:<t>:lease:<name>`): holder, token, expires (epoch ms) while
 * held, and `fence`, the last token issued, which is never deleted so tokens keep growing
 * across releases and expiries. Expiry is a field compared with the caller's `now`, not a
 * Redis TTL: Redis's clock is never read, and the hash (a few bytes) stays.
 */

/**
 * KEYS: 1 the lease hash.
 * ARGV: 1 holder, 2 now (epoch ms), 3 expiresAt (now + ttlMs).
 * Returns: the new fencing token; 0 when another holder's lease has not lapsed at `now`.
 */
const acquireScript = new LuaScript(
  'leaseAcquire',
  `
local lease = redis.call('HMGET', KEYS[1], 'holder', 'expires')
if lease[1] and lease[1] ~= ARGV[1] and tonumber(lease[2]) > tonumber(ARGV[2]) then return 0 end
local token = redis.call('HINCRBY', KEYS[1], 'fence', 1)
redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'token', token, 'expires', ARGV[3])
return token
`,
);

/**
 * KEYS: 1 the lease hash.
 * ARGV: 1 holder, 2 token, 3 now (epoch ms), 4 new expiresAt (now + ttlMs).
 * Returns: 1 when extended; 0 when `holder` does not hold it under `token` or it lapsed at `now`.
 */
const renewScript = new LuaScript(
  'leaseRenew',
  `
local lease = redis.call('HMGET', KEYS[1], 'holder', 'token', 'expires')
if lease[1] ~= ARGV[1] or lease[2] ~= ARGV[2] or tonumber(lease[3]) <= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], 'expires', ARGV[4])
return 1
`,
);

/**
 * KEYS: 1 the lease hash.
 * ARGV: 1 holder, 2 token.
 * Returns: 1 when released; 0 when `holder` did not hold it under `token`. The fence stays.
 */
const releaseScript = new LuaScript(
  'leaseRelease',
  `
local lease = redis.call('HMGET', KEYS[1], 'holder', 'token')
if lease[1] ~= ARGV[1] or lease[2] ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], 'holder', 'token', 'expires')
return 1
`,
);

/** Options of {@link RedisLease}: the same client, tenant and prefix as the tenant's `RedisStore`. */
export interface RedisLeaseOptions {
  /** A connected ioredis client; the host owns it (the lease never closes it). */
  readonly redis: RedisClient;
  /** The tenant whose leases this instance sees. */
  readonly tenant: string;
  /** First segment of every key; default `paceline`. */
  readonly keyPrefix?: string;
  /**
   * rb9: the longest one lease call waits for Redis's answer, ms; default
   * {@link LEASE_COMMAND_TIMEOUT_MS} (2 s); 0: no bound. On a frozen server a renewal would otherwise
   * hold the pacing round for ever; past the bound the call rejects (the engine reports the store
   * unavailable, dials nothing and tries the round again).
   */
  readonly commandTimeoutMs?: number;
  /** The clock the bound runs on; default the system clock. */
  readonly clock?: Clock;
}

/**
 * The `Lease` on Redis: per-campaign pacing leadership between engine processes, fenced
 * with a token that grows per lease name. Each operation is one Lua script, so two nodes
 * racing for a lapsed lease cannot both win.
 */
export class RedisLease implements Lease {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;

  constructor(options: RedisLeaseOptions) {
    if (options?.redis === undefined) {
      throw new PacelineError('E_INVALID_CONFIG', 'RedisLease options.redis: expected an ioredis client (new Redis(url)), got nothing');
    }
    const timeoutMs = commandTimeoutOf(options.commandTimeoutMs, LEASE_COMMAND_TIMEOUT_MS, 'RedisLease');
    this.#redis = boundedClient(options.redis, timeoutMs, options.clock ?? systemClock(), 'RedisLease'); // rb9
    this.#keys = new RedisKeys(options.keyPrefix ?? 'paceline', options.tenant);
  }

  async acquire(name: string, holder: string, ttlMs: number, now: number): Promise<number | undefined> {
    check('acquire', name, holder, ttlMs);
    const token = Number(await acquireScript.run(this.#redis, [this.#keys.lease(name)], [holder, now, now + ttlMs]));
    return token > 0 ? token : undefined;
  }

  async renew(name: string, holder: string, token: number, ttlMs: number, now: number): Promise<boolean> {
    check('renew', name, holder, ttlMs);
    return Number(await renewScript.run(this.#redis, [this.#keys.lease(name)], [holder, token, now, now + ttlMs])) === 1;
  }

  async release(name: string, holder: string, token: number): Promise<boolean> {
    check('release', name, holder, 1);
    return Number(await releaseScript.run(this.#redis, [this.#keys.lease(name)], [holder, token])) === 1;
  }

  async current(name: string, now: number): Promise<LeaseGrant | undefined> {
    const [holder, token, expires] = await this.#redis.hmget(this.#keys.lease(name), 'holder', 'token', 'expires');
    if (holder == null || token == null || expires == null || Number(expires) <= now) return undefined;
    return { holder, token: Number(token), expiresAt: Number(expires) };
  }
}

function check(operation: string, name: string, holder: string, ttlMs: number): void {
  if (!name) throw new PacelineError('E_INVALID_INPUT', `Lease.${operation}: name: expected a non-empty lease name`);
  if (!holder) throw new PacelineError('E_INVALID_INPUT', `Lease.${operation}: holder: expected a non-empty holder id`);
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new PacelineError('E_INVALID_INPUT', `Lease.${operation}: ttlMs: expected a positive number of milliseconds, got ${ttlMs}`);
  }
}

/** A `Lease` on Redis for one tenant; see {@link RedisLeaseOptions}. */
export function createRedisLease(options: RedisLeaseOptions): Lease {
  return new RedisLease(options);
}
