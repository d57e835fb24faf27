import { DEFAULT_DISPOSITIONS, type Disposition } from '@paceline/core';
import { type AgentScoreWeights, agentScore, DEFAULT_AGENT_SCORE_WEIGHTS } from './agent-score';
import { localDays } from './local-day';
import type { KpiAttempt, ScorecardInput } from './scorecard-input';

/** Options of {@link computeScorecard}. */
export interface ScorecardOptions {
  /** The centre's time zone: days are its calendar days. Default `UTC`. */
  readonly timeZone?: string;
  /** Disposition codes that count as a retention save. Default `["SAVED"]`. */
  readonly saveCodes?: readonly string[];
  readonly weights?: Partial<AgentScoreWeights>;
}

/**
 * KPIs of one group (a campaign, an agent, a day, or everything). Rates are `null` when
 * their denominator is zero. Durations in ms, money in minor units per currency.
 */
export interface Kpis {
  readonly attempts: number;
  /** Live answers (answered and classified human; DESIGN.md), whether connected or abandoned. */
  readonly liveAnswers: number;
  /** Live answers connected to an agent. */
  readonly connected: number;
  readonly abandoned: number;
  /** Live answers / attempts. */
  readonly contactRate: number | null;
  /** Abandoned / live answers. */
  readonly abandonRate: number | null;
  /** Sales, service-call sales (an order taken on a service call) included. */
  readonly sales: number;
  /** Sales on attempts (outbound and returned calls) / live answers. */
  readonly conversion: number | null;
  /** Calls dispositioned with a save code. */
  readonly saves: number;
  /** Saves / connected calls. */
  readonly saveRate: number | null;
  readonly crossSellOffered: number;
  readonly crossSellAccepted: number;
  /** Accepted / offered, cross-sell and up-sell offers. */
  readonly crossSellTakeRate: number | null;
  readonly revenueMinor: Readonly<Record<string, number>>;
  /** Answered inbound service calls (unknown or withheld callers, no contact) that ended; also in `handled`, talk and wrap-up. */
  readonly serviceCalls: number;
  /** Connected calls that ended (talk time known), service calls included. */
  readonly handled: number;
  readonly talkMs: number;
  readonly wrapMs: number;
  /** (Talk + wrap-up) / handled calls. */
  readonly ahtMs: number | null;
  readonly loggedInMs: number;
  /** (Talk + wrap-up) / logged-in time. */
  readonly occupancy: number | null;
  /** Contacts whose first connected call falls in the group. */
  readonly firstContacts: number;
  /** Of those, how many the first call resolved (a final disposition). */
  readonly resolvedFirstContact: number;
  /** resolvedFirstContact / firstContacts. */
  readonly firstContactResolution: number | null;
}

/** An agent's KPIs with the score. */
export interface AgentKpis extends Kpis {
  /** Handled human contacts that were neither a sale nor a save. */
  readonly otherContacts: number;
  readonly score: number;
}

/** The scorecard: everything, per campaign, per agent and per local day (`YYYY-MM-DD`). */
export interface Scorecard {
  readonly overall: Kpis;
  readonly campaigns: Readonly<Record<string, Kpis>>;
  readonly agents: Readonly<Record<string, AgentKpis>>;
  readonly days: Readonly<Record<string, Kpis>>;
}

/** Where a fact belongs. */
interface Tag {
  /** Undefined for a service call (it belongs to no campaign). */
  readonly campaignId: string | undefined;
  readonly agentId: string | undefined;
  readonly day: string;
}

interface Facts {
  readonly attempts: { tag: Tag; attempt: KpiAttempt; disposition: Disposition | undefined }[];
  readonly sessions: { tag: Tag; ms: number }[];
  readonly orders: { tag: Tag; currency: string; amountMinor: number }[];
  readonly offers: { tag: Tag; crossSell: boolean; accepted: boolean }[];
  readonly firstContacts: { tag: Tag; resolved: boolean }[];
  readonly serviceCalls: { tag: Tag; talkMs: number; wrapMs: number; sale: boolean; code: string | undefined }[];
}

/** True for a live answer: answered and classified human, which connected and abandoned calls are by definition. */
export function isLiveAnswerAttempt(a: KpiAttempt): boolean {
  return a.abandoned || a.connectedAt !== undefined || a.amd === 'human' || a.outcome === 'human';
}

