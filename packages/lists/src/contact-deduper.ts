import { NumberMap, StringMap } from './open-hash-maps';

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
 * held as integers (E.164 digits), and all three in open-addressing tables, to keep a
 * million-row list cheap.
 */
export class ContactDeduper {
  readonly #lists: string[] = [];
  readonly #phones = new NumberMap();
  readonly #keys = new StringMap();
  readonly #ids = new StringMap();
  /** Numbers with an extension, as `<E.164 digits>x<extension>`: one switchboard, several people. */
  readonly #extensions = new StringMap();

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

  /** Where a number with an extension (`<E.164 digits>x<extension>`) was first seen, if it was. */
  extensionSeen(key: string): FirstSeen | undefined {
    return this.#origin(this.#extensions.get(key));
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

  /**
   * @internal Read ahead the table memory `hasPhone` and `hasId` will read for a batch of rows,
   * so the cache misses overlap (see `importContacts`).
   */
  prefetch(phoneKeys: ArrayLike<number>, ids: readonly string[]): void {
    this.#phones.prefetch(phoneKeys);
    this.#ids.prefetch(ids);
  }

  /** Record an imported contact's phones (and numbers with an extension), key and id. */
  remember(
    list: number,
    row: number,
    phoneKeys: readonly number[],
    key: string | undefined,
    id: string | undefined,
    extensionKeys: readonly string[] = [],
  ): void {
    const code = list * 4_294_967_296 + row;
    for (const p of phoneKeys) this.#phones.set(p, code);
    for (const e of extensionKeys) this.#extensions.set(e, code);
    if (key !== undefined) this.#keys.set(key, code);
    if (id !== undefined) this.#ids.set(id, code);
  }

  /** Phones remembered. */
  get phoneCount(): number {
    return this.#phones.size;
  }
}
