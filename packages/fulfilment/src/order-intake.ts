import { type Order, parseOrder } from '@paceline/core';

/** A sale as the agent's disposition records it; ids and the time come from the attempt. */
export interface SaleInput {
  /** The attempt (call) that made the sale: the idempotency anchor. */
  readonly attemptId: string;
  readonly campaignId: string;
  readonly contactId: string;
  /** When the sale was made, epoch ms (the injected clock's time). */
  readonly createdAt: number;
  readonly items: Order['items'];
  readonly currency: string;
  readonly fulfilment: Order['fulfilment'];
  readonly payment: Order['payment'];
  /** Free text, e.g. times the customer cannot receive. */
  readonly notes?: string;
}

/** The idempotency key of the order a sale on `attemptId` produces (the engine uses the same). */
export function orderIdempotencyKey(attemptId: string): string {
  return `order:${attemptId}`;
}

/**
 * The validated order of a sale. Its id and idempotency key derive from the attempt only, so
 * a disposition retried any number of times yields the same order and one hand-off. Throws
 * `E_INVALID_ORDER` listing every problem with its path.
 */
export function orderFromSale(sale: SaleInput): Order {
  return parseOrder({
    ...sale,
    id: `o-${sale.attemptId}`,
    idempotencyKey: orderIdempotencyKey(sale.attemptId),
  });
}
