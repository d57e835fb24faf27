import {
  type Attempt,
  type Campaign,
  type ContactRecord,
  ContactState,
  contactLifecycle,
  ORDER_QUEUE,
  type Order,
  orderJobOptions,
  PacelineError,
  parseOrder,
} from '@paceline/core';
import type { HookRunner } from '@paceline/scripting';
import { RELAUNCH_DELAY_MS } from '../engine-constants';
import type { CallRuntime, CampaignRuntime, EngineCore } from '../engine-core';
import { type AttemptResult, recycle } from '../recycle';
import type { DispositionData } from './agent-input';
import { CallPhase, type DispositionRequest } from './call-machine';

/** A call's disposition: the checks, the order hand-off, the recycle of the contact, the hooks, and the agent's release. */
export class Dispositions {
  constructor(readonly core: EngineCore) {}

  /**
   * An agent's disposition of a call this node runs (the agent's own, or forwarded from the
   * agent's node): checked, then an input to the call — before the call ended, it is hung up
   * and the disposition is carried out when it has. Resolves once the store has it.
   */
  async take(callId: string, code: string, data: DispositionData = {}): Promise<void> {
    const call = this.core.calls.get(callId);
    if (!call) throw new PacelineError('E_NOT_FOUND', `disposition: no call ${callId} awaiting a disposition`);
    const conflict = () => new PacelineError('E_CONFLICT', `disposition: call ${callId} already has one`);
    if (hasDisposition(call)) throw conflict();
    const d = checkDisposition(call.run.campaign, code, data);
    const order = d.sale && data.order ? this.order(call, data.order) : undefined;
    const calls = this.core.parts.calls;
    const input = { type: 'disposition', code: d.code, data, ...(order ? { order } : {}), at: this.core.deps.clock.now() } as const;
    const result = await calls.perform(call, () => calls.apply(call, input));
    if (result.refused !== undefined) {
      if (hasDisposition(call)) throw conflict();
      throw new PacelineError('E_CONFLICT', `disposition: call ${callId} is ${call.snapshot.phase}; only a connected call takes one`);
    }
    await call.finished;
  }

  /** Carry out a disposition (the machine's `finishDisposition`): `agent` is the call's agent when it is still there. */
  async finishDisposition(
    call: CallRuntime,
    request: DispositionRequest,
    agent: { agentId: string; node?: string } | undefined,
  ): Promise<void> {
    try {
      await this.#finish(call, request, agent);
    } finally {
      call.markFinished();
    }
  }

  async #finish(call: CallRuntime, request: DispositionRequest, agent: { agentId: string; node?: string } | undefined): Promise<void> {
    const { code, order } = request;
    const data = request.data ?? {};
    const { run } = call;
    const now = this.core.deps.clock.now();
    const disposition = code === undefined ? undefined : run.campaign.dispositions.find((d) => d.code === code);
    // issue-17: the agent reached an answering machine the detector took for a person.
    if (disposition?.answeringMachine) this.core.parts.calls.machineFound(call, 'agent-disposition', agent?.agentId, now);
    call.attempt = { ...call.attempt, ...(code === undefined ? {} : { dispositionCode: code }) };
    if (order) {
      // The order goes first: if the process dies before the disposition is written, the sale
      // is not lost (the new leader reconciles the contact). The idempotency key makes a
      // retried hand-off run once.
      const handOff = () => this.core.deps.queue.enqueue(ORDER_QUEUE, order, orderJobOptions(order));
      this.core.parts.writes.persist(call, 'order hand-off', handOff);
    }
    const dispositioned = call.attempt;
    this.core.parts.writes.persist(call, 'disposition', () => this.core.store.putAttempt(dispositioned));
    const next = recycle(
      run.campaign,
      call.record,
      {
        outcome: call.attempt.outcome ?? 'human',
        ...(disposition ? { disposition } : {}),
        ...(data.callbackAt === undefined ? {} : { callbackAt: data.callbackAt }),
        ...(data.callbackAgentId === undefined ? {} : { callbackAgentId: data.callbackAgentId }),
      },
      now,
    );
    if (disposition?.dnc) {
      // dnc-shared: in the store (every node honours it) before the local book; `dispositioned` waits for it.
      const request = {
        phone: call.attempt.phone,
        reason: `disposition ${disposition.code}`,
        source: agent?.agentId ?? call.attempt.agentId ?? 'engine',
        at: now,
      };
      this.core.parts.writes.persist(call, 'do-not-call', () => this.core.parts.dnc.record(request));
    }
    if (disposition?.humanContact === true && disposition.dnc) {
      this.core.parts.calls.recordForCompliance(call, 'refusal', now);
    }
    this.core.parts.writes.persist(call, 'recycle', () => this.applyRecycle(run, call.record, next));
    if (disposition?.sale) run.sales++;
    // Resolve once the store has the disposition (`disposition()` callers can rely on it);
    // while the store is away this waits, and the agent stays in wrap-up meanwhile.
    await call.writes;
    if (order) this.core.events.emit('orderCreated', { campaignId: run.campaign.id, order });
    this.core.calls.delete(call.attempt.id);
    this.core.events.emit('dispositioned', {
      campaignId: run.campaign.id,
      callId: call.attempt.id,
      code: code ?? '',
      attempt: call.attempt,
      next,
    });
    if (run.hooks) {
      const ref = this.core.parts.calls.callRef(call);
      startDispositionHooks(this.core, run.hooks, `onDisposition ${call.attempt.id}`, ref, call.attempt, code ?? '', data);
    }

