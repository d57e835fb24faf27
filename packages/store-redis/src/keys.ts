import { PacelineError } from '@paceline/core';

/** Tenant ids and key prefixes: no `:` (the separator) and no `{`/`}` (Cluster hash tags), so key spaces cannot overlap. */
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Where a contact's hash lives under a campaign's base key (`c:` never starts a fixed key name). */
const CONTACT = 'c:';
/** Where a contact's attempt list lives under a campaign's base key. */
const CONTACT_ATTEMPTS = 'a:';

/**
 * The key layout of one tenant. Every key starts with `<keyPrefix>:<tenant>:`; a tenant id
 * cannot contain `:`, so no key of one tenant is a key of another. A campaign's keys carry
 * the hash tag `{<campaignId>}`, so on Redis Cluster they share one slot and the Lua scripts
 * that touch several of them run on one node. The campaign id is escaped (`%` → `%25`,
 * `{` → `%7B`, `}` → `%7D`): it holds no `}`, so the tag ends where the id ends, and the
 * escape is reversible, so two ids never share a tag. A contact id is the last part of its
 * key after `c:` or `a:`, which no fixed key name starts with, so it needs no escaping: the
 * key of (tenant, campaign, contact) determines all three.
 *
 * ```
 * <p>:<t>:campaigns                     hash   campaignId → CampaignRecord JSON
 * <p>:<t>:attempt-campaign              hash   attemptId → campaignId (getAttempt by id)
 * <p>:<t>:lease:<name>                  hash   holder, token, expires, fence (Lease)
 * <p>:<t>:phone:<e164>                  set    [campaignId, contactId] JSON of contacts that had the number
 * <p>:<t>:inbound-calls                 hash   callId → InboundCall JSON (issue-23: the inbound call ledger)
 * <p>:<t>:inbound-arrivals              zset   callId by arrivedAt (issue-23)
 * <p>:<t>:k:{<campaignId>}:seq          string last insertion sequence number
 * <p>:<t>:k:{<campaignId>}:c:<contactId> hash  contact (JSON), state, attempts, due, agent, priority, seq, version
 * <p>:<t>:k:{<campaignId>}:s:<state>    zset   contactId by seq (counts, listing in insertion order)
 * <p>:<t>:k:{<campaignId>}:hopper       zset   dialable contacts, all score 0, lex-ordered members (hopper order)
 * <p>:<t>:k:{<campaignId>}:sched        zset   waiting/callback contacts not yet moved to the hopper, by dueAt
 * <p>:<t>:k:{<campaignId>}:due          zset   all waiting/callback contacts, by dueAt (nextDueAt)
 * <p>:<t>:k:{<campaignId>}:attempts     hash   attemptId → Attempt JSON
 * <p>:<t>:k:{<campaignId>}:attempts:open zset  open attemptIds by insertion order
 * <p>:<t>:k:{<campaignId>}:attempts:seq string insertion counter of attempts
 * <p>:<t>:k:{<campaignId>}:a:<contactId> list  a contact's attemptIds, oldest first
 * <p>:<t>:k:{<campaignId>}:live         zset   abandon ledger: attemptId by `at` (every live answer; issue-17: not those revised to machines)
 * <p>:<t>:k:{<campaignId>}:abandoned    zset   abandon ledger: attemptId by `at` (abandoned ones)
 * <p>:<t>:dnc:{<t>}:seq                 string dnc-shared: the do-not-call list's version (last seq)
 * <p>:<t>:dnc:{<t>}:log                 zset   dnc-shared: ["<list>","<phone>"] by seq
 * <p>:<t>:dnc:{<t>}:p:<e164>            hash   dnc-shared: <list> → "<seq>:<entry JSON>" (`i` internal, `c:<campaignId>`)
 * <p>:<t>:iq:{<queueId>}:<intervalStart> hash  issue-23 23-dist: inbound queue stats, `<writer>|<counter>` → count
 * <p>:<t>:ap:{<t>}:agents               hash   the agent pool: agentId → PooledAgent JSON (23-pool: was <p>:<t>:agents)
 * <p>:<t>:ap:{<t>}:waiting              hash   issue-23: ["nodeId","callId"] → PooledWaitingCaller JSON (23-pool: was <p>:<t>:agents:waiting; 23-xnode: field was callId)
 * <p>:<t>:ap:{<t>}:taken                hash   rb8: agentId → the waiting field a take marked `takenBy` that agent
 * <p>:<t>:ap:{<t>}:waiting:order        zset   rb11: the waiting fields by queuedAt
 * <p>:<t>:ap:{<t>}:waiting:seen         zset   rb12: the waiting fields by seenAt (the sweep of a gone node's entries)
 * <p>:<t>:ap:{<t>}:commitments          hash   issue-23: ["campaignId","nodeId"] → PooledCommitment JSON, the router rule's shares (23-xnode: was <p>:<t>:k:{<campaignId>}:commitments)
 * ```
 */
