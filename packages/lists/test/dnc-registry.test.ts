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

  it('packs a dense US-like registry in about 2 bytes per number', () => {
    const writer = new PackedPhoneSetWriter(1_000_000);
    for (let i = 0; i < 1_000_000; i++) writer.push(12_000_000_000 + i * 7);
    const set = writer.finish();
    expect(set.size).toBe(1_000_000);
    expect(set.byteLength / set.size).toBeLessThan(2.5);
    expect(set.has('+12000000007')).toBe(true);
    expect(set.has('+12000000008')).toBe(false);
    expect(() => new PackedPhoneSetWriter().push(5)).not.toThrow();
    const descending = new PackedPhoneSetWriter();
    descending.push(12_000_000_005);
    expect(() => descending.push(12_000_000_004)).toThrow(/keys must ascend/);
  });

  it('applies change lists in one merge', () => {
    const base = new PackedPhoneSetBuilder();
    for (const k of [12_125_550_100, 12_125_550_101, 13_055_550_100]) base.add(k);
    const next = base.build().withChanges([12_125_550_199, 10_000_000_000], [12_125_550_101]);
    expect([...next.keys()]).toEqual([10_000_000_000, 12_125_550_100, 12_125_550_199, 13_055_550_100]);
    expect(PackedPhoneSet.empty().hasKey(1)).toBe(false);
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