    // The wrap-up is over, whichever node the agent is on: the pacer learns its length.
    const wrapping = agent !== undefined && (agent.node !== undefined || this.core.parts.agents.wrappingUp(agent.agentId, call.attempt.id));
    if (wrapping) run.pacer.observeWork({ wrapMs: now - (call.attempt.endedAt ?? now) });
    if (agent?.node !== undefined) {
      const agentNext = data.agentNext === undefined ? {} : { agentNext: data.agentNext };
      await this.core.parts.poolLeader.released(agent.node, {
        callId: call.attempt.id,
        agentId: agent.agentId,
        code: code ?? '',
        attempt: call.attempt,
        next,
        ...agentNext,
      });
    } else if (agent) this.core.parts.agents.releaseAfterWrapUp(agent.agentId, call.attempt.id, data.agentNext);
    this.core.parts.campaigns.tick(run);
    await this.core.parts.campaigns.maybeComplete(run);
  }

  /** Recycle the contact of a call no agent took, on its network outcome. */
  async recycleAfter(run: CampaignRuntime, record: ContactRecord, result: AttemptResult, at: number): Promise<void> {
    await this.applyRecycle(run, record, recycle(run.campaign, record, result, at));
  }

  /**
   * The trunk never reached the carrier (`trunk-unavailable:`): not the contact's fault, so
   * its attempt count is restored and it waits `RELAUNCH_DELAY_MS` to be dialled again.
   */
  async handBack(run: CampaignRuntime, record: ContactRecord, at: number): Promise<void> {
    const current = (await this.core.store.getContact(run.campaign.id, record.contact.id)) ?? record;
    if (current.state !== ContactState.Dialing) return; // handed back already (a retried write whose reply was lost)
    const { dueAt: _dueAt, ...rest } = current;
    const updated = await this.core.store.updateContact({
      ...rest,
      state: contactLifecycle.transition(current.state, ContactState.Waiting, record.contact.id),
      attempts: Math.max(0, current.attempts - 1),
      dueAt: at + RELAUNCH_DELAY_MS,
    });
    if (!updated) this.core.deps.logger.warn({ contactId: record.contact.id }, 'contact changed concurrently; hand-back skipped');
  }

  async applyRecycle(run: CampaignRuntime, record: ContactRecord, next: ReturnType<typeof recycle>): Promise<void> {
    const current = (await this.core.store.getContact(run.campaign.id, record.contact.id)) ?? record;
    // Already recycled: a retried write whose first try landed (the reply was lost), or
    // another node's reconciliation. Recycling is done once.
    if (current.state !== ContactState.Dialing) return;
    contactLifecycle.transition(current.state, next.state, record.contact.id);
    const { dueAt: _dueAt, callbackAgentId: _agent, callbackReason: _reason, ...rest } = current;
    const updated = await this.core.store.updateContact({
      ...rest,
      state: next.state,
      ...('dueAt' in next ? { dueAt: next.dueAt } : {}),
      ...('agentId' in next && next.agentId !== undefined ? { callbackAgentId: next.agentId } : {}),
    });
    if (!updated) this.core.deps.logger.warn({ contactId: record.contact.id }, 'contact changed concurrently; recycle skipped');
  }

  order(call: CallRuntime, input: NonNullable<DispositionData['order']>): Order {
    return parseOrder({
      ...input,
      id: `o-${call.attempt.id}`,
      idempotencyKey: `order:${call.attempt.id}`,
      campaignId: call.run.campaign.id,
      contactId: call.attempt.contactId,
      attemptId: call.attempt.id,
      createdAt: this.core.deps.clock.now(),
    });
  }
}

/**
 * A disposition's `onDisposition` then `afterCall` hooks — an outbound call's, and a returned
 * inbound call's (`inbound-sale.ts`). Not awaited: the agent is free now; the hooks run within
 * their own budgets, and a failure is reported under `where`.
 */
export function startDispositionHooks(
  core: EngineCore,
  hooks: HookRunner,
  where: string,
  ref: { campaignId: string; callId: string; contactId: string; agentId?: string },
  attempt: Attempt,
  code: string,
  data: DispositionData,
): void {
  const scriptRun = data.run === undefined ? {} : { run: data.run };
  core.guard(
    where,
    hooks
      .onDisposition({ ...ref, code, attempt, captured: data.captured ?? {}, ...scriptRun })
      .then(() => hooks.afterCall({ ...ref, attempt, ...scriptRun })),
  );
}

/** The call has its disposition already (taken, or waiting for the call to end). */
function hasDisposition(call: CallRuntime): boolean {
  return call.snapshot.phase === CallPhase.Done || call.snapshot.pendingDisposition !== undefined;
}

/** The campaign's disposition `code`, checked with the data it needs; throws `E_INVALID_DISPOSITION`. */
export function checkDisposition(campaign: Campaign, code: string, data: DispositionData): Campaign['dispositions'][number] {
  const d = campaign.dispositions.find((x) => x.code === code);
  if (!d) {
    const known = campaign.dispositions.map((x) => x.code).join(', ');
    throw new PacelineError(
      'E_INVALID_DISPOSITION',
      `disposition: code "${code}" is not defined for campaign ${campaign.id}; use one of ${known}`,
    );
  }
  if (d.callback && (data.callbackAt === undefined || !Number.isFinite(data.callbackAt))) {
    throw new PacelineError('E_INVALID_DISPOSITION', `disposition ${code}: callbackAt is required for a callback (epoch ms)`);
  }
  return d;
}
