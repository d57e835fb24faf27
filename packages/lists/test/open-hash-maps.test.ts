import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NumberMap, StringMap } from '../src/open-hash-maps';

describe('the dedupe hash maps', () => {
  it('answer like a Map, for phone keys and for text (property)', () => {
    const phoneKey = fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 10_000_000_000, max: 999_999_999_999_999 }));
    const text = fc.oneof(
      fc.constantFrom('', 'C1', 'C10', 'c1', 'ü', '\u{1F4DE}'),
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'binary' }),
    );
    const ops = <K>(key: fc.Arbitrary<K>) => fc.array(fc.tuple(key, fc.integer({ min: 0, max: 2 ** 40 })), { maxLength: 300 });
    fc.assert(
      fc.property(ops(phoneKey), ops(text), (phoneOps, textOps) => {
        const numbers = new NumberMap();
        const numbersTruth = new Map<number, number>();
        for (const [k, v] of phoneOps) {
          expect(numbers.has(k)).toBe(numbersTruth.has(k));
          numbers.set(k, v);
          numbersTruth.set(k, v);
        }
        for (const [k] of phoneOps) expect([numbers.get(k), numbers.get(k + 1)]).toEqual([numbersTruth.get(k), numbersTruth.get(k + 1)]);
        expect(numbers.size).toBe(numbersTruth.size);

        const strings = new StringMap();
        const stringsTruth = new Map<string, number>();
        for (const [k, v] of textOps) {
          expect(strings.has(k)).toBe(stringsTruth.has(k));
          strings.set(k, v);
          stringsTruth.set(k, v);
        }
        for (const [k] of textOps) expect([strings.get(k), strings.get(`${k} `)]).toEqual([stringsTruth.get(k), stringsTruth.get(`${k} `)]);
        expect(strings.size).toBe(stringsTruth.size);
      }),
      { numRuns: 300 },
    );
  });

  it('keep every entry through their growth (100,000 ids and phones)', () => {
    const numbers = new NumberMap();
    const strings = new StringMap();
    for (let i = 0; i < 100_000; i++) {
      numbers.set(12_125_550_000 + i * 7, i);
      strings.set(`C${i}`, i);
    }
    numbers.prefetch([12_125_550_000, 1]);
    strings.prefetch(['C0', 'nope']);
    expect([numbers.size, strings.size]).toEqual([100_000, 100_000]);
    for (let i = 0; i < 100_000; i += 97) {
      expect(numbers.get(12_125_550_000 + i * 7)).toBe(i);
      expect(numbers.has(12_125_550_001 + i * 7)).toBe(false);
      expect(strings.get(`C${i}`)).toBe(i);
      expect(strings.has(`C${i}x`)).toBe(false);
    }
  });
});
