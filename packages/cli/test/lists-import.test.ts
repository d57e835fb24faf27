import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { listsImport } from '../src/commands/lists-import';

function capture() {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  return { out: { stdout, stderr: new PassThrough() }, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('paceline lists import (in process)', () => {
  it('reads a European Excel file (semicolons, Windows-1252), prints how and its warnings, and neutralises formulas in the rejects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paceline-lists-'));
    const file = join(dir, 'agency.csv');
    const csv = [
      'Kunde;Vorname;Telefon;Mobil',
      'K1;Jürgen;212-555-0101;',
      'K2;=HYPERLINK("http://evil");call 212 555 0102 now;',
      'K3;Zoë;212-555-0103 ext. 12;kein Anschluss',
      'K4;"Ann;212-555-0104;',
      'K5;Bo;212-555-0105;',
    ].join('\r\n');
    writeFileSync(file, Buffer.from(`${csv}\r\n`, 'latin1')); // = Windows-1252 for these letters
    const { out, text } = capture();
    const report = await listsImport(
      file,
      {
        map: ['id=kunde,firstName=VORNAME', 'phones=telefon|mobil'],
        country: 'US',
        dnc: [],
        out: join(dir, 'clean.jsonl'),
        rejects: join(dir, 'rejects.csv'),
        json: false,
        asOfMs: 0,
      },
      out,
    );
    expect(report.rowsRead).toBe(5);
    expect(report.imported + report.rejected.length).toBe(5);
    const printed = text();
    expect(printed).toContain('CSV, windows-1252, delimiter ";"');
    expect(printed).toContain('row 3 (line 4) Mobil: not a phone number ("kein Anschluss")');
    expect(printed).toContain('row 4 (line 5): a quote opened on line 5');
    const clean = readFileSync(join(dir, 'clean.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(clean.map((c) => [c.id, c.firstName, c.phones[0].number, c.phones[0].extension])).toEqual([
      ['K1', 'Jürgen', '+12125550101', undefined],
      ['K3', 'Zoë', '+12125550103', '12'],
      ['K5', 'Bo', '+12125550105', undefined],
    ]);
    const rejects = readFileSync(join(dir, 'rejects.csv'), 'utf8').trim().split('\n');
    expect(rejects[0]).toBe('row,line,column,reason,message');
    // No line of the rejects file starts a cell with = + - @ (a spreadsheet would run it).
    for (const line of rejects.slice(1)) for (const cell of line.split(',')) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@]/);
    expect(rejects[1]).toMatch(/^2,3,Telefon,bad-phone,/);
  });
});
