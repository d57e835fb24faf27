import { AgentState, type Clock, type Random } from '@paceline/core';
import { arrivalDeferMs } from '@paceline/pacing';
import type { AgentRoster, SimAgent } from '../agent-roster';
import type { Distribution } from '../model/distribution';
import { ABANDON_AFTER_MS, type InboundRouting } from '../pacing-dialer';

/** The inbound service-level interval, ms (30 minutes, the workforce-management grain). */
export const INTERVAL_MS = 1_800_000;

/** Inbound counts of one 30-minute interval (by the caller's arrival time). */
export interface InboundInterval {
  /** Calls that arrived. */
  offered: number;
  /** Answered by an agent (at any wait). */
  answered: number;
  /** Answered within the service-level answer time. */
  answeredInTarget: number;
  /** Hung up in the queue (queue abandons: not the outbound abandon rate). */
  abandoned: number;
  /** Summed wait of the answered calls, ms. */
  answeredWaitMs: number;
}

/** What the inbound queue reports to a blend policy. */
export interface InboundObserver {
  arrival(at: number): void;
  answered(waitMs: number): void;
  abandoned(waitMs: number): void;
  work(handleMs: number): void;
}

/** Options of {@link InboundQueue}. Times in ms. */
export interface InboundQueueOptions {
  readonly clock: Clock;
  readonly startAt: number;
  /** Local hour of the day at `startAt`. */
  readonly startHour: number;
  /** Arrivals stop at `startAt + durationMs`. */
  readonly durationMs: number;
  readonly roster: AgentRoster;
  /** Arrival rate, calls per hour, at a local hour of the day (fractional hours; piecewise constant per hour). */
  readonly arrivalsPerHour: (hourOfDay: number) => number;
  readonly patience: Distribution;
  readonly talk: Distribution;
  /** Service-level answer time, ms. */
  readonly targetAnswerMs: number;
  /** Arrival times. */
  readonly arrivalRandom: Random;
  /** Each caller's patience and talk, drawn at arrival (so every policy sees the same callers). */
  readonly callerRandom: Random;
  /** The agents inbound calls may go to (default: all). */
  readonly eligible?: (agent: SimAgent) => boolean;
  /** Sees arrivals, answers, abandons and finished inbound work (the blend policy learns from them). */
  readonly observer?: InboundObserver;
  /** Sees every finished inbound call's talk and wrap-up (the outbound pacer learns the busy agents' work mix). */
  readonly onWork?: (talkMs: number, wrapMs: number) => void;
  /**
   * Who a freeing agent serves when inbound callers queue and an outbound live caller waits:
   * `inbound-first` (default) — the oldest inbound caller; `deadline` — the caller whose deadline
   * comes first: the outbound caller's 2-s grace, or the inbound caller's answer target (an
   * inbound caller already past the target has missed it; the outbound caller still can be saved).
   */
  readonly routing?: InboundRoutingOrder;
  /**
   * issue-23 23-morning4 (opt-in): an arriving caller who finds a ready agent waits for the next
   * agent to free instead of taking one the outbound calls in flight count on ({@link ArrivalDefer}).
   */
  readonly defer?: ArrivalDefer;
}

/**
 * issue-23 23-morning4: keep an arriving inbound caller off a ready agent while the outbound
 * calls in flight are expected to need every ready agent: the caller queues (first in line for
 * the next agent to free, as the router's rule gives it) and takes a ready agent once the
 * claims fall (`recheck`) or after `maxMs`, whichever comes first.
 */
export interface ArrivalDefer {
  /** Longest a caller is kept from a ready agent, ms (then it takes one if any is ready). */
  readonly maxMs: number;
  /** The outbound calls in flight's expected claims on agents now (live answers expected, waiting ones included). */
  readonly claims: () => number;
  /**
   * issue-23 23-router: the service-level room variant — keep a caller only while the current
   * interval's answered-within-target count covers the target share of every caller offered in
   * it (`hasRoom` in @paceline/pacing), plus `roomMargin` × (1 − target). Undefined: no room check.
   */
  readonly roomMargin?: number | undefined;
  /** The queue's service-level target share (e.g. 0.8, the scenario's), read by the room check. */
  readonly targetShare: number;
}

/** See {@link InboundQueueOptions.routing}. */
export type InboundRoutingOrder = 'inbound-first' | 'deadline';

