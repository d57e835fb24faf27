// rb11: the one bound of every adapter's `commandTimeoutMs` (the Redis store, lease, pool, fulfilment and
// replay stores; the BullMQ queue). End to end against a frozen redis-server: test/distributed/store-frozen.
import { describe, expect, it } from 'vitest';
import { commandTimeoutOf, isPacelineError, VirtualClock, withinMs } from '../src/index';

/** What `promise` has come to once the microtasks queued so far ran. */
async function stateOf(promise: Promise<unknown>): Promise<string> {
  let state = 'pending';
  promise.then(
    (value) => {
      state = `answered ${String(value)}`;
    },
    (error: unknown) => {
      state = `failed ${String(error)}`;
    },
  );
  for (let turn = 0; turn < 5; turn += 1) await Promise.resolve();
  return state;
}

/** A promise settled by hand. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe('withinMs', () => {
  it('gives an answer that comes within the bound and leaves no timer behind', async () => {
    const clock = new VirtualClock(0);
    const answer = deferred<string>();
    const bounded = withinMs(clock, 100, 'Store: hget', answer.promise);
    clock.advance(99);
    answer.resolve('v');
    expect(await stateOf(bounded)).toBe('answered v');
    expect(clock.pending).toBe(0);
  });

  it('passes on a failure that comes within the bound', async () => {
    const clock = new VirtualClock(0);
    const answer = deferred<string>();
    const bounded = withinMs(clock, 100, 'Store: hget', answer.promise);
    answer.reject(new Error('READONLY'));
    expect(await stateOf(bounded)).toBe('failed Error: READONLY');
    expect(clock.pending).toBe(0);
  });

  it('rejects naming the call and the bound when no answer came', async () => {
    const clock = new VirtualClock(0);
    const answer = deferred<string>();
    const bounded = withinMs(clock, 100, 'BullJobQueue: enqueue(orders)', answer.promise);
    clock.advance(99);
    expect(await stateOf(bounded)).toBe('pending');
    clock.runNext(); // the bound, at 100 ms, and the one more turn it waits
    expect(clock.now()).toBe(100);
    expect(await stateOf(bounded)).toBe('failed Error: BullJobQueue: enqueue(orders) got no answer within 100 ms (commandTimeoutMs)');
    // the late answer (or failure) is dropped: no unhandled rejection, the bounded promise stays failed
    answer.reject(new Error('late'));
    expect(await stateOf(bounded)).toMatch(/^failed Error: BullJobQueue: enqueue\(orders\) got no answer/);
  });

  it('takes an answer already due when the bound fires (a stalled process reads its timers first)', async () => {
    const clock = new VirtualClock(0);
    const answer = deferred<string>();
    const bounded = withinMs(clock, 100, 'Store: hget', answer.promise);
    clock.setTimer(100, () => answer.resolve('in the socket')); // due at the same instant, after the bound's timer
    clock.runAll();
    expect(await stateOf(bounded)).toBe('answered in the socket');
  });

  it('with 0 is the answer itself, unbounded', async () => {
    const clock = new VirtualClock(0);
    const answer = deferred<string>();
    const bounded = withinMs(clock, 0, 'Store: hget', answer.promise);
    expect(bounded).toBe(answer.promise);
    expect(clock.pending).toBe(0);
  });
});

describe('commandTimeoutOf', () => {
  it('takes the fallback when no value is given, 0 and positive values as they are', () => {
    expect(commandTimeoutOf(undefined, 5_000, 'RedisStore')).toBe(5_000);
    expect(commandTimeoutOf(0, 5_000, 'RedisStore')).toBe(0);
    expect(commandTimeoutOf(250.5, 5_000, 'RedisStore')).toBe(250.5);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s, naming the owner and the option', (bad) => {
    let thrown: unknown;
    try {
      commandTimeoutOf(bad, 5_000, 'RedisReplayStore');
    } catch (error) {
      thrown = error;
    }
    expect(isPacelineError(thrown) && thrown.code).toBe('E_INVALID_CONFIG');
    expect(String(thrown)).toContain(
      `RedisReplayStore options.commandTimeoutMs: expected 0 (no bound) or a positive number of ms, got ${bad}`,
    );
  });
});
