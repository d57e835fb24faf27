// The inbound tests' dialer set-up (this package's and the e2e tests under test/e2e): one place
// for the sim trunk, the dialer on it with an inbound queue, and the events each test records.
import { type MediaBridge, type Random, silentLogger, type Trunk, type VirtualClock } from '@paceline/core';
import { createSimTrunk, type SimCallPlan, type SimTrunk, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { createDialer, type Dialer, type DialerEvents, type DialerOptions } from '../../src/index';

/** The events of each name a test asked {@link inboundDialer} to record, in order. */
export type Seen = { [K in keyof DialerEvents]: DialerEvents[K][0][] };

/** What {@link inboundDialer} builds from: the engine's options, with the test's trunk and inbound queues. */
export type InboundDialerOptions<T extends Trunk> = Omit<DialerOptions, 'trunk' | 'clock' | 'media' | 'inbound'> & {
  readonly clock: VirtualClock;
  readonly inbound: NonNullable<DialerOptions['inbound']>;
  /** What becomes of every outbound call (trunk-sim's scripted model, one plan for all numbers). */
  readonly plan: SimCallPlan;
  /** The sim trunk's randomness. */
  readonly trunkRandom: Random;
  /** The trunk the dialer gets, made of the sim trunk (the e2e tests add a test-driven inbound half). */
  readonly trunk: (sim: SimTrunk) => T;
  /** The events to record in `seen` (default none). */
  readonly record?: readonly (keyof DialerEvents)[];
};

/**
 * A dialer taking inbound calls on a sim trunk whose outbound calls all go as `options.plan`,
 * its media bridge the trunk's and its logger silent unless given; the other engine options
 * pass through. `seen` holds the events named in `options.record`.
 */
export function inboundDialer<T extends Trunk & { readonly media: MediaBridge }>(
  options: InboundDialerOptions<T>,
): { dialer: Dialer; trunk: T; seen: Seen } {
  const { plan, trunkRandom, trunk: wrap, record = [], ...rest } = options;
  const trunk = wrap(createSimTrunk({ clock: options.clock, random: trunkRandom, model: scriptedOutcomeModel({}, plan) }));
  const dialer = createDialer({ logger: silentLogger, ...rest, trunk, media: trunk.media });
  const seen = {} as Seen;
  for (const name of record) {
    const list: unknown[] = [];
    (seen as Record<string, unknown[]>)[name] = list;
    dialer.on(name, (e: unknown) => list.push(e));
  }
  return { dialer, trunk, seen };
}

/** The sim trunk as it is (for {@link InboundDialerOptions.trunk}: trunk-sim's own `dialIn`). */
export const simTrunk = (sim: SimTrunk): SimTrunk => sim;
