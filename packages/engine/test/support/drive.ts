import type { VirtualClock } from '@paceline/core';

/** Let pending promise chains (store writes, trunk calls) settle. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Advance virtual time to `untilMs`, timer by timer, letting async work settle in between. */
export async function driveUntil(clock: VirtualClock, untilMs: number): Promise<void> {
  await settle();
  for (let next = clock.nextAt(); next !== undefined && next <= untilMs; next = clock.nextAt()) {
    clock.runNext();
    await settle();
  }
  clock.advanceTo(Math.max(clock.now(), untilMs));
  await settle();
}
