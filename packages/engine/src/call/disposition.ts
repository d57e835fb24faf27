import {
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
import type { CallRuntime, CampaignRuntime, DispositionData, EngineCore } from '../engine-core';
import { recycle } from '../recycle';

/** A call's disposition: the order hand-off, the recycle of the contact, the hooks, and the agent's release. */
export class Dispositions {
  constructor(readonly core: EngineCore) {}

  async autoDisposition(call: CallRuntime, why: string): Promise<void> {
    this.core.deps.logger.info({ callId: call.attempt.id, why }, 'call dispositioned by the engine');
    const code = call.run.campaign.dispositions.find((d) => d.code === 'NO_DECISION' && !d.final) ? 'NO_DECISION' : undefined;
    await this.finishDisposition(call, code, {}, undefined);
  }

  async finishDisposition(call: CallRuntime, code: string | undefined, data: DispositionData, order: Order | undefined): Promise<void> {
    call.dispositioned = true;
    const { run } = call;
    const now = this.core.deps.clock.now();
    const disposition = code === undefined ? undefined : run.campaign.dispositions.find((d) => d.code === code);
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
      this.core.deps.compliance.addInternalDnc(call.attempt.phone, {
        reason: `disposition ${disposition.code}`,
        source: call.agentId ?? 'engine',
        at: now,
      });
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
      const hooks = run.hooks;
      const ref = this.core.parts.calls.callRef(call);
      const scriptRun = data.run === undefined ? {} : { run: data.run };
      // Not awaited: the agent is free now; the hooks run within their own budgets.
      this.core.guard(
        `onDisposition ${call.attempt.id}`,
        hooks
          .onDisposition({ ...ref, code: code ?? '', attempt: call.attempt, captured: data.captured ?? {}, ...scriptRun })
          .then(() => hooks.afterCall({ ...ref, attempt: call.attempt, ...scriptRun })),
      );
    }

    // The wrap-up is over, whichever node the agent is on: the pacer learns its length.
    const wrapping = call.remote?.accepted
      ? !call.agentLeft
      : call.agentId !== undefined && this.core.parts.agents.wrappingUp(call.agentId, call.attempt.id);
    if (wrapping) run.pacer.observeWork({ wrapMs: now - (call.attempt.endedAt ?? now) });
    if (call.agentId !== undefined && !call.remote)
      this.core.parts.agents.releaseAfterWrapUp(call.agentId, call.attempt.id, data.agentNext);
    if (call.remote?.accepted && !call.agentLeft) {
      const { agentId, nodeId } = call.remote;
      const agentNext = data.agentNext === undefined ? {} : { agentNext: data.agentNext };
      await this.core.pool?.send(nodeId, {
        type: 'released',
        callId: call.attempt.id,
        agentId,
        code: code ?? '',
        attempt: call.attempt,
        next,
        ...agentNext,
      });
    }
    this.core.parts.campaigns.tick(run);
    await this.core.parts.campaigns.maybeComplete(run);
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
