/** What {@link CsvRecordReader} found wrong with a quote. */
export interface UnclosedQuote {
  /** Physical line (1-based) of the record whose quote did not close where it should. */
  readonly line: number;
  /** Lines after `line` the quote took into one cell (to the end of the file, or to a stray quote). */
  readonly swallowed: number;
  /** `end-of-file`: never closed; `limit`: still open after `maxQuotedLines`; `stray-quote`: closed by another row's quote. */
  readonly kind: 'end-of-file' | 'limit' | 'stray-quote';
  /** The cells of the opening line, read as if the quote were closed at its end (for the report). */
  readonly cells: string[];
}

/** Options of {@link CsvRecordReader}. */
export interface CsvRecordReaderOptions {
  readonly delimiter: string;
  /**
   * Lines a quoted cell may span (addresses in quotes span a few); past this, its quote is taken
   * as unclosed and the reader recovers at the next line. Bounds the text held. Default 100.
   */
  readonly maxQuotedLines?: number;
  /** A record: its cells, its first and last physical line (1-based). */
  readonly onRecord: (cells: string[], firstLine: number, lastLine: number) => void;
  readonly onUnclosedQuote: (problem: UnclosedQuote) => void;
}

const INCOMPLETE = -1;
const UNCLOSED_EOF = -2;
const UNCLOSED_LIMIT = -3;
/** Lines past a multi-line record read to tell a real multi-line cell from a quote left open. */
const LOOKAHEAD_LINES = 4;

/**
 * An RFC 4180 record reader that recovers from a broken quote. csv-parse, given
 * `1,"x⏎2,3⏎4,5`, takes every later line into the open cell and reports "Quote Not Closed"
 * at the last line of the file; here a record whose quote never closes (or closes only on a
 * later row, leaving it with a stray quote or the wrong number of cells) is reported at the
 * line where it opened with the number of lines it took, and reading resumes at the next line.
 * A quote left open whose pairing leaves every cell count right is told from a real multi-line
 * cell by the rows after it (`#openQuoteReadsCleaner`).
 *
 * Lenient where spreadsheets are: a quote inside an unquoted cell is a character
 * (`5" screen`), text after a closing quote joins the cell (`"ab"c` is `abc`, as Excel reads
 * it), `\r\n` and `\n` both end a line, blank lines are counted and skipped.
 */
export class CsvRecordReader {
  readonly #delimiter: string;
  readonly #maxQuotedLines: number;
  readonly #onRecord: CsvRecordReaderOptions['onRecord'];
  readonly #onUnclosed: CsvRecordReaderOptions['onUnclosedQuote'];
  #buffer = '';
  /** Physical line number of `#buffer[0]`. */
  #line = 1;
  /** Where the next `"` is in `#buffer` (-1: none; re-searched once passed). */
  #nextQuote = -2;
  /** Cells a record should have (the header's count), once known: a multi-line record with another count broke a quote. */
  width: number | undefined;

  constructor(options: CsvRecordReaderOptions) {
    if (options.delimiter.length !== 1 || options.delimiter === '"' || options.delimiter === '\n' || options.delimiter === '\r') {
      throw new RangeError(`delimiter: expected one character other than a quote or line break, got ${JSON.stringify(options.delimiter)}`);
    }
    this.#delimiter = options.delimiter;
    this.#maxQuotedLines = options.maxQuotedLines ?? 100;
    this.#onRecord = options.onRecord;
    this.#onUnclosed = options.onUnclosedQuote;
  }

  /** Read more text; complete records are handed out, the rest waits for the next chunk. */
  push(text: string): void {
    this.#buffer = this.#buffer.length === 0 ? text : this.#buffer + text;
    this.#nextQuote = -2;
    this.#read(false);
  }

  /** The end of the file: the last record, and any quote still open. */
  end(): void {
    this.#read(true);
    this.#buffer = '';
  }