const rate = (numerator: number, denominator: number): number | null => (denominator > 0 ? numerator / denominator : null);

function kpisOf(facts: Facts, saveCodes: ReadonlySet<string>): Kpis & { otherContacts: number } {
  let liveAnswers = 0;
  let connected = 0;
  let abandoned = 0;
  let sales = 0;
  let saves = 0;
  let otherContacts = 0;
  let handled = 0;
  let talkMs = 0;
  let wrapMs = 0;
  for (const { attempt: a, disposition: d } of facts.attempts) {
    if (isLiveAnswerAttempt(a)) liveAnswers++;
    if (a.abandoned) abandoned++;
    if (a.connectedAt !== undefined) {
      connected++;
      if (a.endedAt !== undefined) {
        handled++;
        talkMs += a.endedAt - a.connectedAt;
        if (a.wrapEndedAt !== undefined) wrapMs += Math.max(0, a.wrapEndedAt - a.endedAt);
      }
    }
    if (d?.sale) sales++;
    else if (d && saveCodes.has(d.code)) saves++;
    else if (d?.humanContact && a.connectedAt !== undefined) otherContacts++;
  }
  const attemptSales = sales;
  for (const call of facts.serviceCalls) {
    handled++;
    talkMs += call.talkMs;
    wrapMs += call.wrapMs;
    if (call.sale) sales++;
    else if (call.code !== undefined && saveCodes.has(call.code)) saves++;
    else otherContacts++;
  }
  const revenueMinor: Record<string, number> = {};
  for (const o of facts.orders) revenueMinor[o.currency] = (revenueMinor[o.currency] ?? 0) + o.amountMinor;
  const crossSell = facts.offers.filter((o) => o.crossSell);
  const crossSellAccepted = crossSell.filter((o) => o.accepted).length;
  const loggedInMs = facts.sessions.reduce((sum, s) => sum + s.ms, 0);
  const resolvedFirstContact = facts.firstContacts.filter((f) => f.resolved).length;
  return {
    attempts: facts.attempts.length,
    liveAnswers,
    connected,
    abandoned,
    contactRate: rate(liveAnswers, facts.attempts.length),
    abandonRate: rate(abandoned, liveAnswers),
    sales,
    conversion: rate(attemptSales, liveAnswers),
    saves,
    saveRate: rate(saves, connected),
    crossSellOffered: crossSell.length,
    crossSellAccepted,
    crossSellTakeRate: rate(crossSellAccepted, crossSell.length),
    revenueMinor,
    serviceCalls: facts.serviceCalls.length,
    handled,
    talkMs,
    wrapMs,
    ahtMs: rate(talkMs + wrapMs, handled),
    loggedInMs,
    occupancy: rate(talkMs + wrapMs, loggedInMs),
    firstContacts: facts.firstContacts.length,
    resolvedFirstContact,
    firstContactResolution: rate(resolvedFirstContact, facts.firstContacts.length),
    otherContacts,
  };
}

function filterFacts(facts: Facts, keep: (tag: Tag) => boolean): Facts {
  return {
    attempts: facts.attempts.filter((f) => keep(f.tag)),
    sessions: facts.sessions.filter((f) => keep(f.tag)),
    orders: facts.orders.filter((f) => keep(f.tag)),
    offers: facts.offers.filter((f) => keep(f.tag)),
    firstContacts: facts.firstContacts.filter((f) => keep(f.tag)),
    serviceCalls: facts.serviceCalls.filter((f) => keep(f.tag)),
  };
}

function keysOf(facts: Facts, key: (tag: Tag) => string | undefined): string[] {
  const all = [...facts.attempts, ...facts.sessions, ...facts.orders, ...facts.offers, ...facts.firstContacts, ...facts.serviceCalls].map(
    (f) => key(f.tag),
  );
  return [...new Set(all.filter((k): k is string => k !== undefined))].sort();
}

/**
 * Compute the scorecard from plain records, with DESIGN.md's definitions: contact rate =
 * live answers / attempts; conversion = sales / live answers; abandon rate = abandoned /
 * live answers; occupancy = (talk + wrap-up) / logged-in time. An attempt counts on the
 * local day it started; logged-in time is split at local midnight. Pure: the same records
 * give the same numbers.
 */
