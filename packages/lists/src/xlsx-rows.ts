import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { chunksOf, type TextSource } from './text-source';

/** One worksheet row as text cells, with its row number in the sheet (1-based). */
export interface SheetRow {
  readonly cells: string[];
  readonly line: number;
}

/** The four bytes every XLSX (a zip archive) starts with. */
export function looksLikeXlsx(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

/**
 * A cell's value as the text a CSV export of it would hold: numbers in full (a 10-digit phone
 * stored as a number stays whole, unlike in a CSV Excel saved), a formula's cached result,
 * rich text joined, a hyperlink's text, dates as ISO dates, errors as empty.
 */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown; formula?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v || 'formula' in v) return cellText(v.result);
    if (v.error !== undefined) return '';
    if (v.text !== undefined) return cellText(v.text);
  }
  return String(value);
}

/**
 * Stream the rows of one worksheet (the first, or the one named `sheet`) through exceljs's
 * streaming `WorkbookReader`: rows are read as the archive is inflated, never the whole
 * workbook at once. Shared strings are cached (they come before the sheets in files Excel
 * writes). Fails with the sheet names when `sheet` is not there.
 */
export async function* readXlsxRows(source: TextSource, sheet?: string): AsyncIterable<SheetRow> {
  const input = Readable.from(
    (async function* () {
      for await (const chunk of chunksOf(source)) {
        if (typeof chunk === 'string') throw new TypeError('an XLSX file must be given as bytes, not text');
        yield chunk;
      }
    })(),
  );
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const seen: string[] = [];
  let found = false;
  for await (const worksheet of reader) {
    const name = (worksheet as unknown as { name: string }).name;
    seen.push(name);
    const wanted = !found && (sheet === undefined || name.trim().toLowerCase() === sheet.trim().toLowerCase());
    for await (const row of worksheet as unknown as AsyncIterable<{ number: number; values: unknown[] }>) {
      if (!wanted) continue;
      // `values` is 1-based and sparse.
      const values = row.values;
      const cells: string[] = new Array(Math.max(0, values.length - 1));
      for (let i = 1; i < values.length; i++) cells[i - 1] = cellText(values[i]);
      yield { cells, line: row.number };
    }
    if (wanted) found = true;
  }
  if (!found) throw new SheetNotFound(sheet, seen);
}

/** The named sheet is not in the workbook (or the workbook has no sheet). */
export class SheetNotFound extends Error {
  constructor(
    readonly sheet: string | undefined,
    readonly sheets: readonly string[],
  ) {
    super(
      sheet === undefined
        ? 'the workbook has no worksheet'
        : `no sheet "${sheet}" in the workbook (sheets: ${sheets.map((s) => JSON.stringify(s)).join(', ') || 'none'})`,
    );
  }
}
