import { parseContact } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { INTAKE_BATCH, INTAKE_SLICE_MS, takeInContacts, UploadGate } from '../src/index';

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
