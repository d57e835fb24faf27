import type { VirtualClock } from '@paceline/core';

/** Let pending promise chains (store writes, trunk calls) settle: `turns` turns of the event loop. */
export async function settle(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Advance virtual time to `untilMs`, timer by timer, letting async work settle in between
 * (`turns` event-loop turns after each timer: a test firing very many timers may give fewer).
 */
export async function driveUntil(clock: VirtualClock, untilMs: number, turns = 3): Promise<void> {
  await settle(turns);
  for (let next = clock.nextAt(); next !== undefined && next <= untilMs; next = clock.nextAt()) {
    clock.runNext();
    await settle(turns);
  }
  clock.advanceTo(Math.max(clock.now(), untilMs));
  await settle(turns);
}
