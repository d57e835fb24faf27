import { AgentState, type InboundQueue } from '@paceline/core';
import {
  type BlendDecision,
  type BlendPolicy,
  type BlendPolicyOptions,
  createBlendPolicy,
  type HoldOrder,
  type InboundDemand,
  outboundView,
} from '@paceline/pacing';
import type { AgentRuntime } from '../engine-core';
import type { ObservedAgent } from '../ports';
import type { InboundStatus } from './inbound-options';
import type { WaitingMatch } from './waiting-match';

/** One queue's part of the blend's decision. */
export interface QueueBlendDecision {
  readonly queueId: string;
  readonly decision: BlendDecision;
  /** The agents this queue holds for inbound (no agent is held by two queues). */
  readonly held: ReadonlySet<string>;
  /**
   * `demand` model: the agents a `hold` view would flag, reserve + queued (for campaigns whose
   * pacer cannot take the demand); the `hold` model: `held`.
   */
  readonly heldWithQueued: ReadonlySet<string>;
  /** The agents at work this queue decided over (its skills, not held by an earlier queue). */
  readonly serving: readonly string[];
}

/** The blend's decision at one instant: per queue, and every held agent. */
export interface InboundBlendDecision {
  readonly at: number;
  readonly queues: readonly QueueBlendDecision[];
  readonly held: ReadonlySet<string>;
  /** Every queue's {@link QueueBlendDecision.heldWithQueued}. */
  readonly heldWithQueued: ReadonlySet<string>;
}

/** A campaign's view of the blend (`InboundBlend.viewFor`): its agents as its pacer sees them, and the inbound demand on them. */
export interface CampaignBlendView {
  readonly agents: readonly ObservedAgent[];
  /** Undefined when none of the campaign's agents serves a queue (the campaign is not blended). */
  readonly demand: InboundDemand | undefined;
}

/**
 * The blend seen from the engine: one `@paceline/pacing` blend policy **per inbound queue**,
 * each sized from its own queue — its arrival rate, handle time, patience and service-level
 * target — over the agents who have its skills. At every pacing round it tells the outbound
 * pacer which agents are spoken for by inbound — kept free (the reserve) or about to be taken
 * by a queued caller — by flagging them `leaving`: the predictive model neither dials for them
 * nor counts them when it bounds the abandon rate. Outbound fills the rest.
 *
 * The rule for agents with the skills of several queues (no double counting): the queues decide
 * one after another, highest priority first (ties: configuration order); each sees the agents
 * with its skills that an earlier queue did not hold, and holds its `reserve + queued` among
 * them. An agent is therefore held by one queue at most, and the holds add up to at most the
 * agents: a shared agent counts as supply for every queue it serves until one of them keeps it.
 * Agents who serve only inbound (logged in to no campaign) are held first when they are the
 * longest ready, so they cover a reserve before a campaign's agents do.
 */
export class InboundBlend {
  readonly #policies = new Map<string, BlendPolicy>();
  /** The queues in deciding order: priority, highest first, then configuration order. */
  readonly #order: readonly InboundQueue[];
  #last: InboundBlendDecision | undefined;
  /** issue-23 23-dist: per queue, this node's share of the pool's serving agents (distributed mode; absent on one node). */
  readonly #shares = new Map<string, number>();
  readonly #options: BlendPolicyOptions;

  constructor(
    options: BlendPolicyOptions,
    readonly queues: readonly InboundQueue[],
  ) {
    this.#options = options;
    for (const queue of queues) {
      // The queue's own target: its service level sizes its reserve.
      const target = { serviceLevelTarget: queue.serviceLevel.fraction, targetAnswerSeconds: queue.serviceLevel.answerSeconds };
      this.#policies.set(queue.id, createBlendPolicy({ ...options, ...target }));
    }
    this.#order = queues
      .map((queue, i) => ({ queue, i }))
      .sort((a, b) => b.queue.priority - a.queue.priority || a.i - b.i)
      .map((x) => x.queue);
  }

