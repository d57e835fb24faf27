import { AgentState, type Campaign } from '@paceline/core';
import type { CallOffer, DialerEvents } from '../events';
import type { InboundOffer } from '../inbound/inbound-options'; // issue-23
import { dayKeyIn } from './day-key';
import { conversionRate, saveRate } from './kpi-definitions';

/** A break an agent is planned to take (epoch ms, `start` < `end`). */
export interface PlannedBreak {
  readonly start: number;
  readonly end: number;
  readonly label?: string;
}

/** One stretch of an agent's day in one state. */
export interface AgentSegment {
  readonly state: AgentState;
  readonly from: number;
  /** Absent for the stretch the agent is in now. */
  readonly to?: number;
  readonly reason?: string;
}

/** One call an agent took today. */
export interface AgentCall {
  readonly callId: string;
  /** The campaign (issue-23: a service call's queue id). */
  readonly campaignId: string;
  readonly contactId?: string; // issue-23: absent on an inbound service call (no contact)
  /** issue-23: an inbound call: a returned call or a service call (unknown or withheld caller). */
  readonly inbound?: 'returned' | 'service';
  readonly connectedAt: number;
  endedAt?: number;
  wrapEndedAt?: number;
  disposition?: string;
}

/** One agent's live row on the floor: state, call, and today's numbers. */
export interface AgentFloorRow {
  readonly agentId: string;
  /** The agent's name (from `agentStateChanged`), when the dialer reported one. */
  readonly agentName?: string;
  readonly state: AgentState;
  /** Since when the agent is in `state` (epoch ms). */
  readonly since: number;
  readonly timeInStateMs: number;
  /** Why the agent is not ready (a break, training), when it said so. */
  readonly reason?: string;
  /** The campaign of the current call, else of the last one. */
  readonly campaignId?: string;
  /** The call the agent is on (or wrapping up). */
  readonly callId?: string;
  readonly contactId?: string;
  /** Calls connected to the agent today. */
  readonly calls: number;
  readonly talkMs: number;
  readonly wrapMs: number;
  readonly saves: number;
  readonly sales: number;
  /** `conversionRate` (sales / live answers) over the agent's calls (each a live answer). */
  readonly conversion: number;
  /** `saveRate` (saves / live answers) over the agent's calls. */
  readonly saveRate: number;
  /** (talk + wrap-up) / calls, ms; 0 without calls. */
  readonly ahtMs: number;
  /** Logged-in time today, ms. */
  readonly loggedInMs: number;
  /** Share of logged-in time spent as planned (see `KPI_DEFINITIONS.adherence`); undefined before any logged-in time. */
  readonly adherence?: number;
  /** Breaks planned for the agent today. */
  readonly plannedBreaks: number;
}

/** An agent's day: the row, the timeline of states, the calls and the planned breaks. */
export interface AgentDay {
  readonly row: AgentFloorRow;
  readonly timeline: readonly AgentSegment[];
  readonly calls: readonly AgentCall[];
  readonly breaks: readonly PlannedBreak[];
}

/** The dialer surface the floor follows: its typed events. */
export type FloorEventSource = {
  on<K extends keyof DialerEvents>(event: K, listener: (...args: DialerEvents[K]) => void): () => void;
};

/** Segments and calls kept per agent (bounded memory over a long day). */
const MAX_SEGMENTS = 2_000;
const MAX_CALLS = 1_000;

interface AgentRecord {
  readonly agentId: string;
  agentName?: string;
  state: AgentState;
  since: number;
  reason?: string;
  /** Time up to which the counters below are accounted. */
  accountedTo: number;
  day: string;
  campaignId?: string;
  current?: AgentCall;
  calls: number;
  talkMs: number;
  wrapMs: number;
  saves: number;
  sales: number;
  loggedInMs: number;
  adherentMs: number;
  timeline: AgentSegment[];
  recent: AgentCall[];
  breaks: PlannedBreak[];
}

/** Milliseconds of [from, to) that fall inside one of `breaks`. */
function overlapMs(breaks: readonly PlannedBreak[], from: number, to: number): number {
  let total = 0;
  for (const b of breaks) total += Math.max(0, Math.min(to, b.end) - Math.max(from, b.start));
  return total;
}

/** Logged-in, adherent, talk and wrap-up time of one stretch in `state`. */
function accountStretch(state: AgentState, breaks: readonly PlannedBreak[], from: number, to: number) {
  const ms = Math.max(0, to - from);
  if (state === AgentState.LoggedOut || ms === 0) return { loggedIn: 0, adherent: 0, talk: 0, wrap: 0 };
  const inBreak = overlapMs(breaks, from, to);
  return {
    loggedIn: ms,
    adherent: state === AgentState.NotReady ? inBreak : ms - inBreak,
    talk: state === AgentState.OnCall ? ms : 0,
    wrap: state === AgentState.WrapUp ? ms : 0,
  };
}

