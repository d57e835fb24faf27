import { randomUUID } from 'node:crypto';
import {
  type Attempt,
  type CampaignRecord,
  type Clock,
  type Contact,
  type ContactCounts,
  type ContactRecord,
  ContactState,
  checkDncPageRequest, // dnc-shared
  checkDncRequest, // dnc-shared
  checkInboundQueueStatsAdd, // issue-23 23-dist
  commandTimeoutOf,
  type DncPage, // dnc-shared
  type DncRequest, // dnc-shared
  INBOUND_STATS_INTERVAL_MS, // issue-23 23-dist
  INBOUND_STATS_RETENTION_MS, // issue-23 23-dist
  type InboundCall, // issue-23
  type InboundQueueCounts, // issue-23 23-dist
  type InboundQueueInterval, // issue-23 23-dist
  inboundStatsInterval, // issue-23 23-dist
  inboundStatsIntervals, // issue-23 23-dist
  LEDGER_RETENTION_MS,
  type LiveAnswerEntry,
  PacelineError,
  type Store,
  type StoredDncRequest, // dnc-shared
  systemClock,
} from '@paceline/core';
import { boundedClient, STORE_COMMAND_TIMEOUT_MS } from './command-timeout';
import { addContactsScript, claimDueScript, restoreCampaignScript, restoreContactScript, updateContactScript } from './contact-scripts';
import { addDncScript, listDncScript } from './dnc-scripts'; // dnc-shared
import { addInboundStatsScript, fromInboundStatsHash, listInboundStatsScript } from './inbound-stats-scripts'; // issue-23 23-dist
import { RedisKeys } from './keys';
import {
  countLiveAnswersScript,
  listAttemptsScript,
  putAttemptScript,
  recordLiveAnswerScript,
  restoreAttemptScript,
  restoreLiveAnswerScript,
} from './ledger-scripts';
import type { RedisClient } from './lua-script';
import { WriteJournal } from './write-journal';

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /**
   * A connected ioredis client (`Redis`, or `Cluster` — a campaign's keys share one slot).
   * The host owns it: the store never closes it, so one connection can serve several stores.
   */
  readonly redis: RedisClient;
  /** The tenant whose data this store sees; no key of another tenant is reachable. 1–64 of `A–Z a–z 0–9 _ . -`. */
  readonly tenant: string;
  /** First segment of every key; default `paceline`. Same characters as `tenant`. */
  readonly keyPrefix?: string;
  /**
   * How long the store remembers the writes Redis acknowledged, to write them again after
   * the connection drops: `appendfsync everysec` can lose about the last second of them when
   * the server's machine dies, a replica promoted on failover whatever it had not received
   * (docs/distributed.md, "What a crash can lose"). Default 5 000 ms; `0` turns the journal
   * off (use it only with `appendfsync always` and no replicas).
   */
  readonly journalMs?: number;
  /** The clock the journal's window runs on; default the system clock. */
  readonly clock?: Clock;
  /** Called when writing the journal back fails for good (the store's operations then fail on their own). Default: ignore. */
  readonly onJournalError?: (error: unknown) => void;
  /**
   * rb9: the longest one store command waits for Redis's answer, ms; default
   * {@link STORE_COMMAND_TIMEOUT_MS} (5 s); 0: no bound. A frozen server (or a dropped link the OS has
   * not noticed) answers nothing, and ioredis without its own `commandTimeout` waits for ever: every
   * engine call on the store would hang until the server woke. Past the bound the call rejects (the
   * engine reports the store unavailable and retries its bookkeeping, as for a refused connection);
   * Redis may still run the command later — the engine's writes are safe to repeat. Runs on `clock`.
   */
  readonly commandTimeoutMs?: number;
}

/** Default {@link RedisStoreOptions.journalMs}. */
export const DEFAULT_JOURNAL_MS = 5_000;

const STATES = Object.values(ContactState);
/** Contacts sent to Redis per `addContacts` script call: bounds one script's run time (Redis is single-threaded). */
const ADD_BATCH = 500;

/**
 * The `Store` on Redis, shared by several engine processes. Each operation that must be
 * atomic (adding contacts, the optimistic update, the hopper claim, the attempt and abandon
 * ledgers) is one Lua script (see `contact-scripts.ts`, `ledger-scripts.ts`); time always
 * comes in as an argument. Records are stored as JSON; contacts as one hash each so the
 * scripts change their state without re-encoding the contact.
 */
