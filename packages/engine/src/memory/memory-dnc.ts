import { checkDncPageRequest, checkDncRequest, type DncPage, type DncRequest, type StoredDncRequest } from '@paceline/core';

/**
 * dnc-shared: the in-memory store's do-not-call requests: per number, one entry per list (the
 * internal list, or a campaign's), the first request kept; and every addition in `seq` order
 * for `listDnc`. Entries are frozen copies.
 */
export class MemoryDnc {
  /** phone → list key (`''` internal, else the campaign id prefixed with `c:`) → entry. */
  readonly #byPhone = new Map<string, Map<string, StoredDncRequest>>();
  /** Every addition, `seq` order (seq = index + 1). */
  readonly #log: StoredDncRequest[] = [];

  add(input: DncRequest): StoredDncRequest {
    const entry = checkDncRequest(input);
    const list = listKey(entry.campaignId);
    let lists = this.#byPhone.get(entry.phone);
    const present = lists?.get(list);
    if (present) return present;
    if (!lists) {
      lists = new Map();
      this.#byPhone.set(entry.phone, lists);
    }
    const stored = Object.freeze({ ...entry, seq: this.#log.length + 1 });
    lists.set(list, stored);
    this.#log.push(stored);
    return stored;
  }

  find(phone: string): StoredDncRequest[] {
    return [...(this.#byPhone.get(phone)?.values() ?? [])];
  }

  list(afterSeq: number, limit: number): DncPage {
    checkDncPageRequest(afterSeq, limit);
    const anchor = afterSeq > 0 ? this.#log[afterSeq - 1] : undefined;
    return {
      version: this.#log.length,
      entries: this.#log.slice(afterSeq, afterSeq + limit),
      ...(anchor ? { anchor } : {}),
    };
  }
}

function listKey(campaignId: string | undefined): string {
  return campaignId === undefined ? '' : `c:${campaignId}`;
}
