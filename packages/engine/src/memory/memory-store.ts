import {
  type Attempt,
  type CampaignRecord,
  type Contact,
  type ContactCounts,
  type ContactRecord,
  ContactState,
  type DncPage, // dnc-shared
  type DncRequest, // dnc-shared
  type InboundCall, // issue-23
  type InboundQueueCounts, // issue-23 23-dist
  type InboundQueueInterval, // issue-23 23-dist
  LEDGER_RETENTION_MS,
  type LiveAnswerEntry,
  type Store,
  type StoredDncRequest, // dnc-shared
} from '@paceline/core';
import { compareHopperEntries, type HopperEntry, hopperEntryOf } from '@paceline/lists';
import { Heap } from 'heap-js';
import { compactContact, ownString } from './compact-contact';
import { MemoryDnc } from './memory-dnc'; // dnc-shared
import { MemoryInboundStats } from './memory-inbound-stats'; // issue-23 23-dist
import { PackedContacts } from './packed-contacts';
import { ShardedMap } from './sharded-map';

/**
 * A hopper entry; stale when the record's version moved on (lazy deletion). It is the record's
 * hopper order itself (`@paceline/lists`' one hopper order), in one object: an entry per
 * contact, so two objects per entry cost ~60 bytes a contact.
 */
class Entry implements HopperEntry {
  readonly contact: HopperEntry['contact'];
  readonly kind: HopperEntry['kind'];
  readonly dueAt: number;
  readonly attempts: number;
  readonly seq: number;

  constructor(readonly record: ContactRecord) {
    const order = hopperEntryOf(record);
    this.contact = order.contact;
    this.kind = order.kind;
    this.dueAt = order.dueAt;
    this.attempts = order.attempts;
    this.seq = order.seq;
    // The owner of a callback (`agentId`) is read from the record, where `claimDue` looks.
  }
}

const hopperOrder = (a: Entry, b: Entry) => compareHopperEntries(a, b);

const ZERO_COUNTS = (): Record<ContactState, number> =>
  Object.fromEntries(Object.values(ContactState).map((s) => [s, 0])) as Record<ContactState, number>;

/**
 * A campaign's contacts. `byId` holds a record, or the sequence number of a packed row
 * (`PackedContacts`: a fresh contact kept as text until it is read); both indexes are sharded
 * so that growing them never rehashes a half-million entries in one step.
 */
class CampaignContacts {
  readonly byId = new ShardedMap<ContactRecord | number>();
  readonly packed = new PackedContacts();
  /** issue-23: phone (E.164) → the id(s) of this campaign's contacts that had it, checked against the record on read. */
  readonly byPhone = new ShardedMap<string | string[]>();
  /** Contacts per state, kept up to date on every write (the engine asks after every call). */
  readonly counts: Record<ContactState, number> = ZERO_COUNTS();
  /** `waiting`/`callback` contacts by `dueAt`, not yet eligible. */
  readonly scheduled = new Heap<ContactRecord>((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0) || a.seq - b.seq);
  /** Contacts dialable now, in hopper order. */
  readonly eligible = new Heap<Entry>(hopperOrder);
  seq = 0;

  constructor(readonly campaignId: string) {}

  /** The contact's current record (a packed row decoded into a new frozen record). */
  get(contactId: string): ContactRecord | undefined {
    const held = this.byId.get(contactId);
    return typeof held === 'number' ? this.unpack(held) : held;
  }

  /** Packed row `seq` as the record it stands for: a fresh, never-touched contact. */
  unpack(seq: number): ContactRecord {
    return freeze({
      campaignId: this.campaignId,
      contact: this.packed.decode(seq),
      state: ContactState.Ready,
      attempts: 0,
      seq,
      version: 1,
    });
  }

  /** Store `next` in place of the contact's current record, keeping the counts right. */
  set(next: ContactRecord): void {
    const previous = this.byId.get(next.contact.id);
    if (typeof previous === 'number') {
      this.packed.take(previous);
      this.counts[ContactState.Ready]--;
    } else if (previous) this.counts[previous.state]--;
    this.counts[next.state]++;
    this.byId.set(next.contact.id, next);
  }

  isCurrent(record: ContactRecord): boolean {
    const held = this.byId.get(record.contact.id);
    return typeof held === 'number' ? record.version === 1 && record.seq === held : held?.version === record.version;
  }

  index(record: ContactRecord): void {
    if (record.state === ContactState.Ready) this.eligible.push(entryOf(record));
    else if (record.state === ContactState.Waiting || record.state === ContactState.Callback) this.scheduled.push(record);
  }

