// Generated list files of every shape the importer accepts, each with the outcome every row
// must have: which rows are imported (and with what), which are rejected, with the exact message.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { phoneCellMessage, type RejectReason } from '../../src/index';

/** A file shape: how the same rows are written. */
export interface FileShape {
  readonly name: string;
  readonly kind: 'csv' | 'xlsx';
  readonly delimiter: ',' | ';' | '\t' | '|';
  readonly encoding: 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'utf-16le-nobom' | 'windows-1252';
  /** Quote every cell, or only those that need it. */
  readonly quoteAll: boolean;
  readonly lineEnd: '\n' | '\r\n';
}

/** What the import must do with one data row. */
export interface Expected {
  readonly row: number;
  readonly line: number;
  readonly outcome:
    | { readonly imported: true; readonly id: string; readonly firstName: string; readonly extension?: string; readonly e164: string }
    | { readonly imported: false; readonly reason: RejectReason; readonly message: string };
}

export interface GeneratedList {
  readonly bytes: Uint8Array;
  readonly expected: Expected[];
  /** The mapping, spelt differently from the header (case and spaces). */
  readonly mapping: { id: string; firstName: string; lastName: string; phones: string[]; postalCode: string };
}

export const SHAPES: readonly FileShape[] = [
  { name: 'comma, UTF-8', kind: 'csv', delimiter: ',', encoding: 'utf-8', quoteAll: false, lineEnd: '\n' },
  {
    name: 'semicolon, UTF-8 with BOM, CRLF (European Excel)',
    kind: 'csv',
    delimiter: ';',
    encoding: 'utf-8-bom',
    quoteAll: false,
    lineEnd: '\r\n',
  },
  {
    name: 'tab, UTF-16 LE with BOM (Excel "Unicode text")',
    kind: 'csv',
    delimiter: '\t',
    encoding: 'utf-16le',
    quoteAll: false,
    lineEnd: '\r\n',
  },
  { name: 'pipe, UTF-16 BE, every cell quoted', kind: 'csv', delimiter: '|', encoding: 'utf-16be', quoteAll: true, lineEnd: '\n' },
  { name: 'comma, UTF-16 LE without BOM', kind: 'csv', delimiter: ',', encoding: 'utf-16le-nobom', quoteAll: false, lineEnd: '\n' },
  {
    name: 'semicolon, Windows-1252 (Latin-1 names)',
    kind: 'csv',
    delimiter: ';',
    encoding: 'windows-1252',
    quoteAll: true,
    lineEnd: '\r\n',
  },
  { name: 'XLSX, first sheet', kind: 'xlsx', delimiter: ',', encoding: 'utf-8', quoteAll: false, lineEnd: '\n' },
];

const HEADER = ['Customer ID', 'FIRST NAME', 'last  name', ' Phone ', 'Zip', 'Note'];
const MAPPING = { id: 'customer id', firstName: 'First Name', lastName: 'LastName', phones: ['phone'], postalCode: 'ZIP' };
const NAMES = ['Zoë', 'José', 'Müller', 'Ann', 'Łukasz', "O'Brien", 'Renée', 'Ødegaard'];
const LATIN1_NAMES = ['Zoë', 'José', 'Müller', 'Ann', 'Renée', 'François', "O'Brien", 'Æsa'];

function phoneOf(i: number): string {
  // Valid NANP numbers: area codes and exchanges from 2xx..9xx.
  const area = [212, 415, 312, 617, 305, 713, 206, 404][i % 8] as number;
  return `${area}${String(200 + (i % 700)).padStart(3, '0')}${String(i % 10_000).padStart(4, '0')}`;
}

type Row = { cells: string[]; make: (row: number, line: number) => Expected['outcome']; raw?: string; lines?: number };

