import { type Clock, withinMs } from '@paceline/core';
import type { RedisClient } from './lua-script';

/**
 * rb9 (issue 23, after 23-realaway): the longest a store command waits for Redis's answer when the
 * host gives no `commandTimeoutMs`, ms. A frozen server (`SIGSTOP`, a half-open link the OS has not
 * noticed) accepts the connection and answers nothing; ioredis without its own `commandTimeout`
 * then waits for ever, and so would every engine call on the store. 5 s: far above a live server's
 * answer — at 2 s the store conformance run on this shared machine (nice 19, five engineers' jobs)
 * once timed out an answer that came — and still an end to a frozen server's wait.
 */
export const STORE_COMMAND_TIMEOUT_MS = 5_000;

/**
 * rb9: the lease's bound, ms: a renewal on a frozen server fails (the pacing round is reported and
 * tried again; the node dials nothing meanwhile) instead of holding the round for ever.
 */
export const LEASE_COMMAND_TIMEOUT_MS = 2_000;

/**
 * The host's client with every command bounded by `ms` (issue-23 23-realaway's pool bound, made one
 * for every Redis adapter by rb9): a command's promise rejects with "`owner`: `command` got no
 * answer within `ms` ms (commandTimeoutMs)" when Redis has not answered by then; the late answer
 * (or failure) is dropped. `multi()` / `pipeline()` batches are bounded at their `exec()`. Anything
 * else (events, `status`) is the client's own. `ms` 0: the client itself. The host's client is not
 * changed (several adapters share one, each with its own bound).
 */
export function boundedClient(client: RedisClient, ms: number, clock: Clock, owner: string): RedisClient {
  if (ms <= 0) return client;
  const bound = (name: string, command: PromiseLike<unknown>): Promise<unknown> => withinMs(clock, ms, `${owner}: ${name}`, command);
  const batch = (name: string, chain: object): object => {
    const proxy: object = new Proxy(chain, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          if (prop === 'exec') return bound(`${name} exec`, result as PromiseLike<unknown>);
          return result === target ? proxy : result; // a queued command returns the batch: keep the bound on it
        };
      },
    });
    return proxy;
  };
  const proxy = new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (prop === 'multi' || prop === 'pipeline') return batch(prop, result as object);
        if (isThenable(result)) return bound(String(prop), result);
        return result === target ? proxy : result;
      };
    },
  });
  return proxy;
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}
