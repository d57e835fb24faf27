/** An opaque handle for a scheduled timer; only the `Clock` that made it understands it. */
export type TimerHandle = object;

/**
 * Time and timers, injected everywhere. Nothing in Paceline reads the system clock or
 * schedules a timer except through a `Clock`, so a simulated day replays exactly.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Run `callback` once after `delayMs` (clamped to ≥ 0). */
  setTimer(delayMs: number, callback: () => void): TimerHandle;
  /** Cancel a timer; a no-op for a fired or unknown handle. */
  clearTimer(handle: TimerHandle): void;
  /**
   * Keep the host process alive until the returned function is called. A real-time clock whose
   * timers do not hold the process open (`systemClock()`) implements it, so a script awaiting a
   * campaign (`dialer.run`) lives as long as the campaign; a virtual clock has no need of it.
   */
  keepAlive?(): () => void;
}
