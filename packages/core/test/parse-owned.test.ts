import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PacelineError, parseCampaign, parseContact } from '../src/index';
import { campaignInput } from './fixtures';

/** The parse's outcome: the value, or the error's code, issues and message. */
function outcome(parse: () => unknown): unknown {
  try {
    return { value: parse() };
  } catch (error) {
    if (!(error instanceof PacelineError)) throw error;
    return { code: error.code, issues: error.issues, message: error.message };
  }
}

/** Phones as a host or importer writes them: defaults left out or given, some invalid. */
const phone = fc.record(
  {
    number: fc.oneof(fc.constantFrom('+14155550123', '+442079460000', '+14155550124'), fc.string({ maxLength: 14 })),
    type: fc.constantFrom('mobile', 'landline', 'work', 'other', 'unknown', 'pager'),
    priority: fc.oneof(fc.nat(5), fc.constant(-1), fc.constant(1.5)),
    extension: fc.constantFrom('12', 'x7', '', '4711'),
  },
  { requiredKeys: ['number'] },
);

const consent = fc.record(
  {
    kind: fc.constantFrom('express-written', 'express', 'opt-in', 'opt-out', 'maybe'),
    channel: fc.constantFrom('voice', 'sms', 'email', 'any', 'fax'),
    recordedAt: fc.oneof(fc.nat(2_000_000_000_000), fc.constant(-5)),
    source: fc.constantFrom('web form', ''),
    revokedAt: fc.nat(2_000_000_000_000),
  },
  { requiredKeys: ['kind', 'recordedAt', 'source'] },
);

const zones = fc.oneof(
  fc.constant(Object.freeze(['America/Los_Angeles'])),
  fc.array(fc.constantFrom('America/Chicago', 'Europe/London', 'America/Nowhere'), { maxLength: 2 }),
);

const profile = fc.dictionary(
  fc.constantFrom('tier', 'spend', 'vip'),
  fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant({ a: 1 })),
  { maxKeys: 2 },
);

/** Contact inputs, valid and invalid, with every defaulted field sometimes left out. */
const contactLike = fc.record(
  {
    id: fc.oneof(fc.constantFrom('c-1', 'U123', ''), fc.nat().map(String)),
    key: fc.string({ maxLength: 4 }),
    phones: fc.array(phone, { maxLength: 3 }),
    firstName: fc.string({ maxLength: 6 }),
    lastName: fc.constantFrom('Ng', undefined),
    postalCode: fc.constantFrom('94105', ''),
    state: fc.constantFrom('CA', 'fl', 'NY'),
    country: fc.constantFrom('US', 'GB', 'usa'),
    timeZones: zones,
    profile,
    consents: fc.array(consent, { maxLength: 2 }),
    priority: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(0.5)),
    extra: fc.constant('unknown field'),
  },
  { requiredKeys: [] },
);

/** One thing wrong with an otherwise valid row, as a file's bad rows have. */
const firstPhone = (c: Record<string, unknown>): Record<string, unknown> =>
  ((c.phones as Record<string, unknown>[])[0] ?? {}) as Record<string, unknown>;
const DEFECTS = [
  (c: Record<string, unknown>) => (firstPhone(c).number = '4155550123'),
  (c: Record<string, unknown>) => (firstPhone(c).extension = 'x7'),
  (c: Record<string, unknown>) => (firstPhone(c).type = 'pager'),
  (c: Record<string, unknown>) => (c.phones as unknown[]).push({ ...firstPhone(c), priority: 9 }),
  (c: Record<string, unknown>) => (c.phones = []),
  (c: Record<string, unknown>) => (c.timeZones = ['America/Chicago', 'America/Nowhere']),
  (c: Record<string, unknown>) => (c.state = 'ca'),
  (c: Record<string, unknown>) => (c.priority = 0.5),
  (c: Record<string, unknown>) => (c.id = ''),
  (c: Record<string, unknown>) => (c.note = 'a field the schema does not know'),
  (c: Record<string, unknown>) => (c.profile = { tier: { a: 1 } }),
  (c: Record<string, unknown>) => delete c.consents,
] as const;

/**
 * Contacts as the importer builds them: every defaulted field given (the fast path's case),
 * mostly valid; a third with one defect (a bad number or extension, a duplicate number, an
 * unknown zone, a stray field, …) and some with two.
 */
