import type { Random } from '@paceline/core';
import type { AgentBehaviour, SimulatedShift } from '@paceline/sim';

/** Lognormal with the given mean and coefficient of variation (Box–Muller on the injected Random). */
function lognormal(random: Random, mean: number, cv: number): number {
  const sigma2 = Math.log(1 + cv * cv);
  const mu = Math.log(mean) - sigma2 / 2;
  const z = Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  return Math.exp(mu + Math.sqrt(sigma2) * z);
}

/**
 * Shifts for a retention desk: everyone on for the whole day, a 15-minute break in the
 * morning and a 30-minute lunch, staggered so the floor never empties.
 */
export function shiftsFor(agents: number, startAt: number, dayMs: number, campaignId: string): SimulatedShift[] {
  const minute = 60_000;
  return Array.from({ length: agents }, (_, i) => ({
    id: `agent-${String(i + 1).padStart(2, '0')}`,
    name: `Agent ${i + 1}`,
    campaignIds: [campaignId],
    loginAt: startAt + (i % 3) * minute,
    logoutAt: startAt + dayMs,
    breaks: [
      { at: startAt + (90 + (i % 4) * 20) * minute, durationMs: 15 * minute, reason: 'break' },
      { at: startAt + (180 + (i % 3) * 40) * minute, durationMs: 30 * minute, reason: 'lunch' },
    ],
  }));
}

/**
 * How the demo's agents work a retention call: ~3 min talks (lognormal), ~30 s wrap-up, and
 * outcomes that depend on the customer: high churn risk saves less often, long tenure more.
 */
export function retentionBehaviour(): AgentBehaviour {
  return {
    talkMs: (_offer, random) => lognormal(random, 180_000, 0.8),
    wrapMs: (_offer, random) => lognormal(random, 30_000, 0.5),
    disposition: (offer, random, now) => {
      const profile = offer.contact.profile;
      const churn = typeof profile.churnRisk === 'number' ? profile.churnRisk : 0.5;
      const tenure = typeof profile.tenureMonths === 'number' ? profile.tenureMonths : 12;
      const save = 0.2 + 0.15 * (1 - churn) + (tenure > 60 ? 0.05 : 0);
      const u = random.next();
      if (u < save) return { code: 'SAVED' };
      if (u < save + 0.1) {
        return {
          code: 'SALE',
          data: {
            order: {
              items: [{ sku: 'BB-UPGRADE', name: 'Broadband upgrade', quantity: 1, unitPriceMinor: 1_500 }],
              currency: 'USD',
              fulfilment: { kind: 'pickup', locationId: 'store-downtown' },
              payment: 'on-delivery',
            },
          },
        };
      }
      if (u < save + 0.18) return { code: 'CALLBACK', data: { callbackAt: now + 2 * 3_600_000 } };
      if (u < save + 0.2) return { code: 'DNC' };
      if (u < save + 0.55) return { code: 'NOT_INTERESTED' };
      return { code: 'NO_DECISION' };
    },
  };
}
