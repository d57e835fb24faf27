import {
  AgentState,
  type Attempt,
  type InboundCall as InboundCallRecord,
  type InboundQueue,
  PacelineError,
  type TrunkEvent,
} from '@paceline/core';
import { checkDisposition } from '../call/disposition';
import { type InboundDeskLink, InboundPoolLeader } from '../distributed/inbound-leader'; // issue-23: inbound across the pool
import type { AgentRuntime, CampaignRuntime, EngineCore } from '../engine-core';
import type { ObservedAgent } from '../ports';
import type { BlendSeam } from './blended-pacer';
import type { InboundApi, InboundDispositionData } from './inbound-api';
import { InboundBlend } from './inbound-blend';
import { type InboundCall, newInboundCall } from './inbound-call';
import { type InboundEffect, type InboundInput, InboundPhase, type InboundSnapshot, stepInbound } from './inbound-machine';
import { type InboundCaller, type InboundOffer, type InboundSetup, type InboundStatus, queueForNumber } from './inbound-options';
import { InboundRouter } from './inbound-router';
import { handOffOrder, inboundBuyer, inboundOrder, runDispositionHooks, writeInboundCall } from './inbound-sale';
import { inboundMayTake, onOutboundResolved } from './outbound-commitments';
import { outboundAgents } from './outbound-view';
import { type BlendedRun, PoolCommitments } from './pool-commitments';
import { QueueStats } from './queue-stats';
import { clearQueueTimers, startQueueTimers } from './queue-timers';
import { ReturnedCalls } from './returned-calls';

/**
 * The inbound calls: answers the trunk's `incoming` calls, queues them (messages while
 * waiting, overflow), hands them to ready agents (queue priority, then longest wait; the agent
 * idle longest), runs the campaign script for returned calls, and feeds the blend policy. Each
 * call is the pure machine of `inbound-machine.ts`, run here one event at a time.
 */
export class InboundDesk implements InboundApi {
  readonly #calls = new Map<string, InboundCall>();
  readonly #stats = new Map<string, QueueStats>();
  readonly #queues = new Map<string, InboundQueue>();
  readonly #returned: ReturnedCalls;
  readonly blend: InboundBlend;
  readonly #unsubscribe: Array<() => void> = [];
  /** Distributed mode with an agent pool: other nodes' agents take this node's callers (distributed/inbound-leader.ts). */
  readonly pool: InboundPoolLeader | undefined;
  /** Who serves whom (the router rule of the `demand` blend included). */
  readonly #router: InboundRouter;
  readonly #commitments: PoolCommitments | undefined;
  readonly #link: InboundDeskLink = this.#poolLink();

