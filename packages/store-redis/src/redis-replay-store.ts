import { randomUUID } from 'node:crypto';
import { type Clock, commandTimeoutOf, PacelineError, type ReplayStore, systemClock, withinMs } from '@paceline/core';
import { STORE_COMMAND_TIMEOUT_MS } from './command-timeout';
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
  /**
   * rb11: the longest `remember` waits for Redis, ms; default `STORE_COMMAND_TIMEOUT_MS` (5 s), as the
   * store; 0: no bound. A frozen server answers nothing and ioredis waits for ever: every delivery-result
   * webhook would hang with it. Past the bound `remember` rejects (verification fails closed: the
   * receiver throws, the host answers 5xx and the sender retries) and this request's mark is taken back.
   */
  readonly commandTimeoutMs?: number;
  /** The bound's timers; default the system clock. */
  readonly clock?: Clock;
}

/**
 * KEYS: 1 the request's key. ARGV: 1 the token its timed-out `remember` wrote.
 * Deletes the key only if it still holds that token (another request's mark is kept). Sent with
 * `EVAL`, not `EVALSHA`: a `NOSCRIPT` answer and a second send would let a retried request's `SET`
 * run between the timed-out one and this.
 */
const FORGET = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

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
  readonly #timeoutMs: number;
  readonly #clock: Clock;
  /** Each mark's value: this store's id and a count, so a timed-out mark is taken back only if it is this one. */
  readonly #writerId = randomUUID();
  #marks = 0;

  constructor(options: RedisReplayStoreOptions) {
    if (options?.redis === undefined) {
      throw new PacelineError(
        'E_INVALID_CONFIG',
        'RedisReplayStore options.redis: expected an ioredis client (new Redis(url)), got nothing',
      );
    }
    this.#redis = options.redis;
    this.#timeoutMs = commandTimeoutOf(options.commandTimeoutMs, STORE_COMMAND_TIMEOUT_MS, 'RedisReplayStore');
    this.#clock = options.clock ?? systemClock();
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
    const token = `${this.#writerId}:${++this.#marks}`;
    let answered = false;
    const remembered = this.#remember(redisKey, token, ttlMs).finally(() => {
      answered = true;
    });
    try {
      return await withinMs(this.#clock, this.#timeoutMs, 'RedisReplayStore: remember', remembered);
    } catch (error) {
      // rb11: no answer within the bound (a frozen server). The SET may still run when the server
      // wakes, and the sender's retry of this request (5xx) would then be refused as a replay: its
      // delivery result lost. Take the mark back: sent now on the same connection, the forget runs
      // right after the SET (Redis runs one connection's commands in order), and only if the key
      // still holds this request's token. Nothing waits for it.
      if (!answered) this.#redis.eval(FORGET, 1, redisKey, token).catch(() => {});
      throw error;
    }
  }

  async #remember(redisKey: string, token: string, ttlMs: number): Promise<boolean> {
    try {
      return (await this.#redis.set(redisKey, token, 'PX', ttlMs, 'NX')) === 'OK';
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
