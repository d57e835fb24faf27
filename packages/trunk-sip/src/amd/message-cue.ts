import type { Clock } from '@paceline/core';
import type { AmdDetector } from './amd-detector';

/**
 * Resolves when a message to this call may start: at once unless AMD found a machine; for a
 * machine, at its message cue (the end of its beep, or the silence after a beep-less greeting),
 * or after `maxWaitMs` on `clock`, whichever comes first. The timer is not tied to the call, so
 * the promise settles even if the call ends first (the caller checks the call is still up).
 */
export function waitForMessageCue(detector: AmdDetector, clock: Clock, maxWaitMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (detector.finalResult !== 'machine') {
      resolve();
      return;
    }
    const timer = clock.setTimer(maxWaitMs, () => resolve());
    detector.onceMessageCue(() => {
      clock.clearTimer(timer);
      resolve();
    });
  });
}
