// The router-rule tests' set-up (issue 23, 23-router, 23-dist): a dialer taking inbound calls on
// the service line, every outbound call busy after 15 s, and a predictive campaign at the start
// of its calling day (no live answer yet: the day absorbs no abandon).
import { type Campaign, type Random, seededRandom, type VirtualClock } from '@paceline/core';
import type { SimTrunk } from '@paceline/trunk-sim';
import { type Dialer, type DialerEvents, type DialerOptions, INBOUND_EVENTS } from '../../src/index';
import { testCampaign } from '../support/campaign';
import { inboundDialer, simTrunk } from '../support/inbound-dialer';

/** Monday 10:00 in New York. */
export const START = Date.UTC(2026, 10, 23, 15, 0);
export const SERVICE_LINE = '+12125550199';
export const HOUR = 3_600_000;
/** When every outbound call ends busy, ms after it is placed. */
export const BUSY_AFTER_MS = 15_000;

/** A dialer on `clock` whose outbound calls all end busy after {@link BUSY_AFTER_MS}, with the service queue under `inboundModel`; `more` passes through (distributed mode). */
export function busyCallsDialer(
  clock: VirtualClock,
  inboundModel: 'demand' | 'hold',
  more: Partial<Omit<DialerOptions, 'trunk' | 'clock' | 'media' | 'inbound' | 'random'>> & { random?: Random; trunkRandom?: Random } = {},
) {
  const { random = seededRandom(4), trunkRandom = seededRandom(3), ...rest } = more;
  return inboundDialer({
    clock,
    trunkRandom,
    plan: { outcome: 'busy', ringingAfterMs: 500, resolveAfterMs: BUSY_AFTER_MS },
    trunk: (sim: SimTrunk) => simTrunk(sim),
    random,
    tickIntervalMs: 1_000,
    ...rest,
    inbound: { queues: [{ id: 'service', numbers: [SERVICE_LINE] }], blend: { inboundModel } },
    record: ['dialed', 'ended', 'error', ...INBOUND_EVENTS] satisfies (keyof DialerEvents)[],
  });
}

/** A predictive campaign of `id` in New York (a day long), with `contacts` New York contacts. */
export async function addPredictiveCampaign(dialer: Dialer, id: string, contacts: number, over: Partial<Campaign> = {}): Promise<void> {
  await dialer.addCampaign(
    testCampaign(id, {
      dialMode: 'predictive',
      callerId: '+12125550100',
      homeTimeZone: 'America/New_York',
      schedule: { endAt: START + 86_400_000 },
      ...over,
    }),
  );
  if (contacts === 0) return;
  await dialer.addContacts(
    id,
    Array.from({ length: contacts }, (_, i) => ({ id: `c${i}`, phones: [{ number: `+1212555${String(1000 + i)}` }], state: 'NY' })),
  );
}
