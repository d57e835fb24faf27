import { AgentState, type CallOutcome, type Clock, type PacingOptions, type Random } from '@paceline/core';
import { type CampaignPacer, expectedLiveClaims, type PacingDecision } from '@paceline/pacing';
import { AbandonWindowCounter } from './abandon-window-counter';
import type { AgentRoster, RosterListener, SimAgent } from './agent-roster';
import type { OutcomeModel, TrueOutcome } from './model/outcome-model';
import { SimCall } from './sim-call';

/** DESIGN.md: a live answer not connected to an agent within 2 s of the greeting's end is abandoned. */
export const ABANDON_AFTER_MS = 2_000;

/** What the dialer needs of a pacer: the engine's per-campaign seam (`CampaignPacer` of @paceline/pacing). */
export type SimPacer = Pick<CampaignPacer, 'decide' | 'observeOutcome' | 'observeWork'>;

/** Counters of one run. */
export interface DialerCounters {
  dials: number;
  /** Live answers (classified human at the greeting's end). */
  liveAnswers: number;
  connected: number;
  abandoned: number;
  decisions: number;
  /** Truth of every finished attempt. */
  readonly outcomes: Record<TrueOutcome, number>;
  /** Agent wait periods (ready between two calls): count and total, ms. */
  waits: number;
  waitMs: number;
  /** Live answers and abandons per day of the run (day 0 = the first 24 h). */
  readonly days: { liveAnswers: number; abandoned: number }[];
  /** issue-17: call analysis against the simulated truth (answers only). */
  readonly amd: AmdCounters;
}

/** issue-17: call analysis's verdicts against the simulated truth. */
export interface AmdCounters {
  /** Answers classified as machines (hung up on). */
  machineDecisions: number;
  /** Of those, people: AMD false positives, abandoned calls the dialer does not count. */
  peopleAsMachines: number;
  /** Machines classified as people (passed to an agent; counted as live answers). */
  machinesAsPeople: number;
}

/** Options of {@link PacingDialer}. */
export interface PacingDialerOptions {
  readonly clock: Clock;
  readonly startAt: number;
  /** Local hour of the day at `startAt` (the outcome model varies by hour). */
  readonly startHour: number;
  readonly roster: AgentRoster;
  readonly model: OutcomeModel;
  readonly pacer: SimPacer;
  readonly pacing: PacingOptions;
  /** The abandon ledger's rolling window, ms. */
  readonly abandonWindowMs: number;
  /** Ask the pacer at least this often, ms, even when nothing happened (time moves agents toward free). */
  readonly decisionIntervalMs: number;
  /** The trunk's randomness (outcomes, delays, talk). */
  readonly random: Random;
  /** Sees every decision (for traces and tests). */
  readonly onDecision?: (decision: PacingDecision, now: number) => void;
  /** Blended runs: an inbound queue offered every agent who becomes ready, before outbound (`blend/`). */
  readonly inbound?: InboundRouting;
  /** Blended runs: the agents outbound calls may go to (default: all). */
  readonly outboundEligible?: (agent: SimAgent) => boolean;
}

/** What the dialer needs of an inbound queue: a ready agent is offered to it first; true if it took them. */
export interface InboundRouting {
  /** issue-23: `outboundWaitingSince` is when the oldest outbound live caller waiting for an agent began to wait (none: undefined). */
  offerAgent(agent: SimAgent, outboundWaitingSince?: number): boolean;
  /** issue-23 23-morning4: before each decision, queued callers may take ready agents the calls in flight no longer claim. */
  recheck?(): void;
}

/**
 * The simulator's dialer: asks the pacer after every event and on a tick, places the calls,
 * plays them out with the outcome model, hands live answers to the longest-ready agent and
 * abandons those that find none within 2 s. It stands where the engine will stand: it only
 * talks to the pacer through the engine's seam and to agents through the roster.
 */
export class PacingDialer implements RosterListener {
  readonly counters: DialerCounters = {
    dials: 0,
    liveAnswers: 0,
    connected: 0,
    abandoned: 0,
    decisions: 0,
    outcomes: { live: 0, machine: 0, busy: 0, 'no-answer': 0, failed: 0, invalid: 0 },
    waits: 0,
    waitMs: 0,
    days: [],
    amd: { machineDecisions: 0, peopleAsMachines: 0, machinesAsPeople: 0 },
  };
  /** Events handled (timers fired), for the speed benchmark. */
  events = 0;
  readonly #o: PacingDialerOptions;
  readonly #calls: SimCall[] = [];
  /** Live answers waiting for an agent, oldest first. */
  readonly #waiting: SimCall[] = [];
  readonly #ledger: AbandonWindowCounter;
  readonly #campaign: { readonly pacing: PacingOptions };
  #nextId = 0;
  #running = false;
  #lastDecisionAt = Number.NEGATIVE_INFINITY;
  /** Calls answered (reached call analysis), for {@link expectedLiveClaims}. */
  #answered = 0;

