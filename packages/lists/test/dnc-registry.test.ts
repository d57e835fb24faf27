import { ContactLedger, checkDial } from '@paceline/compliance';
import { parseCampaign, parseContact } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DncBook,
  DncRegistry,
  loadCsvRegistry,
  loadNumberFile,
  loadUsRegistry,
  PackedPhoneSet,
  PackedPhoneSetBuilder,
  PackedPhoneSetWriter,
  readUsChangeList,
} from '../src/index';

const DAY = 86_400_000;

const BLOCK = 10_000_000;

/** Keys in four neighbouring blocks (+1 200…203), with tails that often repeat or sit on word and block edges. */
const blockKey = fc
  .record({
    block: fc.integer({ min: 1200, max: 1203 }),
    tail: fc.oneof(
      fc.integer({ min: 0, max: BLOCK - 1 }),
      fc.integer({ min: 0, max: 95 }),
      fc.integer({ min: BLOCK - 96, max: BLOCK - 1 }),
      fc.integer({ min: 5_000_000, max: 5_000_300 }),
    ),
  })
  .map(({ block, tail }) => block * BLOCK + tail);

/** Distinct keys per block of 10^7. */
function perBlock(keys: Iterable<number>): Map<number, number> {
  const counts = new Map<number, number>();
  for (const k of new Set(keys)) counts.set(Math.floor(k / BLOCK), (counts.get(Math.floor(k / BLOCK)) ?? 0) + 1);
  return counts;
}

/** A `bitmapMinKeys` somewhere in the range of the blocks' counts, so both forms turn up. */
function thresholdIn(counts: Map<number, number>, fraction: number): number {
  return 1 + Math.floor(fraction * Math.max(0, ...counts.values()));
}

/** Every answer of `set` agrees with `truth`: size, order, one call and batch membership. */
function expectSameAs(set: PackedPhoneSet, truth: Set<number>, probes: readonly number[]): void {
  expect(set.size).toBe(truth.size);
  const sorted = [...truth].sort((a, b) => a - b);
  expect([...set.keys()]).toEqual(sorted);
  const visited: number[] = [];
  set.forEachKey((k) => visited.push(k));
  expect(visited).toEqual(sorted);
  const all = [...truth, ...probes, ...[...truth].flatMap((k) => [k - 1, k + 1])];
  const want = all.map((k) => (truth.has(k) ? 1 : 0));
  expect(all.map((k) => (set.hasKey(k) ? 1 : 0))).toEqual(want);
  const out = new Uint8Array(all.length);
  expect(set.hasMany(all, out)).toBe(want.filter((w) => w === 1).length);
  expect([...out]).toEqual(want);
}