/**
 * Per-agent live view of the floor, from the dialer's events only (`agentStateChanged`,
 * `connected`, `ended`, `dispositioned`): state and time in it, current call, and today's
 * calls, talk, wrap-up, saves, sales, conversion, AHT and adherence to planned breaks. "Today"
 * is the calendar day in `timeZone`; the counters start again at its midnight. Memory is
 * bounded per agent. One per dialer; no globals.
 */
export class AgentFloor {
  readonly #agents = new Map<string, AgentRecord>();
  readonly #saleCodes = new Map<string, ReadonlySet<string>>();
  readonly #unsubscribe: Array<() => void> = [];
  readonly #dayKey: (at: number) => string;
  readonly #now: () => number;
  readonly #plans = new Map<string, PlannedBreak[]>();

  constructor(options: { events: FloorEventSource; now: () => number; timeZone?: string }) {
    this.#now = options.now;
    this.#dayKey = dayKeyIn(options.timeZone);
    const e = options.events;
    this.#unsubscribe.push(
      e.on('agentStateChanged', (ev) => {
        this.#stateChanged(ev.agentId, ev.to, ev.at, ev.reason);
        if (ev.agentName !== undefined) this.#record(ev.agentId, ev.at).agentName = ev.agentName;
      }),
      e.on('connected', (offer) => this.#connected(offer)),
      // issue-23: inbound calls (returned and service) count in the agent's day like outbound ones.
      e.on('inbound.connected', (o) => this.#connected(inboundOffer(o))),
      e.on('inbound.ended', (o) => o.agentId !== undefined && this.#ended(o.agentId, o.callId, o.at)),
      e.on('inbound.dispositioned', (o) => o.agentId !== undefined && this.#dispositioned(o.agentId, o.callId, o.queueId, o.code, o.sale)),
      e.on('ended', (ev) => ev.attempt.agentId !== undefined && this.#ended(ev.attempt.agentId, ev.callId, ev.at)), // issue-23: shared
      e.on('dispositioned', (ev) => {
        const agentId = ev.attempt.agentId;
        if (agentId !== undefined) this.#dispositioned(agentId, ev.callId, ev.campaignId, ev.code); // issue-23: shared with inbound
      }),
    );
  }

  /** Learn a campaign's sale dispositions (call again after the campaign changes). */
  track(campaign: Campaign): void {
    this.#saleCodes.set(campaign.id, new Set(campaign.dispositions.filter((d) => d.sale).map((d) => d.code)));
  }

  /** Plan an agent's breaks for the day (replaces earlier plans); adherence is measured against them. */
  planBreaks(agentId: string, breaks: readonly PlannedBreak[]): void {
    // Merged into disjoint spans: overlapping plans must not count the same minute twice.
    const sorted: PlannedBreak[] = [];
    for (const b of [...breaks].sort((x, y) => x.start - y.start)) {
      const last = sorted[sorted.length - 1];
      if (last && b.start <= last.end) sorted[sorted.length - 1] = { ...last, end: Math.max(last.end, b.end) };
      else sorted.push({ ...b });
    }
    this.#plans.set(agentId, sorted);
    const record = this.#agents.get(agentId);
    if (record) {
      this.#account(record, this.#now());
      record.breaks = sorted;
    }
  }

  /** Every agent seen today, one row each (sorted by id). */
  rows(): AgentFloorRow[] {
    const now = this.#now();
    return [...this.#agents.values()].sort((a, b) => (a.agentId < b.agentId ? -1 : 1)).map((r) => this.#row(r, now));
  }

  /** One agent's day; undefined for an agent never seen. */
  day(agentId: string): AgentDay | undefined {
    const record = this.#agents.get(agentId);
    if (!record) return undefined;
    const now = this.#now();
    return {
      row: this.#row(record, now),
      timeline: [...record.timeline, { state: record.state, from: record.since, ...(record.reason ? { reason: record.reason } : {}) }],
      calls: record.recent.map((c) => ({ ...c })),
      breaks: [...record.breaks],
    };
  }

  /** Stop following the dialer. */
  close(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  #record(agentId: string, at: number): AgentRecord {
    let record = this.#agents.get(agentId);
    if (!record) {
      record = {
        agentId,
        state: AgentState.LoggedOut,
        since: at,
        accountedTo: at,
        day: this.#dayKey(at),
        calls: 0,
        talkMs: 0,
        wrapMs: 0,
        saves: 0,
        sales: 0,
        loggedInMs: 0,
        adherentMs: 0,
        timeline: [],
        recent: [],
        breaks: this.#plans.get(agentId) ?? [],
      };
      this.#agents.set(agentId, record);
    }
    return record;
  }

  /** A new day in the floor's zone: today's counters start again. */
  #roll(record: AgentRecord, at: number): void {
    const day = this.#dayKey(at);
    if (day === record.day) return;
    Object.assign(record, { day, accountedTo: at, calls: 0, talkMs: 0, wrapMs: 0, saves: 0, sales: 0, loggedInMs: 0, adherentMs: 0 });
    record.timeline = [];
    record.recent = [];
  }

  /** Add the stretch since `accountedTo` in the current state to the counters. */
  #account(record: AgentRecord, at: number): void {
    this.#roll(record, at);
    const stretch = accountStretch(record.state, record.breaks, record.accountedTo, at);
    record.loggedInMs += stretch.loggedIn;
    record.adherentMs += stretch.adherent;
    record.talkMs += stretch.talk;
    record.wrapMs += stretch.wrap;
    record.accountedTo = Math.max(record.accountedTo, at);
  }

  #stateChanged(agentId: string, to: AgentState, at: number, reason: string | undefined): void {
    const record = this.#record(agentId, at);
    this.#account(record, at);
    record.timeline.push({ state: record.state, from: record.since, to: at, ...(record.reason ? { reason: record.reason } : {}) });
    if (record.timeline.length > MAX_SEGMENTS) record.timeline.splice(0, record.timeline.length - MAX_SEGMENTS);
    record.state = to;
    record.since = at;
    if (reason !== undefined && to === AgentState.NotReady) record.reason = reason;
    else delete record.reason;
    if (to === AgentState.Ready || to === AgentState.LoggedOut || to === AgentState.NotReady) delete record.current;
  }

  // issue-23: the bodies of the `ended` / `dispositioned` listeners, shared with inbound calls (`sale` given by the inbound desk).
  #ended(agentId: string, callId: string, at: number): void {
    const call = this.#agents.get(agentId)?.recent.find((c) => c.callId === callId);
    if (call && call.endedAt === undefined) call.endedAt = at;
  }

  #dispositioned(agentId: string, callId: string, campaignId: string, code: string, sale?: boolean): void {
    const record = this.#agents.get(agentId);
    if (!record) return;
    this.#roll(record, this.#now());
    const call = record.recent.find((c) => c.callId === callId);
    if (call) {
      call.disposition = code;
      call.wrapEndedAt = this.#now();
    }
    // A code the campaign marks a sale counts once, as a sale, even when it is SAVED.
    if (sale ?? this.#saleCodes.get(campaignId)?.has(code)) record.sales++;
    else if (code === 'SAVED') record.saves++;
    if (record.current?.callId === callId) delete record.current;
  }

  #connected(offer: CallOffer | InboundCallOffer): void {
    const at = ('inbound' in offer ? offer.at : offer.attempt.connectedAt) ?? this.#now(); // issue-23
    const record = this.#record(offer.agentId, at);
    this.#roll(record, at);
    const call: AgentCall = { callId: offer.callId, campaignId: offer.campaignId, connectedAt: at, ...callParty(offer) }; // issue-23
    record.current = call;
    record.campaignId = offer.campaignId;
    record.calls++;
    record.recent.push(call);
    if (record.recent.length > MAX_CALLS) record.recent.splice(0, record.recent.length - MAX_CALLS);
  }

