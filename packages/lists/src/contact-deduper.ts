/** Where a phone, key or id was first seen. */
export interface FirstSeen {
  /** The list it came from. */
  readonly listId: string;
  /** Its data row in that list (1-based). */
  readonly row: number;
}

/**
 * Remembers the phones, contact keys and ids already imported into one campaign, across all
 * of its lists: pass the same deduper to every `importContacts` of the campaign. Phones are
 * held as integers (E.164 digits) to keep a million-row list cheap.
 */
export class ContactDeduper {
  readonly #lists: string[] = [];
  readonly #phones = new NumberMap();
  readonly #keys = new Map<string, number>();
  readonly #ids = new Map<string, number>();

  /** True when a list of this id was already imported through this deduper. */
  hasList(listId: string): boolean {
    return this.#lists.includes(listId);
  }

  /** @internal Register a list; returns its index for `remember*`. */
  beginList(listId: string): number {
    this.#lists.push(listId);
    return this.#lists.length - 1;
  }

  #origin(code: number | undefined): FirstSeen | undefined {
    if (code === undefined) return undefined;
    const list = Math.floor(code / 4_294_967_296);
    return { listId: this.#lists[list] ?? '?', row: code - list * 4_294_967_296 };
  }

  /** Where the phone (E.164 digits as an integer) was first seen, if it was. */
  phoneSeen(key: number): FirstSeen | undefined {
    return this.#origin(this.#phones.get(key));
  }

  /** Where the contact key was first seen, if it was. */
  keySeen(key: string): FirstSeen | undefined {
    return this.#origin(this.#keys.get(key));
  }

  /** Where the contact id was first seen, if it was. */
  idSeen(id: string): FirstSeen | undefined {
    return this.#origin(this.#ids.get(id));
  }

  /** True when the phone was seen (the hot-path question). */
  hasPhone(key: number): boolean {
    return this.#phones.has(key);
  }

  /** True when the contact key was seen. */
  hasKey(key: string): boolean {
    return this.#keys.has(key);
  }

  /** True when the contact id was seen. */
  hasId(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Record an imported contact's phones, key and id. */
  remember(list: number, row: number, phoneKeys: readonly number[], key: string | undefined, id: string | undefined): void {
    const code = list * 4_294_967_296 + row;
    for (const p of phoneKeys) this.#phones.set(p, code);
    if (key !== undefined) this.#keys.set(key, code);
    if (id !== undefined) this.#ids.set(id, code);
  }

  /** Phones remembered. */
  get phoneCount(): number {
    return this.#phones.size;
  }
}

/**
 * An open-addressing hash map from phone keys (E.164 digits, up to 15, as doubles) to
 * numbers, in two typed arrays: a JS Map boxes every key above 2^31, and a million-row list
 * would spend more time in the collector than in the import.
 */
class NumberMap {
  #keys = new Float64Array(1 << 16);
  #values = new Float64Array(1 << 16);
  #mask = (1 << 16) - 1;
  size = 0;

  #slot(key: number): number {
    // Mix the high and low halves; keys are exact integers below 2^53.
    const hi = Math.floor(key / 4_294_967_296);
    let h = (Math.imul((key >>> 0) ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) ^ hi) >>> 0;
    h ^= h >>> 13;
    let i = h & this.#mask;
    const keys = this.#keys;
    for (;;) {
      const k = keys[i] as number;
      if (k === 0 || k === key) return i;
      i = (i + 1) & this.#mask;
    }
  }

  has(key: number): boolean {
    return this.#keys[this.#slot(key)] === key;
  }

  get(key: number): number | undefined {
    const i = this.#slot(key);
    return this.#keys[i] === key ? this.#values[i] : undefined;
  }

  set(key: number, value: number): void {
    let i = this.#slot(key);
    if (this.#keys[i] !== key) {
      if ((this.size + 1) * 2 > this.#keys.length) {
        this.#grow();
        i = this.#slot(key);
      }
      this.#keys[i] = key;
      this.size++;
    }
    this.#values[i] = value;
  }

  #grow(): void {
    const oldKeys = this.#keys;
    const oldValues = this.#values;
    this.#keys = new Float64Array(oldKeys.length * 2);
    this.#values = new Float64Array(oldKeys.length * 2);
    this.#mask = this.#keys.length - 1;
    for (let j = 0; j < oldKeys.length; j++) {
      const k = oldKeys[j] as number;
      if (k !== 0) {
        const i = this.#slot(k);
        this.#keys[i] = k;
        this.#values[i] = oldValues[j] as number;
      }
    }
  }
}
