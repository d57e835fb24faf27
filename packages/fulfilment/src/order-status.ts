import { defineStateMachine, type StateMachine } from '@paceline/core';

/**
 * An order's fulfilment lifecycle.
 *
 * ```
 *  received ──► handed-off ──► delivered
 *     │             │            ▲
 *     ▼             ▼            │
 *  rejected       failed ────────┘
 *                   │  ▲
 *                   └──┘ (another failed attempt)
 * ```
 * `received`: taken off the queue, being assigned. `rejected`: invalid or undeliverable
 * (no zone, no pickup slot), never handed off. `failed`: a delivery attempt failed; a later
 * result may still report it delivered.
 */
export enum OrderStatus {
  Received = 'received',
  HandedOff = 'handed-off',
  Delivered = 'delivered',
  Failed = 'failed',
  Rejected = 'rejected',
}

const S = OrderStatus;

/** The order lifecycle and its guarded transition. */
export const orderLifecycle: StateMachine<OrderStatus> = defineStateMachine<OrderStatus>('order', {
  [S.Received]: [S.HandedOff, S.Rejected],
  [S.HandedOff]: [S.Delivered, S.Failed],
  [S.Failed]: [S.Failed, S.Delivered],
  [S.Delivered]: [],
  [S.Rejected]: [],
});
