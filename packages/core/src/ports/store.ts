import type { CampaignState } from '../lifecycle/campaign-state';
import type { ContactState } from '../lifecycle/contact-state';
import type { Attempt } from '../schema/attempt';
import type { Campaign } from '../schema/campaign';
import type { Contact } from '../schema/contact';
import type { InboundCall } from '../schema/inbound-call';
import type { DncPage, DncRequest, StoredDncRequest } from './dnc-requests'; // dnc-shared
import type { InboundQueueCounts, InboundQueueInterval } from './inbound-queue-stats'; // issue-23 23-dist

/** A campaign with its lifecycle state, as stored. */
export interface CampaignRecord {
  readonly campaign: Campaign;
  readonly state: CampaignState;
  readonly updatedAt: number;
}

/** A contact's dialing state within one campaign, as stored. */
export interface ContactRecord {
  readonly campaignId: string;
  readonly contact: Contact;
  readonly state: ContactState;
  /** Attempts made in this campaign. */
  readonly attempts: number;
  /** When the contact may next be dialled (retry or callback time); absent = now. */
  readonly dueAt?: number;
  /** For an agent-owned callback: the agent who must take it. */
  readonly callbackAgentId?: string;
  /** Why the callback was booked (shown to the agent), e.g. "delivery failed: not at home". */
  readonly callbackReason?: string;
  /** Order in which the contact was added; the hopper's last tie-breaker. */
  readonly seq: number;
  /** Optimistic-concurrency version, bumped by every update. */
  readonly version: number;
}

/** Counts of a campaign's contacts per state (list penetration). */
export type ContactCounts = Readonly<Record<ContactState, number>>;

/** One entry of the abandon ledger: a live answer, abandoned or not. */
export interface LiveAnswerEntry {
  readonly campaignId: string;
  readonly attemptId: string;
  readonly at: number;
  readonly abandoned: boolean;
  /**
   * issue-17: the answer was a machine after all (call analysis revised the call, or its agent's
   * disposition said so). Recording the attempt again with `machine: true` takes it out of both
   * counts of {@link Store.countLiveAnswers}, for every process reading the store: a machine is
   * not a live answer.
   */
  readonly machine?: boolean;
}

/**
 * Where the dialer keeps its state. The embedded default is in memory; `store-redis`
 * shares it between processes. Every implementation passes the one conformance suite
 * (`test/conformance/store.ts`).
 */
export interface Store {
  /** Create or replace a campaign record. */
  putCampaign(record: CampaignRecord): Promise<void>;
  getCampaign(campaignId: string): Promise<CampaignRecord | undefined>;
  listCampaigns(): Promise<CampaignRecord[]>;

  /** Insert contacts (state `ready`, no attempts, version 1); ids already present are left untouched. Returns how many were new. */
  addContacts(campaignId: string, contacts: readonly Contact[]): Promise<number>;
  getContact(campaignId: string, contactId: string): Promise<ContactRecord | undefined>;
  /**
   * Replace a contact record if its stored version is still `record.version`; returns the
   * stored record (version + 1), or `undefined` when another writer got there first.
   */
  updateContact(record: ContactRecord): Promise<ContactRecord | undefined>;
  /**
   * The hopper claim: atomically move up to `limit` contacts that are dialable at `now` to
   * `queued` and return them in hopper order — callbacks due first, then higher contact
   * priority, then retries whose time has come before fresh contacts, then earlier `dueAt`,
   * then insertion order. Dialable: `ready`, or `waiting`/`callback` with `dueAt ≤ now`.
   * Agent-owned callbacks are claimed only when `agentIds` includes their agent.
   */
  claimDue(campaignId: string, now: number, limit: number, agentIds?: readonly string[]): Promise<ContactRecord[]>;
  /**
   * issue-23: every campaign's contacts with `phone` (E.164) among their phones, for matching an
   * inbound caller (a returned call); any order. Optional: a store without it matches no caller.
   */
  findContactsByPhone?(phone: string): Promise<ContactRecord[]>;
  /**
   * issue-23: create or replace an inbound call in the inbound call ledger (every inbound call,
   * returned or service). Optional: a store without it keeps no inbound history.
   */
  putInboundCall?(call: InboundCall): Promise<void>;
  /** issue-23: the inbound calls that arrived with `since ≤ arrivedAt < until`, oldest first (ties by id). */
  listInboundCalls?(since: number, until: number): Promise<InboundCall[]>;
  /** Contacts per state for a campaign. */
  countContacts(campaignId: string): Promise<ContactCounts>;
  /** A campaign's contacts in one state (for reconciliation after a restart), in insertion order. */
  listContacts(campaignId: string, state: ContactState): Promise<ContactRecord[]>;
  /** The earliest `dueAt` among `waiting`/`callback` contacts, or `undefined` when none waits. */
  nextDueAt(campaignId: string): Promise<number | undefined>;