  /** Move scheduled contacts whose time has come into the eligible heap. */
  promote(now: number): void {
    for (let top = this.scheduled.peek(); top !== undefined && (top.dueAt ?? 0) <= now; top = this.scheduled.peek()) {
      this.scheduled.pop();
      if (this.isCurrent(top)) this.eligible.push(entryOf(top));
    }
  }
}

function entryOf(record: ContactRecord): Entry {
  return new Entry(record);
}

/**
 * The embedded, in-memory `Store`: the default when a host passes none. State lives as long
 * as the object; records are frozen copies (their contacts deep-frozen and compact, see
 * `compactContact`), so callers cannot change stored state by accident. Added contacts are
 * kept packed as text until first read (`PackedContacts`): an upload adds no object per
 * contact for the garbage collector to trace, and reading a packed contact gives a new
 * frozen record each time (equal, not identical).
 * The hopper claim is O(k log n) for k claimed contacts (heaps with lazy deletion; the fresh
 * packed rows are queues in hopper order).
 */
export class MemoryStore implements Store {
  readonly #campaigns = new Map<string, CampaignRecord>();
  readonly #contacts = new Map<string, CampaignContacts>();
  readonly #attempts = new Map<string, Attempt>();
  readonly #attemptsByContact = new Map<string, string[]>();
  readonly #inboundCalls = new Map<string, InboundCall>(); // issue-23: the inbound call ledger
  /** Per campaign: entries sorted by time, and the same entries by attempt id (re-recording replaces). */
  readonly #liveAnswers = new Map<string, { sorted: LedgerEntry[]; byAttempt: Map<string, LedgerEntry> }>();
  readonly #dnc = new MemoryDnc(); // dnc-shared: the tenant's do-not-call requests
  readonly #inboundStats = new MemoryInboundStats(); // issue-23 23-dist: inbound queue statistics

  async putCampaign(record: CampaignRecord): Promise<void> {
    this.#campaigns.set(record.campaign.id, freeze(record));
  }

  async getCampaign(campaignId: string): Promise<CampaignRecord | undefined> {
    return this.#campaigns.get(campaignId);
  }

  async listCampaigns(): Promise<CampaignRecord[]> {
    return [...this.#campaigns.values()];
  }

  async addContacts(campaignId: string, contacts: readonly Contact[]): Promise<number> {
    const table = this.#table(campaignId);
    const slab = table.packed.builder(table.seq);
    let added = 0;
    for (const contact of contacts) {
      if (table.byId.has(contact.id)) continue;
      const seq = table.seq++;
      if (slab.pack(seq, contact)) {
        // Packed: the row's text is the stored copy; the indexes hold only its id and phones.
        const id = ownString(contact.id);
        table.byId.set(id, seq);
        table.counts[ContactState.Ready]++;
        for (const { number } of contact.phones) indexPhone(table, ownString(number), id); // issue-23
      } else {
        const record = freeze({ campaignId, contact: compactContact(contact), state: ContactState.Ready, attempts: 0, seq, version: 1 });
        table.set(record);
        table.index(record);
        this.#indexPhones(record); // issue-23
      }
      added++;
    }
    slab.close();
    return added;
  }

  async getContact(campaignId: string, contactId: string): Promise<ContactRecord | undefined> {
    return this.#contacts.get(campaignId)?.get(contactId);
  }

  async updateContact(record: ContactRecord): Promise<ContactRecord | undefined> {
    const table = this.#table(record.campaignId);
    const current = table.get(record.contact.id);
    if (!current || current.version !== record.version) return undefined;
    // Copy the contact only when the caller changed it, so callers never share mutable state with the store.
    const contact = record.contact === current.contact ? current.contact : compactContact(record.contact);
    const next = freeze({ ...record, contact, version: record.version + 1 });
    table.set(next);
    table.index(next);
    if (contact !== current.contact) this.#indexPhones(next); // issue-23
    return next;
  }

  /** issue-23: every campaign's contacts with `phone` among their phones (an inbound caller's match). */
  async findContactsByPhone(phone: string): Promise<ContactRecord[]> {
    const found: ContactRecord[] = [];
    for (const table of this.#contacts.values()) {
      const owners = table.byPhone.get(phone);
      for (const contactId of owners === undefined ? [] : Array.isArray(owners) ? owners : [owners]) {
        const record = table.get(contactId);
        if (record?.contact.phones.some((p) => p.number === phone)) found.push(record);
      }
    }
    return found;
  }

  /** issue-23: index a record's phones (entries for phones it no longer has are dropped on read). */
  #indexPhones(record: ContactRecord): void {
    const table = this.#table(record.campaignId);
    for (const { number } of record.contact.phones) indexPhone(table, number, record.contact.id);
  }