/** An inbound caller waiting in the queue. */
interface Caller {
  readonly arrivedAt: number;
  readonly patienceMs: number;
  readonly talkMs: number;
  waiting: boolean;
}

/**
 * The inbound half of a blended simulation: a non-homogeneous Poisson arrival process (rate
 * constant within each hour of the day: exponential gaps, redrawn at each hour boundary —
 * exact by memorylessness), callers who hang up after their patience, one FIFO queue, and
 * routing: an arriving caller takes the longest-ready eligible agent; an agent who becomes
 * ready takes the oldest queued caller before any outbound work (`offerAgent`). Counts per
 * 30-minute interval. Randomness comes from the injected `Random` only, so a seed replays.
 */
export class InboundQueue implements InboundRouting {
  readonly intervals: InboundInterval[] = [];
  /** Finished inbound work, ms (talk and wrap-up, summed over calls). */
  readonly work = { talkMs: 0, wrapMs: 0 };
  /** issue-23 23-morning4: arriving callers kept off a ready agent the live answers about to connect claimed. */
  deferred = 0;
  readonly #o: InboundQueueOptions;
  readonly #queue: Caller[] = [];
  #running = false;

  constructor(options: InboundQueueOptions) {
    this.#o = options;
  }

  /** Callers waiting now. */
  get queued(): number {
    return this.#queue.length;
  }

  /** issue-23 23-peak: how long each queued caller has waited at `now`, ms. */
  queuedWaitMs(now: number): number[] {
    return this.#queue.map((caller) => now - caller.arrivedAt);
  }

  /** Start the arrival process. */
  start(): void {
    this.#running = true;
    this.#scheduleNext(this.#o.clock.now());
  }

  /** Stop arrivals (queued callers still play out while the clock runs). */
  stop(): void {
    this.#running = false;
  }

  #scheduleNext(from: number): void {
    const o = this.#o;
    const end = o.startAt + o.durationMs;
    let t = from;
    while (t < end) {
      const hour = o.startHour + (t - o.startAt) / 3_600_000;
      const boundary = Math.min(end, o.startAt + (Math.floor(hour) + 1 - o.startHour) * 3_600_000);
      const ratePerMs = o.arrivalsPerHour(hour % 24) / 3_600_000;
      if (ratePerMs > 0) {
        const gap = -Math.log(1 - o.arrivalRandom.next()) / ratePerMs;
        if (t + gap < boundary) {
          o.clock.setTimer(t + gap - o.clock.now(), () => this.#arrive());
          return;
        }
      }
      t = boundary;
    }
  }

