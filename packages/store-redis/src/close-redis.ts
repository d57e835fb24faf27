import { type Clock, PacelineError, systemClock, withinMs } from '@paceline/core';
import { STORE_COMMAND_TIMEOUT_MS } from './command-timeout';
import type { RedisClient } from './lua-script';

/** Options of {@link closeRedis}. */
export interface CloseRedisOptions {
  /** The longest the close waits for Redis's answer to `QUIT`, ms; default {@link STORE_COMMAND_TIMEOUT_MS} (5 s); 0: no bound (ioredis's `quit()` alone). */
  readonly timeoutMs?: number;
  /** The clock the bound runs on; default the system clock. */
  readonly clock?: Clock;
  /** What the error names (default `Redis`), e.g. the host's name for the connection. */
  readonly what?: string;
}

/**
 * rb12: the host's Redis client (a server or a Cluster) closed within a bound. The stores, the lease
 * and the agent pool never close the client the host gives them; ioredis's `quit()` sends `QUIT` and
 * waits for the answer, so on a frozen server (`SIGSTOP`, a half-open link) it waits for ever and a
 * host's shutdown hangs with it. Here: `quit()` and the client's `end` (its sockets closed) within
 * `timeoutMs`; past it the client is
 * disconnected (its sockets closed — ioredis destroys one the server does not answer within its
 * `disconnectTimeout`, 2 s —, its pending commands rejected: the process can exit) and the promise
 * rejects with `E_CLOSED` "`what`: quit got no answer within `ms` ms (closeRedis timeoutMs); the
 * connection was dropped". A client already ended resolves at once. Any other failure of `quit()`
 * disconnects too and rejects with it as it is.
 */
export async function closeRedis(redis: RedisClient, options: CloseRedisOptions = {}): Promise<void> {
  const ms = options.timeoutMs ?? STORE_COMMAND_TIMEOUT_MS;
  if (!(Number.isFinite(ms) && ms >= 0))
    throw new PacelineError(
      'E_INVALID_CONFIG',
      `closeRedis options.timeoutMs: expected 0 (no bound) or a positive number of ms, got ${ms}`,
    );
  const what = options.what ?? 'Redis';
  if (redis.status === 'end') return;
  const ended = new Promise<void>((resolve) => redis.once('end', () => resolve()));
  const quit = redis.quit().then(
    () => ended, // resolved once the socket is closed (the server closes it after QUIT's answer)
    (error: unknown) => ({ error }),
  );
  const failed = await withinMs(options.clock ?? systemClock(), ms, 'quit', quit).catch(() => 'timeout' as const);
  if (failed === undefined) return;
  redis.disconnect();
  if (failed === 'timeout')
    throw new PacelineError('E_CLOSED', `${what}: quit got no answer within ${ms} ms (closeRedis timeoutMs); the connection was dropped`, {
      what,
      timeoutMs: ms,
    });
  throw failed.error;
}
