import type { Order } from '@paceline/core';
import type { DeliveryResult } from './delivery-result';
import type { Assignment } from './events';
import type { OrderStatus } from './order-status';

/** What the fulfilment desk knows about one order. */
export interface OrderRecord {
  readonly order: Order;
  readonly status: OrderStatus;
  /** When the desk took the order off the queue, epoch ms. */
  readonly receivedAt: number;
  readonly assignment?: Assignment;
  /** The text that tells the customer where and when. */
  readonly customerMessage?: string;
  /** When the desk handed the order over (recorded it and queued the webhook), epoch ms. */
  readonly handedOffAt?: number;
  /** Why the order was rejected. */
  readonly rejection?: string;
  /** Delivery results, oldest first. */
  readonly results: readonly DeliveryResult[];
  /** The webhook's view: `pending` until the host's system accepted the hand-off event. */
  readonly webhook?: 'pending' | 'delivered' | 'dead-lettered';
}
