import type { DeliveryResultKind } from './config-schema';

/**
 * A request to call the customer back after a failed delivery, for the dialer's hopper: the
 * agent sees `reason` (and the courier's `note`) when the call connects.
 */
export interface CallbackRequest {
  /** Stable per order and result: `cb-<orderId>-<n>`. */
  readonly id: string;
  readonly orderId: string;
  readonly campaignId: string;
  readonly contactId: string;
  /** The attempt that made the sale, when known. */
  readonly attemptId?: string;
  readonly result: DeliveryResultKind;
  /** Shown to the agent. */
  readonly reason: string;
  /** The courier's note, if any. */
  readonly note?: string;
  /** When the callback is due, epoch ms. */
  readonly dueAt: number;
  readonly requestedAt: number;
}
