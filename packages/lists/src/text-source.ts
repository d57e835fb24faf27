/**
 * Text input for importers and registry loaders: a string, bytes, or any (async) iterable of
 * string or byte chunks — a Node stream, a web `ReadableStream`, a file read in chunks. The
 * packages never open files themselves (no I/O in pure packages).
 */
export type TextSource = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/** The chunks of a source, as an async iterable. */
export async function* chunksOf(source: TextSource): AsyncIterable<string | Uint8Array> {
  if (typeof source === 'string' || source instanceof Uint8Array) {
    yield source;
    return;
  }
  yield* source as AsyncIterable<string | Uint8Array>;
}

const decoder = new TextDecoder();

/**
 * Call `visit(line, lineNumber)` for every line (1-based, `\n` or `\r\n`, BOM dropped).
 * For change lists and other small files; see `forEachDigitLine` for the big ones.
 */
export async function forEachLine(source: TextSource, visit: (line: string, lineNumber: number) => void): Promise<number> {
  let carry = '';
  let lineNumber = 0;
  let first = true;
  const utf8 = new TextDecoder();
  for await (const chunk of chunksOf(source)) {
    let text = typeof chunk === 'string' ? chunk : utf8.decode(chunk, { stream: true });
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    text = carry + text;
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      visit(text.slice(start, end), ++lineNumber);
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  carry += decoder.decode();
  if (carry.length > 0) visit(carry.endsWith('\r') ? carry.slice(0, -1) : carry, ++lineNumber);
  return lineNumber;
}

/** What `forEachDigitLine` saw on one line. */
export interface DigitLine {
  /** The digits read as an integer (exact up to 15 digits). */
  value: number;
  /** How many digits the line had. */
  digits: number;
  /** The first digit (to tell a national `0…` from an international number). */
  firstDigit: number;
  /** A character other than digits, spaces, `+`, `-`, `(`, `)`, `.` was present. */
  other: boolean;
  lineNumber: number;
}

/**
 * Read a number file byte by byte without building strings: for each non-blank line, the
 * digits as one integer. 250 million lines go through in seconds.
 */
export async function forEachDigitLine(source: TextSource, visit: (line: DigitLine) => void): Promise<number> {
  const line: DigitLine = { value: 0, digits: 0, firstDigit: -1, other: false, lineNumber: 0 };
  let physical = 0;
  let blank = true;
  const encoder = new TextEncoder();
  const flush = () => {
    physical++;
    if (!blank) {
      line.lineNumber = physical;
      visit(line);
    }
    line.value = 0;
    line.digits = 0;
    line.firstDigit = -1;
    line.other = false;
    blank = true;
  };
  for await (const chunk of chunksOf(source)) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i] as number;
      if (c >= 48 && c <= 57) {
        if (line.digits === 0) line.firstDigit = c - 48;
        line.value = line.value * 10 + (c - 48);
        line.digits++;
        blank = false;
      } else if (c === 10) flush();
      else if (c === 13 || c === 32 || c === 9 || c === 43 || c === 45 || c === 40 || c === 41 || c === 46) {
        // separators
      } else if (c === 0xef || c === 0xbb || c === 0xbf) {
        // a UTF-8 byte-order mark
        if (physical > 0 || line.digits > 0) {
          line.other = true;
          blank = false;
        }
      } else {
        line.other = true;
        blank = false;
      }
    }
  }
  if (!blank) flush();
  return physical;
}

/**
 * The first chunk of a source and the source again, whole (the first chunk replayed): to look
 * at the first bytes (is it an XLSX archive?) without reading the source twice.
 */
export async function withFirstChunk(
  source: TextSource,
): Promise<{ first: string | Uint8Array | undefined; source: AsyncIterable<string | Uint8Array> }> {
  const iterator = chunksOf(source)[Symbol.asyncIterator]();
  const head = await iterator.next();
  const first = head.done ? undefined : head.value;
  async function* replay(): AsyncIterable<string | Uint8Array> {
    if (first === undefined) return;
    yield first;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { first, source: replay() };
}
