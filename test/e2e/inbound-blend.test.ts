import { seededRandom, VirtualClock } from '@paceline/core';
import type { CampaignObservation } from '@paceline/engine';
import { describe, expect, it } from 'vitest';
import { driveUntil } from '../../packages/engine/test/support/drive';
import { inboundDialer, simTrunk } from '../../packages/engine/test/support/inbound-dialer';
import { newYorkContact, progressiveCampaign } from '../support/campaign';

const START = Date.UTC(2026, 10, 23, 15, 0);
const SERVICE_LINE = '+12125550199';

describe('the blend: the outbound pacer sees the inbound load', () => {
  it('the reserve and the agents about to be taken by queued callers reach the pacer flagged leaving', async () => {
    const clock = new VirtualClock(START);
    const observed: { at: number; leaving: number; agents: number }[] = [];
    const { dialer, trunk } = inboundDialer({
      clock,
      trunkRandom: seededRandom(3),
      plan: { outcome: 'busy', resolveAfterMs: 3_000 },
      trunk: simTrunk,
      tickIntervalMs: 5_000,
      inbound: { queues: [{ id: 'service', numbers: [SERVICE_LINE] }] },
      // A pacer that records what it sees and dials nothing: the test is about its view.
      createPacer: () => ({
        decide: (o: CampaignObservation) => {
          observed.push({ at: o.now, leaving: o.agents.filter((a) => a.leaving === true).length, agents: o.agents.length });
          return { launch: 0, reason: 'observing', inputs: {} };
        },
        observeOutcome: () => {},
        observeWork: () => {},
      }),
    });
    await dialer.addCampaign(progressiveCampaign('k1', { schedule: { endAt: START + 86_400_000 } }));
    await dialer.addContacts('k1', [newYorkContact('c1', '+12125550001')]);
    for (const id of ['a1', 'a2', 'a3']) {
      dialer.loginAgent({ id, name: id }, ['k1']);
      dialer.ready(id);
    }
    await dialer.start('k1');
    await driveUntil(clock, START + 60_000);
    expect(observed.length).toBeGreaterThan(5);
    // Before any inbound call the policy keeps its reserve (planned on the arrival rate's upper bound), no more.
    const idle = dialer.inbound?.status().blend;
    expect(idle?.hold).toBe(idle?.reserve);
    expect(observed.at(-1)).toMatchObject({ agents: 3, leaving: idle?.reserve });

    // Five callers: three reach the agents, two wait in the queue.
    const calls = Array.from({ length: 5 }, (_, i) =>
      trunk.dialIn({ from: `+1212555030${i}`, to: SERVICE_LINE, patienceMs: 3_600_000, handleMs: 3_600_000 }),
    );
    expect(calls.every((c) => c !== undefined)).toBe(true);
    const from = clock.now();
    await driveUntil(clock, from + 30_000);
    expect(dialer.inbound?.status().queues[0]).toMatchObject({ waiting: 2, answered: 3 });
    const during = observed.filter((o) => o.at > from);
    expect(during.length).toBeGreaterThan(0);
    // Two queued callers are demand on the three busy agents: at least two are not future outbound supply.
    for (const o of during) expect(o.leaving).toBeGreaterThanOrEqual(2);
    const busy = dialer.inbound?.status().blend;
    expect(busy?.hold).toBe(Math.min(3, (busy?.reserve ?? 0) + 2));
    expect(observed.at(-1)?.leaving).toBe(busy?.hold);
    await dialer.close();
  });
});
