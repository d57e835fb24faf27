import { parseContact } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { ContactDeduper, DncBook, importContacts, loadUsRegistry, type RejectReason } from '../src/index';

const AREAS = ['212', '305', '415', '850', '915', '312', '602', '808', '416'];
const HEADER = 'customer_id,first_name,last_name,phone,alt_phone,zip,state,tenure_months,spend,tier';

interface Fixture {
  csv: string;
  expected: Map<number, { reason: RejectReason; line: number }>;
  dncPhone: (i: number) => string;
}

function phoneOf(i: number): string {
  return `${AREAS[i % AREAS.length]}${2_000_000 + i}`;
}

function format(digits: string, i: number): string {
  const [a, e, l] = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)];
  switch (i % 4) {
    case 0:
      return `(${a}) ${e}-${l}`;
    case 1:
      return `${a}-${e}-${l}`;
    case 2:
      return `+1 ${a} ${e} ${l}`;
    default:
      return digits;
  }
}

/** A messy 10,000-row list: BOM, CRLF, quotes, multi-line fields, blank lines, wrong column counts, bad numbers, duplicates, DNC. */
function messyCsv(rows: number): Fixture {
  const lines: string[] = [`\uFEFF${HEADER}`];
  let physical = 1;
  const expected = new Map<number, { reason: RejectReason; line: number }>();
  for (let i = 1; i <= rows; i++) {
    let first = `Ann${i}`;
    let last = `Lee${i}`;
    let phone = format(phoneOf(i), i);
    let tenure = String(i % 120);
    let cols: string[] | undefined;
    let reason: RejectReason | undefined;
    let extraLines = 0;
    if (i % 97 === 0) {
      phone = '555-12';
      reason = 'bad-phone';
    } else if (i % 89 === 0 && !expected.has(i - 1)) {
      phone = format(phoneOf(i - 1), i + 1); // the previous row's number, written differently
      reason = 'duplicate';
    } else if (i % 83 === 0) {
      first = '';
      reason = 'missing-field';
    } else if (i % 79 === 0) {
      reason = 'dnc';
    } else if (i % 73 === 0) {
      reason = 'malformed-row';
    } else if (i % 61 === 0) {
      tenure = 'abc';
      reason = 'invalid-value';
    } else if (i % 71 === 0) {
      last = '"Smith, ""Jr"""';
    } else if (i % 67 === 0) {
      last = '"Line one\nLine two"'; // Excel writes LF inside cells
      extraLines = 1;
    }
    cols = [
      `C${i}`,
      first,
      last,
      phone.includes(',') ? `"${phone}"` : phone,
      '',
      i % 5 === 0 ? '32501' : '',
      i % 7 === 0 ? 'fl' : '',
      tenure,
      `${i}.50`,
      i % 3 === 0 ? 'gold' : 'silver',
    ];
    if (reason === 'malformed-row') cols = cols.slice(0, -1);
    lines.push(cols.join(','));
    physical += 1 + extraLines;
    if (reason) expected.set(i, { reason, line: physical });
    if (i % 50 === 0) {
      lines.push('');
      physical++;
    }
  }
  return { csv: `${lines.join('\r\n')}\r\n`, expected, dncPhone: (i) => `+1${phoneOf(i)}` };
}

const mapping = {
  id: 'customer_id',
  key: 'customer_id',
  firstName: 'first_name',
  lastName: 'last_name',
  phones: ['phone', { column: 'alt_phone', type: 'mobile' as const }],
  postalCode: 'zip',
  state: 'state',
  profile: {
    tenureMonths: { column: 'tenure_months', type: 'number' as const },
    spend: { column: 'spend', type: 'number' as const },
    tier: 'tier',
  },
};

