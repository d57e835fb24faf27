import { type Contact, type ContactInput, type ContactRecord, ContactState, parseContact } from '@paceline/core';
import { compareHopperEntries, hopperEntryOf } from '@paceline/lists';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/memory/memory-store';
import { jsonExact, packText, unpackText } from '../src/memory/packed-contacts';
import { ShardedMap } from '../src/memory/sharded-map';

/** A contact with every optional field, an extension, unicode text and custom profile fields. */
const FULL: ContactInput = {
  id: 'full-1',
  key: 'crm:{"id":"x"}',
  phones: [
    { number: '+14155550100', type: 'work', priority: 0, extension: '12' },
    { number: '+442071838750', type: 'mobile', priority: 1 },
    { number: '+14155550101', type: 'landline', priority: 2, extension: '7' },
  ],
  firstName: 'Zoë "Q" 李',
  lastName: 'Ångström 🚀 \\ \u0001 "timeZones":["',
  postalCode: '94105',
  state: 'CA',
  country: 'US',
  timeZones: ['America/Los_Angeles', 'Europe/Berlin'],
  profile: { tier: 'gold', spend: 1234.5, vip: true, note: null, '"priority":0': 'key looks like a token', empty: '' },
  consents: [
    { kind: 'express-written', channel: 'voice', recordedAt: 1_700_000_000_000, source: 'web form 2026-04' },
    { kind: 'opt-out', channel: 'any', recordedAt: 1_700_000_100_000, source: 'call', revokedAt: 1_700_000_200_000 },
  ],
  priority: 7,
};

function deepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(deepFrozen);
}

describe('packed contact text', () => {
  it('packs the repeated JSON pieces and gives the same JSON back, whatever the values hold', () => {
    const json = JSON.stringify(parseContact(FULL));
    const packed = packText(json);
    expect(packed.length).toBeLessThan(json.length);
    expect(unpackText(packed)).toBe(json);
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'grapheme' }), (value, text) => {
        for (const json of [JSON.stringify(value), JSON.stringify({ text, value, id: text })])
          expect(unpackText(packText(json))).toBe(json);
      }),
      { numRuns: 500 },
    );
  });

  it('packs exactly as replacing the tokens with one alternation would (first token at each position), into one-byte text', () => {
    // The definition the scanner implements, written the slow way (a regular expression and a callback per match).
    const all = Array.from({ length: 27 }, (_, i) => unpackText(String.fromCharCode(i + 1)));
    const pattern = new RegExp(all.map((t) => t.replace(/[[\]{}+^$.*?()|/]/g, '\\$&')).join('|'), 'g');
    const reference = (json: string) => json.replace(pattern, (token) => String.fromCharCode(all.indexOf(token) + 1));
    const contact = fc.record({
      id: fc.string(),
      phones: fc.array(
        fc.record({ number: fc.constantFrom('+14155550100', '+442071838750'), type: fc.constantFrom('unknown', 'mobile', 'work') }),
      ),
      firstName: fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom('"type":"unknown"', '{"number":"+', '"America/')),
      timeZones: fc.array(fc.constantFrom('America/Chicago', 'Europe/Berlin', 'Asia/Tokyo')),
      profile: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
      priority: fc.integer(),
    });
    fc.assert(
      fc.property(fc.oneof(contact, fc.jsonValue()), (value) => {
        const json = JSON.stringify(value) ?? 'null';
        expect(packText(json)).toBe(reference(json));
      }),
      { numRuns: 1_000 },
    );
    expect(packText(JSON.stringify(parseContact(FULL)))).toBe(reference(JSON.stringify(parseContact(FULL))));
    // Long text (a slab of many rows) is built in pieces and joined.
    const long = JSON.stringify(Array.from({ length: 2_000 }, (_, i) => parseContact({ ...FULL, id: `c${i}` })));
    expect(packText(long)).toBe(reference(long));
    // Latin-1 text only (the one-byte path), longer than the first buffer, with C1 controls.
    const latin = JSON.stringify(Array.from({ length: 3_000 }, (_, i) => ({ id: `c${i}`, firstName: 'Zoë Ångström ÿ \u0085\u009f' })));
    expect(packText(latin)).toBe(reference(latin));
    expect(unpackText(packText(latin))).toBe(latin);
  });

  it('packs only what JSON gives back exactly', () => {
    expect(jsonExact(parseContact(FULL))).toBe(true);
    expect(jsonExact({ a: 'x', b: [1, true, null, { c: 'd' }] })).toBe(true);
    for (const bad of [
      { a: undefined },
      { a: Number.NaN },
      { a: Number.POSITIVE_INFINITY },
      { a: -0 },
      { a: new Date(0) },
      { a: new Array(3) }, // holes: JSON writes them as null
      { a: 1n },
      { a: () => 1 },
      { a: Symbol('s') },
      Object.create({ inherited: 1 }),
    ])
      expect(jsonExact(bad), String(Object.keys(bad))).toBe(false);
  });
});

