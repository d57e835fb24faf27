import { type Campaign, type Contact, PacelineError, TypedEmitter } from '@paceline/core';
import { Heap } from 'heap-js';
import { type AttemptEnd, decideRecycle, type RecycleOutcome } from './recycle-rules';

/** Why a contact is in the hopper: a callback, a retry, or never dialled. */
export type HopperKind = 'callback' | 'retry' | 'fresh';

/** A contact as the hopper holds it. */
export interface HopperEntry {
  readonly contact: Contact;
  readonly kind: HopperKind;
  /** When it may be dialled (epoch ms); fresh contacts: when added. */
  readonly dueAt: number;
  /** Attempts made in this campaign. */
  readonly attempts: number;
  /** An agent-owned callback: only this agent may take it. */
  readonly agentId?: string;
  /** Insertion order, the last tie-breaker. */
  readonly seq: number;
}

/** Hopper events. `lowWater`: after a refill the hopper holds fewer than its low-water mark. */
export type HopperEvents = {
  lowWater: [{ readonly size: number; readonly lowWater: number; readonly waiting: number; readonly nextDueAt?: number }];
};

/** Hopper options. */
export interface HopperOptions {
  /** Recycle rules and attempt cap come from the campaign. */
  readonly campaign: Pick<Campaign, 'id' | 'maxAttempts' | 'recycle'>;
  /** Contacts kept ready ahead of the pacer. Default 100. */
  readonly targetSize?: number;
  /** Emit `lowWater` when fewer remain after a refill. Default a quarter of `targetSize`. */
  readonly lowWater?: number;
  /** Listener errors are contained; this hears about them. */
  readonly onListenerError?: (error: unknown, event: string) => void;
}

type State = 'waiting' | 'ready' | 'buffered' | 'claimed';

interface Slot {
  entry: HopperEntry;
  state: State;
  /** Bumped on every move, so stale heap nodes are skipped. */
  token: number;
}

interface Node {
  readonly slot: Slot;
  readonly token: number;
}

const BAND: Record<HopperKind, number> = { callback: 0, retry: 1, fresh: 2 };

/**
 * Hopper order (the same as `Store.claimDue`): callbacks due first, then higher contact
 * priority, then retries before fresh contacts, then earlier `dueAt`, then insertion order.
 * Negative when `a` is dialled before `b`.
 */
export function compareHopperEntries(a: HopperEntry, b: HopperEntry): number {
  const ca = a.kind === 'callback' ? 0 : 1;
  const cb = b.kind === 'callback' ? 0 : 1;
  if (ca !== cb) return ca - cb;
  if (a.contact.priority !== b.contact.priority) return b.contact.priority - a.contact.priority;
  if (BAND[a.kind] !== BAND[b.kind]) return BAND[a.kind] - BAND[b.kind];
  if (a.dueAt !== b.dueAt) return a.dueAt - b.dueAt;
  return a.seq - b.seq;
}

/**
 * The ordered queue of dialable contacts of one campaign. A pure, in-memory structure
 * driven by the `now` (epoch ms) each call is given: contacts wait until due, become ready,
 * and the best `targetSize` of them are kept buffered ahead of the pacer. The engine keeps
 * the durable copy in its Store; this is the logic.
 */
export class Hopper {
  readonly #campaign: HopperOptions['campaign'];
  readonly #target: number;
  readonly #lowWater: number;
  readonly #emitter: TypedEmitter<HopperEvents>;
  readonly #slots = new Map<string, Slot>();
  readonly #waiting = new Heap<Node>((a, b) => a.slot.entry.dueAt - b.slot.entry.dueAt);
  readonly #ready = new Heap<Node>((a, b) => compareHopperEntries(a.slot.entry, b.slot.entry));
  /** The buffer, in hopper order. */
  #buffer: Slot[] = [];
  #seq = 0;

