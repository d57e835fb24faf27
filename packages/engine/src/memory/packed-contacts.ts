import type { Contact } from '@paceline/core';

/**
 * The embedded store's fresh contacts, packed: a contact added and not touched since
 * (`ready`, never claimed or updated) is kept as its JSON text inside one string per added
 * batch (a slab), not as a graph of objects. A half-million-contact upload is then a few
 * thousand strings, which the garbage collector neither traces nor copies object by object
 * (measured: ~6 objects and ~530 bytes a contact as frozen objects; packed, the row text plus
 * the id and phone keys of the store's indexes). A row is decoded (`JSON.parse`, deep-frozen)
 * when it is read: claimed by the hopper, fetched, listed or updated; from then on the store
 * keeps that contact as an object again.
 *
 * Rows are numbered by the store's insertion sequence (`seq`), so the hopper's fresh band is,
 * per contact priority, the packed rows in `seq` order: one queue of sequence numbers per
 * priority, no heap entry per contact.
 */
export class PackedContacts {
  /** Slabs in `firstSeq` order; their rows cover consecutive sequence numbers. */
  readonly #slabs: Slab[] = [];
  /** Per sequence number: 1 while the row is packed and untouched (indexed from `#base`). */
  #live = new Uint8Array(1024);
  #base = -1;
  /** Fresh packed rows per contact priority, in `seq` order (heads advance past dead rows). */
  readonly #queues = new Map<number, FreshQueue>();
  #packedCount = 0;

  /** Rows packed and not yet taken out. */
  get size(): number {
    return this.#packedCount;
  }

  /**
   * Start a slab for a batch whose first row will be `firstSeq`; rows must be added in
   * consecutive `seq` order, each either packed ({@link SlabBuilder.pack}) or skipped.
   */
  builder(firstSeq: number): SlabBuilder {
    return new SlabBuilder(this, firstSeq);
  }