describe('importContacts', () => {
  it('imports a messy 10,000-row CSV and names every rejected row and why', async () => {
    const fixture = messyCsv(10_000);
    const dnc = new DncBook();
    for (const [row, e] of fixture.expected)
      if (e.reason === 'dnc') dnc.internal.add(fixture.dncPhone(row), { reason: 'asked during a call', source: 'test', at: 0 });
    // Feed it in awkward chunks (split mid-line and mid-quote) to exercise the stream.
    const bytes = new TextEncoder().encode(fixture.csv);
    const chunks = function* () {
      for (let i = 0; i < bytes.length; i += 4099) yield bytes.subarray(i, i + 4099);
    };
    const { contacts, report } = await importContacts(chunks(), {
      mapping,
      defaultCountry: 'US',
      listId: 'spring',
      campaignId: 'camp-1',
      required: ['firstName'],
      dnc,
      complianceProfile: 'us-federal',
    });
    expect(report.rowsRead).toBe(10_000);
    expect(report.imported + report.rejected.length).toBe(10_000);
    expect(contacts).toHaveLength(report.imported);
    const byRow = new Map(report.rejected.map((r) => [r.row, r]));
    const missing = [...fixture.expected.keys()].filter((r) => !byRow.has(r));
    const extra = [...byRow.keys()].filter((r) => !fixture.expected.has(r));
    expect({ missing: missing.map((r) => [r, fixture.expected.get(r)?.reason]), extra: extra.map((r) => byRow.get(r)) }).toEqual({
      missing: [],
      extra: [],
    });
    for (const [row, want] of fixture.expected) {
      const got = byRow.get(row);
      expect(got?.reason, `row ${row}`).toBe(want.reason);
      expect(got?.line, `row ${row}`).toBe(want.line);
      expect(got?.message.length).toBeGreaterThan(5);
    }
    expect(byRow.get(97)).toMatchObject({ column: 'phone', message: expect.stringContaining('555-12') });
    expect(byRow.get(89)).toMatchObject({ column: 'phone', message: expect.stringContaining('row 88') });
    expect(byRow.get(83)).toMatchObject({ column: 'firstName' });
    expect(byRow.get(73)?.message).toBe('expected 10 columns, got 9');
    expect(byRow.get(61)).toMatchObject({ column: 'tenure_months' });
    expect(report.rejectedByReason.dnc).toBe([...fixture.expected.values()].filter((e) => e.reason === 'dnc').length);

    // Nothing invalid imported: every contact passes the core schema, no DNC number, no duplicate phone.
    const seen = new Set<string>();
    for (const c of contacts) {
      expect(parseContact(c)).toEqual(c);
      for (const p of c.phones) {
        expect(seen.has(p.number)).toBe(false);
        seen.add(p.number);
        expect(dnc.internal.has(p.number)).toBe(false);
      }
    }
    const quoted = contacts.find((c) => c.id === 'C71');
    expect(quoted?.lastName).toBe('Smith, "Jr"');
    expect(contacts.find((c) => c.id === 'C67')?.lastName).toBe('Line one\nLine two');
    const c1 = contacts.find((c) => c.id === 'C1');
    expect(c1).toMatchObject({
      phones: [{ number: '+13052000001', type: 'unknown', priority: 0 }],
      profile: { tenureMonths: 1, spend: 1.5, tier: 'silver' },
    });
    // 850 (Florida panhandle) with ZIP 325xx narrows to Central; 915 (El Paso) is Mountain.
    expect(contacts.find((c) => c.id === 'C30')?.timeZones).toEqual(['America/Chicago']);
    expect(contacts.find((c) => c.id === 'C4')?.timeZones).toEqual(['America/Denver']);
    expect(contacts.find((c) => c.id === 'C3')?.timeZones).toEqual(['America/New_York', 'America/Chicago']);
    expect(contacts.find((c) => c.id === 'C7')?.state).toBe('FL');
  }, 60_000);

  it('dedupes across a campaign’s lists by phone and by contact key', async () => {
    const deduper = new ContactDeduper();
    const first = 'id,phone\nA,212-555-0101\nB,212-555-0102\n';
    const second = 'id,phone\nA,212-555-0199\nC,(212) 555-0102\nD,212-555-0103\n';
    const a = await importContacts(first, {
      mapping: { id: 'id', key: 'id', phones: ['phone'] },
      defaultCountry: 'US',
      listId: 'one',
      deduper,
    });
    const b = await importContacts(second, {
      mapping: { id: 'id', key: 'id', phones: ['phone'] },
      defaultCountry: 'US',
      listId: 'two',
      deduper,
    });
    expect(a.report.imported).toBe(2);
    expect(b.report.imported).toBe(1);
    expect(b.report.rejected).toEqual([
      { row: 1, line: 2, column: 'key', reason: 'duplicate', message: 'key "A" already imported (list one, row 1)' },
      { row: 2, line: 3, column: 'phone', reason: 'duplicate', message: expect.stringContaining('list one, row 2') },
    ]);
  });

  it('keeps a row whose second phone is bad, with a warning, and rejects a row with none', async () => {
    const csv = 'phone,mobile\n212-555-0101,garbage\n,\n';
    const { contacts, report } = await importContacts(csv, { mapping: { phones: ['phone', 'mobile'] }, defaultCountry: 'US', listId: 'w' });
    expect(contacts.map((c) => c.id)).toEqual(['w-1']);
    expect(report.warnings).toEqual([
      { row: 1, line: 2, column: 'mobile', reason: 'bad-phone', message: expect.stringContaining('garbage') },
    ]);
    // A row of empty values is skipped like a blank line.
    expect(report.rowsRead).toBe(1);
  });

  it('refuses a bad mapping whole, before importing anything', async () => {
    await expect(importContacts('phone,name\n2125550101,x\n', { mapping: { phones: ['tel'], firstName: 'nom' } })).rejects.toThrow(
      /mapping\.phones\[0\]: no column "tel".*mapping\.firstName: no column "nom"/,
    );
    await expect(importContacts('phone\n', { mapping: { phones: [] } })).rejects.toThrow(/at least one phone column/);
  });

  it('scrubs against registries, bitmaps or sorted, the same with or without the read-ahead', async () => {
    // 300 rows (several read-ahead batches), every third number on the registry.
    const phones = Array.from({ length: 300 }, (_, i) => phoneOf(i));
    const csv = `id,phone\n${phones.map((p, i) => `C${i},${format(p, i)}`).join('\n')}\n`;
    const listed = phones.filter((_, i) => i % 3 === 0);
    for (const bitmapMinKeys of [1, undefined]) {
      const { registry } = await loadUsRegistry(listed.join('\n'), {
        asOfMs: 0,
        ...(bitmapMinKeys === undefined ? {} : { bitmapMinKeys }),
      });
      expect(registry.numbers.bitmapBlocks > 0).toBe(bitmapMinKeys === 1);
      const book = new DncBook();
      book.setRegistry(registry);
      const mapping = { id: 'id', phones: ['phone'] };
      const withReadAhead = await importContacts(csv, { mapping, defaultCountry: 'US', dnc: book });
      const oneAtATime = await importContacts(csv, { mapping, defaultCountry: 'US', dnc: { blocks: (p, k, c) => book.blocks(p, k, c) } });
      expect(withReadAhead).toEqual(oneAtATime);
      expect(withReadAhead.report.rejected.map((r) => r.row)).toEqual(listed.map((_, j) => 3 * j + 1));
      expect(withReadAhead.report.rejectedByReason.dnc).toBe(100);
    }
  });

  it('keeps row order and numbers around an unreadable record, and stops at a throwing onContact', async () => {
    const csv = 'id,phone\n1,212-555-0101\n2,212-555-0102\n3,"212-555-0103\n';
    const { contacts, report } = await importContacts(csv, { mapping: { id: 'id', phones: ['phone'] }, defaultCountry: 'US' });
    expect(contacts.map((c) => c.id)).toEqual(['1', '2']);
    expect(report.rejected).toEqual([
      {
        row: 3,
        line: 4,
        reason: 'unclosed-quote',
        message:
          'a quote opened on line 4 never closes (the file ends on that line); this row is rejected and reading resumes at line 5 (close or remove the quote)',
      },
    ]);

    const seen: number[] = [];
    const long = `id,phone\n${Array.from({ length: 200 }, (_, i) => `${i},${phoneOf(i)}`).join('\n')}\n`;
    const failing = importContacts(long, {
      mapping: { id: 'id', phones: ['phone'] },
      defaultCountry: 'US',
      onContact: (_, row) => {
        seen.push(row);
        if (row === 70) throw new Error('host store is down');
      },
    });
    await expect(failing).rejects.toThrow('host store is down');
    expect(seen).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
  });

  it('reports unreadable CSV records and carries on', async () => {
    const csv = 'id,phone\n1,"212-555-0101\n2,212-555-0102\n';
    const { report } = await importContacts(csv, { mapping: { id: 'id', phones: ['phone'] }, defaultCountry: 'US' });
    expect(report.rejected.length + report.imported).toBeGreaterThanOrEqual(1);
  });
});
