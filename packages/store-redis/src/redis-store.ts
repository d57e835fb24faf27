import {
  type Attempt,
  type CampaignRecord,
  type Contact,
  type ContactCounts,
  type ContactRecord,
  ContactState,
  LEDGER_RETENTION_MS,
  type LiveAnswerEntry,
  PacelineError,
  type Store,
} from '@paceline/core';
import { addContactsScript, claimDueScript, updateContactScript } from './contact-scripts';
import { RedisKeys } from './keys';
import { countLiveAnswersScript, listAttemptsScript, putAttemptScript, recordLiveAnswerScript } from './ledger-scripts';
import type { RedisClient } from './lua-script';

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
}

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

  constructor(options: RedisStoreOptions) {
    if (options?.redis === undefined) {
      throw new PacelineError('E_INVALID_CONFIG', 'RedisStore options.redis: expected an ioredis client (new Redis(url)), got nothing');
    }
    this.#redis = options.redis;
    this.#keys = new RedisKeys(options.keyPrefix ?? 'paceline', options.tenant);
  }

  async putCampaign(record: CampaignRecord): Promise<void> {
    await this.#redis.hset(this.#keys.campaigns, record.campaign.id, JSON.stringify(record));
  }

  async getCampaign(campaignId: string): Promise<CampaignRecord | undefined> {
    const json = await this.#redis.hget(this.#keys.campaigns, campaignId);
    return json === null ? undefined : (JSON.parse(json) as CampaignRecord);
  }

  async listCampaigns(): Promise<CampaignRecord[]> {
    return (await this.#redis.hvals(this.#keys.campaigns)).map((json) => JSON.parse(json) as CampaignRecord);
  }

  async addContacts(campaignId: string, contacts: readonly Contact[]): Promise<number> {
    const k = this.#keys.campaign(campaignId);
    let added = 0;
    for (let i = 0; i < contacts.length; i += ADD_BATCH) {
      const args: (string | number)[] = [k.base];
      for (const contact of contacts.slice(i, i + ADD_BATCH)) args.push(contact.id, JSON.stringify(contact), contact.priority ?? 0);
      await this.#indexPhones(campaignId, contacts.slice(i, i + ADD_BATCH)); // issue-23: before the write (checked on read)
      added += Number(await addContactsScript.run(this.#redis, [k.seq, k.hopper, k.sched, k.due], args));
    }
    return added;
  }

  async getContact(campaignId: string, contactId: string): Promise<ContactRecord | undefined> {
    const hash = await this.#redis.hgetall(this.#keys.campaign(campaignId).contact(contactId));
    return hash.contact === undefined ? undefined : toContactRecord(campaignId, hash);
  }

  async updateContact(record: ContactRecord): Promise<ContactRecord | undefined> {
    const k = this.#keys.campaign(record.campaignId);
    await this.#indexPhones(record.campaignId, [record.contact]); // issue-23: a changed phone is findable
    const reply = await updateContactScript.run(
      this.#redis,
      [k.hopper, k.sched, k.due],
      [
        k.base,
        record.contact.id,
        record.version,
        record.state,
        record.attempts,
        record.dueAt ?? '',
        record.callbackAgentId ?? '',
        JSON.stringify(record.contact),
        record.contact.priority ?? 0,
      ],
    );
    if (!Array.isArray(reply)) return undefined;
    const [version, seq] = reply as [number, number];
    return { ...structuredClone(record), seq, version };
  }

  /**
   * issue-23: every campaign's contacts with `phone` among their phones (an inbound caller's
   * match). The index may hold contacts that no longer have the number; each is checked here.
   */
  async findContactsByPhone(phone: string): Promise<ContactRecord[]> {
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
    const k = this.#keys.campaign(campaignId);
    const reply = (await claimDueScript.run(this.#redis, [k.hopper, k.sched, k.due], [k.base, now, n, ...agentIds])) as string[][];
    return reply.map((flat) => toContactRecord(campaignId, fromFlat(flat)));
  }

  async countContacts(campaignId: string): Promise<ContactCounts> {
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
    const [, score] = await this.#redis.zrange(this.#keys.campaign(campaignId).due, '0', '0', 'WITHSCORES');
    return score === undefined ? undefined : Number(score);
  }

  async putAttempt(attempt: Attempt): Promise<void> {
    const k = this.#keys.campaign(attempt.campaignId);
    // The id → campaign index first: an attempt is findable by id as soon as it is stored.
    // (A separate command: on Redis Cluster the index and the campaign's keys are in different slots.)
    await this.#redis.hset(this.#keys.attemptCampaign, attempt.id, attempt.campaignId);
    await putAttemptScript.run(
      this.#redis,
      [k.attempts, k.openAttempts, k.attemptSeq, k.contactAttempts(attempt.contactId)],
      [attempt.id, JSON.stringify(attempt), attempt.endedAt === undefined ? '1' : '0'],
    );
  }

  async getAttempt(attemptId: string): Promise<Attempt | undefined> {
    const campaignId = await this.#redis.hget(this.#keys.attemptCampaign, attemptId);
    if (campaignId === null) return undefined;
    const json = await this.#redis.hget(this.#keys.campaign(campaignId).attempts, attemptId);
    return json === null ? undefined : (JSON.parse(json) as Attempt);
  }

  async listAttempts(campaignId: string, contactId: string): Promise<Attempt[]> {
    const k = this.#keys.campaign(campaignId);
    return parseAll(await listAttemptsScript.run(this.#redis, [k.contactAttempts(contactId), k.attempts], ['list']));
  }

  async listOpenAttempts(campaignId: string): Promise<Attempt[]> {
    const k = this.#keys.campaign(campaignId);
    return parseAll(await listAttemptsScript.run(this.#redis, [k.openAttempts, k.attempts], ['zset']));
  }

  async recordLiveAnswer(entry: LiveAnswerEntry): Promise<void> {
    const k = this.#keys.campaign(entry.campaignId);
    const expireBefore = entry.at - LEDGER_RETENTION_MS;
    await recordLiveAnswerScript.run(
      this.#redis,
      [k.live, k.abandoned],
      [entry.attemptId, entry.at, entry.abandoned ? '1' : '0', expireBefore],
    );
  }

  async countLiveAnswers(campaignId: string, since: number, until: number): Promise<{ liveAnswers: number; abandoned: number }> {
    if (!(until > since)) return { liveAnswers: 0, abandoned: 0 };
    const k = this.#keys.campaign(campaignId);
    const [liveAnswers, abandoned] = (await countLiveAnswersScript.run(this.#redis, [k.live, k.abandoned], [since, until])) as [
      number,
      number,
    ];
    return { liveAnswers, abandoned };
  }
}

/** A flat `[field, value, field, value, …]` reply as an object. */
function fromFlat(flat: readonly string[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i] as string] = flat[i + 1] as string;
  return hash;
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
