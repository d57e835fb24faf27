import { PacelineError } from '../errors';
import type { Clock } from '../ports/clock';

/**
 * A `commandTimeoutMs` option checked: `value`, or `fallback` when the host gave none; 0 (no bound) or
 * a positive finite number of ms, else `E_INVALID_CONFIG` naming `owner`'s option.
 */
export function commandTimeoutOf(value: number | undefined, fallback: number, owner: string): number {
  const ms = value ?? fallback;
  if (!(Number.isFinite(ms) && ms >= 0))
    throw new PacelineError(
      'E_INVALID_CONFIG',
      `${owner} options.commandTimeoutMs: expected 0 (no bound) or a positive number of ms, got ${ms}`,
    );
  return ms;
}

/**
 * `answer`, or a rejection "`what` got no answer within `ms` ms (commandTimeoutMs)" when it has not
 * settled `ms` ms after the call (on `clock`); a late answer (or failure) is dropped. `ms` 0: `answer`
 * itself, unbounded. The one bound of every adapter's `commandTimeoutMs` (rb9's Redis store, lease and
 * pool; the BullMQ queue; rb11's fulfilment and replay stores): a frozen server (`SIGSTOP`, a half-open
 * link the OS has not noticed) accepts a command and answers nothing, and a driver without its own
 * timeout waits for ever. Before failing it waits one more timer turn: a process stalled past the
 * bound (GC, a starved CPU) runs its timers before it reads the socket, so an answer already there
 * is taken first.
 */
export function withinMs<T>(clock: Clock, ms: number, what: string, answer: PromiseLike<T>): Promise<T> {
  const settled = Promise.resolve(answer);
  if (ms <= 0) return settled;
  let timer: ReturnType<Clock['setTimer']> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = clock.setTimer(ms, () => {
      timer = clock.setTimer(0, () => reject(new Error(`${what} got no answer within ${ms} ms (commandTimeoutMs)`)));
    });
  });
  settled.catch(() => {}); // answered (or failed) after the bound: nothing waits for it
  return Promise.race([settled, timeout]).finally(() => {
    if (timer !== undefined) clock.clearTimer(timer);
  });
}