/** The rows: a mix of clean rows and every quirk, with their expected outcome. */
function rows(count: number, latin1: boolean, xlsx: boolean): Row[] {
  const names = latin1 ? LATIN1_NAMES : NAMES;
  const out: Row[] = [];
  for (let i = 1; i <= count; i++) {
    const id = `C${i}`;
    const first = names[i % names.length] as string;
    const phone = phoneOf(i);
    const e164 = `+1${phone}`;
    const [a, e, l] = [phone.slice(0, 3), phone.slice(3, 6), phone.slice(6)];
    const note = i % 11 === 0 ? 'says "call after 6"; prefers email, then phone' : i % 13 === 0 ? '=HYPERLINK("http://x")' : '';
    const base = (phoneCell: string, extra: string[] = []) => [
      id,
      first,
      `Lee ${i}`,
      phoneCell,
      `1${String(i % 10_000).padStart(4, '0')}`,
      note,
      ...extra,
    ];
    const ok = (extension?: string) => (): Expected['outcome'] => ({
      imported: true,
      id,
      firstName: first,
      e164,
      ...(extension === undefined ? {} : { extension }),
    });
    const bad = (reason: RejectReason, message: string) => (): Expected['outcome'] => ({ imported: false, reason, message });
    const kind = i % 17;
    if (kind === 1) out.push({ cells: base(`(${a}) ${e}-${l} ext. 12`), make: ok('12') });
    else if (kind === 2) {
      // The same switchboard as the row before, another extension: another person, imported.
      const prev = phoneOf(i - 1);
      out.push({
        cells: base(`${prev.slice(0, 3)}.${prev.slice(3, 6)}.${prev.slice(6)} x7`),
        make: () => ({ imported: true, id, firstName: first, e164: `+1${prev}`, extension: '7' }),
      });
    } else if (kind === 10) {
      // The same switchboard and extension as row i-9: a duplicate.
      const earlier = phoneOf(i - 9);
      out.push({
        cells: base(`${earlier} ext 12`),
        make: bad('duplicate', `Phone: +1${earlier.slice(0, 3)}… ext. 12 already imported (row ${i - 9})`),
      });
    } else if (kind === 3) {
      const text = `call ${a} ${e} ${l} now`;
      out.push({ cells: base(text), make: bad('bad-phone', phoneCellMessage('Phone', text, 'not-a-number')) });
    } else if (kind === 4 && !xlsx) {
      const text = `${a.slice(0, 1)}.${a.slice(1)}${e.slice(0, 3)}E+09`;
      out.push({ cells: base(text), make: bad('bad-phone', phoneCellMessage('Phone', text, 'scientific')) });
    } else if (kind === 5)
      out.push({ cells: base(`+1 ${a} ${e} ${l}`, ['', '']), make: ok() }); // trailing empty cells
    else if (kind === 6) out.push({ cells: base(''), make: bad('missing-field', 'no phone number in any phone column') });
    else if (kind === 7) {
      // The same number as row i-2 (kind 5, imported): a duplicate.
      const earlier = i - 2;
      const earlierPhone = phoneOf(earlier);
      out.push({
        cells: [id, first, `Lee ${i}`, `${earlierPhone}`, '10001', ''],
        make: bad('duplicate', `Phone: +1${earlierPhone.slice(0, 3)}… already imported (row ${earlier})`),
      });
    } else if (kind === 8 && !xlsx) {
      // An unclosed quote: reported where it opens; the next rows are read normally.
      out.push({
        cells: [],
        raw: `${id},"${first},Lee,${phone},10001,`,
        make: (_row, line) => ({
          imported: false,
          reason: 'unclosed-quote',
          message: `a quote opened on line ${line} closes only on a later row: it takes the 1 line after it into one cell; this row is rejected and reading resumes at line ${line + 1} (close or remove the quote)`,
        }),
      });
    } else if (kind === 9 && !xlsx) {
      // Short by two cells (a sheet row may be: it ends at its last filled cell); its quoted
      // last name closes the quote the row before left open.
      out.push({ cells: [id, first, `Lee "${i}"`, `${a}-${e}-${l}`], make: bad('malformed-row', 'expected 6 columns, got 4') });
    } else out.push({ cells: base(i % 2 === 0 ? `${a}-${e}-${l}` : phone), make: ok() });
  }
  return out;
}

function quote(cell: string, shape: FileShape): string {
  const needs = shape.quoteAll || cell.includes(shape.delimiter) || cell.includes('"') || cell.includes('\n');
  return needs ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function encode(text: string, shape: FileShape): Uint8Array {
  switch (shape.encoding) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8-bom':
      return Buffer.from(`\ufeff${text}`, 'utf8');
    case 'utf-16le':
      return iconv.encode(text, 'utf-16le', { addBOM: true });
    case 'utf-16le-nobom':
      return iconv.encode(text, 'utf-16le');
    case 'utf-16be':
      return iconv.encode(text, 'utf-16be');
    case 'windows-1252':
      return iconv.encode(text, 'windows-1252');
  }
}

/** A list of `count` rows in `shape`, with the expected outcome of each row. */
export async function generateList(shape: FileShape, count: number): Promise<GeneratedList> {
  const data = rows(count, shape.encoding === 'windows-1252', shape.kind === 'xlsx');
  const expected: Expected[] = [];
  if (shape.kind === 'xlsx') {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Contacts');
    sheet.addRow(HEADER);
    data.forEach((r, k) => {
      // Phones as numbers where Excel would store them so (plain digits), else text.
      sheet.addRow(r.cells.map((c, j) => (j === 3 && /^\d{10}$/.test(c) ? Number(c) : c)));
      expected.push({ row: k + 1, line: k + 2, outcome: r.make(k + 1, k + 2) });
    });
    return { bytes: new Uint8Array(await workbook.xlsx.writeBuffer()), expected, mapping: MAPPING };
  }
  const lines = [HEADER.map((h) => quote(h, shape)).join(shape.delimiter)];
  data.forEach((r, k) => {
    const line = lines.length + 1;
    lines.push(r.raw !== undefined ? r.raw.replaceAll(',', shape.delimiter) : r.cells.map((c) => quote(c, shape)).join(shape.delimiter));
    expected.push({ row: k + 1, line, outcome: r.make(k + 1, line) });
  });
  return { bytes: encode(`${lines.join(shape.lineEnd)}${shape.lineEnd}`, shape), expected, mapping: MAPPING };
}