  #row(record: AgentRecord, now: number): AgentFloorRow {
    this.#roll(record, now);
    const open = accountStretch(record.state, record.breaks, record.accountedTo, now);
    const loggedInMs = record.loggedInMs + open.loggedIn;
    const talkMs = record.talkMs + open.talk;
    const wrapMs = record.wrapMs + open.wrap;
    const current = record.current;
    return {
      agentId: record.agentId,
      ...(record.agentName === undefined ? {} : { agentName: record.agentName }),
      state: record.state,
      since: record.since,
      timeInStateMs: Math.max(0, now - record.since),
      ...(record.reason ? { reason: record.reason } : {}),
      ...(record.campaignId ? { campaignId: record.campaignId } : {}),
      ...(current ? { callId: current.callId, ...(current.contactId === undefined ? {} : { contactId: current.contactId }) } : {}), // issue-23
      calls: record.calls,
      talkMs,
      wrapMs,
      saves: record.saves,
      sales: record.sales,
      conversion: conversionRate({ sales: record.sales, liveAnswers: record.calls }),
      saveRate: saveRate({ saves: record.saves, liveAnswers: record.calls }),
      ahtMs: record.calls === 0 ? 0 : (talkMs + wrapMs) / record.calls,
      loggedInMs,
      ...(loggedInMs > 0 ? { adherence: (record.adherentMs + open.adherent) / loggedInMs } : {}),
      plannedBreaks: record.breaks.length,
    };
  }
}

// issue-23: inbound calls in the agent's day — a returned call is its campaign's, a service call its queue's.
type InboundCallOffer = {
  readonly callId: string;
  readonly campaignId: string;
  readonly agentId: string;
  readonly at: number;
  readonly contact?: { readonly id: string };
  readonly attempt?: undefined;
  readonly inbound: 'returned' | 'service';
};
function inboundOffer(o: InboundOffer): InboundCallOffer {
  const campaignId = o.caller.kind === 'returned' ? o.caller.campaignId : o.queueId;
  return {
    callId: o.callId,
    campaignId,
    agentId: o.agentId,
    at: o.at,
    inbound: o.caller.kind,
    ...(o.contact ? { contact: o.contact } : {}),
  };
}
function callParty(offer: CallOffer | InboundCallOffer): { contactId?: string; inbound?: 'returned' | 'service' } {
  return {
    ...(offer.contact ? { contactId: offer.contact.id } : {}),
    ...('inbound' in offer ? { inbound: offer.inbound } : {}),
  };
}