  #interval(at: number): InboundInterval {
    const i = Math.floor((at - this.#o.startAt) / INTERVAL_MS);
    while (this.intervals.length <= i) {
      this.intervals.push({ offered: 0, answered: 0, answeredInTarget: 0, abandoned: 0, answeredWaitMs: 0 });
    }
    return this.intervals[i] as InboundInterval;
  }

  #arrive(): void {
    if (!this.#running) return;
    const o = this.#o;
    const now = o.clock.now();
    this.#scheduleNext(now);
    this.#interval(now).offered++;
    o.observer?.arrival(now);
    const caller: Caller = {
      arrivedAt: now,
      patienceMs: o.patience.sample(o.callerRandom),
      talkMs: o.talk.sample(o.callerRandom),
      waiting: true,
    };
    const agent = this.#longestReady();
    const keptMs = agent === undefined ? 0 : this.#keptMs(caller, now);
    if (agent !== undefined && keptMs <= 0) {
      this.#answer(caller, agent);
      return;
    }
    this.#queue.push(caller);
    o.clock.setTimer(caller.patienceMs, () => this.#hangUp(caller));
    // issue-23 23-morning4: a deferred caller takes a ready agent at the latest when its window ends.
    if (keptMs > 0) {
      this.deferred++;
      o.clock.setTimer(Math.min(keptMs, caller.patienceMs), () => this.#release(caller));
    }
  }

  /** issue-23 23-router: how much longer the deferral keeps this caller off the ready agents (the shared rule, `arrivalDeferMs`); 0 without `defer`. */
  #keptMs(caller: Caller, now: number): number {
    const defer = this.#o.defer;
    if (defer === undefined) return 0;
    const iv = this.#interval(now);
    const room =
      defer.roomMargin === undefined
        ? undefined
        : { target: defer.targetShare, offered: iv.offered, answeredInTarget: iv.answeredInTarget, margin: defer.roomMargin };
    return arrivalDeferMs({
      ready: this.#readyCount(),
      claims: defer.claims(),
      waitedMs: now - caller.arrivedAt,
      maxMs: defer.maxMs,
      targetAnswerMs: this.#o.targetAnswerMs,
      room,
    });
  }

  #readyCount(): number {
    let ready = 0;
    const eligible = this.#o.eligible;
    for (const a of this.#o.roster.agents) if (a.state === AgentState.Ready && (eligible === undefined || eligible(a))) ready++;
    return ready;
  }

  /** issue-23 23-morning4: the deferred caller's time is up: a ready agent if any (else it stays queued). */
  #release(caller: Caller): void {
    if (!caller.waiting) return;
    const agent = this.#longestReady();
    if (agent === undefined) return;
    const i = this.#queue.indexOf(caller);
    if (i >= 0) this.#queue.splice(i, 1);
    this.#answer(caller, agent);
  }

  /**
   * issue-23 23-morning4: the claims may have fallen (a call resolved): the oldest queued callers
   * take ready agents while the calls in flight leave one over. No-op without `defer`.
   */
  recheck(): void {
    if (this.#o.defer === undefined) return;
    const now = this.#o.clock.now();
    for (let oldest = this.#queue[0]; oldest !== undefined; oldest = this.#queue[0]) {
      const agent = this.#longestReady();
      if (agent === undefined || this.#keptMs(oldest, now) > 0) return;
      this.#answer(this.#queue.shift() as Caller, agent);
    }
  }

  #hangUp(caller: Caller): void {
    if (!caller.waiting) return;
    caller.waiting = false;
    const i = this.#queue.indexOf(caller);
    if (i >= 0) this.#queue.splice(i, 1);
    const waitMs = this.#o.clock.now() - caller.arrivedAt;
    this.#interval(caller.arrivedAt).abandoned++;
    this.#o.observer?.abandoned(waitMs);
  }

  /** An agent became ready: take the oldest queued caller if any (and the agent may take inbound). */
  offerAgent(agent: SimAgent, outboundWaitingSince?: number): boolean {
    const oldest = this.#queue[0];
    if (oldest === undefined) return false;
    if (this.#o.eligible !== undefined && !this.#o.eligible(agent)) return false;
    if (this.#o.routing === 'deadline' && outboundWaitingSince !== undefined) {
      const inboundDeadline = oldest.arrivedAt + this.#o.targetAnswerMs;
      if (this.#o.clock.now() >= inboundDeadline || inboundDeadline > outboundWaitingSince + ABANDON_AFTER_MS) return false;
    }
    this.#answer(this.#queue.shift() as Caller, agent);
    return true;
  }

  #longestReady(): SimAgent | undefined {
    let best: SimAgent | undefined;
    const eligible = this.#o.eligible;
    for (const a of this.#o.roster.agents) {
      if (a.state !== AgentState.Ready || (eligible !== undefined && !eligible(a))) continue;
      if (best === undefined || a.since < best.since) best = a;
    }
    return best;
  }

  #answer(caller: Caller, agent: SimAgent): void {
    const o = this.#o;
    const roster = o.roster;
    const now = o.clock.now();
    caller.waiting = false;
    const waitMs = now - caller.arrivedAt;
    const interval = this.#interval(caller.arrivedAt);
    interval.answered++;
    interval.answeredWaitMs += waitMs;
    if (waitMs <= o.targetAnswerMs) interval.answeredInTarget++;
    o.observer?.answered(waitMs);
    agent.flow = 'inbound'; // issue-23 23-flowtab
    roster.transition(agent, AgentState.OnCall);
    const talkMs = caller.talkMs;
    o.clock.setTimer(talkMs, () => {
      const wrapMs = agent.wrap.sample(roster.random);
      const done = () => {
        this.work.talkMs += talkMs;
        this.work.wrapMs += wrapMs;
        o.onWork?.(talkMs, wrapMs);
        o.observer?.work(talkMs + wrapMs);
        roster.endWork(agent);
      };
      if (wrapMs > 0) {
        roster.transition(agent, AgentState.WrapUp);
        o.clock.setTimer(wrapMs, done);
      } else done();
    });
  }
}