export class RedisStore implements Store {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;
  readonly #journal: WriteJournal | undefined;
  /** Makes each `updateContact` write id and `claimDue` claim id unique across stores and processes (see `contact-scripts.ts`). */
  readonly #writerId = randomUUID();
  #writes = 0;

  constructor(options: RedisStoreOptions) {
    if (options?.redis === undefined) {
      throw new PacelineError('E_INVALID_CONFIG', 'RedisStore options.redis: expected an ioredis client (new Redis(url)), got nothing');
    }
    const journalMs = options.journalMs ?? DEFAULT_JOURNAL_MS;
    if (!(Number.isFinite(journalMs) && journalMs >= 0)) {
      throw new PacelineError(
        'E_INVALID_CONFIG',
        `RedisStore options.journalMs: expected 0 (off) or a positive number of ms, got ${journalMs}`,
      );
    }
    const clock = options.clock ?? systemClock();
    const timeoutMs = commandTimeoutOf(options.commandTimeoutMs, STORE_COMMAND_TIMEOUT_MS, 'RedisStore');
    // rb9: every command bounded (the journal watches the host's client itself: its events, its status)
    this.#redis = boundedClient(options.redis, timeoutMs, clock, 'RedisStore');
    this.#keys = new RedisKeys(options.keyPrefix ?? 'paceline', options.tenant);
    this.#journal =
      journalMs === 0
        ? undefined
        : new WriteJournal(options.redis, clock, journalMs, (keys) => this.#replay(keys), options.onJournalError ?? (() => {}));
  }

  /** How many writes the journal holds (diagnostics and tests). */
  get journalSize(): number {
    return this.#journal?.size ?? 0;
  }

  async putCampaign(record: CampaignRecord): Promise<void> {
    await this.#journal?.whenOpen();
    await this.#redis.hset(this.#keys.campaigns, record.campaign.id, JSON.stringify(record));
    this.#journal?.record(`k:${record.campaign.id}`, { kind: 'campaign', record });
  }

  async getCampaign(campaignId: string): Promise<CampaignRecord | undefined> {
    await this.#journal?.whenOpen();
    const json = await this.#redis.hget(this.#keys.campaigns, campaignId);
    return json === null ? undefined : (JSON.parse(json) as CampaignRecord);
  }

  async listCampaigns(): Promise<CampaignRecord[]> {
    await this.#journal?.whenOpen();
    return (await this.#redis.hvals(this.#keys.campaigns)).map((json) => JSON.parse(json) as CampaignRecord);
  }

  async addContacts(campaignId: string, contacts: readonly Contact[]): Promise<number> {
    await this.#journal?.whenOpen();
    const k = this.#keys.campaign(campaignId);
    let added = 0;
    for (let i = 0; i < contacts.length; i += ADD_BATCH) {
      const batch = contacts.slice(i, i + ADD_BATCH);
      const args: (string | number)[] = [k.base];
      for (const contact of batch) args.push(contact.id, JSON.stringify(contact), contact.priority ?? 0);
      await this.#indexPhones(campaignId, batch); // issue-23: before the write (checked on read)
      added += Number(await addContactsScript.run(this.#redis, [k.seq, k.hopper, k.sched, k.due], args));
      const journal = this.#journal;
      if (journal !== undefined) {
        for (const contact of batch) {
          const key = contactKey(campaignId, contact.id);
          // A later write of the same contact says more than "it exists".
          if (journal.latest(key) !== undefined) continue;
          const record: ContactRecord = { campaignId, contact, state: ContactState.Ready, attempts: 0, seq: -1, version: 1 };
          journal.record(key, { kind: 'contact', record, added: true });
        }
      }
    }
    return added;
  }

  async getContact(campaignId: string, contactId: string): Promise<ContactRecord | undefined> {
    await this.#journal?.whenOpen();
    const hash = await this.#redis.hgetall(this.#keys.campaign(campaignId).contact(contactId));
    return hash.contact === undefined ? undefined : toContactRecord(campaignId, hash);
  }

  async updateContact(record: ContactRecord): Promise<ContactRecord | undefined> {
    await this.#journal?.whenOpen();
    const k = this.#keys.campaign(record.campaignId);
    await this.#indexPhones(record.campaignId, [record.contact]); // issue-23: a changed phone is findable
    const reply = await updateContactScript.run(
      this.#redis,
      [k.hopper, k.sched, k.due],
      [k.base, record.contact.id, record.version, ...contactFields(record), `${this.#writerId}:${++this.#writes}`],
    );
    if (!Array.isArray(reply)) return undefined;
    const [version, seq] = reply as [number, number];
    const updated = { ...structuredClone(record), seq, version };
    this.#journal?.record(contactKey(record.campaignId, record.contact.id), { kind: 'contact', record: updated, added: false });
    return updated;
  }

  /**
   * issue-23: every campaign's contacts with `phone` among their phones (an inbound caller's
   * match). The index may hold contacts that no longer have the number; each is checked here.
   */
  async findContactsByPhone(phone: string): Promise<ContactRecord[]> {
    await this.#journal?.whenOpen();
    const members = await this.#redis.smembers(this.#keys.phone(phone));
    const found = await Promise.all(
      members.map(async (member) => {
        const [campaignId, contactId] = JSON.parse(member) as [string, string];
        const record = await this.getContact(campaignId, contactId);
        return record?.contact.phones.some((p) => p.number === phone) ? record : undefined;
      }),
    );
    return found.filter((r): r is ContactRecord => r !== undefined);
  }

  /** issue-23: add the contacts' phones to the phone index (one SADD per number). */
  async #indexPhones(campaignId: string, contacts: readonly Contact[]): Promise<void> {
    const byPhone = new Map<string, string[]>();
    for (const contact of contacts) {
      for (const { number } of contact.phones)
        byPhone.set(number, [...(byPhone.get(number) ?? []), JSON.stringify([campaignId, contact.id])]);
    }
    await Promise.all([...byPhone].map(([number, members]) => this.#redis.sadd(this.#keys.phone(number), ...members)));
  }

  async claimDue(campaignId: string, now: number, limit: number, agentIds: readonly string[] = []): Promise<ContactRecord[]> {
    const n = Math.floor(limit);
    if (!(n > 0)) return [];
    await this.#journal?.whenOpen();
    const k = this.#keys.campaign(campaignId);
    const claimId = `${this.#writerId}:claim:${++this.#writes}`;
    const reply = (await claimDueScript.run(
      this.#redis,
      [k.hopper, k.sched, k.due],
      [k.base, now, n, this.#writerId, claimId, ...agentIds],
    )) as string[][];
    const claimed = reply.map((flat) => toContactRecord(campaignId, fromFlat(flat)));
    return this.#journal === undefined ? claimed : await this.#checkClaims(this.#journal, claimed);
  }

  /**
   * A claim returns each contact at its new version. If this store was told of a write of the
   * contact at that version or later, the server has lost acknowledged writes (a crash or a
   * failover the connection did not show): the contact is put back as it was acknowledged
   * (dialling it again could call someone twice), left out of the claim, and the whole journal
   * is written again before anything else goes through.
   */
  async #checkClaims(journal: WriteJournal, claimed: ContactRecord[]): Promise<ContactRecord[]> {
    const fresh: ContactRecord[] = [];
    let behind = false;
    for (const record of claimed) {
      const key = contactKey(record.campaignId, record.contact.id);
      const known = journal.latest(key);
      if (known?.kind === 'contact' && !known.added && known.record.version >= record.version) {
        behind = true;
        // At the acknowledged version when that is ahead, so the engine's record of it stays current.
        const restored = { ...known.record, seq: record.seq, version: Math.max(known.record.version, record.version + 1) };
        await this.#restoreContact(restored, 'eq', record.version);
        journal.record(key, { kind: 'contact', record: restored, added: false });
        continue;
      }
      journal.record(key, { kind: 'contact', record, added: false });
      fresh.push(record);
    }
    if (behind) {
      journal.suspect();
      await journal.whenOpen();
    }
    return fresh;
  }

  /** Write the journal's writes again, each guarded; see {@link WriteJournal}. */
  async #replay(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const write = this.#journal?.latest(key);
      if (write === undefined) continue;
      switch (write.kind) {
        case 'campaign':
          await restoreCampaignScript.run(
            this.#redis,
            [this.#keys.campaigns],
            [write.record.campaign.id, JSON.stringify(write.record), write.record.updatedAt],
          );
          break;
        case 'contact':
          await this.#indexPhones(write.record.campaignId, [write.record.contact]);
          await this.#restoreContact(write.record, 'lt', write.added ? 1 : write.record.version);
          break;
        case 'attempt':
          await this.#writeAttempt(write.attempt, restoreAttemptScript);
          break;
        case 'live-answer':
          await this.#writeLiveAnswer(write.entry, restoreLiveAnswerScript);
          break;
        case 'dnc': // dnc-shared: idempotent per (number, list); a lost request is added again
          await this.#writeDnc(write.entry);
          break;
      }
    }
  }

  async #restoreContact(record: ContactRecord, mode: 'lt' | 'eq', against: number): Promise<void> {
    const k = this.#keys.campaign(record.campaignId);
    await restoreContactScript.run(
      this.#redis,
      [k.hopper, k.sched, k.due, k.seq],
      [k.base, record.contact.id, mode, against, record.version, ...contactFields(record), record.seq >= 0 ? record.seq : ''],
    );
  }

  async countContacts(campaignId: string): Promise<ContactCounts> {
    await this.#journal?.whenOpen();
    const k = this.#keys.campaign(campaignId);
    const multi = this.#redis.multi();
    for (const state of STATES) multi.zcard(k.state(state));
    const replies = (await multi.exec()) ?? [];
    const counts = {} as Record<ContactState, number>;
    STATES.forEach((state, i) => {
      const [error, count] = replies[i] ?? [null, 0];
      if (error) throw error;
      counts[state] = Number(count);
    });
    return counts;
  }

  async listContacts(campaignId: string, state: ContactState): Promise<ContactRecord[]> {
    await this.#journal?.whenOpen();
    const k = this.#keys.campaign(campaignId);
    const ids = await this.#redis.zrange(k.state(state), '0', '-1');
    if (ids.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    for (const id of ids) pipeline.hgetall(k.contact(id));
    const replies = (await pipeline.exec()) ?? [];
    const records: ContactRecord[] = [];
    for (const [error, hash] of replies) {
      if (error) throw error;
      const h = hash as Record<string, string>;
      // A contact may have moved on between the two reads: list only what is still in `state`.
      if (h.contact !== undefined && h.state === state) records.push(toContactRecord(campaignId, h));
    }
    return records;
  }

  async nextDueAt(campaignId: string): Promise<number | undefined> {
    await this.#journal?.whenOpen();
    const [, score] = await this.#redis.zrange(this.#keys.campaign(campaignId).due, '0', '0', 'WITHSCORES');
    return score === undefined ? undefined : Number(score);
  }

  async putAttempt(attempt: Attempt): Promise<void> {
    await this.#journal?.whenOpen();
    await this.#writeAttempt(attempt);
    this.#journal?.record(`a:${attempt.id}`, { kind: 'attempt', attempt });
  }

  async #writeAttempt(attempt: Attempt, script = putAttemptScript): Promise<void> {
    const k = this.#keys.campaign(attempt.campaignId);
    // The id → campaign index first: an attempt is findable by id as soon as it is stored.
    // (A separate command: on Redis Cluster the index and the campaign's keys are in different slots.)
    await this.#redis.hset(this.#keys.attemptCampaign, attempt.id, attempt.campaignId);
    await script.run(
      this.#redis,
      [k.attempts, k.openAttempts, k.attemptSeq, k.contactAttempts(attempt.contactId)],
      [attempt.id, JSON.stringify(attempt), attempt.endedAt === undefined ? '1' : '0'],
    );
  }

  async getAttempt(attemptId: string): Promise<Attempt | undefined> {
    await this.#journal?.whenOpen();
    const campaignId = await this.#redis.hget(this.#keys.attemptCampaign, attemptId);
    if (campaignId === null) return undefined;
    const json = await this.#redis.hget(this.#keys.campaign(campaignId).attempts, attemptId);
    return json === null ? undefined : (JSON.parse(json) as Attempt);
  }

  async listAttempts(campaignId: string, contactId: string): Promise<Attempt[]> {
    await this.#journal?.whenOpen();
    const k = this.#keys.campaign(campaignId);
    return parseAll(await listAttemptsScript.run(this.#redis, [k.contactAttempts(contactId), k.attempts], ['list']));
  }

  async listOpenAttempts(campaignId: string): Promise<Attempt[]> {
    await this.#journal?.whenOpen();
    const k = this.#keys.campaign(campaignId);
    return parseAll(await listAttemptsScript.run(this.#redis, [k.openAttempts, k.attempts], ['zset']));
  }

  /**
   * issue-23: create or replace an inbound call. The record first, then its place in the
   * arrival index (separate single-key commands: cluster-safe; a listing skips an id whose
   * record is missing). A call's `arrivedAt` never changes, so the index entry is stable.
   */
  async putInboundCall(call: InboundCall): Promise<void> {
    await this.#journal?.whenOpen();
    await this.#redis.hset(this.#keys.inboundCalls, call.id, JSON.stringify(call));
    await this.#redis.zadd(this.#keys.inboundArrivals, call.arrivedAt, call.id);
  }

  /** issue-23: inbound calls with `since ≤ arrivedAt < until`, oldest first (ties by id). */
  async listInboundCalls(since: number, until: number): Promise<InboundCall[]> {
    await this.#journal?.whenOpen();
    if (!(until > since)) return [];
    const ids = await this.#redis.zrangebyscore(this.#keys.inboundArrivals, since, `(${until}`);
    if (ids.length === 0) return [];
    const records = await this.#redis.hmget(this.#keys.inboundCalls, ...ids);
    return records.filter((json): json is string => json !== null).map((json) => JSON.parse(json) as InboundCall);
  }

  /**
   * issue-23 23-dist: add to a queue's interval counters (one script: HINCRBY per counter, then
   * the hash's expiry). Not journaled: an add is not idempotent, so writing it again after a
   * lost connection could count it twice; a server that loses acknowledged writes loses these
   * counts (docs/distributed.md).
   */
  async addInboundQueueStats(queueId: string, at: number, writer: string, delta: Partial<InboundQueueCounts>): Promise<void> {
    const checked = checkInboundQueueStatsAdd(queueId, at, writer, delta);
    const entries = Object.entries(checked);
    if (entries.length === 0) return;
    await this.#journal?.whenOpen();
    const start = inboundStatsInterval(at);
    const args: (string | number)[] = [INBOUND_STATS_INTERVAL_MS + INBOUND_STATS_RETENTION_MS];
    for (const [name, value] of entries) args.push(`${writer}|${name}`, value as number);
    await addInboundStatsScript.run(this.#redis, [this.#keys.inboundStats(queueId, start)], args);
  }

  /** issue-23 23-dist: a queue's intervals in [since, until) with a count, from one snapshot. */
  async listInboundQueueStats(queueId: string, since: number, until: number): Promise<InboundQueueInterval[]> {
    const starts = inboundStatsIntervals(queueId, since, until);
    if (starts.length === 0) return [];
    await this.#journal?.whenOpen();
    const keys = starts.map((start) => this.#keys.inboundStats(queueId, start));
    const hashes = (await listInboundStatsScript.run(this.#redis, keys, [])) as string[][];
    const out: InboundQueueInterval[] = [];
    starts.forEach((start, i) => {
      const interval = fromInboundStatsHash(queueId, start, hashes[i] ?? []);
      if (interval) out.push(interval);
    });
    return out;
  }

  async recordLiveAnswer(entry: LiveAnswerEntry): Promise<void> {
    await this.#journal?.whenOpen();
    await this.#writeLiveAnswer(entry);
    this.#journal?.record(`l:${entry.attemptId}`, { kind: 'live-answer', entry });
  }

  async #writeLiveAnswer(entry: LiveAnswerEntry, script = recordLiveAnswerScript): Promise<void> {
    const k = this.#keys.campaign(entry.campaignId);
    const expireBefore = entry.at - LEDGER_RETENTION_MS;
    await script.run(
      this.#redis,
      [k.live, k.abandoned],
      [entry.attemptId, entry.at, entry.abandoned ? '1' : '0', expireBefore, entry.machine === true ? '1' : '0'],
    );
  }

  async countLiveAnswers(campaignId: string, since: number, until: number): Promise<{ liveAnswers: number; abandoned: number }> {
    await this.#journal?.whenOpen();
    if (!(until > since)) return { liveAnswers: 0, abandoned: 0 };
    const k = this.#keys.campaign(campaignId);
    const [liveAnswers, abandoned] = (await countLiveAnswersScript.run(this.#redis, [k.live, k.abandoned], [since, until])) as [
      number,
      number,
    ];
    return { liveAnswers, abandoned };
  }

  /** dnc-shared: keep a do-not-call request; the first per (number, list) is kept and returned. Journalled. */
  async addDnc(entry: DncRequest): Promise<StoredDncRequest> {
    const checked = checkDncRequest(entry);
    await this.#journal?.whenOpen();
    const stored = await this.#writeDnc(checked);
    this.#journal?.record(`d:${dncList(checked.campaignId)}\u0000${checked.phone}`, { kind: 'dnc', entry: checked });
    return stored;
  }

  async #writeDnc(entry: DncRequest): Promise<StoredDncRequest> {
    const k = this.#keys.dnc;
    const list = dncList(entry.campaignId);
    const value = await addDncScript.run(
      this.#redis,
      [k.seq, k.log, k.phone(entry.phone)],
      [list, JSON.stringify(entry), JSON.stringify([list, entry.phone])],
    );
    return fromDncValue(value as string);
  }

  /** dnc-shared: every list holding `phone`. */
  async findDnc(phone: string): Promise<StoredDncRequest[]> {
    await this.#journal?.whenOpen();
    if (!/^\+[1-9][0-9]{6,14}$/.test(phone)) return [];
    return (await this.#redis.hvals(this.#keys.dnc.phone(phone))).map(fromDncValue);
  }

  /** dnc-shared: the additions after `afterSeq`, the version and the anchor, in one script. */
  async listDnc(afterSeq: number, limit: number): Promise<DncPage> {
    checkDncPageRequest(afterSeq, limit);
    await this.#journal?.whenOpen();
    const k = this.#keys.dnc;
    const [version, anchor, ...entries] = (await listDncScript.run(this.#redis, [k.seq, k.log], [k.phoneBase, afterSeq, limit])) as [
      number,
      string | null,
      ...(string | null)[],
    ];
    return {
      version: Number(version),
      entries: entries.filter((v): v is string => v !== null).map(fromDncValue),
      ...(anchor === null ? {} : { anchor: fromDncValue(anchor) }),
    };
  }
}

/** dnc-shared: the list key of a request: `i` the internal list, `c:<campaignId>` a campaign's. */
function dncList(campaignId: string | undefined): string {
  return campaignId === undefined ? 'i' : `c:${campaignId}`;
}

/** dnc-shared: a stored "<seq>:<entry JSON>" as the entry. */
function fromDncValue(value: string): StoredDncRequest {
  const colon = value.indexOf(':');
  return { ...(JSON.parse(value.slice(colon + 1)) as DncRequest), seq: Number(value.slice(0, colon)) };
}

/** The journal's key of a contact in a campaign. */
function contactKey(campaignId: string, contactId: string): string {
  return `c:${campaignId}\u0000${contactId}`;
}

/** A flat `[field, value, field, value, …]` reply as an object. */
function fromFlat(flat: readonly string[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i] as string] = flat[i + 1] as string;
  return hash;
}

/** A contact's stored fields as updateContact and restoreContact take them: state, attempts, dueAt, callback agent, JSON, priority. */
function contactFields(record: ContactRecord): (string | number)[] {
  return [
    record.state,
    record.attempts,
    record.dueAt ?? '',
    record.callbackAgentId ?? '',
    JSON.stringify(record.contact),
    record.contact.priority ?? 0,
  ];
}

function toContactRecord(campaignId: string, h: Record<string, string>): ContactRecord {
  const due = h.due ?? '';
  const agent = h.agent ?? '';
  return {
    campaignId,
    contact: JSON.parse(h.contact ?? 'null') as Contact,
    state: h.state as ContactState,
    attempts: Number(h.attempts),
    ...(due === '' ? {} : { dueAt: Number(due) }),
    ...(agent === '' ? {} : { callbackAgentId: agent }),
    seq: Number(h.seq),
    version: Number(h.version),
  };
}

function parseAll(reply: unknown): Attempt[] {
  return (reply as string[]).map((json) => JSON.parse(json) as Attempt);
}

/** A `Store` on Redis for one tenant; see {@link RedisStoreOptions}. */
export function createRedisStore(options: RedisStoreOptions): Store {
  return new RedisStore(options);
}