  constructor(options: PacingDialerOptions) {
    this.#o = options;
    this.#ledger = new AbandonWindowCounter(options.abandonWindowMs);
    this.#campaign = { pacing: options.pacing };
    options.roster.listen(this);
  }

  /** Start pacing (and the decision tick) until `stop`. */
  start(): void {
    this.#running = true;
    const tick = () => {
      if (!this.#running) return;
      this.events++;
      // An event-driven decision within the last tick already saw nearly this state.
      if (this.#o.clock.now() - this.#lastDecisionAt >= this.#o.decisionIntervalMs) this.#decide();
      this.#o.clock.setTimer(this.#o.decisionIntervalMs, tick);
    };
    this.#o.clock.setTimer(0, tick);
  }

  /** Stop placing calls (calls in flight play out if the clock keeps running). */
  stop(): void {
    this.#running = false;
  }

  /** Calls in flight (launched, not connected, not ended). */
  get inFlight(): number {
    return this.#calls.length;
  }

  agentReady(agent: SimAgent): void {
    if (this.#o.inbound?.offerAgent(agent, this.#waiting[0]?.greetingEndAt) === true) return; // issue-23: deadline routing
    if (this.#o.outboundEligible !== undefined && !this.#o.outboundEligible(agent)) return;
    const call = this.#waiting.shift();
    if (call) {
      this.#connect(call, agent);
      return;
    }
    if (this.#running) this.#decide();
  }

  /**
   * issue-23 23-morning4: the live answers the calls in flight are about to bring — every live
   * caller waiting for an agent, and each answered call in its greeting (call analysis, ~2.5 s
   * from needing an agent) at the share of answers classified human so far (prior 3 of 4).
   * Ringing calls are not counted: most never answer live, and counting them kept inbound
   * callers waiting for little (docs/blending.md, fourteenth session).
   */
  expectedLiveClaims(): number {
    let waiting = 0;
    let inGreeting = 0;
    for (let i = 0; i < this.#calls.length; i++) {
      const phase = (this.#calls[i] as SimCall).phase;
      if (phase === 'waiting') waiting++;
      else if (phase === 'analysing') inGreeting++;
    }
    return expectedLiveClaims(waiting, inGreeting, this.counters.liveAnswers, this.#answered); // issue-23 23-router: shared with the engine
  }

  #decide(): void {
    this.#o.inbound?.recheck?.(); // issue-23 23-morning4
    const now = this.#o.clock.now();
    this.#lastDecisionAt = now;
    const agents = this.#o.roster.agents;
    for (let i = 0; i < agents.length; i++) {
      const a = agents[i] as SimAgent;
      a.timeInStateMs = now - a.since;
    }
    const calls = this.#calls;
    for (let i = 0; i < calls.length; i++) {
      const c = calls[i] as SimCall;
      c.ageMs = now - c.startedAt;
    }
    const w = this.#ledger.counts(now);
    const d = this.#o.pacer.decide({
      now,
      campaign: this.#campaign,
      agents,
      calls,
      liveAnswers: w.liveAnswers,
      abandoned: w.abandoned,
      windowMs: this.#o.abandonWindowMs,
    });
    this.counters.decisions++;
    this.#o.onDecision?.(d, now);
    for (let i = 0; i < d.launch; i++) this.#launch(now);
  }

  #launch(now: number): void {
    const o = this.#o;
    const hour = o.startHour + (now - o.startAt) / 3_600_000;
    const plan = o.model.plan(hour, o.pacing.ringTimeoutMs, o.random);
    const call = new SimCall(`c${++this.#nextId}`, now, plan);
    call.slot = this.#calls.length;
    this.#calls.push(call);
    this.counters.dials++;
    o.clock.setTimer(plan.resolveAfterMs, () => this.#resolved(call));
  }

  #remove(call: SimCall): void {
    const last = this.#calls.pop() as SimCall;
    if (last !== call) {
      this.#calls[call.slot] = last;
      last.slot = call.slot;
    }
    call.slot = -1;
  }

  #resolved(call: SimCall): void {
    this.events++;
    const plan = call.plan;
    if (plan.detected === undefined) {
      this.#remove(call);
      this.counters.outcomes[plan.truth]++;
      this.#o.pacer.observeOutcome({ outcome: outcomeOf(plan.truth), durationMs: plan.resolveAfterMs });
      if (this.#running) this.#decide();
      return;
    }
    // An answer frees no line and no agent: the next event or tick decides.
    call.phase = 'analysing';
    this.#answered++; // issue-23 23-morning4
    this.#o.clock.setTimer(plan.greetingMs, () => this.#analysed(call));
  }

  #analysed(call: SimCall): void {
    this.events++;
    const now = this.#o.clock.now();
    const plan = call.plan;
    const delay = now - call.startedAt;
    this.counters.outcomes[plan.truth]++;
    if (plan.detected === 'machine') {
      this.counters.amd.machineDecisions++; // issue-17
      if (plan.truth === 'live') this.counters.amd.peopleAsMachines++; // issue-17
      this.#remove(call);
      this.#o.pacer.observeOutcome({ outcome: 'machine', answerDelayMs: plan.resolveAfterMs, durationMs: delay });
      if (this.#running) this.#decide();
      return;
    }
    this.counters.liveAnswers++;
    if (plan.truth === 'machine') this.counters.amd.machinesAsPeople++; // issue-17
    this.#day(now).liveAnswers++;
    this.#ledger.liveAnswer(now);
    call.greetingEndAt = now;
    this.#o.pacer.observeOutcome({ outcome: 'human', answerDelayMs: plan.resolveAfterMs, liveDelayMs: delay, durationMs: delay });
    const agent = this.#longestReady();
    if (agent) {
      this.#connect(call, agent);
      return;
    }
    call.phase = 'waiting';
    call.waiting = true;
    this.#waiting.push(call);
    this.#o.clock.setTimer(ABANDON_AFTER_MS, () => this.#abandonIfWaiting(call));
  }

  #abandonIfWaiting(call: SimCall): void {
    this.events++;
    if (!call.waiting) return;
    call.waiting = false;
    const i = this.#waiting.indexOf(call);
    if (i >= 0) this.#waiting.splice(i, 1);
    this.#remove(call);
    const now = this.#o.clock.now();
    this.counters.abandoned++;
    this.#day(now).abandoned++;
    this.#ledger.abandon(now);
    if (this.#running) this.#decide();
  }

  #longestReady(): SimAgent | undefined {
    let best: SimAgent | undefined;
    const eligible = this.#o.outboundEligible;
    for (const a of this.#o.roster.agents) {
      if (eligible !== undefined && !eligible(a)) continue;
      if (a.state === AgentState.Ready && (best === undefined || a.since < best.since)) best = a;
    }
    return best;
  }

  #connect(call: SimCall, agent: SimAgent): void {
    const now = this.#o.clock.now();
    const roster = this.#o.roster;
    if (call.waiting) call.waiting = false;
    this.#remove(call);
    this.counters.connected++;
    if (agent.readyAfterCall) {
      this.counters.waits++;
      this.counters.waitMs += now - agent.since;
    }
    agent.flow = 'outbound'; // issue-23 23-flowtab
    roster.transition(agent, AgentState.OnCall);
    const talkMs = call.plan.talkMs;
    this.#o.clock.setTimer(talkMs, () => {
      this.events++;
      const wrapMs = agent.wrap.sample(roster.random);
      if (wrapMs > 0) {
        roster.transition(agent, AgentState.WrapUp);
        this.#o.clock.setTimer(wrapMs, () => {
          this.events++;
          this.#o.pacer.observeWork({ talkMs, wrapMs, flow: 'outbound' });
          roster.endWork(agent);
        });
      } else {
        this.#o.pacer.observeWork({ talkMs, wrapMs: 0, flow: 'outbound' });
        roster.endWork(agent);
      }
    });
  }

  #day(now: number): { liveAnswers: number; abandoned: number } {
    const i = Math.floor((now - this.#o.startAt) / 86_400_000);
    const days = this.counters.days;
    while (days.length <= i) days.push({ liveAnswers: 0, abandoned: 0 });
    return days[i] as { liveAnswers: number; abandoned: number };
  }
}

function outcomeOf(truth: TrueOutcome): CallOutcome {
  switch (truth) {
    case 'live':
      return 'human';
    case 'invalid':
      return 'invalid-number';
    default:
      return truth;
  }
}
