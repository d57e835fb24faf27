import iconv from 'iconv-lite';
import { chunksOf, type TextSource } from './text-source';

/** A text encoding the importer reads. */
export type ListEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** How a list's bytes were read, as the import report gives it. */
export interface DetectedEncoding {
  readonly encoding: ListEncoding;
  /** A byte-order mark was present (and dropped). */
  readonly bom: boolean;
  /**
   * Set when a file read as UTF-8 turned out not to be (bytes that are not UTF-8 after the
   * sample): the byte offset from which it was read as Windows-1252 instead.
   */
  readonly fallbackAt?: number;
}

/** How many bytes are looked at to choose an encoding. */
const SAMPLE_BYTES = 64 * 1024;

/**
 * Choose the encoding of a file from its first bytes: a byte-order mark wins; else UTF-16
 * without a mark shows as zero bytes in every other position (ASCII text in UTF-16); else
 * valid UTF-8 is UTF-8 (plain ASCII included); else Windows-1252, the superset of Latin-1
 * that Excel and most Western CRMs write.
 */
export function detectEncoding(head: Uint8Array, final: boolean): DetectedEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: true };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: true };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: true };
  const pairs = Math.min(head.length >> 1, 512);
  if (pairs >= 2) {
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < pairs; i++) {
      if (head[2 * i] === 0) evenZero++;
      if (head[2 * i + 1] === 0) oddZero++;
    }
    // Text in a Latin script: nearly every code unit's high byte is zero.
    if (oddZero >= pairs * 0.6 && evenZero <= pairs * 0.1) return { encoding: 'utf-16le', bom: false };
    if (evenZero >= pairs * 0.6 && oddZero <= pairs * 0.1) return { encoding: 'utf-16be', bom: false };
  }
  return { encoding: isUtf8(head, final) ? 'utf-8' : 'windows-1252', bom: false };
}

/** Valid UTF-8, allowing a sequence cut at the end of a sample that is not the whole file. */
function isUtf8(bytes: Uint8Array, final: boolean, midStream = false): boolean {
  let i = 0;
  // A chunk may begin inside a sequence the previous chunk started.
  if (midStream) while (i < 3 && ((bytes[i] as number) & 0xc0) === 0x80) i++;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return false;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return !final;
      const c = bytes[i + k] as number;
      if ((c & 0xc0) !== 0x80) return false;
    }
    i += need + 1;
  }
  return true;
}

/** The decoded text of a source, chunk by chunk, and what it was decoded as. */
export interface DecodedText {
  /** Known once the first chunk has been read. */
  readonly detected: () => DetectedEncoding | undefined;
  readonly chunks: AsyncIterable<string>;
}

/**
 * Decode a source whose encoding is unknown (or given): string chunks pass through; bytes are
 * sampled (the first 64 kB) to choose the encoding, then decoded as a stream. A UTF-8 file
 * with a stray Latin-1 byte further on is read as Windows-1252 from that chunk on and says so
 * (`fallbackAt`), instead of turning letters into replacement characters.
 */
export function decodeText(source: TextSource, encoding?: ListEncoding): DecodedText {
  let detected: DetectedEncoding | undefined;
  async function* chunks(): AsyncIterable<string> {
    const input = chunksOf(source)[Symbol.asyncIterator]();
    const held: Uint8Array[] = [];
    let heldBytes = 0;
    let done = false;
    // Gather the sample (strings are already text: no decoding to choose).
    while (heldBytes < SAMPLE_BYTES) {
      const next = await input.next();
      if (next.done) {
        done = true;
        break;
      }
      if (typeof next.value === 'string') {
        if (held.length > 0) throw new TypeError('a source mixes string and byte chunks');
        detected = { encoding: 'utf-8', bom: next.value.charCodeAt(0) === 0xfeff };
        yield detected.bom ? next.value.slice(1) : next.value;
        for (let rest = await input.next(); !rest.done; rest = await input.next()) {
          if (typeof rest.value !== 'string') throw new TypeError('a source mixes string and byte chunks');
          yield rest.value;
        }
        return;
      }
      held.push(next.value);
      heldBytes += next.value.length;
    }
    const head = held.length === 1 ? (held[0] as Uint8Array) : concat(held, heldBytes);
    const found = detectEncoding(head.subarray(0, SAMPLE_BYTES), done && head.length <= SAMPLE_BYTES);
    detected = encoding === undefined ? found : { encoding, bom: found.bom && found.encoding === encoding };
    let current = detected.encoding;
    let decoder = iconv.getDecoder(current === 'utf-8' ? 'utf8' : current);
    let offset = 0;
    const decode = (bytes: Uint8Array): string => {
      if (current === 'utf-8' && encoding === undefined && !isUtf8(bytes, false, offset > 0)) {
        // Not UTF-8 after all (the sample was ASCII): the rest is read as Windows-1252.
        const flushed = decoder.end() ?? '';
        current = 'windows-1252';
        detected = { ...(detected as DetectedEncoding), fallbackAt: offset };
        decoder = iconv.getDecoder(current);
        offset += bytes.length;
        return flushed + decodeWindows1252(bytes);
      }
      offset += bytes.length;
      // Windows-1252 is one byte a character: no state across chunks, and a fast path.
      if (current === 'windows-1252') return decodeWindows1252(bytes);
      return decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    };
    let text = decode(head);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length > 0) yield text;
    if (!done) {
      for (let next = await input.next(); !next.done; next = await input.next()) {
        if (typeof next.value === 'string') throw new TypeError('a source mixes string and byte chunks');
        const part = decode(next.value);
        if (part.length > 0) yield part;
      }
    }
    const tail = decoder.end();
    if (tail) yield tail;
  }
  return { detected: () => detected, chunks: chunks() };
}

/** Windows-1252's characters for bytes 0x80–0x9F (iconv-lite's table), the only bytes where it differs from Latin-1. */
const C1 = iconv.decode(Buffer.from(Array.from({ length: 32 }, (_, i) => 0x80 + i)), 'windows-1252');
const C1_BYTES = /[\x80-\x9f]/;
const C1_ALL = /[\x80-\x9f]/g;

/**
 * Windows-1252 bytes as text, the same as iconv-lite's decoder: Node's Latin-1 decoding (a
 * one-byte string, half the memory of the two-byte string iconv-lite builds, and several
 * times faster), then the 32 characters where Windows-1252 differs, only when present.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  return C1_BYTES.test(text) ? text.replace(C1_ALL, (c) => C1[c.charCodeAt(0) - 0x80] as string) : text;
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
