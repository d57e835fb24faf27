import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchNanp, NANP_EXPLICIT, NANP_SHAPE } from '../src/e164';
import { normalisePhone, normalisePhoneWithLibphonenumber } from '../src/index';

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const sep = fc.constantFrom('', ' ', '-', '.', '  ', '/');

/** NANP-shaped strings in the formats lists really contain, plus near-misses. */
const nanpLike = fc
  .record({
    prefix: fc.constantFrom('', '1', '+1', '+1 ', '1-', '1 ', '+', '0', '+44 '),
    area: digits(3),
    exchange: digits(3),
    line: fc.oneof(digits(4), digits(3), digits(5)),
    parens: fc.boolean(),
    s1: sep,
    s2: sep,
    pad: fc.constantFrom('', ' ', '\t'),
  })
  .map(
    ({ prefix, area, exchange, line, parens, s1, s2, pad }) =>
      `${pad}${prefix}${parens ? `(${area})` : area}${s1}${exchange}${s2}${line}${pad}`,
  );

describe('E.164 normalisation', () => {
  it('normalises the common NANP formats', () => {
    for (const raw of [
      '(415) 555-0123',
      '415-555-0123',
      '415.555.0123',
      '4155550123',
      '+1 415 555 0123',
      '1-415-555-0123',
      '+14155550123',
    ]) {
      expect(normalisePhone(raw, 'US')).toEqual({ ok: true, e164: '+14155550123', country: 'US', areaCode: 415 });
    }
    expect(normalisePhone('(416) 555-0123', 'US')).toMatchObject({ ok: true, e164: '+14165550123', country: 'CA' });
    expect(normalisePhone('020 7946 0123', 'GB')).toMatchObject({ ok: true, e164: '+442079460123', country: 'GB' });
    expect(normalisePhone('(111) 555-0123', 'US')).toEqual({ ok: false, reason: 'invalid' });
    expect(normalisePhone('call me', 'US')).toEqual({ ok: false, reason: 'not-a-number' });
    expect(normalisePhone('  ', 'US')).toEqual({ ok: false, reason: 'empty' });
  });

  it('the NANP fast path gives exactly libphonenumber-js’s answer (10,000 cases)', () => {
    fc.assert(
      fc.property(nanpLike, fc.constantFrom('US', 'CA', 'GB', undefined), (raw, country) => {
        expect(normalisePhone(raw, country)).toEqual(normalisePhoneWithLibphonenumber(raw, country));
      }),
      { numRuns: 10_000 },
    );
  });

  it('the NANP scan matches exactly what the NANP pattern matches (20,000 cases)', () => {
    const byPattern = (raw: string) => {
      const m = NANP_SHAPE.exec(raw);
      return m === null ? -1 : (m[1]?.startsWith('+') ? NANP_EXPLICIT : 0) + Number(`${m[2] ?? m[3]}${m[4]}${m[5]}`);
    };
    // Characters the pattern treats specially, every \s character, and look-alikes that are not \s.
    const spaces = [...' \t\n\v\f\r\u00a0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'];
    const notSpaces = ['\u200b', '\u180e', '\u0085'];
    const pad = fc.string({ unit: fc.constantFrom(...spaces, ...notSpaces), maxLength: 3 });
    const unit = fc.constantFrom(...'0123456789012345678911+()-.', ...spaces, ...notSpaces, 'x', '/');
    const raws = fc.oneof(
      fc.tuple(pad, nanpLike, pad).map((parts) => parts.join('')),
      fc.string({ unit, maxLength: 22 }),
    );
    fc.assert(
      fc.property(raws, (raw) => {
        expect(matchNanp(raw)).toBe(byPattern(raw));
      }),
      { numRuns: 20_000 },
    );
    expect(matchNanp(' +1 (415) 555-0123\u00a0')).toBe(NANP_EXPLICIT + 4_155_550_123);
    expect(matchNanp('1-415-555-0123')).toBe(4_155_550_123);
  });

  it('agrees with libphonenumber-js on arbitrary text too (10,000 cases)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.constantFrom('US', 'CA', 'FR'), (raw, country) => {
        expect(normalisePhone(raw, country)).toEqual(normalisePhoneWithLibphonenumber(raw, country));
      }),
      { numRuns: 10_000 },
    );
  });
});