export class RedisKeys {
  readonly root: string;
  /** dnc-shared: the tenant's do-not-call keys, under the hash tag `{<tenant>}` (one Cluster slot). */
  readonly dnc: DncKeys;

  constructor(
    keyPrefix: string,
    readonly tenant: string,
  ) {
    checkName('keyPrefix', keyPrefix);
    checkName('tenant', tenant);
    this.root = `${keyPrefix}:${tenant}:`;
    this.dnc = new DncKeys(`${this.root}dnc:{${tenant}}:`);
  }

  get campaigns(): string {
    return `${this.root}campaigns`;
  }

  get attemptCampaign(): string {
    return `${this.root}attempt-campaign`;
  }

  lease(name: string): string {
    return `${this.root}lease:${name}`;
  }

  /** issue-23: contacts that had `phone` (E.164): a set of `[campaignId, contactId]` JSON (inbound caller matching). */
  phone(phone: string): string {
    return `${this.root}phone:${phone}`;
  }

  /** issue-23: the inbound call ledger, callId → InboundCall JSON. */
  get inboundCalls(): string {
    return `${this.root}inbound-calls`;
  }

  /** issue-23: inbound call ids by arrival time (listing by time). */
  get inboundArrivals(): string {
    return `${this.root}inbound-arrivals`;
  }

  /**
   * issue-23 23-dist: one inbound queue's statistics hash for one interval. The queue id is
   * escaped like a campaign id and is the hash tag: every interval of a queue in one slot.
   */
  inboundStats(queueId: string, intervalStart: number): string {
    return `${this.root}iq:{${escapeKeyId('queueId', queueId)}}:${intervalStart}`;
  }

  /**
   * The agent pool: agentId → PooledAgent JSON. issue-23 23-pool: under the hash tag `{<tenant>}`
   * with the waiting callers (`poolWaiting`), so the take (`AgentPool.takeWaiting`, one script
   * over both) runs on one Cluster node. Was `<p>:<t>:agents` (and `<p>:<t>:agents:waiting`).
   */
  get agents(): string {
    return `${this.root}ap:{${this.tenant}}:agents`;
  }

  /** issue-23: the callers waiting in every node's inbound queues, ["nodeId","callId"] → PooledWaitingCaller JSON (same slot as `agents`). */
  get poolWaiting(): string {
    return `${this.root}ap:{${this.tenant}}:waiting`;
  }

  /**
   * rb8 (issue-23): the `takenBy` marks indexed by agent, agentId → the waiting field (`poolWaiting`)
   * a take last marked taken by the agent (same slot as `agents`): `agentReserve` reads the one
   * entry instead of every waiting caller. The entry itself decides (a stale index is ignored).
   */
  get poolTaken(): string {
    return `${this.root}ap:{${this.tenant}}:taken`;
  }

  /**
   * rb11: the waiting callers by `queuedAt` (zset, member the waiting field, same slot as `agents`):
   * a take or claim with a service order reads the callers queued up to the taker, not every one.
   */
  get poolWaitingOrder(): string {
    return `${this.root}ap:{${this.tenant}}:waiting:order`;
  }

