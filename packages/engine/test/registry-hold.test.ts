import { ContactState } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulateAgents } from './support/agents';
import { testCampaign } from './support/campaign';
import { driveUntil } from './support/drive';
import { dialerWithRegistry } from './support/registry';

const START = Date.UTC(2026, 10, 23, 15, 0); // 10:00 in New York
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const MAX_AGE = 31 * DAY; // us-federal

describe('a stale registry copy holds the campaign (property)', () => {
  it('never dials on a stale copy, never retires a contact for it, and finishes the list once a fresh copy is loaded', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          // the copy's age at START: fresh, stale, or going stale during the run
          ageAtStart: fc.integer({ min: 0, max: 40 * DAY }),
          contacts: fc.integer({ min: 1, max: 8 }),
          agents: fc.integer({ min: 1, max: 3 }),
          // when the host loads a fresh copy, if it does
          freshAt: fc.option(fc.integer({ min: 0, max: 3 * HOUR }), { nil: undefined }),
        }),
        async ({ ageAtStart, contacts, agents, freshAt }) => {
          let asOf = START - ageAtStart;
          const { clock, store, dialer, loadCopy } = await dialerWithRegistry(START, asOf, {
            outcome: 'human',
            ringingAfterMs: 500,
            resolveAfterMs: 4_000,
            analysisAfterMs: 1_000,
          });
          await dialer.addCampaign(testCampaign('k1', { homeTimeZone: 'America/New_York' }));
          await dialer.addContacts(
            'k1',
            Array.from({ length: contacts }, (_, i) => ({
              id: `c${i}`,
              phones: [{ number: `+1415555${2000 + i}` }],
              timeZones: ['America/New_York'],
            })),
          );
          const staleDials: number[] = [];
          const holds: boolean[] = [];
          dialer.on('dialed', (e) => {
            if (e.attempt.startedAt - asOf > MAX_AGE) staleDials.push(e.attempt.startedAt);
          });
          dialer.on('campaignHold', (e) => holds.push(e.held));
          simulateAgents(dialer, clock, { talkMs: () => 3 * MIN, wrapMs: () => 30_000, disposition: () => ({ code: 'SAVED' }) });
          for (let i = 0; i < agents; i++) {
            dialer.loginAgent({ id: `a${i}`, name: `A${i}` }, ['k1']);
            dialer.ready(`a${i}`);
          }
          await dialer.start('k1');
          if (freshAt !== undefined) {
            await driveUntil(clock, START + freshAt);
            asOf = START + freshAt;
            await loadCopy(asOf);
          }
          await driveUntil(clock, START + 6 * HOUR);

          expect(staleDials).toEqual([]);
          expect(holds).toEqual(holds.map((_, i) => i % 2 === 0)); // on, off, on …
          // nothing retired for the registry's sake: every finished contact was dialled
          for (const record of await store.listContacts('k1', ContactState.Done)) expect(record.attempts).toBeGreaterThan(0);
          const everFresh = ageAtStart <= MAX_AGE || freshAt !== undefined;
          const counts = await store.countContacts('k1');
          if (freshAt !== undefined) expect(counts.done).toBe(contacts); // loaded within 3 h: the list finishes by 6 h
          if (!everFresh) expect(counts.done).toBe(0);
          expect(counts.done + counts.ready).toBe(contacts);
          await dialer.close();
        },
      ),
      { numRuns: 60 },
    );
    // ~5 s alone on an idle 2-core machine, 15 s at load 25, over 30 s beside another heavy file.
  }, 180_000);
});