  async claimDue(campaignId: string, now: number, limit: number, agentIds: readonly string[] = []): Promise<ContactRecord[]> {
    const table = this.#contacts.get(campaignId);
    if (!table || limit <= 0) return [];
    table.promote(now);
    const claimed: ContactRecord[] = [];
    const skipped: Entry[] = [];
    while (claimed.length < limit) {
      let top = table.eligible.peek();
      while (top !== undefined && !table.isCurrent(top.record)) {
        table.eligible.pop();
        top = table.eligible.peek();
      }
      const fresh = table.packed.head();
      if (fresh !== undefined && (top === undefined || compareHopperEntries(freshOrder(fresh.seq, fresh.priority), top) < 0)) {
        // A packed fresh row comes first: decode it and claim it.
        const record = table.unpack(fresh.seq);
        const next = freeze({ ...record, state: ContactState.Queued, version: record.version + 1 });
        table.set(next);
        claimed.push(next);
        continue;
      }
      const entry = table.eligible.pop();
      if (!entry) break;
      const owner = entry.record.callbackAgentId;
      if (owner !== undefined && entry.record.state === ContactState.Callback && !agentIds.includes(owner)) {
        skipped.push(entry);
        continue;
      }
      const next = freeze({ ...entry.record, state: ContactState.Queued, version: entry.record.version + 1 });
      table.set(next);
      claimed.push(next);
    }
    for (const entry of skipped) table.eligible.push(entry);
    return claimed;
  }

