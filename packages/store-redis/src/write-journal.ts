import {
  type Attempt,
  type CampaignRecord,
  type Clock,
  type ContactRecord,
  type DncRequest, // dnc-shared
  type LiveAnswerEntry,
  RecentWrites,
} from '@paceline/core';
import type { RedisClient } from './lua-script';

/** One acknowledged write the journal can make again. */
export type JournalledWrite =
  | { readonly kind: 'campaign'; readonly record: CampaignRecord }
  /** `added`: written by `addContacts` (restored only if the contact is missing altogether). */
  | { readonly kind: 'contact'; readonly record: ContactRecord; readonly added: boolean }
  | { readonly kind: 'attempt'; readonly attempt: Attempt }
  | { readonly kind: 'live-answer'; readonly entry: LiveAnswerEntry }
  /** dnc-shared: a do-not-call request (added again when missing; never taken back). */
  | { readonly kind: 'dnc'; readonly entry: DncRequest };

/**
 * Writes the journal's entries back to the server, each guarded (see `restoreContactScript`).
 * It gets the keys, oldest write first, and reads each key's latest write as it reaches it: a
 * write acknowledged while the replay runs supersedes the one the replay started with.
 */
export type ReplayWrites = (keys: readonly string[]) => Promise<void>;

/** ioredis client events after which the server may have lost acknowledged writes (`Redis` and `Cluster`). */
const SUSPECT_EVENTS = ['close', '-node'] as const;
/** ioredis client events that say the connection is up again. */
const CONNECTED_EVENTS = ['ready', '+node'] as const;
/** Pause between replay tries while the server cannot be reached. */
const RETRY_MS = 250;

/**
 * The Redis store's journal of recent acknowledged writes, and the gate that holds the store's
 * operations while they are written again.
 *
 * Why: with `appendfsync everysec`, a machine crash (or a failover to a replica that had not
 * caught up) takes back up to about the last second of writes the server had acknowledged —
 * a claim, a disposition, a sale's attempt. Engines on other machines live on and believe them.
 * So each store keeps what it was told was written in the last `windowMs`, and when its
 * connection drops (or a claim shows the server is behind what it acknowledged) it holds every
 * store operation until it has written them all again on the connection that comes back. The
 * replay's commands wait in the client's queue until the server is back, so they reach it
 * before any operation the gate held. Each replay is guarded (a contact by its version, a
 * campaign by `updatedAt`; attempts and live answers are idempotent by id), so replaying what
 * survived changes nothing.
 *
 * Operations wait for the next replay try to end and fail with its error when it fails, as
 * they would have failed on their own (a client with `enableOfflineQueue: false` fails fast;
 * one with the default queue waits for the reconnect): the engine sees the outage the same way
 * with or without the journal. The next try starts when the connection is back, or `RETRY_MS`
 * later, until one succeeds or the host closes the client.
 *
 * The listeners go on the host's client once per client (a `WeakMap`) and reach each store
 * through a `WeakRef`, so stores sharing a connection neither pile up listeners nor leak.
 */
export class WriteJournal {
  readonly #redis: RedisClient;
  readonly #clock: Clock;
  readonly #recent: RecentWrites<JournalledWrite>;
  readonly #replay: ReplayWrites;
  readonly #onError: (error: unknown) => void;
  /** True from a suspicion until a replay that started after it has succeeded. */
  #pending = false;
  /** What operations wait for while pending: settled by the next try that ends (rejected when it fails). */
  #outcome: Deferred | undefined;
  /** Ends the pause between tries early (the connection is back). */
  #wake: (() => void) | undefined;
  /** Bumped by each suspicion: a replay that started before the latest one runs again. */
  #epoch = 0;
  #draining = false;

  constructor(redis: RedisClient, clock: Clock, windowMs: number, replay: ReplayWrites, onError: (error: unknown) => void) {
    this.#redis = redis;
    this.#clock = clock;
    this.#recent = new RecentWrites(clock, windowMs);
    this.#replay = replay;
    this.#onError = onError;
    watchConnection(redis, this);
  }

  /** `undefined` when operations may go at once; else a promise of the replay try they must wait for (it may reject). */
  whenOpen(): Promise<void> | undefined {
    return this.#pending ? this.#outcome?.promise : undefined;
  }

  /** Note an acknowledged write under `key` (the latest per key is kept). */
  record(key: string, write: JournalledWrite): void {
    this.#recent.record(key, write);
  }

  /** The latest journalled write of `key`, if it is in the window. */
  latest(key: string): JournalledWrite | undefined {
    return this.#recent.get(key);
  }

  /** How many keys the window holds. */
  get size(): number {
    return this.#recent.size;
  }

  /** The connection dropped, or a claim found the server behind: hold operations and write the journal again. */
  suspect(): void {
    this.#epoch++;
    if (!this.#pending) {
      this.#pending = true;
      this.#outcome = deferred();
    }
    void this.#drain();
  }

  /** The connection is (back) up: a replay waiting out its pause starts now. */
  connected(): void {
    this.#wake?.();
  }

  async #drain(): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    try {
      while (this.#pending) {
        const epoch = this.#epoch;
        try {
          await this.#replay(this.#recent.entries().map(([key]) => key));
          if (epoch === this.#epoch) {
            this.#pending = false;
            this.#outcome?.resolve();
          }
        } catch (error) {
          const failed = this.#outcome;
          if ((this.#redis as { status?: string }).status === 'end') {
            // The host closed the client: nothing more can be written; operations fail on their own.
            this.#pending = false;
            this.#onError(error);
            failed?.resolve();
            return;
          }
          // Those waiting fail as they would have without the journal; later ones wait for the next try.
          this.#outcome = deferred();
          failed?.reject(error);
          await new Promise<void>((resolve) => {
            this.#wake = resolve;
            this.#clock.setTimer(RETRY_MS, resolve);
          });
          this.#wake = undefined;
        }
      }
    } finally {
      this.#draining = false;
    }
  }
}

interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

function deferred(): Deferred {
  let resolve = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<void>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  // Waiters get the rejection; this keeps it from counting as unhandled when there are none.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

interface Watch {
  readonly journals: Set<WeakRef<WriteJournal>>;
}
const watches = new WeakMap<object, Watch>();

function watchConnection(redis: RedisClient, journal: WriteJournal): void {
  let watch = watches.get(redis);
  if (watch === undefined) {
    const created: Watch = { journals: new Set() };
    const each = (act: (j: WriteJournal) => void) => {
      for (const ref of created.journals) {
        const j = ref.deref();
        if (j === undefined) created.journals.delete(ref);
        else act(j);
      }
    };
    const emitter = redis as unknown as { on(event: string, listener: () => void): unknown };
    for (const event of SUSPECT_EVENTS) emitter.on(event, () => each((j) => j.suspect()));
    for (const event of CONNECTED_EVENTS) emitter.on(event, () => each((j) => j.connected()));
    watches.set(redis, created);
    watch = created;
  }
  watch.journals.add(new WeakRef(journal));
}
