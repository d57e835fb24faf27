import type { Order, PacelineError } from '@paceline/core';
import type { CallbackRequest } from './callback-request';
import type { DeliveryResult } from './delivery-result';
import type { RoundAssignment } from './delivery-rounds';
import type { Escalation } from './escalation-desk';
import type { OrderStatus } from './order-status';
import type { PickupAssignment } from './pickup-book';
import type { WebhookEvent } from './webhook-outbox';

/** Where an order was handed: a delivery round or a pickup slot. */
export type Assignment = RoundAssignment | PickupAssignment;

/** A job that exhausted its attempts and waits, visible, for a replay. */
export interface FulfilmentDeadLetter {
  readonly queue: string;
  readonly jobId: string;
  /** The order it concerns, when known. */
  readonly orderId?: string;
  readonly error: string;
  readonly attempts: number;
  readonly failedAt: number;
}

/**
 * Events of a fulfilment desk, for the engine (callbacks into the hopper), the dashboard and
 * the host. Listener errors are contained and never reach the queue.
 */
export type FulfilmentEvents = {
  /** An order went to a delivery round or a pickup slot; `customerMessage` tells the customer where and when. */
  orderHandedOff: [{ order: Order; assignment: Assignment; customerMessage: string }];
  /** An order was refused (invalid, no zone covers the address, no pickup slot); it is not retried. */
  orderRejected: [{ orderId: string | undefined; error: PacelineError }];
  /** A delivery result was recorded and the order moved to `status`. */
  deliveryResult: [{ order: Order; result: DeliveryResult; status: OrderStatus }];
  /** A failed delivery needs a call to the customer: schedule it in the hopper. */
  callbackRequested: [CallbackRequest];
  /** A case went to a department under its operational-level agreement. */
  escalated: [Escalation];
  /** A department did not respond within its agreed time. */
  escalationOverdue: [{ escalation: Escalation; overdueByMs: number }];
  /** A case is still unresolved at the supervisor threshold. */
  supervisorEscalation: [Escalation];
  /** The host's order system accepted a webhook event. */
  webhookDelivered: [{ event: WebhookEvent; attempt: number }];
  /** A job exhausted its attempts; replay it with `replay(queue, jobId)`. */
  deadLettered: [FulfilmentDeadLetter];
};
