import { type ContactInput, parseContact, VirtualClock } from '@paceline/core';
import { type SimCallPlan, scriptedOutcomeModel } from '@paceline/trunk-sim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryStore, INTAKE_BATCH, INTAKE_SLICE_MS, takeInContacts, UploadGate } from '../src/index';
import { START, testDialer } from './support/test-dialer';

describe('contact intake', () => {
  it('validates and stores in batches, yielding between them, and reports each bad input by index', async () => {
    const inputs = Array.from({ length: 2 * INTAKE_BATCH + 7 }, (_, i) =>
      i % 100 === 3
        ? { id: `c${i}`, phones: [{ number: 'not a number' }] }
        : { id: `c${i}`, phones: [{ number: `+1212555${String(i).padStart(4, '0')}` }] },
    );
    const stored: number[] = [];
    const order: string[] = [];
    const result = await takeInContacts(inputs, {
      prepare: (input) => parseContact(input),
      store: async (contacts) => {
        stored.push(contacts.length);
        order.push('store');
        return contacts.length;
      },
      yieldControl: async () => void order.push('yield'),
      now: () => 0, // no time passes: batches are cut by count only
    });
    const bad = inputs.flatMap((_, i) => (i % 100 === 3 ? [`contacts[${i}]`] : []));
    expect(result.rejected.map((r) => r.path)).toEqual(bad);
    expect(result.added).toBe(inputs.length - bad.length);
    expect(stored.reduce((a, b) => a + b, 0)).toBe(inputs.length - bad.length);
    expect(stored.every((n) => n <= INTAKE_BATCH)).toBe(true);
    expect(order).toEqual(['store', 'yield', 'store', 'yield', 'store', 'yield']);
  });

  it('cuts a batch short once it has taken its slice of time', async () => {
    const inputs = Array.from({ length: INTAKE_BATCH }, (_, i) => ({ id: `c${i}`, phones: [{ number: `+1212${String(2_000_000 + i)}` }] }));
    let t = 0;
    const stored: number[] = [];
    await takeInContacts(inputs, {
      prepare: (input) => {
        t += 0.1; // each contact takes 0.1 ms
        return parseContact(input);
      },
      store: async (contacts) => {
        stored.push(contacts.length);
        return contacts.length;
      },
      yieldControl: async () => {},
      now: () => t,
    });
    // The budget is checked every 32 contacts: the first check at or past INTAKE_SLICE_MS cuts.
    const perSlice = Math.ceil(INTAKE_SLICE_MS / 0.1 / 32) * 32;
    expect(stored[0]).toBe(perSlice);
    expect(stored.reduce((a, b) => a + b, 0)).toBe(INTAKE_BATCH);
    expect(Math.max(...stored)).toBeLessThanOrEqual(perSlice);
  });

  it('lets timers run while a large list is taken in (no batch holds the loop)', async () => {
    const inputs = (function* () {
      for (let i = 0; i < 20_000; i++) yield { id: `c${i}`, phones: [{ number: `+1212${String(2_000_000 + i)}` }] };
    })();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await takeInContacts(inputs, {
        prepare: (input) => parseContact(input),
        store: async (c) => c.length,
        yieldControl: () => new Promise((resolve) => setImmediate(resolve)),
      });
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(5);
  });

  it('takes an array, a generator with promises among its inputs and an async iterable alike', async () => {
    const contact = (i: number) => ({ id: `c${i}`, phones: [{ number: `+1212${String(2_000_000 + i)}` }] });
    const run = async (inputs: Iterable<unknown> | AsyncIterable<unknown>) => {
      const ids: string[] = [];
      const result = await takeInContacts(inputs, {
        prepare: (input) => parseContact(input),
        store: async (contacts) => {
          ids.push(...contacts.map((c) => c.id));
          return contacts.length;
        },
        yieldControl: async () => {},
        now: () => 0,
      });
      return { ...result, ids };
    };
    const plain = Array.from({ length: 1_200 }, (_, i) => (i === 7 ? { id: 'bad' } : contact(i)));
    const expected = await run(plain);
    expect(expected.rejected.map((r) => r.path)).toEqual(['contacts[7]']);
    expect(expected.ids).toHaveLength(1_199);
    const withPromises = (function* () {
      for (const [i, c] of plain.entries()) yield i % 3 === 0 ? Promise.resolve(c) : c;
    })();
    expect(await run(withPromises)).toEqual(expected);
    const asynchronous = (async function* () {
      for (const c of plain) yield c;
    })();
    expect(await run(asynchronous)).toEqual(expected);
    // A rejected promise among the inputs fails the intake, as `for await` would.
    await expect(run([contact(1), Promise.reject(new Error('lost'))])).rejects.toThrow('lost');
  });

  it('addContacts with handOver stores the same contacts and reports the same rows as without', async () => {
    // Nothing is dialled (the campaign never starts): the trunk only completes the dialer.
    const model = scriptedOutcomeModel({}, { outcome: 'busy', ringingAfterMs: 100, resolveAfterMs: 200 } satisfies SimCallPlan);
    const row = fc.record({
      n: fc.nat(40),
      type: fc.constantFrom('mobile', 'landline', 'unknown', 'pager'),
      extension: fc.constantFrom(undefined, '12', 'x7'),
      zone: fc.constantFrom(undefined, 'America/Chicago', 'Mars/Olympus'),
      firstName: fc.constantFrom(undefined, 'Ann', 'Zoë'),
      complete: fc.nat(9).map((k) => k > 0),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 60 }), async (rows) => {
        // Importer-like inputs (fresh, every defaulted field given) with bad and incomplete rows.
        const inputs = () =>
          rows.map((r, i) => {
            const phone = { number: `+1415555${String(2000 + r.n)}`, type: r.type, ...(r.extension ? { extension: r.extension } : {}) };
            return {
              id: `u${i % 50}`,
              phones: r.complete ? [{ ...phone, priority: 0 }] : [phone],
              ...(r.firstName === undefined ? {} : { firstName: r.firstName }),
              ...(r.zone === undefined ? {} : { timeZones: [r.zone] }),
              ...(r.complete ? { profile: {}, consents: [], priority: 0 } : {}),
            };
          });
        const outcomes = [];
        for (const handOver of [false, true]) {
          const store = createMemoryStore();
          const { dialer } = testDialer({ clock: new VirtualClock(START), model, store });
          await dialer.addCampaign({
            id: 'k',
            name: 'k',
            goal: 'sales',
            dialMode: 'progressive',
            complianceProfile: 'us-federal',
            callerId: '+14155550100',
            homeTimeZone: 'America/New_York',
          });
          const result = await dialer.addContacts('k', inputs() as ContactInput[], { handOver });
          const stored = [];
          for (let i = 0; i < 50; i++) stored.push((await store.getContact('k', `u${i}`))?.contact);
          outcomes.push({ result, stored });
          await dialer.close();
        }
        expect(outcomes[1]).toEqual(outcomes[0]);
      }),
      { numRuns: 40 },
    );
  });

  it('runs one upload per campaign at a time', async () => {
    const gate = new UploadGate();
    let release: () => void = () => {};
    const first = gate.exclusive('spring', 'a.csv', () => new Promise<void>((resolve) => (release = resolve)));
    await expect(gate.exclusive('spring', 'b.csv', async () => {})).rejects.toMatchObject({
      code: 'E_CONFLICT',
      message: 'campaign spring: the upload of "a.csv" is still running; wait for its report, then upload "b.csv"',
    });
    await gate.exclusive('autumn', 'c.csv', async () => {}); // another campaign is not held up
    release();
    await first;
    await gate.exclusive('spring', 'b.csv', async () => {});
  });
});