export function computeScorecard(input: ScorecardInput, options: ScorecardOptions = {}): Scorecard {
  const days = localDays(options.timeZone ?? 'UTC');
  const saveCodes = new Set(options.saveCodes ?? ['SAVED']);
  const weights = { ...DEFAULT_AGENT_SCORE_WEIGHTS, ...options.weights };
  const definitions = (campaignId: string) => input.dispositionsByCampaign?.[campaignId] ?? input.dispositions ?? DEFAULT_DISPOSITIONS;

  const attemptTags = new Map<string, Tag>();
  const attempts = input.attempts.map((attempt) => {
    const tag: Tag = { campaignId: attempt.campaignId, agentId: attempt.agentId, day: days.key(attempt.startedAt) };
    attemptTags.set(attempt.id, tag);
    const code = attempt.dispositionCode;
    const disposition = code === undefined ? undefined : definitions(attempt.campaignId).find((d) => d.code === code);
    return { tag, attempt, disposition };
  });

  const sessions: Facts['sessions'] = [];
  for (const s of input.sessions ?? []) {
    for (let from = s.loginAt; from < s.logoutAt; ) {
      const to = Math.min(s.logoutAt, days.nextStart(from));
      sessions.push({ tag: { campaignId: s.campaignId, agentId: s.agentId, day: days.key(from) }, ms: to - from });
      from = to;
    }
  }

  const orders = (input.orders ?? []).map((order) => ({
    tag: (order.attemptId === undefined ? undefined : attemptTags.get(order.attemptId)) ?? {
      campaignId: order.campaignId,
      agentId: undefined,
      day: days.key(order.createdAt),
    },
    currency: order.currency,
    amountMinor: order.items.reduce((sum, item) => sum + item.quantity * item.unitPriceMinor, 0),
  }));

  const offers = (input.offerOutcomes ?? []).flatMap((o) => {
    const tag = attemptTags.get(o.attemptId);
    return tag ? [{ tag, crossSell: o.kind !== 'retention', accepted: o.accepted }] : [];
  });

  // First-contact resolution: each contact's first connected call in a campaign, resolved
  // when its disposition is final (sale, save, refusal…), not a callback or "no decision".
  const first = new Map<string, (typeof attempts)[number]>();
  for (const fact of attempts) {
    if (fact.attempt.connectedAt === undefined) continue;
    const k = `${fact.attempt.campaignId}\u0000${fact.attempt.contactId}`;
    const seen = first.get(k);
    if (!seen || fact.attempt.connectedAt < (seen.attempt.connectedAt ?? Number.POSITIVE_INFINITY)) first.set(k, fact);
  }
  const firstContacts = [...first.values()].map((f) => ({ tag: f.tag, resolved: f.disposition?.final === true }));

  // Answered service calls (returned calls are counted through their attempt).
  const serviceCalls: Facts['serviceCalls'] = [];
  for (const call of input.inboundCalls ?? []) {
    if (call.attemptId !== undefined || call.connectedAt === undefined || call.endedAt === undefined) continue;
    serviceCalls.push({
      tag: { campaignId: undefined, agentId: call.agentId, day: days.key(call.arrivedAt) },
      talkMs: call.endedAt - call.connectedAt,
      wrapMs: call.wrapEndedAt === undefined ? 0 : Math.max(0, call.wrapEndedAt - call.endedAt),
      sale: call.sale === true,
      code: call.dispositionCode,
    });
  }

  const facts: Facts = { attempts, sessions, orders, offers, firstContacts, serviceCalls };
  const plain = ({ otherContacts: _other, ...kpis }: Kpis & { otherContacts: number }): Kpis => kpis;
  const group = (key: (tag: Tag) => string | undefined) =>
    Object.fromEntries(
      keysOf(facts, key).map(
        (k) =>
          [
            k,
            kpisOf(
              filterFacts(facts, (t) => key(t) === k),
              saveCodes,
            ),
          ] as const,
      ),
    );

  const agents: Record<string, AgentKpis> = {};
  for (const [id, k] of Object.entries(group((t) => t.agentId))) {
    agents[id] = { ...k, score: agentScore(k, weights) };
  }
  return {
    overall: plain(kpisOf(facts, saveCodes)),
    campaigns: Object.fromEntries(Object.entries(group((t) => t.campaignId)).map(([k, v]) => [k, plain(v)])),
    agents,
    days: Object.fromEntries(Object.entries(group((t) => t.day)).map(([k, v]) => [k, plain(v)])),
  };
}