  constructor(options: HopperOptions) {
    const target = options.targetSize ?? 100;
    if (!Number.isInteger(target) || target < 1)
      throw new PacelineError('E_INVALID_CONFIG', `hopper.targetSize: expected a positive integer, got ${target}`);
    const low = options.lowWater ?? Math.max(1, Math.floor(target / 4));
    if (!Number.isInteger(low) || low < 0 || low > target) {
      throw new PacelineError('E_INVALID_CONFIG', `hopper.lowWater: expected an integer between 0 and targetSize (${target}), got ${low}`);
    }
    this.#campaign = options.campaign;
    this.#target = target;
    this.#lowWater = low;
    this.#emitter = new TypedEmitter(options.onListenerError ? { onListenerError: options.onListenerError } : {});
  }

  /** Subscribe to an event; returns the unsubscribe function. */
  on<K extends keyof HopperEvents>(event: K, listener: (...args: HopperEvents[K]) => void): () => void {
    return this.#emitter.on(event, listener);
  }

  /** Add fresh contacts (ids already held are ignored). Returns how many were new. */
  add(contacts: readonly Contact[], now: number): number {
    let added = 0;
    for (const contact of contacts) {
      if (this.#slots.has(contact.id)) continue;
      const slot: Slot = { entry: { contact, kind: 'fresh', dueAt: now, attempts: 0, seq: this.#seq++ }, state: 'ready', token: 0 };
      this.#slots.set(contact.id, slot);
      this.#ready.push({ slot, token: 0 });
      added++;
    }
    return added;
  }

  /** Contacts held in any state (waiting, ready, buffered, claimed). */
  get total(): number {
    return this.#slots.size;
  }

  /** Contacts buffered for the pacer right now (call `refill` first). */
  get size(): number {
    return this.#buffer.length;
  }

  /** The buffered entries in dialling order (a copy). */
  peek(): HopperEntry[] {
    return this.#buffer.map((s) => s.entry);
  }

  /** The entry of a contact, wherever it is. */
  get(contactId: string): HopperEntry | undefined {
    return this.#slots.get(contactId)?.entry;
  }

  /** The earliest `dueAt` of a waiting contact. */
  nextDueAt(): number | undefined {
    for (;;) {
      const top = this.#waiting.peek();
      if (!top) return undefined;
      if (top.token === top.slot.token && top.slot.state === 'waiting') return top.slot.entry.dueAt;
      this.#waiting.pop();
    }
  }

  /**
   * Move contacts whose time has come into the ready set and top the buffer up to
   * `targetSize` in hopper order (a callback that just fell due goes to the front). Emits
   * `lowWater` when fewer than the low-water mark remain.
   */
  refill(now: number): void {
    for (;;) {
      const top = this.#waiting.peek();
      if (!top || top.slot.entry.dueAt > now) {
        if (top && (top.token !== top.slot.token || top.slot.state !== 'waiting')) {
          this.#waiting.pop();
          continue;
        }
        break;
      }
      this.#waiting.pop();
      if (top.token !== top.slot.token || top.slot.state !== 'waiting') continue;
      this.#move(top.slot, 'ready');
      this.#ready.push({ slot: top.slot, token: top.slot.token });
    }
    for (;;) {
      const top = this.#ready.peek();
      if (!top) break;
      if (top.token !== top.slot.token || top.slot.state !== 'ready') {
        this.#ready.pop();
        continue;
      }
      const last = this.#buffer[this.#buffer.length - 1];
      if (this.#buffer.length >= this.#target && last && compareHopperEntries(top.slot.entry, last.entry) >= 0) break;
      this.#ready.pop();
      this.#insertBuffered(top.slot);
      if (this.#buffer.length > this.#target) {
        const evicted = this.#buffer.pop() as Slot;
        this.#move(evicted, 'ready');
        this.#ready.push({ slot: evicted, token: evicted.token });
      }
    }
    if (this.#buffer.length < this.#lowWater) {
      const nextDueAt = this.nextDueAt();
      let waiting = 0;
      for (const s of this.#slots.values()) if (s.state === 'waiting') waiting++;
      this.#emitter.emit('lowWater', {
        size: this.#buffer.length,
        lowWater: this.#lowWater,
        waiting,
        ...(nextDueAt === undefined ? {} : { nextDueAt }),
      });
    }
  }

  /**
   * Take up to `count` contacts to dial, in hopper order, and refill. Agent-owned callbacks
   * are taken only when `agentIds` includes their agent. Claimed contacts stay held until
   * `complete`, `defer`, `release` or `remove`.
   */
  claim(count: number, now: number, options: { agentIds?: readonly string[] } = {}): HopperEntry[] {
    this.refill(now);
    const agents = options.agentIds ? new Set(options.agentIds) : undefined;
    const out: HopperEntry[] = [];
    const kept: Slot[] = [];
    for (const slot of this.#buffer) {
      const owned = slot.entry.agentId;
      if (out.length < count && (owned === undefined || agents?.has(owned) === true)) {
        this.#move(slot, 'claimed');
        out.push(slot.entry);
      } else kept.push(slot);
    }
    this.#buffer = kept;
    this.refill(now);
    return out;
  }

  /**
   * Record how a claimed contact's attempt ended and recycle it: retry at T, callback at T,
   * or out of the hopper (done or DNC). Returns the decision.
   */
  complete(contactId: string, end: AttemptEnd, now: number): RecycleOutcome {
    const slot = this.#claimed(contactId, 'complete');
    const attempts = slot.entry.attempts + 1;
    const decision = decideRecycle(this.#campaign, attempts, end, now);
    if (decision.kind === 'retry') this.#wait(slot, { ...slot.entry, kind: 'retry', dueAt: decision.dueAt, attempts });
    else if (decision.kind === 'callback') this.#wait(slot, callbackEntry(slot.entry, decision.dueAt, decision.agentId, attempts));
    else this.#slots.delete(contactId);
    return decision;
  }

  /** The compliance gate refused a claimed contact until `untilMs`: it waits, keeping its kind. */
  defer(contactId: string, untilMs: number): void {
    const slot = this.#claimed(contactId, 'defer');
    this.#wait(slot, { ...slot.entry, dueAt: untilMs });
  }

  /** Give a claimed contact back undialled (it keeps its place in the order). */
  release(contactId: string): void {
    const slot = this.#claimed(contactId, 'release');
    this.#move(slot, 'ready');
    this.#ready.push({ slot, token: slot.token });
  }

  /** Schedule a callback for a held contact (agent-owned when `agentId` is given). */
  scheduleCallback(contactId: string, atMs: number, agentId?: string): void {
    const slot = this.#slots.get(contactId);
    if (!slot) throw new PacelineError('E_NOT_FOUND', `hopper: contact ${contactId} is not in the hopper`);
    if (slot.state === 'buffered') this.#buffer = this.#buffer.filter((s) => s !== slot);
    this.#wait(slot, callbackEntry(slot.entry, atMs, agentId, slot.entry.attempts));
  }

  /** Take a contact out entirely (DNC, done elsewhere). Returns false when it was not held. */
  remove(contactId: string): boolean {
    const slot = this.#slots.get(contactId);
    if (!slot) return false;
    if (slot.state === 'buffered') this.#buffer = this.#buffer.filter((s) => s !== slot);
    slot.token++;
    this.#slots.delete(contactId);
    return true;
  }

  #claimed(contactId: string, action: string): Slot {
    const slot = this.#slots.get(contactId);
    if (slot?.state !== 'claimed') {
      throw new PacelineError('E_CONFLICT', `hopper.${action}: contact ${contactId} is not claimed (state ${slot?.state ?? 'absent'})`);
    }
    return slot;
  }

  #wait(slot: Slot, entry: HopperEntry): void {
    slot.entry = entry;
    this.#move(slot, 'waiting');
    this.#waiting.push({ slot, token: slot.token });
  }

  #move(slot: Slot, state: State): void {
    slot.state = state;
    slot.token++;
  }

  #insertBuffered(slot: Slot): void {
    this.#move(slot, 'buffered');
    let lo = 0;
    let hi = this.#buffer.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareHopperEntries((this.#buffer[mid] as Slot).entry, slot.entry) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.#buffer.splice(lo, 0, slot);
  }
}

function callbackEntry(entry: HopperEntry, dueAt: number, agentId: string | undefined, attempts: number): HopperEntry {
  const { agentId: _previous, ...rest } = entry;
  return { ...rest, kind: 'callback', dueAt, attempts, ...(agentId === undefined ? {} : { agentId }) };
}
