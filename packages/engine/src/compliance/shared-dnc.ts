import type { DncRequest, StoredDncRequest, TimerHandle } from '@paceline/core';
import type { EngineCore, SharedDncPart } from '../engine-core';

/** Additions read per `listDnc` call. */
const DNC_PAGE = 1_000;

/**
 * dnc-shared: the tenant's do-not-call requests, kept in the `Store` so that every engine
 * process honours them, and mirrored into this process's compliance gate (its `DncBook`).
 *
 * - An addition (an agent's DNC disposition, a request on an inbound call, the host's
 *   `addDoNotCall`) is written to the store first — retried while the store is away — and
 *   then to the local book.
 * - The local book follows the store by `seq`: {@link sync} reads the additions after the last
 *   one applied (`Store.listDnc`, one round trip, usually empty). A store that lost additions
 *   this process had read (its version went back, or another entry now holds the last seq
 *   read) is read again from the start.
 * - The dial path calls {@link beforeDial} right before the compliance check of every launch.
 *   In distributed mode (a `leadership` lease: the store is shared) that is a read of the store
 *   started after the launch began, so every addition the store acknowledged before it — on
 *   any node, whether or not a message about it arrived — is in the book when the check runs.
 *   Alone (no lease) only the first launch waits, for the initial load; every later addition
 *   comes through this process.
 * - In distributed mode the book is also brought up to date every `tickIntervalMs` (default
 *   1 s), so other readers of the book (previews, the host) are at most that stale.
 *
 * Reads are coalesced: a caller that arrives while a read is in flight waits for the next
 * read, which starts after that one ends, so no caller is answered by a read that started
 * before it asked.
 */
export class SharedDnc implements SharedDncPart {
  /** Every addition up to this seq is in the local book. */
  #applied = 0;
  /** The list and number of the entry at `#applied`, to notice a store that handed that seq out again. */
  #anchorKey: string | undefined;
  /** Seqs above `#applied` this process recorded (already in the book). */
  readonly #ahead = new Set<number>();
  #loaded = false;
  #current: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  #timer: TimerHandle | undefined;
  #warnedCampaignLists = false;
  /** Distributed mode: read the store before every dial decision. */
  readonly #everyDial: boolean;

  constructor(readonly core: EngineCore) {
    this.#everyDial = core.deps.leadership !== undefined;
  }

  /** The highest seq of the store's list applied here (diagnostics and tests). */
  get applied(): number {
    return this.#applied;
  }

  /**
   * Record a do-not-call request: in the store (retried until it takes it; resolves when it
   * did), then in the local book. Returns the stored entry (the first request when the number
   * was already on that list).
   */
  async record(entry: DncRequest): Promise<StoredDncRequest> {
    const stored = await this.core.parts.writes.durable('do-not-call addition', () => this.core.store.addDnc(entry));
    if (stored.seq > this.#applied && !this.#ahead.has(stored.seq)) {
      this.#ahead.add(stored.seq);
      this.#toBook(stored);
    }
    return stored;
  }

  /**
   * Called right before a launch's compliance check: a promise to wait for when the book must
   * be brought up to date first, `undefined` when it need not (alone, once loaded).
   */
  beforeDial(): Promise<void> | undefined {
    return this.#everyDial || !this.#loaded ? this.sync() : undefined;
  }

  /** Bring the local book up to date with the store: a read that starts after this call. */
  sync(): Promise<void> {
    if (this.#current === undefined) {
      const read = this.#pull().finally(() => {
        if (this.#current === read) this.#current = undefined;
      });
      this.#current = read;
      return read;
    }
    if (this.#queued === undefined) {
      const queued = this.#current
        .catch(() => {})
        .then(() => {
          this.#queued = undefined;
          return this.sync();
        });
      this.#queued = queued;
    }
    return this.#queued;
  }

  /** Distributed mode: keep the book within `periodMs` of the store. */
  start(periodMs: number): void {
    if (!this.#everyDial || this.#timer !== undefined) return;
    const beat = () => {
      this.#timer = this.core.deps.clock.setTimer(periodMs, beat);
      this.core.guard('do-not-call list sync', this.sync());
    };
    this.#timer = this.core.deps.clock.setTimer(periodMs, beat);
  }

  stop(): void {
    if (this.#timer !== undefined) this.core.deps.clock.clearTimer(this.#timer);
    this.#timer = undefined;
  }

  async #pull(): Promise<void> {
    for (;;) {
      const page = await this.core.store.listDnc(this.#applied, DNC_PAGE);
      if (this.#applied > 0 && (page.version < this.#applied || keyOf(page.anchor) !== this.#anchorKey)) {
        // The store lost additions this process had read (Redis restarted without them, a
        // failover): read it all again. What the book holds stays (stricter, never looser).
        this.core.deps.logger.warn(
          { applied: this.#applied, version: page.version },
          'do-not-call list: the store no longer has additions this node read; reading the whole list again',
        );
        this.#applied = 0;
        this.#anchorKey = undefined;
        this.#ahead.clear();
        continue;
      }
      for (const entry of page.entries) {
        if (!this.#ahead.delete(entry.seq)) this.#toBook(entry);
        this.#applied = entry.seq;
        this.#anchorKey = keyOf(entry);
      }
      if (page.entries.length === 0 || this.#applied >= page.version) break;
    }
    this.#loaded = true;
  }

  #toBook(entry: StoredDncRequest): void {
    const { compliance } = this.core.deps;
    const why = { reason: entry.reason, source: entry.source, at: entry.at };
    try {
      if (entry.campaignId === undefined) compliance.addInternalDnc(entry.phone, why);
      else if (compliance.addCampaignDnc) compliance.addCampaignDnc(entry.campaignId, entry.phone, why);
      else {
        // A host gate without campaign lists: the stricter reading, the number on the internal list.
        if (!this.#warnedCampaignLists) {
          this.#warnedCampaignLists = true;
          this.core.deps.logger.warn(
            { campaignId: entry.campaignId },
            'do-not-call list: the compliance gate has no addCampaignDnc; campaign entries go on the internal list',
          );
        }
        compliance.addInternalDnc(entry.phone, why);
      }
    } catch (error) {
      this.core.report('do-not-call list', error);
    }
  }
}

/** The list and number of an entry (no other field: a refill with another number or list differs). */
function keyOf(entry: StoredDncRequest | undefined): string | undefined {
  return entry === undefined ? undefined : `${entry.campaignId ?? ''}\u0000${entry.phone}`;
}