const completeContact = fc
  .record({
    id: fc.nat().map((n) => `U${n}`),
    phones: fc.uniqueArray(
      fc.record({
        number: fc.constantFrom('+14155550123', '+14155550124', '+442079460000', '+14155550125', '+33142685300'),
        type: fc.constantFrom('mobile', 'landline', 'unknown', 'work', 'other'),
        extension: fc.constantFrom(undefined, undefined, '12', '4711'),
      }),
      { minLength: 1, maxLength: 3, selector: (p) => p.number },
    ),
    firstName: fc.constantFrom(undefined, 'Ann 7', 'Zoë', ''),
    postalCode: fc.constantFrom(undefined, '94105'),
    state: fc.constantFrom(undefined, 'CA', 'FL'),
    timeZones: fc.constantFrom(undefined, Object.freeze(['America/Los_Angeles']), ['America/Chicago', 'Europe/London']),
    profile: fc.dictionary(fc.constantFrom('tier', 'spend', 'vip'), fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.boolean()), {
      maxKeys: 2,
    }),
    priority: fc.integer({ min: -2, max: 5 }),
    defects: fc.oneof(
      { weight: 6, arbitrary: fc.constant([] as number[]) },
      { weight: 4, arbitrary: fc.array(fc.nat(DEFECTS.length - 1), { minLength: 1, maxLength: 2 }) },
    ),
  })
  .map((r) => {
    const contact: Record<string, unknown> = {
      id: r.id,
      phones: r.phones.map((p, priority) => ({
        number: p.number,
        type: p.type,
        priority,
        ...(p.extension === undefined ? {} : { extension: p.extension }),
      })),
      profile: r.profile,
      consents: [],
      priority: r.priority,
    };
    if (r.firstName !== undefined) contact.firstName = r.firstName;
    if (r.postalCode !== undefined) contact.postalCode = r.postalCode;
    if (r.state !== undefined) contact.state = r.state;
    if (r.timeZones !== undefined) contact.timeZones = r.timeZones;
    for (const d of r.defects) (DEFECTS[d] as (c: Record<string, unknown>) => unknown)(contact);
    return contact;
  });

describe('parseContact.owned', () => {
  it('gives what parseContact gives (value, or the same error, issues and message) for any input, and never mutates it', () => {
    fc.assert(
      fc.property(fc.oneof(contactLike, completeContact), (input) => {
        const before = structuredClone(input);
        const copied = outcome(() => parseContact(input));
        const owned = outcome(() => parseContact.owned(input));
        expect(owned).toEqual(copied);
        expect(input).toEqual(before);
      }),
      { numRuns: 1_500 },
    );
  });

  it('takes a complete, valid contact as it is (no copy); an incomplete one is copied and completed', () => {
    let taken = 0;
    fc.assert(
      fc.property(completeContact, (input) => {
        const result = outcome(() => parseContact.owned(input)) as { value?: unknown };
        if (result.value === undefined) return;
        if ('consents' in input) {
          expect(result.value).toBe(input);
          taken++;
        } else expect(result.value).not.toBe(input); // a defaulted field left out: copied, as the host's input
      }),
      { numRuns: 500 },
    );
    // The generator's rows are mostly valid: the fast path was exercised, not only the fallback.
    expect(taken).toBeGreaterThan(200);

    const phones = [{ number: '+14155550123' }];
    const input = { id: 'c-1', phones, timeZones: Object.freeze(['America/Chicago']) };
    const contact = parseContact.owned(input);
    expect(contact).not.toBe(input);
    expect(input).toEqual({ id: 'c-1', phones: [{ number: '+14155550123' }], timeZones: ['America/Chicago'] });
    expect(contact).toEqual({
      id: 'c-1',
      phones: [{ number: '+14155550123', type: 'unknown', priority: 0 }],
      timeZones: ['America/Chicago'],
      profile: {},
      consents: [],
      priority: 0,
    });
  });

  it('refuses what is not an object, as parseContact does', () => {
    for (const input of [null, undefined, 'c-1', [], 7])
      expect(outcome(() => parseContact.owned(input))).toEqual(outcome(() => parseContact(input)));
  });

  it('reports a duplicate number and an unknown zone of an otherwise complete contact exactly as parseContact', () => {
    const input = {
      id: 'c-2',
      phones: [
        { number: '+14155550123', type: 'mobile', priority: 0 },
        { number: '+14155550124', type: 'mobile', priority: 1 },
        { number: '+14155550123', type: 'work', priority: 2 },
      ],
      timeZones: ['America/Chicago', 'Mars/Olympus'],
      profile: {},
      consents: [],
      priority: 0,
    };
    const owned = outcome(() => parseContact.owned(input));
    expect(owned).toEqual(outcome(() => parseContact(input)));
    expect((owned as { message: string }).message).toBe(
      'invalid contact (2 problems): contact.phones[2].number: duplicate number +14155550123; contact.timeZones[1]: expected an IANA time zone such as America/Chicago, got "Mars/Olympus"',
    );
  });
});

describe('owned parse of a parser with nested defaults and a normalisation (campaigns)', () => {
  const optional = ['pacing', 'dispositions', 'recycle', 'callingWindow', 'schedule', 'dialMode'] as const;
  it('gives what the copying parser gives, whichever fields are left out or set', () => {
    fc.assert(
      fc.property(
        fc.subarray([...optional]),
        fc.record({ pacing: fc.record({ powerRatio: fc.constantFrom(1, 2, 9) }, { requiredKeys: [] }) }, { requiredKeys: [] }),
        fc.boolean(),
        (dropped, extra, complete) => {
          const base: Record<string, unknown> = { ...campaignInput(), ...extra };
          for (const key of dropped) delete base[key];
          // A complete campaign (the copying parse's own output) takes the owned fast path.
          let input: unknown = base;
          if (complete) {
            try {
              input = structuredClone(parseCampaign(base));
            } catch {
              input = base;
            }
          }
          expect(outcome(() => parseCampaign.owned(structuredClone(input)))).toEqual(outcome(() => parseCampaign(input)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
