import { type Clock, type Logger, seededRandom, silentLogger, type TimerHandle, type VirtualClock } from '@paceline/core';
import { createSimTrunk, type SimOutcomeModel, type SimTrunk } from '@paceline/trunk-sim';
import { createDialer, createMemoryStore, type Dialer, type DialerOptions } from '../../src/index';
import { testCompliance, testProgressivePacer } from './seams';

/** 10:00 in New York on a Monday: inside every default calling window. */
export const START = Date.UTC(2026, 10, 23, 15, 0);
/** A minute, ms. */
export const MIN = 60_000;

/** A distinct valid US number per index (`base` keeps test files' numbers apart). */
export const testNumber = (i: number, base = 2000): string => `+1415555${String(base + i).padStart(4, '0')}`;

/** `n` contacts `c0…` with one number each. */
export const testContacts = (n: number, base = 2000) =>
  Array.from({ length: n }, (_, i) => ({ id: `c${i}`, phones: [{ number: testNumber(i, base) }] }));

/** What {@link testDialer} builds a dialer from: the engine's options, with the test defaults filled in. */
export type TestDialerOptions = Omit<DialerOptions, 'trunk' | 'clock'> & {
  readonly clock: VirtualClock | Clock;
  /** The sim trunk's outcome model; ignored when `trunk` is given. */
  readonly model?: SimOutcomeModel;
  readonly trunk?: SimTrunk;
  /** Seed of the sim trunk (default 1). */
  readonly trunkSeed?: number;
  readonly logger?: Logger;
};

/**
 * The engine test set-up: a dialer on a sim trunk (with its media bridge), the permissive
 * test compliance gate, the plain progressive test pacer, a silent logger and the in-memory
 * store — each replaceable through `options`.
 */
export function testDialer(options: TestDialerOptions): { dialer: Dialer; trunk: SimTrunk } {
  const { model, trunk: given, trunkSeed, ...rest } = options;
  if (!given && !model) throw new Error('testDialer: give a trunk or an outcome model');
  const trunk = given ?? createSimTrunk({ clock: options.clock, random: seededRandom(trunkSeed ?? 1), model: model as SimOutcomeModel });
  const dialer = createDialer({
    store: createMemoryStore(),
    logger: silentLogger,
    media: trunk.media,
    compliance: testCompliance(),
    createPacer: testProgressivePacer,
    ...rest,
    trunk,
  });
  return { dialer, trunk };
}

/** A clock that cannot wait long: like `setTimeout`, a delay over 2^31 − 1 ms fires after 1 ms. */
export function overflowingClock(inner: VirtualClock): Clock {
  return {
    now: () => inner.now(),
    setTimer: (delayMs: number, callback: () => void): TimerHandle => inner.setTimer(delayMs > 2 ** 31 - 1 ? 1 : delayMs, callback),
    clearTimer: (handle: TimerHandle) => inner.clearTimer(handle),
  };
}