  async countContacts(campaignId: string): Promise<ContactCounts> {
    return { ...(this.#contacts.get(campaignId)?.counts ?? ZERO_COUNTS()) };
  }

  async listContacts(campaignId: string, state: ContactState): Promise<ContactRecord[]> {
    const table = this.#contacts.get(campaignId);
    const records: ContactRecord[] = [];
    for (const held of table?.byId.values() ?? []) {
      if (typeof held === 'number') {
        if (state === ContactState.Ready) records.push((table as CampaignContacts).unpack(held));
      } else if (held.state === state) records.push(held);
    }
    return records.sort((a, b) => a.seq - b.seq);
  }

  async nextDueAt(campaignId: string): Promise<number | undefined> {
    const table = this.#contacts.get(campaignId);
    if (!table) return undefined;
    while (table.scheduled.peek() && !table.isCurrent(table.scheduled.peek() as ContactRecord)) table.scheduled.pop();
    return table.scheduled.peek()?.dueAt;
  }

  async putAttempt(attempt: Attempt): Promise<void> {
    const key = `${attempt.campaignId}\u0000${attempt.contactId}`;
    if (!this.#attempts.has(attempt.id)) {
      const list = this.#attemptsByContact.get(key) ?? [];
      list.push(attempt.id);
      this.#attemptsByContact.set(key, list);
    }
    this.#attempts.set(attempt.id, freeze({ ...attempt }));
  }

  async getAttempt(attemptId: string): Promise<Attempt | undefined> {
    return this.#attempts.get(attemptId);
  }

  async listAttempts(campaignId: string, contactId: string): Promise<Attempt[]> {
    const ids = this.#attemptsByContact.get(`${campaignId}\u0000${contactId}`) ?? [];
    return ids.map((id) => this.#attempts.get(id)).filter((a): a is Attempt => a !== undefined);
  }

  async listOpenAttempts(campaignId: string): Promise<Attempt[]> {
    return [...this.#attempts.values()].filter((a) => a.campaignId === campaignId && a.endedAt === undefined);
  }

  /** issue-23: create or replace an inbound call. */
  async putInboundCall(call: InboundCall): Promise<void> {
    this.#inboundCalls.set(call.id, freeze({ ...call }));
  }

  /** issue-23: inbound calls with `since ≤ arrivedAt < until`, oldest first. */
  async listInboundCalls(since: number, until: number): Promise<InboundCall[]> {
    return [...this.#inboundCalls.values()]
      .filter((c) => c.arrivedAt >= since && c.arrivedAt < until)
      .sort((a, b) => a.arrivedAt - b.arrivedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async recordLiveAnswer(entry: LiveAnswerEntry): Promise<void> {
    let ledger = this.#liveAnswers.get(entry.campaignId);
    if (!ledger) {
      ledger = { sorted: [], byAttempt: new Map() };
      this.#liveAnswers.set(entry.campaignId, ledger);
    }
    // issue-23 23-speed: a private copy of one shape, not frozen (never handed out): the pacing loop counts
    // the window every few seconds, and reading frozen entries of mixed shapes cost ~0.6 µs each (a quarter of a blended engine day's CPU).
    const copy: LedgerEntry = {
      attemptId: entry.attemptId,
      at: entry.at,
      abandoned: Boolean(entry.abandoned),
      machine: entry.machine === true,
    };
    const previous = ledger.byAttempt.get(entry.attemptId);
    if (previous) ledger.sorted.splice(ledger.sorted.indexOf(previous), 1);
    ledger.byAttempt.set(entry.attemptId, copy);
    // Entries arrive almost always in time order: insert from the end.
    let i = ledger.sorted.length;
    while (i > 0 && (ledger.sorted[i - 1] as LedgerEntry).at > copy.at) i--;
    ledger.sorted.splice(i, 0, copy);
    // Keep LEDGER_RETENTION_MS before this entry; older ones are past every abandon-rate window.
    const expired = lowerBound(ledger.sorted, copy.at - LEDGER_RETENTION_MS);
    for (const old of ledger.sorted.splice(0, expired)) ledger.byAttempt.delete(old.attemptId);
  }

  async countLiveAnswers(campaignId: string, since: number, until: number): Promise<{ liveAnswers: number; abandoned: number }> {
    const sorted = this.#liveAnswers.get(campaignId)?.sorted ?? [];
    let liveAnswers = 0;
    let abandoned = 0;
    for (let i = lowerBound(sorted, since); i < sorted.length; i++) {
      const e = sorted[i] as LedgerEntry;
      if (e.at >= until) break;
      if (e.machine) continue; // issue-17: revised to a machine, not a live answer
      liveAnswers++;
      if (e.abandoned) abandoned++;
    }
    return { liveAnswers, abandoned };
  }

  // dnc-shared: see MemoryDnc.
  async addDnc(entry: DncRequest): Promise<StoredDncRequest> {
    return this.#dnc.add(entry);
  }

  async findDnc(phone: string): Promise<StoredDncRequest[]> {
    return this.#dnc.find(phone);
  }

  async listDnc(afterSeq: number, limit: number): Promise<DncPage> {
    return this.#dnc.list(afterSeq, limit);
  }

  // issue-23 23-dist: see MemoryInboundStats.
  async addInboundQueueStats(queueId: string, at: number, writer: string, delta: Partial<InboundQueueCounts>): Promise<void> {
    this.#inboundStats.add(queueId, at, writer, delta);
  }

  async listInboundQueueStats(queueId: string, since: number, until: number): Promise<InboundQueueInterval[]> {
    return this.#inboundStats.list(queueId, since, until);
  }

  #table(campaignId: string): CampaignContacts {
    let table = this.#contacts.get(campaignId);
    if (!table) {
      table = new CampaignContacts(campaignId);
      this.#contacts.set(campaignId, table);
    }
    return table;
  }
}

/** issue-23: `contactId` had `phone` (one owner alone, several in an array; the id string is the one `byId` holds). */
function indexPhone(table: CampaignContacts, phone: string, contactId: string): void {
  const owners = table.byPhone.get(phone);
  if (owners === undefined) table.byPhone.set(phone, contactId);
  else if (!Array.isArray(owners)) {
    if (owners !== contactId) table.byPhone.set(phone, [owners, contactId]);
  } else if (!owners.includes(contactId)) owners.push(contactId);
}

/** A fresh packed row's place in hopper order (what `compareHopperEntries` reads of it). */
function freshOrder(seq: number, priority: number): HopperEntry {
  return { contact: { priority } as HopperEntry['contact'], kind: 'fresh', dueAt: 0, attempts: 0, seq };
}

/** issue-23 23-speed: the abandon ledger's private entry (one shape; `machine` and `abandoned` always set). */
interface LedgerEntry {
  readonly attemptId: string;
  readonly at: number;
  readonly abandoned: boolean;
  readonly machine: boolean;
}

/** First index whose entry is at or after `at`. */
function lowerBound(sorted: readonly LedgerEntry[], at: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as LedgerEntry).at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function freeze<T extends object>(value: T): T {
  return Object.freeze(value);
}

/** The embedded default `Store`. */
export function createMemoryStore(): Store {
  return new MemoryStore();
}
