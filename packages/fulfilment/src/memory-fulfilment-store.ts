import type { Escalation } from './escalation-desk';
import type { FeedbackOutcome } from './feedback-outcome';
import type { FulfilmentStore } from './fulfilment-store';
import type { OrderRecord } from './order-record';

/**
 * The in-memory {@link FulfilmentStore}: one process, nothing survives it. The default of
 * `createFulfilment`; use `createRedisFulfilmentStore` (`@paceline/store-redis`) for a desk
 * that must survive a crash or runs as several workers. Records are stored as JSON copies, as
 * in Redis, so a caller mutating what it passed or got changes nothing here.
 */
export function createMemoryFulfilmentStore(): FulfilmentStore {
  const orders = new Map<string, string>();
  const keys = new Map<string, string>();
  const slots = new Map<string, Set<string>>();
  const escalations = new Map<string, string>();
  const feedback = new Map<string, string>();
  const sequences = new Map<string, number>();
  const delivered = new Map<string, number>();
  const copy = <T>(json: string | undefined): T | undefined => (json === undefined ? undefined : (JSON.parse(json) as T));
  return {
    async getOrder(orderId) {
      return copy<OrderRecord>(orders.get(orderId));
    },
    async findOrder(idempotencyKey) {
      return keys.get(idempotencyKey);
    },
    async putOrder(record) {
      orders.set(record.order.id, JSON.stringify(record));
      if (!keys.has(record.order.idempotencyKey)) keys.set(record.order.idempotencyKey, record.order.id);
    },
    async listOrders() {
      return [...orders.values()].map((json) => JSON.parse(json) as OrderRecord);
    },
    async claimPickupSlot(slot, orderId, capacity) {
      let taken = slots.get(slot);
      if (!taken) {
        taken = new Set();
        slots.set(slot, taken);
      }
      if (taken.has(orderId)) return true;
      if (taken.size >= capacity) return false;
      taken.add(orderId);
      return true;
    },
    async releasePickupSlot(slot, orderId) {
      return slots.get(slot)?.delete(orderId) ?? false;
    },
    async pickupTaken(list) {
      return list.map((slot) => slots.get(slot)?.size ?? 0);
    },
    async putEscalation(escalation) {
      escalations.set(escalation.id, JSON.stringify(escalation));
    },
    async listEscalations() {
      return [...escalations.values()].map((json) => JSON.parse(json) as Escalation);
    },
    async recordFeedback(resultId, outcome) {
      if (!feedback.has(resultId)) feedback.set(resultId, JSON.stringify(outcome));
      return copy<FeedbackOutcome>(feedback.get(resultId)) as FeedbackOutcome;
    },
    async getFeedback(resultId) {
      return copy<FeedbackOutcome>(feedback.get(resultId));
    },
    async nextSequence(name) {
      const next = (sequences.get(name) ?? 0) + 1;
      sequences.set(name, next);
      return next;
    },
    async markDelivered(eventId, at) {
      if (delivered.has(eventId)) return false;
      delivered.set(eventId, at);
      return true;
    },
    async deliveredAt(eventId) {
      return delivered.get(eventId);
    },
  };
}
