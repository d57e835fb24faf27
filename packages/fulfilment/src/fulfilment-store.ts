import type { Escalation } from './escalation-desk';
import type { FeedbackOutcome } from './feedback-outcome';
import type { OrderRecord } from './order-record';

/**
 * Where a fulfilment desk keeps its state — orders (with their delivery round or pickup
 * assignment), pickup slot bookings, escalations, delivery-result outcomes and the webhook
 * deliveries the host's system accepted — so that a restart or a crash of the desk loses
 * none of it, and several desk workers on one queue share it. Every method is safe to repeat
 * (a job the queue runs again after a crash repeats its writes). Adapters:
 * {@link createMemoryFulfilmentStore} (one process) and `createRedisFulfilmentStore`
 * (`@paceline/store-redis`); both pass `test/conformance/fulfilment-store.ts`.
 */
export interface FulfilmentStore {
  /** An order's record, by order id. */
  getOrder(orderId: string): Promise<OrderRecord | undefined>;
  /** The order id recorded under an idempotency key (the first one put with it). */
  findOrder(idempotencyKey: string): Promise<string | undefined>;
  /** Insert or replace an order's record and index its idempotency key; a replaced order keeps its place in {@link listOrders}. */
  putOrder(record: OrderRecord): Promise<void>;
  /** Every order record, in the order first put. */
  listOrders(): Promise<OrderRecord[]>;
  /**
   * Take a place for `orderId` in pickup slot `slot` (`<locationId>@<startAt>`) if fewer than
   * `capacity` orders hold one. Atomic: two workers never overbook a slot. True when the
   * order holds a place (now, or from an earlier call), false when the slot is full.
   */
  claimPickupSlot(slot: string, orderId: string, capacity: number): Promise<boolean>;
  /** Give an order's place in a slot back; false when it held none. */
  releasePickupSlot(slot: string, orderId: string): Promise<boolean>;
  /** Places taken in each slot, in the order asked. */
  pickupTaken(slots: readonly string[]): Promise<number[]>;
  /** Insert or replace an escalation; a replaced one keeps its place in {@link listEscalations}. */
  putEscalation(escalation: Escalation): Promise<void>;
  /** Every escalation, oldest first. */
  listEscalations(): Promise<Escalation[]>;
  /** Record what a delivery result (by its id) led to, unless one is recorded: returns the outcome that stands (the first). */
  recordFeedback(resultId: string, outcome: FeedbackOutcome): Promise<FeedbackOutcome>;
  /** The outcome recorded for a delivery result id. */
  getFeedback(resultId: string): Promise<FeedbackOutcome | undefined>;
  /** The next value (1, 2, …) of a named counter; ids of callbacks and escalations. */
  nextSequence(name: string): Promise<number>;
  /** Record that the host's system accepted webhook event `eventId`: true the first time, false when recorded before. */
  markDelivered(eventId: string, at: number): Promise<boolean>;
  /** When the host's system accepted webhook event `eventId`, epoch ms; undefined when it has not. */
  deliveredAt(eventId: string): Promise<number | undefined>;
}
