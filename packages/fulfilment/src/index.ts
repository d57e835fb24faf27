export type { CallbackScheduler } from './callback-feed';
export { feedCallbacks } from './callback-feed';
export type { CallbackRequest } from './callback-request';
export type {
  DeliveryResultKind,
  DeliveryRound,
  DeliveryZone,
  Department,
  FollowUpRule,
  FulfilmentConfig,
  FulfilmentConfigInput,
  PickupLocation,
  WorkingCalendar,
} from './config-schema';
export {
  DEFAULT_DEPARTMENTS,
  DEFAULT_FOLLOW_UPS,
  DEFAULT_ROUNDS,
  DELIVERY_RESULTS,
  DeliveryRoundSchema,
  DeliveryZoneSchema,
  DepartmentSchema,
  FollowUpRuleSchema,
  FulfilmentConfigSchema,
  PickupLocationSchema,
  WorkingCalendarSchema,
} from './config-schema';
export { deliveryConfirmation, pickupConfirmation } from './customer-messages';
export type { DeliveryResult, DeliveryResultInput } from './delivery-result';
export { DeliveryResultInputSchema, parseDeliveryResult } from './delivery-result';
export type { RoundAssignment, RoundRules, TimeSpan } from './delivery-rounds';
export { assignRound } from './delivery-rounds';
export { resolveZone } from './delivery-zones';
export type { Escalation, EscalationStatus } from './escalation-desk';
export type { Assignment, FulfilmentDeadLetter, FulfilmentEvents } from './events';
export type { FeedbackReceiverOptions, FeedbackRequest, FeedbackResponse } from './feedback-receiver';
export { createFeedbackReceiver } from './feedback-receiver';
export type { FeedbackOutcome, FulfilmentOptions } from './fulfilment';
export { createFulfilment, Fulfilment, ORDER_QUEUE, openFulfilment } from './fulfilment';
export type { FulfilmentStore } from './fulfilment-store';
export type { HandOffReport } from './handoff-report';
export type { HttpClient, HttpRequest, HttpResponse } from './http-client';
export { fetchHttpClient, type NodeHttpClientOptions, nodeHttpClient } from './http-client';
export { createMemoryFulfilmentStore } from './memory-fulfilment-store';
export type { MemoryReplayStore } from './memory-replay-store';
export { createMemoryReplayStore } from './memory-replay-store';
export type { SaleInput } from './order-intake';
export { orderFromSale, orderIdempotencyKey } from './order-intake';
export type { OrderRecord } from './order-record';
export { OrderStatus, orderLifecycle } from './order-status';
export { parseFulfilmentConfig } from './parse-config';
export type { PickupAssignment, PickupSlot } from './pickup-book';
export type { WebhookEvent, WebhookOptions } from './webhook-outbox';
export { WEBHOOK_QUEUE } from './webhook-outbox';
export type { WebhookHeaders, WebhookSecrets, WebhookVerdict } from './webhook-signature';
export {
  computeSignature,
  DEFAULT_TOLERANCE_MS,
  DELIVERY_HEADER,
  DELIVERY_RESULT_EVENT,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  signWebhook,
  TIMESTAMP_HEADER,
  verifyWebhook,
} from './webhook-signature';
