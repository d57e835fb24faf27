import type { Clock, TimerHandle } from '../ports/clock';

/**
 * The longest delay the platform's `setTimeout` takes (2^31 − 1 ms, about 24.8 days): a longer
 * one overflows and fires at once. Longer timers are re-armed in steps of at most this.
 */
export const MAX_TIMER_STEP_MS = 2 ** 31 - 1;

/** A system-clock timer: the platform timer of its current step, replaced at each re-arm. */
interface SystemTimer {
  // biome-ignore lint/style/noRestrictedGlobals: this is the real-time Clock adapter
  step: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The real-time `Clock`: wall time and the platform's timers. Its timers are unref'd: a
 * pending dialer timer never keeps a host process alive on its own; `keepAlive()` (used by
 * `dialer.run` / `whenDone`) does, until the campaign is done. This is the one place in the
 * pure packages allowed to read `Date.now()` and call `setTimeout`.
 *
 * A timer longer than `MAX_TIMER_STEP_MS` (a campaign that starts or ends weeks ahead) waits
 * in steps: each step re-reads the wall clock and arms the rest, so it never fires early.
 */
export function systemClock(): Clock {
  // biome-ignore lint/plugin: this is the real-time Clock adapter
  const now = () => Date.now();
  const arm = (timer: SystemTimer, dueAt: number, callback: () => void): void => {
    const left = Math.max(0, dueAt - now());
    // biome-ignore lint/style/noRestrictedGlobals: this is the real-time Clock adapter
    timer.step = setTimeout(
      () => {
        if (dueAt - now() > 0) arm(timer, dueAt, callback);
        else {
          timer.step = undefined;
          callback();
        }
      },
      Math.min(left, MAX_TIMER_STEP_MS),
    );
    // A pending dialer timer must not keep a host process alive on its own.
    timer.step.unref?.();
  };
  return {
    now,
    setTimer: (delayMs, callback) => {
      const timer: SystemTimer = { step: undefined };
      arm(timer, now() + Math.max(0, delayMs), callback);
      return timer;
    },
    clearTimer: (handle: TimerHandle) => {
      const timer = handle as SystemTimer;
      // biome-ignore lint/style/noRestrictedGlobals: this is the real-time Clock adapter
      if (timer.step !== undefined) clearTimeout(timer.step);
      timer.step = undefined;
    },
    // issue-19: a referenced, idle interval holds the process open while a host awaits a campaign.
    keepAlive: () => {
      // biome-ignore lint/style/noRestrictedGlobals: this is the real-time Clock adapter
      const hold = setInterval(() => {}, 2 ** 30);
      return () => clearInterval(hold);
    },
  };
}
