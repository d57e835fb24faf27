import { CsvRecordReader, type UnclosedQuote } from './csv-records';
import { detectDelimiter } from './delimiter-detection';
import { type DetectedEncoding, decodeText, type ListEncoding } from './text-decoding';
import { type TextSource, withFirstChunk } from './text-source';
import { looksLikeXlsx, readXlsxRows } from './xlsx-rows';

/** A record of a list file: its cells and the physical line (CSV) or sheet row (XLSX) it ends on; or a broken quote. */
export type ListItem = { readonly cells: string[]; readonly line: number } | { readonly unclosed: UnclosedQuote };

/** How a list file was read, as the import report gives it. */
export interface ListFormat {
  readonly format: 'csv' | 'xlsx';
  /** CSV: the encoding found (or given). */
  readonly encoding?: DetectedEncoding;
  /** CSV: the delimiter found (or given). */
  readonly delimiter?: string;
  /** XLSX: the sheet read (`undefined`: the first). */
  readonly sheet?: string;
}

/** Options of {@link listItems}. */
export interface ListReadOptions {
  /** Default: XLSX when the bytes are a zip archive, else CSV. */
  readonly format?: 'csv' | 'xlsx';
  /** CSV: `,` `;` tab or `|`; default detected from the first lines. */
  readonly delimiter?: string;
  /** CSV: default detected (BOM, UTF-16 pattern, valid UTF-8, else Windows-1252). */
  readonly encoding?: ListEncoding;
  /** XLSX: the sheet by name (case-insensitive); default the first. */
  readonly sheet?: string;
  /** The file has a header row: its cell count is the width a multi-line CSV record must keep. */
  readonly header: boolean;
  /** Without a header: the width records have. */
  readonly width?: number;
}

/** Text is read in pieces of this many characters, so one big chunk never becomes one big batch (64 k characters parse in a few milliseconds). */
const PIECE = 64 * 1024;
/** Sheet rows per batch. */
const SHEET_BATCH = 2_000;
/** Characters sampled to detect the delimiter. */
const DELIMITER_SAMPLE = 16 * 1024;

/**
 * The records of a list file, in batches (a few thousand at most: the importer yields to the
 * event loop between batches), and — once the first batch is out — how the file was read.
 */
export function listItems(source: TextSource, options: ListReadOptions): { format: () => ListFormat; batches: AsyncIterable<ListItem[]> } {
  let format: ListFormat = { format: options.format ?? 'csv' };
  async function* batches(): AsyncIterable<ListItem[]> {
    const { first, source: whole } = await withFirstChunk(source);
    const xlsx = options.format === 'xlsx' || (options.format === undefined && first instanceof Uint8Array && looksLikeXlsx(first));
    if (xlsx) {
      format = { format: 'xlsx', ...(options.sheet === undefined ? {} : { sheet: options.sheet }) };
      let batch: ListItem[] = [];
      // A sheet row ends at its last non-empty cell: pad it to the header's width.
      let width = options.header ? undefined : options.width;
      for await (const row of readXlsxRows(whole, options.sheet)) {
        if (width === undefined) {
          if (row.cells.some((c) => c.trim() !== '')) width = row.cells.length;
        } else while (row.cells.length < width) row.cells.push('');
        batch.push(row);
        if (batch.length === SHEET_BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
      return;
    }
    const decoded = decodeText(whole, options.encoding);
    let out: ListItem[] = [];
    let reader: CsvRecordReader | undefined;
    let headerSeen = !options.header;
    let sample = '';
    const start = (text: string) => {
      const delimiter = options.delimiter ?? detectDelimiter(text);
      format = { format: 'csv', delimiter, ...(decoded.detected() ? { encoding: decoded.detected() as DetectedEncoding } : {}) };
      const created = new CsvRecordReader({
        delimiter,
        onRecord: (cells, _first, last) => {
          if (!headerSeen && !(cells.length === 1 && (cells[0] as string).trim() === '')) {
            headerSeen = true;
            created.width = cells.length;
          }
          out.push({ cells, line: last });
        },
        onUnclosedQuote: (unclosed) => out.push({ unclosed }),
      });
      if (options.width !== undefined) created.width = options.width;
      return created;
    };
    for await (const text of decoded.chunks) {
      if (!reader) {
        sample += text;
        if (sample.length < DELIMITER_SAMPLE) continue;
        reader = start(sample);
        const all = sample;
        sample = '';
        yield* feed(reader, all);
        continue;
      }
      yield* feed(reader, text);
    }
    if (!reader) {
      if (sample.length === 0) return;
      reader = start(sample);
      yield* feed(reader, sample);
    }
    reader.end();
    if (out.length > 0) yield out;
    format = { ...format, ...(decoded.detected() ? { encoding: decoded.detected() as DetectedEncoding } : {}) };

    function* feed(into: CsvRecordReader, text: string): Iterable<ListItem[]> {
      for (let at = 0; at < text.length; at += PIECE) {
        into.push(text.length <= PIECE ? text : text.slice(at, at + PIECE));
        if (out.length > 0) {
          yield out;
          out = [];
        }
      }
    }
  }
  return { format: () => format, batches: batches() };
}