  /**
   * rb12: the waiting callers by `seenAt` (zset, member the waiting field, same slot as `agents`):
   * the sweep (`AgentPool.sweepWaiting`) finds a gone node's entries here without reading every caller.
   */
  get poolWaitingSeen(): string {
    return `${this.root}ap:{${this.tenant}}:waiting:seen`;
  }

  /**
   * issue-23 23-xnode: every blended campaign's router-rule commitments, ["campaignId","nodeId"] →
   * PooledCommitment JSON, in the agents' slot so the take and the launch check the rule in one
   * script. Was `<p>:<t>:k:{<campaignId>}:commitments` (one hash per campaign).
   */
  get poolCommitments(): string {
    return `${this.root}ap:{${this.tenant}}:commitments`;
  }

  /**
   * The base every key of one campaign starts with, hash tag included. The campaign id is
   * escaped (`escapeKeyId`) so it can never close the hash tag early: without that,
   * contact `x}:hopper` of campaign `a` and the hopper of campaign `a}:c:x` were one key.
   */
  campaign(campaignId: string): CampaignKeys {
    return new CampaignKeys(`${this.root}k:{${escapeKeyId('campaignId', campaignId)}}:`);
  }
}

/** dnc-shared: the keys of a tenant's do-not-call list (all in one Cluster slot; see `dnc-scripts.ts`). */
export class DncKeys {
  constructor(readonly base: string) {}

  get seq(): string {
    return `${this.base}seq`;
  }
  get log(): string {
    return `${this.base}log`;
  }
  /** The base of the per-number hashes (the scripts append the number). */
  get phoneBase(): string {
    return `${this.base}p:`;
  }
  /** A number's hash (E.164: checked before it gets here). */
  phone(phone: string): string {
    return `${this.phoneBase}${phone}`;
  }
}

/** The keys of one campaign (all in one Cluster slot). */
export class CampaignKeys {
  constructor(readonly base: string) {}

  get seq(): string {
    return `${this.base}seq`;
  }
  get hopper(): string {
    return `${this.base}hopper`;
  }
  get sched(): string {
    return `${this.base}sched`;
  }
  get due(): string {
    return `${this.base}due`;
  }
  get attempts(): string {
    return `${this.base}attempts`;
  }
  get openAttempts(): string {
    return `${this.base}attempts:open`;
  }
  get attemptSeq(): string {
    return `${this.base}attempts:seq`;
  }
  get live(): string {
    return `${this.base}live`;
  }
  get abandoned(): string {
    return `${this.base}abandoned`;
  }
  state(state: string): string {
    return `${this.base}s:${state}`;
  }
  contact(contactId: string): string {
    return `${this.base}${CONTACT}${contactId}`;
  }
  contactAttempts(contactId: string): string {
    return `${this.base}${CONTACT_ATTEMPTS}${contactId}`;
  }
}

/**
 * A campaign id as it appears inside a key's `{…}` hash tag: `%`, `{` and `}` percent-encoded
 * (reversible, and never a `}`). An empty or non-string id is refused: `{}` is no hash tag.
 */
export function escapeKeyId(field: string, id: string): string {
  if (typeof id !== 'string' || id.length === 0) {
    throw new PacelineError('E_INVALID_INPUT', `RedisStore ${field}: expected a non-empty id, got ${JSON.stringify(id)}`);
  }
  return id.replace(/[%{}]/g, (c) => (c === '%' ? '%25' : c === '{' ? '%7B' : '%7D'));
}

function checkName(field: string, value: string): void {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw new PacelineError(
      'E_INVALID_CONFIG',
      `RedisStore options.${field}: expected 1–64 characters of A–Z, a–z, 0–9, '_', '.', '-' (no ':' or braces, which would let key spaces overlap), got ${JSON.stringify(value)}`,
    );
  }
}