  constructor(
    readonly core: EngineCore,
    readonly setup: InboundSetup,
  ) {
    for (const queue of setup.config.queues) {
      this.#queues.set(queue.id, queue);
      this.#stats.set(queue.id, new QueueStats(queue));
    }
    this.blend = new InboundBlend(setup.blend, setup.config.queues);
    this.#router = new InboundRouter(core, this.#queues, this.#stats, this.#calls, setup.blend, () => this.#retryWaiting());
    this.#returned = new ReturnedCalls(core);
    this.#unsubscribe.push(core.deps.trunk.onEvent((event) => this.#onTrunkEvent(event)));
    this.#unsubscribe.push(core.events.on('campaignStateChanged', () => this.numbersChanged()));
    this.#unsubscribe.push(core.events.on('agentStateChanged', (e) => e.to === AgentState.LoggedOut && this.#agentLeft(e.agentId, e.at)));
    // The blend learns outbound handle times from the outbound calls' dispositions.
    this.#unsubscribe.push(
      core.events.on('dispositioned', ({ attempt }) => {
        if (attempt.connectedAt !== undefined) this.blend.observeOutboundWork(core.deps.clock.now() - attempt.connectedAt);
      }),
    );
    // issue-23 23-router: a caller the router rule kept waiting tries again when an outbound call resolves.
    if (this.blend.demandModel) this.#unsubscribe.push(onOutboundResolved(core, () => this.#retryWaiting()));
    // issue-23 23-dist: the router rule across nodes: this node's commitments published, the others' read (23-xdefer: and the deferral's claims).
    const shared = core.pool && this.blend.demandModel ? PoolCommitments.poolOf(core.deps.agentPool) : undefined;
    this.#commitments = shared && new PoolCommitments(core, shared, () => this.#retryWaiting(), this.#router.deferral);
    if (this.#commitments) this.#unsubscribe.push(onOutboundResolved(core, () => this.#commitments?.publishSoon()));
    this.numbersChanged();
    this.pool = core.pool ? new InboundPoolLeader(core, this, this.#link, [...this.#stats.values()], this.blend) : undefined;
  }

  // ── the public side ─────────────────────────────────────────────────────────────────────

  status(): InboundStatus {
    const now = this.core.deps.clock.now();
    let withAgents = 0;
    for (const call of this.#calls.values()) if (call.snapshot.agentId !== undefined) withAgents++;
    const blend = this.blend.status();
    return { queues: [...this.#stats.values()].map((s) => s.status(now)), withAgents, ...(blend ? { blend } : {}) };
  }

  numbers(): string[] {
    const numbers = new Set(this.setup.config.queues.flatMap((q) => q.numbers));
    if (this.setup.config.acceptCampaignCallerIds) for (const rt of this.core.campaigns.values()) numbers.add(rt.campaign.callerId);
    return [...numbers].sort();
  }

  /** Tell the trunk the numbers to accept again (a campaign was added or changed state). */
  numbersChanged(): void {
    this.core.deps.trunk.acceptInbound?.(this.numbers());
  }

  has(callId: string): boolean {
    return this.#calls.has(callId);
  }

  async hangup(callId: string): Promise<void> {
    const call = this.#call(callId, 'hangup');
    if (call.snapshot.phase !== InboundPhase.Connected) {
      throw new PacelineError('E_CONFLICT', `inbound hangup: call ${callId} is ${call.snapshot.phase}, not connected`);
    }
    await this.core.deps.trunk.hangup(callId);
  }

  async disposition(callId: string, code: string, data: InboundDispositionData = {}): Promise<void> {
    const call = this.#call(callId, 'disposition');
    if (call.pending) throw new PacelineError('E_CONFLICT', `inbound disposition: call ${callId} already has one`);
    if (call.snapshot.phase !== InboundPhase.Connected && call.snapshot.phase !== InboundPhase.WrapUp) {
      throw new PacelineError(
        'E_CONFLICT',
        `inbound disposition: call ${callId} is ${call.snapshot.phase}; only a connected call takes one`,
      );
    }
    const d = call.returned ? checkDisposition(call.returned.rt.campaign, code, data) : undefined;
    if (!call.returned && code.length === 0)
      throw new PacelineError('E_INVALID_DISPOSITION', 'inbound disposition: code: expected a non-empty code');
    // A sale's order, checked now (like an outbound sale's): a returned call's sale code, or any code of a service call.
    const returned = call.returned && { campaign: call.returned.rt.campaign, contactId: call.returned.record.contact.id };
    const attemptId = call.attempt === undefined ? {} : { attemptId: call.attempt.id };
    const buyer = d && !d.sale ? undefined : await inboundBuyer(this.core, callId, returned && { ...returned, ...attemptId }, data);
    const order = buyer && data.order ? inboundOrder(callId, buyer, data.order, this.core.deps.clock.now()) : undefined;
    if (call.pending) throw new PacelineError('E_CONFLICT', `inbound disposition: call ${callId} already has one`);
    call.pending = { code, data, ...(order ? { order } : {}) };
    // Dispositioned before the call ended: hang up; the `ended` moves it to wrap-up, which takes the pending disposition.
    if (call.snapshot.phase === InboundPhase.Connected) await this.core.deps.trunk.hangup(callId);
    else await this.#enqueue(call, 'disposition', () => this.#feed(call, { type: 'disposition', code, at: this.core.deps.clock.now() }));
    await call.finished;
  }

  async requestDnc(callId: string): Promise<void> {
    const call = this.#call(callId, 'requestDnc');
    await this.#dnc(call);
  }

  /** Hang up the calls in flight and stop listening. */
  async close(): Promise<void> {
    for (const off of this.#unsubscribe.splice(0)) off();
    this.pool?.close();
    this.#commitments?.close();
    this.#router.close();
    for (const call of this.#calls.values()) clearQueueTimers(this.core, call);
    await Promise.all([...this.#calls.keys()].map((id) => this.core.deps.trunk.hangup(id).catch(() => {})));
  }

  // ── the engine's side ───────────────────────────────────────────────────────────────────

  /** An agent became free (the agent desk chose inbound, `chooseFlow`): give it the router's caller (`InboundRouter.nextFor`); true when it took one. */
  agentFree(agent: AgentRuntime): boolean {
    const best = this.#router.nextFor(agent);
    // issue-23: an older caller elsewhere first (23-router: never for an agent the router rule keeps for outbound).
    if (inboundMayTake(this.core, agent) && this.pool?.pullOlder(agent.agent.id, agent.agent.skills, best)) return true;
    if (!best) return false;
    const call = best.call;
    this.#claim(call, agent);
    this.#enqueue(call, 'offer', () => this.#offer(call, agent));
    return true;
  }

  /**
   * The answer deadline (queued-at + the queue's service-level answer target, epoch ms) of the
   * caller `agentFree` would give this agent here, if any: the agent desk weighs it against a
   * waiting outbound live answer's (`chooseFlow`, deadline routing).
   */
  nextDeadlineFor(agent: AgentRuntime): number | undefined {
    return this.#router.nextFor(agent)?.deadline;
  }

  /** The campaign's observed agents as its pacer must see them with the blend's hold (`outbound-view.ts`). */
  outboundAgents(agents: readonly ObservedAgent[], now: number, seam?: BlendSeam): readonly ObservedAgent[] {
    const src = { core: this.core, blend: this.blend, queues: this.#queues, stats: this.#stats, pool: this.pool };
    return outboundAgents({ ...src, calls: () => this.#calls.values() }, agents, now, seam);
  }

  // ── one call ─────────────────────────────────────────────────────────────────────────────

  #onTrunkEvent(event: TrunkEvent): void {
    if (event.type === 'incoming') {
      if (this.#calls.has(event.callId)) return; // a retransmitted offer
      const call = newInboundCall(event);
      this.#calls.set(call.callId, call);
      this.#enqueue(call, 'incoming', () => this.#arrive(call, event.at));
      return;
    }
    const call = this.#calls.get(event.callId);
    if (call && event.type === 'ended') this.#enqueue(call, 'ended', () => this.#feed(call, { type: 'ended', at: event.at }));
  }

  /** Match the caller, pick the queue, and accept (answer and queue) — or refuse. */
  async #arrive(call: InboundCall, at: number): Promise<void> {
    const returned = this.core.closed
      ? undefined
      : await this.#returned.match(call.from, call.to).catch((error: unknown) => {
          this.core.report(`inbound match ${call.callId}`, error);
          return undefined;
        });
    if (returned) {
      call.returned = returned;
      call.record = { ...call.record, caller: 'returned', campaignId: returned.rt.campaign.id, contactId: returned.record.contact.id };
    }
    const callerIds = [...this.core.campaigns.values()].map((rt) => rt.campaign.callerId);
    const queue = queueForNumber(this.setup.config, callerIds, call.to, returned !== undefined);
    if (!queue || this.core.closed) {
      const reason = this.core.closed ? 'the dialer is closing' : 'no queue answers this number';
      this.core.events.emit('inbound.rejected', { callId: call.callId, to: call.to, at, reason });
      await this.#ledger(call, { outcome: 'refused' });
      await this.#feed(call, { type: 'refuse', at: this.core.deps.clock.now() });
      return;
    }
    this.blend.policy(queue.id)?.observeArrival(at);
    await this.#feed(call, { type: 'accept', queueId: queue.id, at: this.core.deps.clock.now() });
  }

  /** Step the machine and carry out its effects in order. Refused inputs change nothing. */
  async #feed(call: InboundCall, input: InboundInput): Promise<boolean> {
    const result = stepInbound(call.snapshot, input);
    if (result.refused !== undefined) return false;
    const before = call.snapshot;
    call.snapshot = result.snapshot;
    for (const effect of result.effects) await this.#effect(call, effect, before);
    if (call.snapshot.phase === InboundPhase.Done || call.snapshot.phase === InboundPhase.Abandoned) {
      this.#calls.delete(call.callId);
      this.pool?.finished(call.callId);
      call.markFinished();
    }
    return true;
  }

  async #effect(call: InboundCall, effect: InboundEffect, before: InboundSnapshot): Promise<void> {
    const { deps, events } = this.core;
    const now = deps.clock.now();
    switch (effect.type) {
      case 'answer':
        try {
          await deps.trunk.answer?.(call.callId);
        } catch (error) {
          // The caller is gone (or the trunk failed): the `ended` that follows ends the call.
          this.core.report(`inbound answer ${call.callId}`, error);
        }
        return;
      case 'reject':
        await deps.trunk
          .reject?.(call.callId, 'unavailable')
          .catch((error: unknown) => this.core.report(`inbound reject ${call.callId}`, error));
        return;
      case 'enqueue': {
        const stats = this.#stats.get(effect.queueId) as QueueStats;
        stats.join(call.callId, call.snapshot.queuedAt ?? now);
        if (effect.from !== undefined) this.#stats.get(effect.from)?.overflowed();
        this.#startTimers(call, this.#queues.get(effect.queueId) as InboundQueue);
        await this.#ledger(call, { queueId: effect.queueId, queuedAt: call.snapshot.queuedAt ?? now });
        events.emit('inbound.queued', {
          ...this.#base(call, now),
          waiting: stats.waitingCount,
          ...(effect.from === undefined ? {} : { from: effect.from }),
        });
        return;
      }
      case 'dequeue':
        this.#stats.get(effect.queueId)?.leave(call.callId);
        clearQueueTimers(this.core, call);
        return;
      case 'findAgent': {
        const agent = this.#router.freeAgentFor(call);
        if (agent) {
          this.#claim(call, agent);
          await this.#offer(call, agent);
        } else if (!(await this.#offerRemote(call))) {
          // Nobody free: outbound pacing must see the caller as demand now, not at the next tick.
          for (const rt of this.core.campaigns.values()) this.core.parts.campaigns.tick(rt);
        }
        return;
      }
      case 'bridge':
        events.emit('inbound.offered', { ...this.#base(call, now), agentId: effect.agentId });
        return;
      case 'releaseAgent': {
        // Declined: back in its queue at its place by its first entry (its wait kept), ahead of later callers.
        if (call.snapshot.phase === InboundPhase.Queued) this.#stats.get(before.queueId ?? '')?.join(call.callId, before.queuedAt ?? now);
        this.pool?.release(call.callId, effect.agentId);
        const agent = this.core.agents.get(effect.agentId);
        if (agent?.state === AgentState.Reserved && agent.callId === call.callId) {
          delete agent.callId;
          this.core.parts.agents.setAgentState(agent, AgentState.Ready);
          this.core.parts.agents.agentFree(agent);
        }
        return;
      }
      case 'connected':
        return this.#connected(call, effect.agentId, effect.waitMs, now);
      case 'abandoned':
        this.#stats.get(effect.queueId)?.abandoned(effect.waitMs, now);
        this.blend.policy(effect.queueId)?.observeAbandon(effect.waitMs);
        await this.#ledger(call, { outcome: 'abandoned', waitMs: effect.waitMs, endedAt: now });
        events.emit('inbound.abandoned', { ...this.#base(call, now), waitMs: effect.waitMs });
        return;
      case 'hangup':
        await deps.trunk.hangup(call.callId);
        return;
      case 'agentToWrapUp': {
        const agent = this.core.agents.get(effect.agentId);
        if (agent?.state === AgentState.OnCall && agent.callId === call.callId)
          this.core.parts.agents.setAgentState(agent, AgentState.WrapUp);
        this.pool?.ended(call.callId, effect.agentId, now);
        if (deps.media)
          this.core.guard(
            `media disconnect ${call.callId}`,
            Promise.resolve().then(() => deps.media?.disconnect(call.callId)),
          );
        if (call.pending)
          await this.#feed(call, { type: 'disposition', ...(call.pending.code === undefined ? {} : { code: call.pending.code }), at: now });
        return;
      }
      case 'autoDisposition':
        if (!call.pending) call.pending = { data: {} };
        await this.#feed(call, { type: 'disposition', at: now });
        return;
      case 'finishDisposition':
        return this.#finish(call, effect.code, effect.agentId, before, now);
      case 'ended':
        clearQueueTimers(this.core, call);
        if (before.phase === InboundPhase.Connected) {
          const agentId = call.snapshot.agentId;
          events.emit('inbound.ended', { ...this.#base(call, now), ...(agentId === undefined ? {} : { agentId }) });
        }
        return;
    }
  }

  /** Reserve `agent` for `call` at once (no await between the choice and the reservation). */
  #claim(call: InboundCall, agent: AgentRuntime): void {
    this.core.parts.agents.setAgentState(agent, AgentState.Reserved);
    agent.callId = call.callId;
    if (call.snapshot.queueId !== undefined) this.#stats.get(call.snapshot.queueId)?.leave(call.callId);
  }

  /** issue-23 23-dist: the rule on a fresh read of the pool's commitments (`PoolCommitments.confirm`, 23-xnode: and its atomic take), `agent` reserved; without them: not `keptNow`. */
  confirmTake = async (agent: AgentRuntime, keptNow = false): Promise<boolean> =>
    this.#commitments ? (await this.#commitments.confirm(agent)) === 'taken' : !keptNow;

  claimSettled = (agentId: string): Promise<void> | undefined => this.#router.settled(agentId);

  /** issue-23 23-xnode: a blended round's launch, ordered against the pool's takes (`PoolCommitments.launch`); without the pool's commitments: all of it. */
  launchAllowed = (run: CampaignRuntime, launch: number): Promise<number> =>
    run.blend === undefined || !this.#commitments ? Promise.resolve(launch) : this.#commitments.launch(run as BlendedRun, launch);

  /** Undo `#claim` (the caller back at its place, the agent ready); the rule kept the agent (23-xwait: or an older caller elsewhere has it): this node's callers pass it by for a while (`InboundRouter.defer`), then retry. */
  #unclaim(call: InboundCall, agent: AgentRuntime, why: 'kept' | 'older'): void {
    if (call.snapshot.phase === InboundPhase.Queued)
      this.#stats.get(call.snapshot.queueId ?? '')?.join(call.callId, call.snapshot.queuedAt ?? 0);
    this.#router.defer(agent.agent.id, () => this.#retryWaiting(), why); // issue-23 23-xclaim: `older` holds longer
    if (agent.state !== AgentState.Reserved || agent.callId !== call.callId) return;
    delete agent.callId;
    this.core.parts.agents.setAgentState(agent, AgentState.Ready);
    this.core.parts.agents.agentFree(agent);
  }

  /** The claimed agent takes the call: bridge the audio, then connect (or give the agent back). */
  async #offer(call: InboundCall, agent: AgentRuntime): Promise<void> {
    const agentId = agent.agent.id;
    // issue-23 23-dist: the router rule on the other nodes' commitments read just now (23-xwait: and the order across nodes); refused: undone.
    const took = await this.#router.claim(agent, call, this.#commitments);
    if (took !== 'taken') return this.#unclaim(call, agent, took);
    if (!(await this.#feed(call, { type: 'agentReserved', agentId, at: this.core.deps.clock.now() }))) {
      // The caller left between the claim and now.
      await this.#effect(call, { type: 'releaseAgent', agentId }, call.snapshot);
      return;
    }
    try {
      await this.core.deps.media?.connect(call.callId, agentId);
    } catch (error) {
      this.core.report(`inbound media connect ${call.callId}`, error);
      await this.#feed(call, { type: 'declined', at: this.core.deps.clock.now() });
      return;
    }
    const stillOurs = agent.state === AgentState.Reserved && agent.callId === call.callId;
    await this.#feed(call, { type: stillOurs ? 'accepted' : 'declined', at: this.core.deps.clock.now() });
  }

  /** Waiting callers (queue priority, then wait) each given a free agent the rule allows; only after the rule kept an agent. */
  #retryWaiting(): void {
    // issue-23 23-pool: and the other nodes' agents, when the rule kept one from an offer here.
    if (this.pool?.takeKept()) this.#link.retryWaiting();
    if (!this.#router.takeKept()) return;
    for (const [call, agent] of this.#router.retryable()) {
      this.#claim(call, agent);
      void this.#enqueue(call, 'retry', () => this.#offer(call, agent));
    }
  }

  async #connected(call: InboundCall, agentId: string, waitMs: number, now: number): Promise<void> {
    const agent = this.core.agents.get(agentId);
    if (agent) this.core.parts.agents.setAgentState(agent, AgentState.OnCall);
    const queueId = call.snapshot.queueId ?? '';
    this.#stats.get(queueId)?.answered(waitMs, now);
    this.blend.policy(queueId)?.observeAnswered(waitMs);
    const queue = this.#queues.get(queueId);
    const { returned } = call;
    if (returned && call.from !== undefined) {
      const attempt = {
        ...this.#returned.attemptOf(returned, {
          callId: call.callId,
          from: call.from,
          to: call.to,
          arrivedAt: call.snapshot.arrivedAt,
          queuedAt: call.snapshot.queuedAt ?? now,
        }),
        connectedAt: now,
        agentId,
      };
      call.attempt = attempt;
      await this.#returned.record(attempt);
    }
    await this.#ledger(call, {
      outcome: 'answered',
      connectedAt: now,
      agentId,
      waitMs,
      ...(call.attempt ? { attemptId: call.attempt.id } : {}),
    });
    const scriptId = returned ? returned.rt.campaign.scriptId : queue?.scriptId;
    const offer: InboundOffer = {
      ...this.#base(call, now),
      agentId,
      waitMs,
      ...(returned ? { contact: returned.record.contact } : {}),
      ...(call.attempt ? { attempt: call.attempt } : {}),
      ...(scriptId === undefined ? {} : { scriptId }),
      ...(this.pool ? { callNode: this.core.nodeId } : {}),
    };
    if (!this.pool?.connected(offer)) this.core.events.emit('inbound.connected', offer);
    if (returned && call.attempt) {
      // The same hooks as an outbound live answer: the campaign's script with the contact's profile and offers.
      this.core.parts.calls.runOnConnect(
        {
          campaignId: returned.rt.campaign.id,
          callId: call.callId,
          agentId,
          contact: returned.record.contact,
          attempt: call.attempt,
          ...(scriptId === undefined ? {} : { scriptId }),
          latencyMs: waitMs,
        },
        this.pool?.nodeOf(call.callId),
      );
    }
  }

  async #finish(
    call: InboundCall,
    code: string | undefined,
    agentId: string | undefined,
    before: InboundSnapshot,
    now: number,
  ): Promise<void> {
    const data = call.pending?.data ?? {};
    const { returned } = call;
    const disposition = returned && code !== undefined ? returned.rt.campaign.dispositions.find((d) => d.code === code) : undefined;
    if (call.attempt) {
      const attempt: Attempt = {
        ...call.attempt,
        endedAt: before.endedAt ?? now,
        outcome: 'human',
        ...(code === undefined ? {} : { dispositionCode: code }),
      };
      call.attempt = attempt;
      await this.#returned.record(attempt);
    }
    const order = call.pending?.order;
    // The order first (as on an outbound sale): if the process dies before the disposition is written, the sale is not lost.
    if (order) await handOffOrder(this.core, order);
    const sale = disposition?.sale === true || order !== undefined;
    await this.#ledger(call, {
      endedAt: before.endedAt ?? now,
      wrapEndedAt: now,
      ...(code === undefined ? {} : { dispositionCode: code }),
      ...(sale ? { sale } : {}),
      ...(order ? { orderId: order.id } : {}),
    });
    if (disposition?.dnc === true || (data as InboundDispositionData).dnc === true) await this.#dnc(call);
    else if (returned) await this.#returned.settle(returned, disposition, data, now);
    if (before.connectedAt !== undefined) this.#stats.get(before.queueId ?? '')?.handled(now - before.connectedAt, now, this.blend);
    this.core.events.emit('inbound.dispositioned', {
      ...this.#base(call, now),
      code: code ?? '',
      sale,
      ...(order ? { orderId: order.id } : {}),
      ...(agentId === undefined ? {} : { agentId }),
    });
    if (returned && call.attempt)
      runDispositionHooks(this.core, returned.rt, call.callId, call.attempt, { code: code ?? '', agentId, data });
    this.pool?.released(call.callId, agentId, { code: code ?? '', sale, orderId: order?.id, agentNext: data.agentNext });
    if (agentId !== undefined) this.core.parts.agents.releaseAfterWrapUp(agentId, call.callId, data.agentNext);
  }

  /** The caller's do-not-call request, honoured in every campaign at once. */
  async #dnc(call: InboundCall): Promise<void> {
    if (call.from === undefined) {
      throw new PacelineError('E_INVALID_INPUT', `inbound requestDnc: call ${call.callId} has no caller number (withheld); nothing to add`);
    }
    const now = this.core.deps.clock.now();
    const contacts = await this.#returned.honourDnc(call.from, call.snapshot.agentId ?? 'inbound', now);
    this.pool?.dncEverywhere(call.from, call.snapshot.agentId ?? 'inbound', now); // issue-23: every node's DNC list
    this.core.events.emit('inbound.dnc', { callId: call.callId, at: now, contacts });
  }

  /** An agent logged out: its inbound call (offered, connected or in wrap-up) goes on without it. */
  #agentLeft(agentId: string, at: number): void {
    for (const call of this.#calls.values()) {
      if (call.snapshot.agentId === agentId) this.#enqueue(call, 'agent left', () => this.#feed(call, { type: 'agentLeft', at }));
    }
  }

  #startTimers(call: InboundCall, queue: InboundQueue): void {
    const waiting = {
      callId: call.callId,
      timers: call.timers,
      waitingIn: (id: string) => call.snapshot.phase === InboundPhase.Queued && call.snapshot.queueId === id,
    };
    startQueueTimers(this.core, waiting, queue, (queueId) => {
      this.#enqueue(call, 'overflow', () => this.#feed(call, { type: 'overflow', queueId, at: this.core.deps.clock.now() }));
    });
  }

