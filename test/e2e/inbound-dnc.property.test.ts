import { type ContactState, seededRandom, VirtualClock } from '@paceline/core';
import { createMemoryStore } from '@paceline/engine';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { driveUntil } from '../../packages/engine/test/support/drive';
import { inboundDialer, simTrunk } from '../../packages/engine/test/support/inbound-dialer';
import { newYorkContact, progressiveCampaign } from '../support/campaign';

const START = Date.UTC(2026, 10, 23, 15, 0); // Monday 10:00 in New York
const CALLER = '+12125550123';
const MIN = 60_000;

/**
 * Compliance invariant: a do-not-call request made on an inbound call is honoured everywhere at
 * once — after it, no campaign dials the number again (contacts already listed, and contacts
 * added later), and every contact with the number ends `dnc`. The real compliance gate; every
 * outbound call is busy, so each campaign redials its contacts every 10 minutes.
 */
describe('an inbound DNC request stops every campaign from dialling the number (property)', () => {
  it('holds for any campaigns, lists, timing and way of asking', async () => {
    const scenario = fc.record({
      campaigns: fc.array(fc.record({ hasCaller: fc.boolean(), others: fc.integer({ min: 0, max: 3 }), late: fc.boolean() }), {
        minLength: 2,
        maxLength: 4,
      }),
      callAfterMs: fc.integer({ min: 0, max: 40 * MIN }),
      talkMs: fc.integer({ min: 5_000, max: 5 * MIN }),
      how: fc.constantFrom('disposition', 'request-then-disposition', 'dnc-flag'),
      lateAfterMs: fc.integer({ min: MIN, max: 60 * MIN }),
      seed: fc.integer({ min: 1, max: 1_000 }),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        // At least two campaigns know the caller, one of them only after the request (added late).
        const campaigns = s.campaigns.map((c, i) => ({
          ...c,
          hasCaller: c.hasCaller || i < 2,
          late: i === 1 ? true : i === 0 ? false : c.late,
        }));
        const clock = new VirtualClock(START);
        const random = seededRandom(s.seed);
        const store = createMemoryStore();
        const { dialer, trunk, seen } = inboundDialer({
          clock,
          trunkRandom: random.split('trunk'),
          plan: { outcome: 'busy', resolveAfterMs: 3_000 },
          trunk: simTrunk,
          store,
          random: random.split('engine'),
          tickIntervalMs: MIN,
          inbound: { queues: [{ id: 'service', skills: [] }] },
          record: ['dialed', 'inbound.dnc', 'error'],
        });
        const { dialed, 'inbound.dnc': dnc, error: errors } = seen;
        const contactsOf = (i: number, withCaller: boolean) => [
          ...(withCaller ? [newYorkContact(`k${i}-caller`, CALLER)] : []),
          ...Array.from({ length: campaigns[i]?.others ?? 0 }, (_, j) =>
            newYorkContact(`k${i}-o${j}`, `+1212555${String(2000 + i * 10 + j).padStart(4, '0')}`),
          ),
        ];
        for (const [i, c] of campaigns.entries()) {
          await dialer.addCampaign(progressiveCampaign(`k${i}`, { callerId: `+1212555010${i}`, schedule: { endAt: START + 86_400_000 } }));
          await dialer.addContacts(`k${i}`, contactsOf(i, c.hasCaller && !c.late));
        }
        dialer.loginAgent(
          { id: 'ana', name: 'Ana' },
          campaigns.map((_, i) => `k${i}`),
        );
        dialer.ready('ana');
        for (const [i] of campaigns.entries()) await dialer.start(`k${i}`);

        await driveUntil(clock, START + s.callAfterMs);
        const connected: string[] = [];
        dialer.on('inbound.connected', (o) => connected.push(o.callId));
        // trunk-sim's inbound caller: dials the first campaign's caller ID, talks `talkMs` once connected.
        const callId = trunk.dialIn({ from: CALLER, to: '+12125550100', patienceMs: 10 * MIN, handleMs: s.talkMs }) as string;
        expect(callId).toBeDefined();
        await driveUntil(clock, clock.now() + s.talkMs / 2);
        expect(connected).toEqual([callId]);
        if (s.how === 'disposition') await dialer.disposition(callId, 'DNC');
        else if (s.how === 'dnc-flag') await dialer.disposition(callId, 'SAVED', { dnc: true } as never);
        else {
          await dialer.inbound?.requestDnc(callId);
          await dialer.disposition(callId, 'SAVED');
        }
        expect(dnc).toHaveLength(1);
        const askedAt = dnc[0]?.at as number;
        // Campaigns that learn of the caller only now (a list imported after the request).
        await driveUntil(clock, askedAt + s.lateAfterMs);
        for (const [i, c] of campaigns.entries())
          if (c.hasCaller && c.late) await dialer.addContacts(`k${i}`, contactsOf(i, true).slice(0, 1));
        await driveUntil(clock, askedAt + 3 * 3_600_000);

        // Per dial: nothing to the caller after the request; every campaign kept dialling the others.
        for (const d of dialed) if (d.attempt.phone === CALLER) expect(d.attempt.startedAt).toBeLessThan(askedAt);
        expect(
          dialed.some((d) => d.attempt.phone !== CALLER && d.attempt.startedAt > askedAt) || campaigns.every((c) => c.others === 0),
        ).toBe(true);
        // Per contact: everyone with the caller's number is retired as DNC, in every campaign.
        for (const [i, c] of campaigns.entries()) {
          if (!c.hasCaller) continue;
          const state: ContactState | undefined = (await store.getContact(`k${i}`, `k${i}-caller`))?.state;
          expect(state, `campaign k${i}`).toBe('dnc');
        }
        expect(errors).toEqual([]);
        await dialer.close();
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
