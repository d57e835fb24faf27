import type { InboundQueue, TimerHandle } from '@paceline/core';
import { arrivalDeferMs, expectedLiveClaims } from '@paceline/pacing';
import { CallPhase } from '../call/call-machine';
import type { EngineCore } from '../engine-core';
import type { InboundCall } from './inbound-call';
import { readyElsewhere, readyForOutbound } from './outbound-commitments';
import type { QueueStats } from './queue-stats';

/** The router's arrival deferral settings (`inbound.blend.arrivalDeferMs`, `arrivalDeferRoom`). */
export interface ArrivalDeferSettings {
  /** Longest a caller is kept off a ready agent, from its queue entry, ms (> 0). */
  readonly maxMs: number;
  /** The service-level room variant's margin (undefined: no room check). */
  readonly roomMargin?: number | undefined;
}

/**
 * issue-23 23-router: the engine's side of the arrival deferral (`arrivalDeferMs` in
 * @paceline/pacing, the rule the simulator's bench measures). A caller looking for a ready agent
 * (`InboundRouter.freeAgentFor`: a new caller, a retry) is kept off the ready agents while the
 * outbound live answers of those agents' campaigns — live callers waiting for an agent, and
 * answered calls in their greeting × the share of answers found human — claim every ready agent
 * of a campaign, for at most the window from its queue entry. The caller stays queued, first in
 * line for the next agent to free (`nextFor` is not deferred); it is offered again whenever an
 * outbound call resolves or connects, an agent becomes ready or a round decides (the desk's
 * retry, `onOutboundResolved`), and by this class's timer when its window ends, when the rule
 * returns 0 for it. Timer callbacks never throw: a failing retry is reported.
 *
 * issue-23 23-xdefer: in distributed mode (the pool's commitments shared, `PoolCommitments`) the
 * counts are the campaign's across the pool: R adds the other nodes' fresh ready agents of the
 * campaign and C the claims each other fresh node publishes of its own calls (`localClaims`, in its
 * commitment; a node's human share is its own). The live answers of a campaign go to any of its
 * ready agents on any node (the leader's own, then the pool's), and a kept caller is offered other
 * nodes' agents too (`InboundPoolLeader.offerRemote` asks {@link keeps} of each), so the question —
 * do the claims need every ready agent? — is the pool's. An entry older than the lease TTL (a dead
 * node's) does not count, however old the last read.
 */
export class ArrivalDeferral {
  /** Callers kept since the desk started. */
  deferred = 0;
  /** Per campaign: answers analysed, and of them found human (the human share's counts). */
  readonly #answers = new Map<string, { human: number; answered: number }>();
  /** Deferred callers: call id → when their window ends (epoch ms). */
  readonly #until = new Map<string, number>();
  #timer: TimerHandle | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  readonly #off: () => void;

  constructor(
    readonly core: EngineCore,
    readonly settings: ArrivalDeferSettings,
    /** Offer the waiting callers again (the desk's retry). */
    readonly retry: () => void,
  ) {
    this.#off = core.events.on('analysed', ({ campaignId, result }) => {
      const counts = this.#answers.get(campaignId) ?? { human: 0, answered: 0 };
      counts.answered++;
      if (result === 'human') counts.human++;
      this.#answers.set(campaignId, counts);
    });
  }

  /**
   * True when `call` is kept off a ready agent of `campaigns` now (the window's re-offer is armed).
   * Pure reads otherwise; `campaigns` are those of the agent the router would give it (this node's
   * or, 23-xdefer, another node's).
   */
  keeps(call: InboundCall, queue: InboundQueue, stats: QueueStats | undefined, campaigns: Iterable<string>): boolean {
    const now = this.core.deps.clock.now();
    const queuedAt = call.snapshot.queuedAt ?? now;
    const room =
      this.settings.roomMargin === undefined || stats === undefined
        ? undefined
        : { target: queue.serviceLevel.fraction, ...stats.interval(now), margin: this.settings.roomMargin };
    let keptMs = 0;
    for (const campaignId of campaigns) {
      const { ready, claims } = this.#claimsOf(campaignId, now);
      const ms = arrivalDeferMs({
        ready,
        claims,
        waitedMs: now - queuedAt,
        maxMs: this.settings.maxMs,
        targetAnswerMs: queue.serviceLevel.answerSeconds * 1_000,
        room,
      });
      keptMs = Math.max(keptMs, ms);
    }
    if (keptMs <= 0) {
      this.#until.delete(call.callId);
      return false;
    }
    if (!this.#until.has(call.callId)) this.deferred++;
    this.#until.set(call.callId, now + keptMs);
    this.#arm();
    return true;
  }

  /** The caller left the queue (answered, gone, moved): no re-offer for it. */
  forget(callId: string): void {
    this.#until.delete(callId);
  }

  close(): void {
    this.#off();
    if (this.#timer !== undefined) this.core.deps.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.#until.clear();
  }

  /**
   * The campaign's ready agents and its calls' expected live claims: this node's, and (23-xdefer)
   * in distributed mode the other fresh nodes' as last read from the pool (`run.blend.pool`).
   */
  #claimsOf(campaignId: string, now: number): { ready: number; claims: number } {
    let ready = 0;
    for (const a of this.core.agents.values()) if (a.campaigns.has(campaignId) && readyForOutbound(a)) ready++;
    let claims = this.localClaims(campaignId);
    const run = this.core.campaigns.get(campaignId);
    if (run?.blend?.pool !== undefined) {
      const freshSince = this.core.parts.poolMember.freshSince(now);
      ready += readyElsewhere(run, freshSince);
      for (const c of run.blend.pool.claims ?? []) if (c.seenAt >= freshSince) claims += c.claims;
    }
    return { ready, claims };
  }

  /** issue-23 23-xdefer: this node's calls' expected live claims of the campaign (published in its commitment, `PooledCommitment.claims`). */
  localClaims(campaignId: string): number {
    let waiting = 0;
    let inGreeting = 0;
    for (const c of this.core.calls.values()) {
      if (c.run.campaign.id !== campaignId || c.snapshot.machine === true) continue;
      if (c.snapshot.phase === CallPhase.Waiting) waiting++;
      else if (c.snapshot.phase === CallPhase.Analysing) inGreeting++;
    }
    const counts = this.#answers.get(campaignId) ?? { human: 0, answered: 0 };
    return expectedLiveClaims(waiting, inGreeting, counts.human, counts.answered);
  }

  /** One timer, at the earliest window end still ahead; it offers the waiting callers again. */
  #arm(): void {
    if (this.core.closed) return;
    const now = this.core.deps.clock.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [callId, until] of this.#until) {
      if (until > now) next = Math.min(next, until);
      else this.#until.delete(callId);
    }
    if (next === Number.POSITIVE_INFINITY || next >= this.#timerAt) return;
    if (this.#timer !== undefined) this.core.deps.clock.clearTimer(this.#timer);
    this.#timerAt = next;
    this.#timer = this.core.deps.clock.setTimer(next - now, () => {
      this.#timer = undefined;
      this.#timerAt = Number.POSITIVE_INFINITY;
      try {
        this.retry();
      } catch (error) {
        this.core.report('inbound retry after an arrival deferral', error);
      }
      this.#arm();
    });
  }
}