  #read(final: boolean): void {
    const buffer = this.#buffer;
    const delimiter = this.#delimiter;
    let pos = 0;
    while (pos < buffer.length) {
      const newline = buffer.indexOf('\n', pos);
      if (newline < 0 && !final) break;
      const lineEnd = newline < 0 ? buffer.length : newline;
      if (this.#nextQuote === -2 || (this.#nextQuote >= 0 && this.#nextQuote < pos)) this.#nextQuote = buffer.indexOf('"', pos);
      if (this.#nextQuote < 0 || this.#nextQuote > lineEnd) {
        // No quote on this line: the common case.
        const end = lineEnd > pos && buffer.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
        if (end > pos) this.#onRecord(buffer.slice(pos, end).split(delimiter), this.#line, this.#line);
        this.#line++;
        pos = lineEnd + 1;
        continue;
      }
      const cells: string[] = [];
      const next = this.#quotedRecord(buffer, pos, final, cells);
      if (next === INCOMPLETE) break;
      if (next === UNCLOSED_EOF || next === UNCLOSED_LIMIT) {
        this.#unclosed(buffer, pos, lineEnd, next === UNCLOSED_EOF ? 'end-of-file' : 'limit', final);
        this.#line++;
        pos = lineEnd + 1;
        continue;
      }
      const recordEnd = next > buffer.length ? buffer.length : next - 1;
      const spanned = countNewlines(buffer, lineEnd, recordEnd);
      let misquoted = spanned > 0 && (this.#strayQuote || (this.width !== undefined && !fits(cells, this.width)));
      if (spanned > 0 && !misquoted) {
        // A well-formed record over several lines: a quoted cell with line breaks, or a quote
        // left open that paired with a later row's. Read on both ways and keep the cleaner.
        const verdict = this.#openQuoteReadsCleaner(buffer, lineEnd, next, final);
        if (verdict === INCOMPLETE) break;
        misquoted = verdict;
      }
      if (misquoted) {
        this.#onUnclosed({ line: this.#line, swallowed: spanned, kind: 'stray-quote', cells: this.#openingCells(buffer, pos, lineEnd) });
        this.#line++;
        pos = lineEnd + 1;
        continue;
      }
      this.#onRecord(cells, this.#line, this.#line + spanned);
      this.#line += spanned + 1;
      pos = next;
    }
    this.#buffer = pos >= buffer.length ? '' : buffer.slice(pos);
    this.#nextQuote = -2;
  }

  /** Text after a closing quote in a record that spans lines: the quote paired with another row's. */
  #strayQuote = false;
  /** A quote inside an unquoted cell in the last record read (`5" screen`, or a quote paired wrongly). */
  #bareQuote = false;
  /**
   * A cell of the last record read that spans lines and closes right after a delimiter — the
   * shape of a quote that paired with the opening quote of a cell on a later row.
   */
  #lateQuote = false;

  /**
   * Whether a well-formed record over several lines (its first line ends at
   * `lineEnd`) to `next`, is better read as a quote left open on its first line — or
   * INCOMPLETE until enough of the file is here to tell.
   *
   * A quote left open pairs with the next quote, a later row's opening one, and every quote after
   * it is read the other way round until one more stray quote: that reading shows stray quotes,
   * text after a closing quote, wrong cell counts, quotes that never close, or multi-line cells
   * that close right after a delimiter. A real quoted cell with line breaks reads cleanly; read
   * from its second line on, its closing quote is the stray one. So the text is read both ways
   * to {@link LOOKAHEAD_LINES} lines past the record: the cheapest reading, counting one for each
   * of those signs and one for each quote taken as left open (a shortest path over line starts,
   * where a multi-line record may also be read as a broken first line), decides. A tie keeps the
   * RFC 4180 reading, so a record whose reading is clean from there on always stands.
   */
  #openQuoteReadsCleaner(buffer: string, lineEnd: number, next: number, final: boolean): boolean | typeof INCOMPLETE {
    let horizon = Math.min(next, buffer.length);
    for (let k = 0; k < LOOKAHEAD_LINES; k++) {
      if (horizon >= buffer.length) {
        if (final) break;
        return INCOMPLETE;
      }
      const newline = buffer.indexOf('\n', horizon);
      if (newline < 0) {
        if (!final) return INCOMPLETE;
        horizon = buffer.length;
        break;
      }
      horizon = newline + 1;
    }
    // The cheapest way found to each line start before the horizon, and its first step (true: the record as read).
    const best = new Map<number, { cost: number; asRead: boolean }>();
    let crossing: { cost: number; asRead: boolean } | undefined;
    const reach = (at: number, cost: number, asRead: boolean) => {
      const known = at >= horizon ? crossing : best.get(at);
      if (known && (known.cost < cost || (known.cost === cost && (known.asRead || !asRead)))) return;
      if (at >= horizon) crossing = { cost, asRead };
      else best.set(at, { cost, asRead });
    };
    const own = this.#misquotedSigns(undefined);
    reach(Math.min(next, buffer.length), own, true);
    reach(lineEnd + 1, 1, false);
    for (;;) {
      let at = Number.POSITIVE_INFINITY;
      for (const key of best.keys()) if (key < at) at = key;
      if (at === Number.POSITIVE_INFINITY) break;
      const from = best.get(at) as { cost: number; asRead: boolean };
      best.delete(at);
      const steps = this.#readingsAt(buffer, at, final);
      if (steps === INCOMPLETE) return INCOMPLETE;
      for (const step of steps) reach(step.to, from.cost + step.cost, from.asRead);
    }
    return crossing !== undefined && !crossing.asRead;
  }

