import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../src/index';

const DAY_MS = 86_400_000;
/** The longest delay `setTimeout` takes. */
const MAX_TIMER_STEP_MS = 2 ** 31 - 1;

describe('systemClock long timers', () => {
  beforeEach(() => {
    // The fake timers behave as Node does: a delay over 2^31 − 1 ms fires after 1 ms.
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits out a 40-day timer in steps instead of firing at once', () => {
    const clock = systemClock();
    const start = clock.now();
    const firedAt: number[] = [];
    clock.setTimer(40 * DAY_MS, () => firedAt.push(clock.now()));
    vi.advanceTimersByTime(1_000);
    expect(firedAt).toEqual([]);
    vi.advanceTimersByTime(MAX_TIMER_STEP_MS);
    expect(firedAt).toEqual([]);
    vi.advanceTimersByTime(40 * DAY_MS - MAX_TIMER_STEP_MS - 1_001);
    expect(firedAt).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(firedAt).toEqual([start + 40 * DAY_MS]);
    vi.advanceTimersByTime(100 * DAY_MS);
    expect(firedAt).toHaveLength(1);
  });

  it('cancels a long timer in any of its steps', () => {
    const clock = systemClock();
    let fired = false;
    const handle = clock.setTimer(30 * DAY_MS, () => {
      fired = true;
    });
    vi.advanceTimersByTime(MAX_TIMER_STEP_MS + 5);
    clock.clearTimer(handle);
    vi.advanceTimersByTime(60 * DAY_MS);
    expect(fired).toBe(false);
  });

  it('fires a short timer once, on time', () => {
    const clock = systemClock();
    const firedAt: number[] = [];
    const start = clock.now();
    clock.setTimer(250, () => firedAt.push(clock.now()));
    vi.advanceTimersByTime(249);
    expect(firedAt).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(firedAt).toEqual([start + 250]);
  });
});
