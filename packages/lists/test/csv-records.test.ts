import { describe, expect, it } from 'vitest';
import { CsvRecordReader, type UnclosedQuote } from '../src/csv-records';

/** Read `text` (in chunks of `chunk` characters) with a header of `width` cells known. */
function read(text: string, delimiter = ',', chunk = text.length) {
  const records: { cells: string[]; line: number }[] = [];
  const problems: UnclosedQuote[] = [];
  const reader = new CsvRecordReader({
    delimiter,
    onRecord: (cells, line) => {
      records.push({ cells, line });
      if (reader.width === undefined) reader.width = cells.length;
    },
    onUnclosedQuote: (p) => problems.push(p),
  });
  for (let i = 0; i < text.length; i += chunk) reader.push(text.slice(i, i + chunk));
  reader.end();
  return { records, problems: problems.map((p) => ({ line: p.line, kind: p.kind, swallowed: p.swallowed })) };
}

const chunkSizes = [1, 2, 3, 7, 1000];

describe('CsvRecordReader: a quote left open that pairs with a later row’s quote', () => {
  it('a broken quote whose pairing leaves every cell count right is still caught by the rows after it', () => {
    // Row R0 opens a quote and never closes it. Read by RFC 4180, its cell runs to R1's opening
    // quote and the record has the right three cells; R1's name (with a line break) then reads as
    // a record `a;a";212…` — a contact with id `a` and R1's number. (Found by the import fuzz.)
    const text = 'id;name;phone\nR0;";call 212 555 0142 now\nR1;";\na;a";2125550001\nR2;;a\n';
    for (const chunk of chunkSizes) {
      const { records, problems } = read(text, ';', chunk);
      expect(problems, `chunk ${chunk}`).toEqual([{ line: 2, kind: 'stray-quote', swallowed: 1 }]);
      expect(records.map((r) => r.cells)).toEqual([
        ['id', 'name', 'phone'],
        ['R1', ';\na;a', '2125550001'],
        ['R2', '', 'a'],
      ]);
      expect(records.map((r) => r.line)).toEqual([1, 3, 5]);
    }
  });

  it('a broken quote before quoted multi-line cells: its row alone is rejected, the cells after it are read as written', () => {
    const rows = [
      'R0,"Ann,2125550100',
      'R1,"12 Main St',
      'Apt 4",2125550101',
      'R2,"PO Box 9',
      'Springfield",2125550102',
      'R3,Bo,2125550103',
    ];
    const { records, problems } = read(`id,addr,phone\n${rows.join('\n')}\n`);
    expect(problems).toEqual([{ line: 2, kind: 'stray-quote', swallowed: 1 }]);
    expect(records.slice(1).map((r) => r.cells[0])).toEqual(['R1', 'R2', 'R3']);
    expect(records[1]?.cells[1]).toBe('12 Main St\nApt 4');
  });

  it('keeps real quoted cells with line breaks — also beside inch marks, delimiters inside and a last line that is empty', () => {
    const rows = [
      'R1,"12 Main St',
      'Apt 4, Floor 2",2125550101',
      'R2,TV 5" screen,2125550102',
      'R3,"line one',
      '',
      'line three",2125550103',
      'R4,"ends with a break',
      '",2125550104',
      'R5,"a ""quoted"" word',
      'and more",2125550105',
      'R6,plain,2125550106',
    ];
    for (const chunk of chunkSizes) {
      const { records, problems } = read(`id,addr,phone\n${rows.join('\r\n')}\r\n`, ',', chunk);
      expect(problems, `chunk ${chunk}`).toEqual([]);
      expect(records.slice(1).map((r) => r.cells)).toEqual([
        ['R1', '12 Main St\r\nApt 4, Floor 2', '2125550101'],
        ['R2', 'TV 5" screen', '2125550102'],
        ['R3', 'line one\r\n\r\nline three', '2125550103'],
        ['R4', 'ends with a break\r\n', '2125550104'],
        ['R5', 'a "quoted" word\r\nand more', '2125550105'],
        ['R6', 'plain', '2125550106'],
      ]);
    }
  });

  it('a quoted multi-line cell as the last record of the file, with and without a final line break', () => {
    for (const end of ['', '\n'])
      for (const chunk of chunkSizes) {
        const { records, problems } = read(`id,addr\nR1,"a\nb"${end}`, ',', chunk);
        expect(problems).toEqual([]);
        expect(records.slice(1).map((r) => r.cells)).toEqual([['R1', 'a\nb']]);
      }
  });
});