  /** Create or replace an attempt. */
  putAttempt(attempt: Attempt): Promise<void>;
  getAttempt(attemptId: string): Promise<Attempt | undefined>;
  /** A contact's attempts in a campaign, oldest first. */
  listAttempts(campaignId: string, contactId: string): Promise<Attempt[]>;
  /** A campaign's attempts that have not ended (for reconciliation after a restart). */
  listOpenAttempts(campaignId: string): Promise<Attempt[]>;

  /**
   * Record a live answer in the campaign's abandon ledger (idempotent per attempt: the attempt's
   * latest entry replaces its earlier one, `machine` flag included). The ledger
   * keeps {@link LEDGER_RETENTION_MS} (31 days, more than the longest abandon-rate window of any
   * profile) before the entry being recorded: older entries may be dropped then.
   */
  recordLiveAnswer(entry: LiveAnswerEntry): Promise<void>;
  /** Live answers and abandons of a campaign with `since ≤ at < until`; entries recorded as `machine` count in neither. */
  countLiveAnswers(campaignId: string, since: number, until: number): Promise<{ liveAnswers: number; abandoned: number }>;

  // dnc-shared: the tenant's do-not-call requests, shared by every engine process (docs/distributed.md).
  /**
   * Keep a do-not-call request (checked with `checkDncRequest`: `E_INVALID_INPUT` on a bad one).
   * Idempotent per (number, list): a number already on that list keeps its first entry, which
   * is returned; a new one gets the next `seq`. Once this resolves, every `listDnc` on any
   * process sees it.
   */
  addDnc(entry: DncRequest): Promise<StoredDncRequest>;
  /** Every list holding `phone` (E.164): the internal list's entry and each campaign's, any order. */
  findDnc(phone: string): Promise<StoredDncRequest[]>;
  /** The additions with `seq > afterSeq` (at most `limit`, lowest first) and the list's version, from one snapshot. */
  listDnc(afterSeq: number, limit: number): Promise<DncPage>;

  // issue-23 23-dist: inbound queue statistics shared by every engine process (docs/distributed.md).
  /**
   * Add `delta` to the counters of `queueId` in the interval holding `at`
   * (`inboundStatsInterval(at)`), under `writer` (the engine process counting). Atomic: adds
   * from any number of processes, interleaved, sum exactly. Checked with
   * `checkInboundQueueStatsAdd` (`E_INVALID_INPUT` naming the field). Not idempotent: a retried
   * add counts twice. Optional: a store without it keeps each process's numbers to itself.
   */
  addInboundQueueStats?(queueId: string, at: number, writer: string, delta: Partial<InboundQueueCounts>): Promise<void>;
  /**
   * The intervals of `queueId` starting in [`inboundStatsInterval(since)`, `until`) that hold a
   * count, oldest first, summed and per writer; at most `MAX_INBOUND_STATS_INTERVALS` (31 days)
   * per listing (`E_INVALID_INPUT` beyond). Intervals are kept at least
   * `INBOUND_STATS_RETENTION_MS` after their last add.
   */
  listInboundQueueStats?(queueId: string, since: number, until: number): Promise<InboundQueueInterval[]>;
}

/** How far back a `Store` keeps its abandon ledger: 31 days (the US TSR counts 30 days). */
export const LEDGER_RETENTION_MS = 31 * 24 * 3_600_000;