  /** The blend policy of one queue (it learns that queue's arrivals, answers, abandons and handle times). */
  policy(queueId: string): BlendPolicy | undefined {
    return this.#policies.get(queueId);
  }

  /**
   * issue-23 23-dist: the queue's policies learn the whole pool's arrivals (pool-queue-stats.ts);
   * this node sizes its reserve for `share` (its serving agents ÷ the pool's) of that rate.
   */
  setArrivalShare(queueId: string, share: number): void {
    this.#shares.set(queueId, share);
  }

  /** Every queue's policy learns an outbound handle time (the same outbound work competes with each queue). */
  observeOutboundWork(ms: number): void {
    for (const policy of this.#policies.values()) policy.observeWork('outbound', ms);
  }

  /** True when the agent has the skills of at least one queue. */
  servesInbound(agent: AgentRuntime): boolean {
    return this.queues.some((q) => serves(agent, q));
  }

  /**
   * The blend's decision at `now` over `agents` (every logged-in agent of the dialer) with
   * `queued` callers waiting per queue id; decided once per instant and shared by the campaigns' rounds.
   */
  decide(now: number, agents: Iterable<AgentRuntime>, queued: ReadonlyMap<string, number>): InboundBlendDecision {
    if (this.#last?.at === now) return this.#last;
    const working = [...agents].filter((a) => a.state !== AgentState.LoggedOut && this.servesInbound(a));
    const held = new Set<string>();
    const heldWithQueued = new Set<string>();
    const decisions: QueueBlendDecision[] = [];
    for (const queue of this.#order) {
      const policy = this.#policies.get(queue.id) as BlendPolicy;
      const observed: ObservedAgent[] = [];
      for (const a of working) {
        if (held.has(a.agent.id) || !serves(a, queue)) continue;
        const leaving = a.notReadyReason !== undefined && a.state !== AgentState.NotReady;
        observed.push({ id: a.agent.id, state: a.state, timeInStateMs: now - a.since, ...(leaving ? { leaving } : {}) });
      }
      const share = this.#shares.get(queue.id); // issue-23 23-dist
      const decision = policy.decide({
        now,
        agents: observed,
        queuedInbound: queued.get(queue.id) ?? 0,
        ...(share === undefined ? {} : { arrivalShare: share }),
      });
      const mine = new Set<string>();
      decision.outboundAgents.forEach((agent, i) => {
        if (agent.leaving === true && observed[i]?.leaving !== true) mine.add(agent.id);
      });
      for (const id of mine) held.add(id);
      // issue-23 23-wire2: what a `hold` view flags (reserve + queued), for pacers that cannot take the demand.
      let withQueued: ReadonlySet<string> = mine;
      if (decision.inboundDemand !== undefined && decision.inboundDemand.queued > 0) {
        const more = new Set<string>();
        const view = outboundView(observed, decision.hold + decision.inboundDemand.queued, policy.options.holdOrder as HoldOrder);
        view.forEach((agent, i) => {
          if (agent.leaving === true && observed[i]?.leaving !== true) more.add(agent.id);
        });
        withQueued = more;
      }
      for (const id of withQueued) heldWithQueued.add(id);
      decisions.push({ queueId: queue.id, decision, held: mine, heldWithQueued: withQueued, serving: observed.map((a) => a.id) });
    }
    this.#last = { at: now, queues: decisions, held, heldWithQueued };
    return this.#last;
  }

  /** The campaign's observed agents as its pacer must see them: the agents inbound holds flagged `leaving`. */
  outboundView(campaignAgents: readonly ObservedAgent[], held: ReadonlySet<string>): ObservedAgent[] {
    return campaignAgents.map((a) => (held.has(a.id) && a.leaving !== true ? { ...a, leaving: true } : a));
  }

  /**
   * issue-23 23-wire2: a campaign's view under the `demand` model, as the simulator's blend
   * builds it: only the reserve the queues hold is flagged `leaving` (busy-first by default),
   * and the callers queued and arriving are demand in the predictive walk instead. Per queue
   * serving some of the campaign's agents: its arrival rate and queued callers × the campaign's
   * share of the queue's serving agents; `reserveIdle`, the campaign's ready agents held;
   * `heldBusy`, its busy agents held, as they are. Campaigns none of whose agents serve a queue
   * get `demand` undefined and their agents unchanged.
   *
   * issue-23 23-pool: `promised` — the waiting callers (any node) matched to ready agents (any
   * node, `matchWaiting`): those agents are flagged `leaving` too (the caller takes them as soon
   * as the router rule allows: no new call may count on them), and those callers are no longer
   * queued demand (they are served by the agent held, not by one freeing).
   */
  viewFor(campaignAgents: readonly ObservedAgent[], decision: InboundBlendDecision, promised: WaitingMatch = NONE): CampaignBlendView {
    const mine = new Set(campaignAgents.map((a) => a.id));
    const promisedIn = new Map<string, number>();
    for (const { queueId, offered } of promised.values()) if (!offered) promisedIn.set(queueId, (promisedIn.get(queueId) ?? 0) + 1);
    let arrivalsPerSecond = 0;
    let queued = 0;
    let serves = false;
    for (const q of decision.queues) {
      const demand = q.decision.inboundDemand;
      if (demand === undefined || q.serving.length === 0) continue;
      const share = q.serving.filter((id) => mine.has(id)).length / q.serving.length;
      if (share === 0) continue;
      serves = true;
      arrivalsPerSecond += demand.arrivalsPerSecond * share;
      queued += Math.max(0, demand.queued - (promisedIn.get(q.queueId) ?? 0)) * share;
    }
    if (!serves) return { agents: campaignAgents, demand: undefined };
    const kept = new Set<string>();
    for (const a of campaignAgents) if (promised.has(a.id) && a.state === AgentState.Ready && a.leaving !== true) kept.add(a.id);
    const held = decision.held;
    let reserveIdle = 0;
    const heldBusy: ObservedAgent[] = [];
    for (const a of campaignAgents) {
      if (!held.has(a.id) || a.leaving === true || kept.has(a.id)) continue;
      if (a.state === AgentState.Ready) reserveIdle++;
      else if (a.state === AgentState.OnCall || a.state === AgentState.WrapUp || a.state === AgentState.Reserved) heldBusy.push(a);
    }
    const o = this.#options;
    const demand: InboundDemand = {
      arrivalsPerSecond,
      queued: Math.max(0, Math.ceil(queued - 1e-9)), // a shared caller counts whole: the walk floors it

      ...(o.reserveCatchesOverflow ? { reserveIdle } : {}),
      ...(o.heldBusyFree ? { heldBusy } : {}),
    };
    for (const id of held) kept.add(id);
    return { agents: kept.size === 0 ? campaignAgents : this.outboundView(campaignAgents, kept), demand };
  }

  /** True when the queues' policies run the `demand` model. */
  get demandModel(): boolean {
    return this.#options.inboundModel === 'demand';
  }

  /** The last decision, for the status and dashboard. */
  get last(): InboundBlendDecision | undefined {
    return this.#last;
  }

  /** The last decision as `InboundStatus.blend` shows it: summed over the queues, and each queue's part. */
  status(): InboundStatus['blend'] {
    const last = this.#last;
    if (!last) return undefined;
    return {
      reserve: last.queues.reduce((sum, q) => sum + q.decision.reserve, 0),
      hold: last.heldWithQueued.size, // issue-23 23-wire2: reserve + queued, under either model
      predictedServiceLevel: Math.min(...last.queues.map((q) => q.decision.predicted.serviceLevel)),
      at: last.at,
      queues: last.queues.map((q) => ({
        queueId: q.queueId,
        reserve: q.decision.reserve,
        hold: q.heldWithQueued.size,
        predictedServiceLevel: q.decision.predicted.serviceLevel,
      })),
    };
  }
}

const NONE: WaitingMatch = new Map();

/** The agent has every skill the queue needs. */
function serves(agent: AgentRuntime, queue: InboundQueue): boolean {
  return queue.skills.every((skill) => agent.agent.skills.includes(skill));
}