describe('PackedPhoneSet', () => {
  it('answers membership exactly like a Set, dense or sparse (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 12_000_000_000, max: 12_000_400_000 }), { maxLength: 300 }),
        fc.array(fc.integer({ min: 1_000_000_000, max: 999_999_999_999_999 }), { maxLength: 50 }),
        fc.array(fc.integer({ min: 11_999_990_000, max: 12_000_410_000 }), { maxLength: 100 }),
        (dense, scattered, probes) => {
          const keys = [...dense, ...scattered];
          const builder = new PackedPhoneSetBuilder();
          for (const k of keys) builder.add(k);
          const set = builder.build();
          const truth = new Set(keys);
          expect(set.size).toBe(truth.size);
          for (const k of [...keys, ...probes, ...scattered.map((k) => k + 1)]) expect(set.hasKey(k)).toBe(truth.has(k));
          expect([...set.keys()]).toEqual([...truth].sort((a, b) => a - b));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('answers like a Set when blocks are bitmaps, sorted suffixes or a mix (property)', () => {
    fc.assert(
      fc.property(
        fc.array(blockKey, { maxLength: 400, size: 'medium' }),
        fc.array(fc.integer({ min: 1_000_000_000, max: 999_999_999_999_999 }), { maxLength: 20 }),
        fc.array(fc.oneof(blockKey, fc.integer({ min: 11_900_000_000, max: 12_100_000_000 })), { maxLength: 100 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (keys, scattered, probes, fraction) => {
          const bitmapMinKeys = thresholdIn(perBlock(keys), fraction);
          const builder = new PackedPhoneSetBuilder({ bitmapMinKeys });
          for (const k of [...keys, ...scattered]) builder.add(k);
          const set = builder.build();
          const truth = new Set([...keys, ...scattered]);
          expectSameAs(set, truth, [...probes, ...scattered.map((k) => k + 1), 0, -1, 12_000_000_000, 12_039_999_999]);
          // Scattered keys may add bitmap blocks of their own, never take one away.
          const denseBlocks = [...perBlock(truth)].filter(([block, n]) => block >= 1200 && block <= 1203 && n >= bitmapMinKeys);
          expect(set.bitmapBlocks).toBeGreaterThanOrEqual(denseBlocks.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('applies change lists like a Set, switching blocks between bitmap and sorted suffixes (property)', () => {
    fc.assert(
      fc.property(
        fc.array(blockKey, { maxLength: 200, size: 'medium' }),
        fc.array(blockKey, { maxLength: 100, size: 'medium' }),
        fc.array(blockKey, { maxLength: 100, size: 'medium' }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (keys, adds, deletes, fraction) => {
          const bitmapMinKeys = thresholdIn(perBlock(keys), fraction);
          const writer = new PackedPhoneSetWriter(keys.length, { bitmapMinKeys });
          for (const k of [...keys].sort((a, b) => a - b)) writer.push(k);
          const before = writer.finish();
          const removed = [...deletes, ...keys.filter((_, i) => i % 3 === 0)];
          const after = before.withChanges(adds, removed);
          const truth = new Set([...keys, ...adds]);
          for (const k of removed) truth.delete(k);
          expectSameAs(after, truth, [...keys, ...adds, ...removed]);
          const dense = (counts: Map<number, number>) => [...counts.values()].filter((n) => n >= bitmapMinKeys).length;
          expect(before.bitmapBlocks).toBe(dense(perBlock(keys)));
          expect(after.bitmapBlocks).toBe(dense(perBlock(truth)));
        },
      ),
      { numRuns: 200 },
    );
    // 18 s at load 25 (the default 30 s is near when another heavy file runs beside it).
  }, 120_000);

  it('stores an area code as a bitmap once that is the smaller form, under 2 bytes a number', () => {
    const write = (count: number, first = 12_120_000_000) => {
      const writer = new PackedPhoneSetWriter(count);
      for (let i = 0; i < count; i++) writer.push(first + i * 7);
      return writer.finish();
    };
    const bitmap = write(1_000_000); // 1M numbers in area code 212
    expect(bitmap.bitmapBlocks).toBe(1);
    expect(bitmap.size).toBe(1_000_000);
    expect(bitmap.byteLength / bitmap.size).toBeLessThan(1.3);
    expect(bitmap.has('+12120000007')).toBe(true);
    expect(bitmap.has('+12120000008')).toBe(false);
    expect(bitmap.has('+12126999993')).toBe(true);
    expect(bitmap.has('+12127000000')).toBe(false);

    const sorted = write(600_000);
    expect(sorted.bitmapBlocks).toBe(0);
    expect(sorted.byteLength / sorted.size).toBeLessThan(2.1);
    expect(sorted.has('+12120000007')).toBe(true);
    // Across the break-even point each form is at most the other's size.
    expect(write(625_000).byteLength).toBeLessThanOrEqual(write(624_999).byteLength + 4);

    // A delete that takes the block under the threshold turns it back into sorted suffixes, and an add back again.
    const atThreshold = write(625_000);
    expect(atThreshold.bitmapBlocks).toBe(1);
    const fewer = atThreshold.withChanges([], [12_120_000_000]);
    expect(fewer.bitmapBlocks).toBe(0);
    expect(fewer.hasKey(12_120_000_000)).toBe(false);
    expect(fewer.hasKey(12_120_000_007)).toBe(true);
    const more = fewer.withChanges([12_120_000_001], []);
    expect(more.bitmapBlocks).toBe(1);
    expect(more.size).toBe(625_000);
    expect(more.hasKey(12_120_000_001)).toBe(true);
  });

  it('keeps the writer rules and checks its options', () => {
    expect(() => new PackedPhoneSetWriter().push(5)).not.toThrow();
    const descending = new PackedPhoneSetWriter();
    descending.push(12_000_000_005);
    expect(() => descending.push(12_000_000_004)).toThrow(/keys must ascend/);
    const repeats = new PackedPhoneSetWriter(4, { bitmapMinKeys: 1 });
    for (const k of [12_000_000_005, 12_000_000_005, 12_000_000_006]) repeats.push(k);
    expect(repeats.count).toBe(2);
    expect(repeats.finish().size).toBe(2);
    expect(() => new PackedPhoneSetWriter(16, { bitmapMinKeys: 0 })).toThrow(/bitmapMinKeys: expected a positive integer, got 0/);
    expect(() => new PackedPhoneSetBuilder({ bitmapMinKeys: 2.5 })).toThrow(/bitmapMinKeys/);
  });

  it('applies change lists in one merge', () => {
    const base = new PackedPhoneSetBuilder();
    for (const k of [12_125_550_100, 12_125_550_101, 13_055_550_100]) base.add(k);
    const next = base.build().withChanges([12_125_550_199, 10_000_000_000], [12_125_550_101]);
    expect([...next.keys()]).toEqual([10_000_000_000, 12_125_550_100, 12_125_550_199, 13_055_550_100]);
    expect(PackedPhoneSet.empty().hasKey(1)).toBe(false);
    expect(PackedPhoneSet.empty().hasMany([1, 12_125_550_100], new Uint8Array(2))).toBe(0);
  });
});

describe('registry loaders', () => {
  it('loads the US full list and reports bad lines', async () => {
    const text = '2125550100\r\n3055550100\n\n12345\n212555010x\n4155550100';
    const { registry, report } = await loadUsRegistry(text, { asOfMs: 1000 });
    expect(registry.kind).toBe('us-national');
    expect(registry.size).toBe(3);
    expect(registry.has('+12125550100')).toBe(true);
    expect(registry.has('+14155550100')).toBe(true);
    expect(report.problems).toEqual([
      { line: 4, reason: 'expected a 10-digit US number (area code first)' },
      { line: 5, reason: 'expected a 10-digit US number (area code first)' },
    ]);
  });

  it('applies a US change list with A/D flags or a mode', async () => {
    const { registry } = await loadUsRegistry('2125550100\n2125550101\n', { asOfMs: 0 });
    const changes = await readUsChangeList('AREA_CODE,PHONE,ACTION\n212,5550102,A\n2125550100,D\n"2125550103","add"\nnonsense,line,X\n');
    expect(changes.adds).toEqual([12_125_550_102, 12_125_550_103]);
    expect(changes.deletes).toEqual([12_125_550_100]);
    expect(changes.report.problemCount).toBe(1);
    const next = registry.withChanges(changes.adds, changes.deletes, 5 * DAY);
    expect([...next.numbers.keys()]).toEqual([12_125_550_101, 12_125_550_102, 12_125_550_103]);
    expect(next.asOfMs).toBe(5 * DAY);
    const deletes = await readUsChangeList('2125550101\n', { mode: 'delete' });
    expect(deletes.deletes).toEqual([12_125_550_101]);
  });

  it('loads a UK TPS number file in national or international form', async () => {
    const { registry, report } = await loadNumberFile('01632 960123\n+44 20 7946 0123\n447700900123\nabc\n', {
      kind: 'uk-tps',
      callingCode: 44,
      asOfMs: 0,
    });
    expect([...registry.numbers.keys()]).toEqual([441632960123, 442079460123, 447700900123]);
    expect(report.problemCount).toBe(1);
  });

  it('packs area codes as bitmaps when asked, with the same answers, change lists and as-of dates', async () => {
    const text = '2125550100\n2125550101\n3055550100\n';
    const { registry } = await loadUsRegistry(text, { asOfMs: 0, bitmapMinKeys: 2 });
    expect(registry.numbers.bitmapBlocks).toBe(1);
    expect(['+12125550100', '+12125550101', '+13055550100', '+12125550102'].map((p) => registry.has(p))).toEqual([true, true, true, false]);
    const next = registry.withChanges([], [12_125_550_100], 5 * DAY);
    expect(next.numbers.bitmapBlocks).toBe(0);
    expect([...next.numbers.keys()]).toEqual([12_125_550_101, 13_055_550_100]);
    expect(next.asOfMs).toBe(5 * DAY);
    const uk = await loadNumberFile('01632 960123\n01632 960124\n447700900123\n', {
      kind: 'uk-tps',
      callingCode: 44,
      asOfMs: 0,
      bitmapMinKeys: 1,
    });
    expect(uk.registry.numbers.bitmapBlocks).toBe(2);
    expect([...uk.registry.numbers.keys()]).toEqual([441632960123, 441632960124, 447700900123]);
    expect(uk.registry.has('+441632960125')).toBe(false);
    await expect(loadUsRegistry(text, { asOfMs: 0, bitmapMinKeys: 0 })).rejects.toThrow(/bitmapMinKeys/);
  });

  it('loads a generic CSV registry with a column and default country', async () => {
    const csv = 'name,number\nA,"(212) 555-0100"\nB,not a number\nC,+44 20 7946 0123\n';
    const { registry, report } = await loadCsvRegistry(csv, { kind: 'generic', column: 'number', defaultCountry: 'US', asOfMs: 0 });
    expect(registry.has('+12125550100')).toBe(true);
    expect(registry.has('+442079460123')).toBe(true);
    expect(report.problems).toEqual([{ line: 3, reason: 'column number: not a valid phone number' }]);
    await expect(loadCsvRegistry(csv, { kind: 'generic', column: 'phone', asOfMs: 0 })).rejects.toThrow(/registry column "phone"/);
  });
});

describe('DncBook with checkDial', () => {
  const campaign = parseCampaign({
    id: 'camp-1',
    name: 'x',
    goal: 'sales',
    dialMode: 'predictive',
    complianceProfile: 'us-federal',
    callerId: '+14155550100',
    homeTimeZone: 'America/Chicago',
  });
  const now = Date.UTC(2026, 6, 1, 16);
  const contact = (phone: string) => parseContact({ id: 'p', phones: [{ number: phone }], timeZones: ['America/New_York'] });

  it('blocks internal, campaign and registry numbers, and refuses a stale registry copy', async () => {
    const book = new DncBook();
    book.internal.add('+12125550100', { reason: 'asked during a call', source: 'agent 7', at: now - DAY });
    book.campaign('camp-1').add('+12125550101', { reason: 'complaint', source: 'email', at: now - DAY });
    const { registry } = await loadUsRegistry('2125550102\n', { asOfMs: now - 10 * DAY });
    book.setRegistry(registry);
    const ledger = new ContactLedger();
    const codes = (phone: string) => checkDial(contact(phone), phone, campaign, now, ledger, { dnc: book }).codes;
    expect(codes('+12125550100')).toEqual(['dnc-internal']);
    expect(codes('+12125550101')).toEqual(['dnc-campaign']);
    expect(codes('+12125550102')).toEqual(['dnc-registry']);
    expect(codes('+12125550103')).toEqual([]);
    book.setRegistry(new DncRegistry({ kind: 'us-national', name: 'us-national', asOfMs: now - 32 * DAY, numbers: registry.numbers }));
    expect(codes('+12125550103')).toEqual(['registry-stale']);
    expect(book.internal.remove('+12125550100', { reason: 'consent given', source: 'web form', at: now })).toBe(true);
    expect(book.internal.history().map((h) => h.action)).toEqual(['add', 'remove']);
    expect(() => book.internal.add('2125550100', { reason: 'x', source: 'y', at: 0 })).toThrow(/dnc\.phone/);
    expect(() => book.internal.add('+12125550100', { reason: '', source: 'y', at: 0 })).toThrow(/dnc\.reason/);
  });
});