  /** Called by {@link SlabBuilder.close}; `packed` is flat: `[seq, priority, seq, priority, …]`. */
  addSlab(slab: Slab, packed: readonly number[]): void {
    if (slab.ends.length === 0) return;
    const last = this.#slabs.at(-1);
    if (last !== undefined && slab.firstSeq < last.firstSeq + last.ends.length)
      throw new Error('packed rows must be added in sequence order');
    this.#slabs.push(slab);
    if (this.#base < 0) this.#base = slab.firstSeq;
    this.#ensure(slab.firstSeq + slab.ends.length - this.#base);
    for (let k = 0; k < packed.length; k += 2) {
      const seq = packed[k] as number;
      const priority = packed[k + 1] as number;
      this.#live[seq - this.#base] = 1;
      let queue = this.#queues.get(priority);
      if (queue === undefined) {
        queue = { priority, seqs: [], head: 0 };
        this.#queues.set(priority, queue);
      }
      queue.seqs.push(seq);
      this.#packedCount++;
    }
  }

  /** True while row `seq` is packed and untouched. */
  isLive(seq: number): boolean {
    const at = seq - this.#base;
    return this.#base >= 0 && at >= 0 && at < this.#live.length && this.#live[at] === 1;
  }

  /** The row's contact, decoded and deep-frozen (a new object per call). */
  decode(seq: number): Contact {
    const slab = this.#slabOf(seq);
    const row = seq - slab.firstSeq;
    const start = row === 0 ? 0 : (slab.ends[row - 1] as number);
    return deepFreeze(JSON.parse(unpackText(slab.text.slice(start, slab.ends[row]))) as Contact);
  }

  /** Row `seq` leaves the packed form (the store now keeps it as an object); its text stays in the slab. */
  take(seq: number): void {
    if (!this.isLive(seq)) return;
    this.#live[seq - this.#base] = 0;
    this.#packedCount--;
  }

  /** The first fresh packed row in hopper order (highest priority, then lowest `seq`), or `undefined`. */
  head(): { readonly seq: number; readonly priority: number } | undefined {
    let best: FreshQueue | undefined;
    for (const queue of this.#queues.values()) {
      while (queue.head < queue.seqs.length && !this.isLive(queue.seqs[queue.head] as number)) queue.head++;
      if (queue.head > 4_096 && queue.head * 2 > queue.seqs.length) {
        queue.seqs = queue.seqs.slice(queue.head);
        queue.head = 0;
      }
      if (queue.head < queue.seqs.length && (best === undefined || queue.priority > best.priority)) best = queue;
    }
    return best === undefined ? undefined : { seq: best.seqs[best.head] as number, priority: best.priority };
  }

  #slabOf(seq: number): Slab {
    let lo = 0;
    let hi = this.#slabs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.#slabs[mid] as Slab).firstSeq <= seq) lo = mid;
      else hi = mid - 1;
    }
    const slab = this.#slabs[lo];
    if (slab === undefined || seq < slab.firstSeq || seq >= slab.firstSeq + slab.ends.length) throw new Error(`no packed row ${seq}`);
    return slab;
  }

  #ensure(length: number): void {
    if (length <= this.#live.length) return;
    const grown = new Uint8Array(Math.max(length, this.#live.length * 2));
    grown.set(this.#live);
    this.#live = grown;
  }
}

/** One batch's rows: their JSON texts end to end, and where each row's text ends. */
interface Slab {
  readonly firstSeq: number;
  readonly text: string;
  readonly ends: Int32Array;
}

interface FreshQueue {
  readonly priority: number;
  seqs: number[];
  head: number;
}

/** Collects one batch's rows into a slab. */
export class SlabBuilder {
  readonly #writer = PackWriter.take();
  readonly #ends: number[] = [];
  /** Sequence number and priority of each packed row, flat (`[seq, priority, seq, priority, …]`). */
  readonly #packed: number[] = [];

  constructor(
    readonly owner: PackedContacts,
    readonly firstSeq: number,
  ) {}

  /**
   * Pack `contact` as row `seq` (the next in sequence); false (and an empty row) when it
   * cannot be packed exactly — a value JSON would not give back as it was — so the caller
   * keeps it as an object.
   */
  pack(seq: number, contact: Contact): boolean {
    this.#expect(seq);
    if (!jsonExact(contact)) {
      this.#ends.push(this.#writer.length);
      return false;
    }
    this.#writer.write(JSON.stringify(contact));
    this.#ends.push(this.#writer.length);
    this.#packed.push(seq, contact.priority);
    return true;
  }

  /** Hand the slab to the store's packed rows. */
  close(): void {
    const text = this.#writer.text();
    PackWriter.give(this.#writer);
    this.owner.addSlab({ firstSeq: this.firstSeq, text, ends: Int32Array.from(this.#ends) }, this.#packed);
  }

  #expect(seq: number): void {
    if (seq !== this.firstSeq + this.#ends.length) throw new Error(`packed row ${seq} out of sequence`);
  }
}

/**
 * A slab's packed text as it is built: the character codes of its rows in one reused buffer,
 * made into a string once, when the slab closes. Packing a row then leaves no garbage but its
 * JSON (a `replace` with a callback per token left ~1 KB a contact: the match strings and the
 * pieces of the result).
 */
class PackWriter {
  static #free: PackWriter | undefined;
  #codes = new Uint16Array(16_384);
  #bytes = new Uint8Array(16_384);
  length = 0;

  /** A writer for one slab: the spare one when free (builders are used one at a time), else a new one. */
  static take(): PackWriter {
    const spare = PackWriter.#free;
    PackWriter.#free = undefined;
    return spare ?? new PackWriter();
  }

  /** Return a writer whose text was taken. */
  static give(writer: PackWriter): void {
    writer.length = 0;
    PackWriter.#free = writer;
  }

  /** Append `json` with each token (first match at each position, as the alternation in {@link TOKENS} order) replaced by its code. */
  write(json: string): void {
    if (this.length + json.length > this.#codes.length) {
      const grown = new Uint16Array(Math.max(2 * this.#codes.length, this.length + json.length));
      grown.set(this.#codes.subarray(0, this.length));
      this.#codes = grown;
    }
    const codes = this.#codes;
    let at = this.length;
    let i = 0;
    scan: while (i < json.length) {
      const c = json.charCodeAt(i);
      const candidates = c === 34 ? QUOTED_TOKENS : c === 123 ? BRACED_TOKENS : undefined;
      if (candidates !== undefined) {
        for (let k = 0; k < candidates.texts.length; k++) {
          const token = candidates.texts[k] as string;
          if (json.startsWith(token, i)) {
            codes[at++] = candidates.codes[k] as number;
            i += token.length;
            continue scan;
          }
        }
      }
      codes[at++] = c;
      i++;
    }
    this.length = at;
  }

  /**
   * The text written so far: a one-byte string when every code is below 256 (JSON of Latin-1
   * text, the common case), decoded from bytes in one go; else from the codes in pieces.
   */
  text(): string {
    const codes = this.#codes;
    const n = this.length;
    if (this.#bytes.length < n) this.#bytes = new Uint8Array(Math.max(n, 2 * this.#bytes.length));
    const bytes = this.#bytes;
    let narrow = true;
    for (let i = 0; i < n; i++) {
      const c = codes[i] as number;
      if (c > 255) {
        narrow = false;
        break;
      }
      bytes[i] = c;
    }
    if (narrow) return Buffer.from(bytes.buffer, bytes.byteOffset, n).toString('latin1');
    const parts: string[] = [];
    for (let from = 0; from < n; from += 8_192)
      parts.push(String.fromCharCode.apply(null, codes.subarray(from, Math.min(n, from + 8_192)) as unknown as number[]));
    return parts.join('');
  }
}

/**
 * The pieces of JSON every contact repeats (keys with their punctuation, the defaults), each
 * replaced by one control character in a packed row. `JSON.stringify` writes every character
 * below U+0020 as an escape, never as itself, so these characters cannot occur in its output
 * and the replacement is undone exactly. Longest first (the alternation takes the first that
 * matches). About half of a typical contact's JSON.
 */
const TOKENS: readonly string[] = [
  '"phones":[{"number":"+',
  '"timeZones":["America/',
  '"channel":"voice"',
  '"type":"landline"',
  '"type":"unknown"',
  '"consents":[]',
  '"type":"mobile"',
  '"postalCode":"',
  '"recordedAt":',
  '"timeZones":["',
  '"extension":"',
  '"firstName":"',
  '"type":"other"',
  '"type":"work"',
  '"lastName":"',
  '{"number":"+',
  '"priority":0',
  '"consents":[',
  '"country":"',
  '"profile":{}',
  '"source":"',
  '"Europe/',
  '"America/',
  '"state":"',
  '"kind":"',
  '"key":"',
  '{"id":"',
];
/** The tokens (with their codes, U+0001 …) that start with `"` and with `{`, in {@link TOKENS} order. */
const QUOTED_TOKENS = tokensStartingWith('"');
const BRACED_TOKENS = tokensStartingWith('{');
function tokensStartingWith(first: string): { readonly texts: readonly string[]; readonly codes: readonly number[] } {
  const codes = TOKENS.flatMap((token, i) => (token.startsWith(first) ? [i + 1] : []));
  return { texts: codes.map((code) => TOKENS[code - 1] as string), codes };
}
if (QUOTED_TOKENS.texts.length + BRACED_TOKENS.texts.length !== TOKENS.length)
  throw new Error('packed-contacts: every token starts with " or {');
/** Any of the codes (U+0001 …); built from text, as control characters are written nowhere else. */
const TOKEN_CODES = new RegExp(`[\\u0001-\\u${TOKENS.length.toString(16).padStart(4, '0')}]`, 'g');

/** A contact's JSON with its common pieces replaced by one character each (at each position, the first token of {@link TOKENS} that starts there). */
export function packText(json: string): string {
  const writer = PackWriter.take();
  writer.write(json);
  const text = writer.text();
  PackWriter.give(writer);
  return text;
}

/** The JSON a packed row stands for. */
export function unpackText(packed: string): string {
  return packed.replace(TOKEN_CODES, (code) => TOKENS[code.charCodeAt(0) - 1] as string);
}

/**
 * True when `JSON.parse(JSON.stringify(value))` gives `value` back exactly: plain objects and
 * dense arrays of strings, finite numbers (not −0), booleans and `null`; no `undefined`
 * property (JSON would drop the key), no class instance, function, symbol or bigint.
 */
export function jsonExact(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !jsonExact(value[i])) return false;
        return Object.getPrototypeOf(value) === Array.prototype;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) {
        if (!Object.hasOwn(value, key)) return false;
        if (!jsonExact((value as Record<string, unknown>)[key])) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}
