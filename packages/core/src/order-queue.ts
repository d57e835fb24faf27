import type { EnqueueOptions } from './ports/job-queue';
import type { Order } from './schema/order';

/**
 * The order queue's contract, shared by the side that puts sale orders on it (the engine, or
 * a host through `Fulfilment.submit`) and the side that takes them (`@paceline/fulfilment`).
 */
/** The queue a sale's order is put on. */
export const ORDER_QUEUE = 'fulfilment';
/** Runs an order job gets before it is dead-lettered. */
export const ORDER_JOB_ATTEMPTS = 5;
/** Base delay of the backoff between an order job's runs, ms. */
export const ORDER_JOB_BACKOFF_MS = 5_000;

/** How an order is enqueued: once per idempotency key, `attempts` runs (default {@link ORDER_JOB_ATTEMPTS}), the shared backoff. */
export function orderJobOptions(order: Pick<Order, 'idempotencyKey'>, attempts: number = ORDER_JOB_ATTEMPTS): EnqueueOptions {
  return { idempotencyKey: order.idempotencyKey, maxAttempts: attempts, backoffMs: ORDER_JOB_BACKOFF_MS };
}