describe('ShardedMap', () => {
  it('is a Map: set, replace, get, has, delete, size and every value', () => {
    const map = new ShardedMap<number>();
    const reference = new Map<string, number>();
    for (let i = 0; i < 5_000; i++) {
      const key = `k${(i * 7919) % 3_000}`;
      map.set(key, i);
      reference.set(key, i);
      if (i % 11 === 0) expect(map.delete(`k${i % 3_000}`)).toBe(reference.delete(`k${i % 3_000}`));
    }
    expect(map.size).toBe(reference.size);
    for (const [key, value] of reference) expect([map.has(key), map.get(key)]).toEqual([true, value]);
    expect(map.get('missing')).toBeUndefined();
    expect([...map.values()].sort((a, b) => a - b)).toEqual([...reference.values()].sort((a, b) => a - b));
  });
});

describe('the memory store keeps fresh contacts packed', () => {
  it('gives back a contact with every optional field, extensions, unicode and custom fields, deep-frozen', async () => {
    const store = new MemoryStore();
    const contact = parseContact(FULL);
    expect(await store.addContacts('k', [contact, parseContact({ id: 'plain', phones: [{ number: '+14155550199' }] })])).toBe(2);
    const record = (await store.getContact('k', 'full-1')) as ContactRecord;
    expect(record).toEqual({ campaignId: 'k', contact, state: ContactState.Ready, attempts: 0, seq: 0, version: 1 });
    expect(JSON.stringify(record.contact)).toBe(JSON.stringify(contact)); // key order too
    expect(deepFrozen(record)).toBe(true);
    expect(await store.findContactsByPhone('+442071838750')).toEqual([record]);
    expect((await store.listContacts('k', ContactState.Ready)).map((r) => r.contact.id)).toEqual(['full-1', 'plain']);
    expect(await store.countContacts('k')).toMatchObject({ ready: 2 });
  });

  it('keeps a contact JSON would not give back exactly as it was (as an object)', async () => {
    const store = new MemoryStore();
    const odd = {
      ...parseContact({ id: 'odd', phones: [{ number: '+14155550100' }] }),
      lastName: undefined,
      profile: { zero: -0 },
    } as unknown as Contact;
    await store.addContacts('k', [odd]);
    const stored = (await store.getContact('k', 'odd'))?.contact as Contact;
    expect('lastName' in stored).toBe(true);
    expect(Object.is(stored.profile.zero, -0)).toBe(true);
  });

  it('updates and claims a packed contact like any other (versions, counts, phone index)', async () => {
    const store = new MemoryStore();
    await store.addContacts('k', [parseContact({ id: 'a', phones: [{ number: '+14155550100' }] })]);
    const a = (await store.getContact('k', 'a')) as ContactRecord;
    expect(await store.updateContact({ ...a, version: 2 })).toBeUndefined();
    const moved = await store.updateContact({ ...a, contact: parseContact({ id: 'a', phones: [{ number: '+14155550111' }] }) });
    expect(moved?.version).toBe(2);
    expect(await store.findContactsByPhone('+14155550100')).toEqual([]);
    expect((await store.findContactsByPhone('+14155550111')).map((r) => r.version)).toEqual([2]);
    expect(await store.updateContact(a)).toBeUndefined(); // the packed copy is gone
    const [claimed] = await store.claimDue('k', 0, 5);
    expect(claimed).toMatchObject({ state: ContactState.Queued, version: 3 });
    expect(await store.countContacts('k')).toMatchObject({ ready: 0, queued: 1 });
  });

  const phone = fc.integer({ min: 2_000_000, max: 9_999_999 }).map((n) => `+1415${n}`);
  const contactInput = fc.record(
    {
      phones: fc.uniqueArray(
        fc.record(
          {
            number: phone,
            type: fc.constantFrom('mobile', 'landline', 'work', 'other', 'unknown'),
            extension: fc.stringMatching(/^[0-9]{1,4}$/),
          },
          { requiredKeys: ['number'] },
        ),
        { minLength: 1, maxLength: 3, selector: (p) => p.number },
      ),
      firstName: fc.string({ unit: 'grapheme', maxLength: 12 }),
      lastName: fc.string({ unit: 'binary', maxLength: 12 }),
      postalCode: fc.string({ minLength: 1, maxLength: 6 }),
      timeZones: fc.constantFrom(['America/Chicago'], ['America/New_York', 'America/Chicago']),
      profile: fc.dictionary(
        fc.string({ maxLength: 8 }),
        fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
        { maxKeys: 3 },
      ),
      priority: fc.integer({ min: -2, max: 2 }),
    },
    { requiredKeys: ['phones'] },
  );

  it('round-trips any contact and claims in hopper order, packed rows among retries and callbacks (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(contactInput, { minLength: 1, maxLength: 40 }),
        fc.array(fc.constantFrom('keep', 'retry', 'callback', 'touch', 'dnc'), { minLength: 40, maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        async (inputs, fates, batches) => {
          const contacts = inputs.map((input, i) => parseContact({ ...input, id: `c${i}` }));
          const store = new MemoryStore();
          const size = Math.ceil(contacts.length / batches);
          for (let at = 0; at < contacts.length; at += size) await store.addContacts('k', contacts.slice(at, at + size));
          for (const contact of contacts) {
            const record = (await store.getContact('k', contact.id)) as ContactRecord;
            expect(record.contact).toEqual(contact);
            expect(JSON.stringify(record.contact)).toBe(JSON.stringify(contact));
          }
          // Move some contacts out of the packed form: retries and callbacks due now, touched, or done.
          for (const [i, contact] of contacts.entries()) {
            const record = (await store.getContact('k', contact.id)) as ContactRecord;
            const fate = fates[i];
            if (fate === 'retry') await store.updateContact({ ...record, state: ContactState.Waiting, dueAt: 50 + i, attempts: 1 });
            else if (fate === 'callback') await store.updateContact({ ...record, state: ContactState.Callback, dueAt: 90 - i });
            else if (fate === 'touch') await store.updateContact({ ...record });
            else if (fate === 'dnc') await store.updateContact({ ...record, state: ContactState.Dnc });
          }
          const due: ContactRecord[] = [];
          for (const contact of contacts) {
            const record = (await store.getContact('k', contact.id)) as ContactRecord;
            if (record.state !== ContactState.Dnc) due.push(record);
          }
          const expected = due
            .map(hopperEntryOf)
            .sort(compareHopperEntries)
            .map((e) => e.contact.id);
          const claimed = await store.claimDue('k', 1_000, contacts.length);
          expect(claimed.map((r) => r.contact.id)).toEqual(expected);
          expect(await store.countContacts('k')).toMatchObject({ ready: 0, queued: expected.length });
        },
      ),
      { numRuns: 150 },
    );
  });
});
