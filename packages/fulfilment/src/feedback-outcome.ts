import type { CallbackRequest } from './callback-request';
import type { Escalation } from './escalation-desk';
import type { OrderRecord } from './order-record';

/** What a delivery result led to. */
export interface FeedbackOutcome {
  readonly record: OrderRecord;
  readonly callback?: CallbackRequest;
  readonly escalation?: Escalation;
}