  /** Update the call's inbound call ledger record and write it (retried while the store is away; a failure is reported, never thrown). */
  async #ledger(call: InboundCall, change: Partial<InboundCallRecord>): Promise<void> {
    call.record = { ...call.record, ...change };
    await writeInboundCall(this.core, call.record);
  }

  /** issue-23: what the pool leader uses of the desk (distributed/inbound-leader.ts). */
  #poolLink(): InboundDeskLink {
    const onCall = (callId: string, what: string, work: (call: InboundCall) => Promise<boolean>): Promise<boolean> => {
      const call = this.#calls.get(callId);
      let taken = false;
      return call ? this.#enqueue(call, what, async () => (taken = await work(call))).then(() => taken) : Promise.resolve(false);
    };
    // A caller a local agent can take waits for that agent (`agentFree`); the others go to another node's agent.
    const offerIfQueued = async (call: InboundCall, prefer?: string) =>
      call.snapshot.phase === InboundPhase.Queued && !this.#router.freeAgentFor(call) && (await this.#offerRemote(call, prefer));
    return {
      fromPool: (callId, agentId, input) =>
        onCall(callId, input.type, async (call) => call.snapshot.agentId === agentId && (await this.#feed(call, input))),
      reserved: async (callId, agentId) => {
        const call = this.#calls.get(callId);
        if (!call || call.snapshot.phase !== InboundPhase.Queued) return false;
        this.#stats.get(call.snapshot.queueId ?? '')?.leave(callId);
        return this.#feed(call, { type: 'agentReserved', agentId, at: this.core.deps.clock.now() });
      },
      waiting: () =>
        [...this.#stats].flatMap(([queueId, stats]) =>
          stats.waitingCalls().map((callId) => ({ callId, queueId, queuedAt: this.#calls.get(callId)?.snapshot.queuedAt ?? 0 })),
        ),
      // The puller's view of this node's queue may be a sweep old (a caller back from a timed-out
      // offer missing from it): the agent is offered the head of the named caller's queue.
      pull: (callId, agentId) => {
        const queueId = this.#calls.get(callId)?.snapshot.queueId;
        const head = queueId === undefined ? undefined : this.#stats.get(queueId)?.waitingCalls()[0];
        void onCall(head ?? callId, 'pull', (call) => offerIfQueued(call, agentId));
      },
      retryWaiting: () => {
        for (const { callId } of this.#router.waiting()) void onCall(callId, 'pool retry', (call) => offerIfQueued(call));
      },
      defers: (callId, campaignIds) => this.#router.defersRemote(this.#calls.get(callId), campaignIds), // issue-23 23-xdefer
    };
  }

  /** Run `work` after everything already queued for the call; failures are reported, never thrown into a callback. */
  #enqueue(call: InboundCall, what: string, work: () => Promise<unknown>): Promise<void> {
    const next = call.chain.then(work).then(
      () => {},
      (error: unknown) => this.core.report(`inbound ${what} ${call.callId}`, error),
    );
    call.chain = next;
    return next;
  }

  async #offerRemote(call: InboundCall, prefer?: string): Promise<boolean> {
    const queue = this.#queues.get(call.snapshot.queueId ?? '') as InboundQueue;
    return Boolean(await this.pool?.offerRemote(call.callId, queue, call.snapshot.queuedAt ?? this.core.deps.clock.now(), prefer));
  }

  #base(call: InboundCall, at: number): { callId: string; queueId: string; at: number; caller: InboundCaller } {
    const caller: InboundCaller = call.returned
      ? { kind: 'returned', campaignId: call.returned.rt.campaign.id, contactId: call.returned.record.contact.id }
      : { kind: 'service' };
    return { callId: call.callId, queueId: call.snapshot.queueId ?? '', at, caller };
  }

  #call(callId: string, what: string): InboundCall {
    const call = this.#calls.get(callId);
    if (!call) throw new PacelineError('E_NOT_FOUND', `inbound ${what}: no inbound call ${callId} in progress`);
    return call;
  }
}
