import {
  type Attempt,
  type Campaign,
  type InboundCall,
  ORDER_QUEUE,
  type Order,
  orderJobOptions,
  PacelineError,
  parseOrder,
} from '@paceline/core';
import { startDispositionHooks } from '../call/disposition';
import type { CampaignRuntime, EngineCore } from '../engine-core';
import type { InboundDispositionData } from './inbound-api';

/** Whose order a sale on an inbound call is: the returned caller's contact, or the contact the agent identified a service caller as. */
export interface InboundBuyer {
  readonly campaignId: string;
  readonly contactId: string;
  /** The returned call's attempt (absent on a service call: it has none). */
  readonly attemptId?: string;
}

/**
 * The buyer of a sale on an inbound call, checked before the disposition is taken. A returned
 * call buys as its contact. A service call has no contact: `data.contact` names the campaign
 * contact the agent identified the caller as (the order's customer, whom a failed delivery's
 * callback reaches); without it the order is refused with `E_INVALID_DISPOSITION`.
 */
export async function inboundBuyer(
  core: EngineCore,
  callId: string,
  returned: { campaign: Campaign; contactId: string; attemptId?: string } | undefined,
  data: InboundDispositionData,
): Promise<InboundBuyer | undefined> {
  if (data.order === undefined) return undefined;
  if (returned) {
    return {
      campaignId: returned.campaign.id,
      contactId: returned.contactId,
      ...(returned.attemptId === undefined ? {} : { attemptId: returned.attemptId }),
    };
  }
  const named = data.contact;
  if (!named) {
    throw new PacelineError(
      'E_INVALID_DISPOSITION',
      `inbound disposition ${callId}: order: a service call has no contact; pass data.contact { campaignId, contactId } (the customer the agent found) with the order`,
    );
  }
  const rt = core.campaigns.get(named.campaignId);
  if (!rt)
    throw new PacelineError(
      'E_INVALID_DISPOSITION',
      `inbound disposition ${callId}: contact.campaignId: no campaign "${named.campaignId}"`,
    );
  if (!(await core.store.getContact(named.campaignId, named.contactId))) {
    throw new PacelineError(
      'E_INVALID_DISPOSITION',
      `inbound disposition ${callId}: contact.contactId: campaign ${named.campaignId} has no contact "${named.contactId}"`,
    );
  }
  return { campaignId: named.campaignId, contactId: named.contactId };
}

/** The order of a sale on inbound call `callId` (ids filled in like an outbound sale's; validated: `E_INVALID_INPUT` naming the field). */
export function inboundOrder(callId: string, buyer: InboundBuyer, input: NonNullable<InboundDispositionData['order']>, at: number): Order {
  const key = `in-${callId}`.slice(0, 120);
  return parseOrder({
    ...input,
    id: `o-${key}`,
    idempotencyKey: `order:${key}`,
    campaignId: buyer.campaignId,
    contactId: buyer.contactId,
    ...(buyer.attemptId === undefined ? {} : { attemptId: buyer.attemptId }),
    createdAt: at,
  });
}

/**
 * Hand a sale's order to fulfilment — the path of an outbound sale: the job queue's
 * `ORDER_QUEUE` with the order's job options (its idempotency key makes a retried hand-off run
 * once), retried while the queue is away, then `orderCreated`.
 */
export async function handOffOrder(core: EngineCore, order: Order): Promise<void> {
  await core.parts.writes.durable(`inbound order hand-off ${order.id}`, () =>
    core.deps.queue.enqueue(ORDER_QUEUE, order, orderJobOptions(order)),
  );
  core.events.emit('orderCreated', { campaignId: order.campaignId, order });
}

/** Write the call's inbound call ledger record (retried while the store is away; a failure is reported, never thrown). */
export async function writeInboundCall(core: EngineCore, record: InboundCall): Promise<void> {
  const store = core.store;
  if (!store.putInboundCall) return;
  await core.parts.writes
    .durable(`inbound call ${record.id}`, () => store.putInboundCall?.(record) ?? Promise.resolve())
    .catch((error: unknown) => core.report(`inbound call ledger ${record.id}`, error));
}

/** A returned call's disposition runs its campaign's `onDisposition` then `afterCall` hooks, like an outbound call's. */
export function runDispositionHooks(
  core: EngineCore,
  rt: CampaignRuntime,
  callId: string,
  attempt: Attempt,
  d: { code: string; agentId: string | undefined; data: InboundDispositionData },
): void {
  if (!rt.hooks) return;
  const ref = { campaignId: rt.campaign.id, callId, contactId: attempt.contactId, ...(d.agentId ? { agentId: d.agentId } : {}) };
  startDispositionHooks(core, rt.hooks, `inbound onDisposition ${callId}`, ref, attempt, d.code, d.data);
}
