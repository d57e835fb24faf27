// The router-rule tests' set-up (issue 23, 23-router, 23-dist): a dialer taking inbound calls on
// the service line, every outbound call busy after 15 s, and a predictive campaign at the start
// of its calling day (no live answer yet: the day absorbs no abandon).
import { type AgentPool, type Campaign, type Random, seededRandom, type VirtualClock } from '@paceline/core';
import type { SimTrunk } from '@paceline/trunk-sim';
import {
  createMemoryJobQueue,
  createMemoryLease,
  createMemoryStore,
  type Dialer,
  type DialerEvents,
  type DialerOptions,
  INBOUND_EVENTS,
} from '../../src/index';
import { testCampaign } from '../support/campaign';
import { driveUntil } from '../support/drive';
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

/**
 * Two engine nodes (one process, one virtual clock) sharing store, lease and job queue: `a` (on
 * `poolA`) leads k1 and has no agent; `b` (on `poolB`, its own link to the same pool) has agent bo
 * logged in to k1 and ready, serving the service line. Both running one second after {@link START}.
 */
export async function twoNodesAgentOnB(clock: VirtualClock, inboundModel: 'demand' | 'hold', poolA: AgentPool, poolB: AgentPool) {
  const shared = { store: createMemoryStore(), queue: createMemoryJobQueue({ clock, random: seededRandom(3) }) };
  const lease = createMemoryLease();
  const node = (nodeId: string, seed: number, agentPool: AgentPool) =>
    busyCallsDialer(clock, inboundModel, {
      trunkRandom: seededRandom(seed),
      random: seededRandom(seed + 10),
      ...shared,
      agentPool,
      nodeId,
      leadership: { lease, ttlMs: 6_000 },
    });
  const a = node('a', 1, poolA);
  const b = node('b', 2, poolB);
  await addPredictiveCampaign(a.dialer, 'k1', 0);
  await a.dialer.start('k1');
  await driveUntil(clock, START + 1_000);
  await b.dialer.recover();
  b.dialer.loginAgent({ id: 'bo', name: 'bo' }, ['k1']);
  b.dialer.ready('bo');
  return { a, b };
}