  /** The ways to read on from the line start `at`: where each ends and how many signs of a misquote it shows. */
  #readingsAt(buffer: string, at: number, final: boolean): { to: number; cost: number }[] | typeof INCOMPLETE {
    const newline = buffer.indexOf('\n', at);
    if (newline < 0 && !final) return INCOMPLETE;
    const lineEnd = newline < 0 ? buffer.length : newline;
    const afterLine = Math.min(lineEnd + 1, buffer.length);
    const quote = buffer.indexOf('"', at);
    if (quote < 0 || quote > lineEnd) {
      const text = trimCr(buffer, at, lineEnd);
      return [{ to: afterLine, cost: text.length > 0 && this.#wrongWidth(text.split(this.#delimiter)) ? 1 : 0 }];
    }
    const cells: string[] = [];
    const next = this.#quotedRecord(buffer, at, final, cells);
    if (next === INCOMPLETE) return INCOMPLETE;
    if (next === UNCLOSED_EOF || next === UNCLOSED_LIMIT) return [{ to: afterLine, cost: 1 }];
    const asRead = { to: Math.min(next, buffer.length), cost: this.#misquotedSigns(cells) };
    return asRead.to > afterLine ? [asRead, { to: afterLine, cost: 1 }] : [asRead];
  }

  /** Signs of a misquote in the record just read by {@link #quotedRecord}; `cells` to count a wrong width too. */
  #misquotedSigns(cells: string[] | undefined): number {
    return (this.#strayQuote ? 1 : 0) + (this.#bareQuote ? 1 : 0) + (this.#lateQuote ? 1 : 0) + (cells && this.#wrongWidth(cells) ? 1 : 0);
  }

  #wrongWidth(cells: string[]): boolean {
    return this.width !== undefined && !fits(cells, this.width);
  }

  /**
   * Read one record that has a quote from `start`; fills `cells` and returns the index after
   * its line break, or a negative code.
   */
  #quotedRecord(buffer: string, start: number, final: boolean, cells: string[]): number {
    const delimiter = this.#delimiter;
    this.#strayQuote = false;
    this.#bareQuote = false;
    this.#lateQuote = false;
    this.#newlineAt = -2;
    let i = start;
    for (;;) {
      let value: string;
      let stop: number;
      if (buffer.charCodeAt(i) === 34 /* " */) {
        value = '';
        let from = i + 1;
        for (;;) {
          const quote = buffer.indexOf('"', from);
          const limitAt = quote < 0 ? buffer.length : quote;
          if (
            countNewlines(buffer, from, limitAt, this.#maxQuotedLines + 1) + countNewlines(buffer, start, from, this.#maxQuotedLines + 1) >
            this.#maxQuotedLines
          )
            return UNCLOSED_LIMIT;
          if (quote < 0) return final ? UNCLOSED_EOF : INCOMPLETE;
          if (quote + 1 >= buffer.length && !final) return INCOMPLETE;
          if (buffer.charCodeAt(quote + 1) === 34) {
            value += buffer.slice(from, quote + 1);
            from = quote + 2;
            continue;
          }
          value += buffer.slice(from, quote);
          if (buffer.charCodeAt(quote - 1) === delimiter.charCodeAt(0) && value.includes('\n')) this.#lateQuote = true;
          from = quote + 1;
          break;
        }
        stop = this.#fieldEnd(buffer, from, delimiter);
        if (stop < 0 && !final) return INCOMPLETE;
        if (stop < 0) stop = buffer.length;
        if (stop > from) {
          const tail = trimCr(buffer, from, stop);
          if (tail.length > 0) {
            value += tail;
            this.#strayQuote = true;
          }
        }
      } else {
        stop = this.#fieldEnd(buffer, i, delimiter);
        if (stop < 0 && !final) return INCOMPLETE;
        if (stop < 0) stop = buffer.length;
        value = trimCr(buffer, i, stop);
        if (value.includes('"')) this.#bareQuote = true;
      }
      cells.push(value);
      if (stop < buffer.length && buffer.charCodeAt(stop) !== 10) {
        i = stop + 1;
        continue;
      }
      return stop + 1;
    }
  }

  /** The next line break at or after the last `#fieldEnd` position (-2: not searched yet; -1: none). */
  #newlineAt = -2;

  /**
   * The index of the delimiter or line break that ends a cell starting at `from`; -1 when
   * neither comes. The line break is searched once per line, not once per cell.
   */
  #fieldEnd(buffer: string, from: number, delimiter: string): number {
    if (this.#newlineAt === -2 || (this.#newlineAt >= 0 && this.#newlineAt < from)) this.#newlineAt = buffer.indexOf('\n', from);
    const n = this.#newlineAt;
    const d = buffer.indexOf(delimiter, from);
    if (d < 0) return n;
    if (n < 0) return d;
    return Math.min(d, n);
  }

  /** Report an unclosed quote opened on the line `[start, lineEnd)`. */
  #unclosed(buffer: string, start: number, lineEnd: number, kind: 'end-of-file' | 'limit', final: boolean): void {
    let swallowed = this.#maxQuotedLines;
    if (kind === 'end-of-file') {
      // The lines after the opening one, the last one counted even without a final line break.
      swallowed = lineEnd >= buffer.length ? 0 : countNewlines(buffer, lineEnd + 1, buffer.length);
      if (final && lineEnd + 1 < buffer.length && !buffer.endsWith('\n')) swallowed++;
    }
    this.#onUnclosed({ line: this.#line, swallowed, kind, cells: this.#openingCells(buffer, start, lineEnd) });
  }

  /** The opening line's cells, its quotes taken as characters. */
  #openingCells(buffer: string, start: number, lineEnd: number): string[] {
    return trimCr(buffer, start, lineEnd).split(this.#delimiter);
  }
}

/** `buffer[from, to)` without a `\r` before a line break. */
function trimCr(buffer: string, from: number, to: number): string {
  return to > from && buffer.charCodeAt(to - 1) === 13 ? buffer.slice(from, to - 1) : buffer.slice(from, to);
}

/** Line breaks in `buffer[from, to)`, counting at most `cap`. */
function countNewlines(buffer: string, from: number, to: number, cap = Number.POSITIVE_INFINITY): number {
  let n = 0;
  for (let i = buffer.indexOf('\n', from); i >= 0 && i < to && n < cap; i = buffer.indexOf('\n', i + 1)) n++;
  return n;
}

/** The record has the header's cells, or more that are all empty (a trailing delimiter). */
export function fits(cells: readonly string[], width: number): boolean {
  if (cells.length === width) return true;
  if (cells.length < width) return false;
  for (let i = width; i < cells.length; i++) if ((cells[i] as string).trim() !== '') return false;
  return true;
}
