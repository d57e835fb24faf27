import type { Clock, TimerHandle } from '../ports/clock';

/**
 * The real-time `Clock`: wall time and the platform's timers. Its timers are unref'd: a
 * pending dialer timer never keeps a host process alive on its own; `keepAlive()` (used by
 * `dialer.run` / `whenDone`) does, until the campaign is done. This is the one place in the
 * pure packages allowed to read `Date.now()` and call `setTimeout`.
 */
export function systemClock(): Clock {
  return {
    // biome-ignore lint/plugin: this is the real-time Clock adapter
    now: () => Date.now(),
    setTimer: (delayMs, callback) => {
      // biome-ignore lint/style/noRestrictedGlobals: this is the real-time Clock adapter
      const timer = setTimeout(callback, Math.max(0, delayMs));
      // A pending dialer timer must not keep a host process alive on its own.
      timer.unref?.();
      return timer;
    },
    // biome-ignore lint/style/noRestrictedGlobals: this is the real-time Clock adapter
    clearTimer: (handle: TimerHandle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    // issue-19: a referenced, idle interval holds the process open while a host awaits a campaign.
    keepAlive: () => {
      // biome-ignore lint/style/noRestrictedGlobals: this is the real-time Clock adapter
      const hold = setInterval(() => {}, 2 ** 30);
      return () => clearInterval(hold);
    },
  };
}
