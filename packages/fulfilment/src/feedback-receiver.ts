import { type Clock, isPacelineError, PacelineError, type ReplayStore } from '@paceline/core';
import type { Fulfilment } from './fulfilment';
import { DEFAULT_TOLERANCE_MS, DELIVERY_RESULT_EVENT, verifyWebhook, type WebhookHeaders, type WebhookSecrets } from './webhook-signature';

/** An incoming request as any HTTP framework can give it: headers and the raw body. */
export interface FeedbackRequest {
  readonly headers: WebhookHeaders;
  /** The raw body, exactly as received (the signature covers these bytes). */
  readonly body: string | Uint8Array;
}

/** The answer to send back. */
export interface FeedbackResponse {
  readonly status: number;
  /** JSON. */
  readonly body: string;
}

/** Options of {@link createFeedbackReceiver}. */
export interface FeedbackReceiverOptions {
  readonly fulfilment: Fulfilment;
  /** The secret the courier or the host's order system signs with (several while rotating it). */
  readonly secret: WebhookSecrets;
  readonly clock: Clock;
  /** Accepted distance between the signing time and now, ms; default 5 minutes. */
  readonly toleranceMs?: number;
  /**
   * Where accepted requests are remembered until their window ends: one store shared by every
   * node behind the receiver's URL (`createRedisReplayStore`), or `createMemoryReplayStore()`
   * on a single node. Required: without it a captured request could be replayed.
   */
  readonly replays: ReplayStore;
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = { E_INVALID_INPUT: 400, E_NOT_FOUND: 404, E_CONFLICT: 409 };

function json(status: number, value: unknown): FeedbackResponse {
  return { status, body: JSON.stringify(value) };
}

/**
 * A framework-neutral handler for delivery results sent as signed webhooks (same signing as
 * the outbound webhook: `paceline-timestamp`, `paceline-event: delivery.result` and
 * `paceline-signature`). It verifies the signature, the timestamp and replays (401), that the
 * signed event is a delivery result (400), parses the JSON body (400) and records the
 * result: 200 with the order status and follow-up, 400 / 404 / 409 for a result the desk
 * refuses. Senders should retry on 5xx and network errors only.
 */
export function createFeedbackReceiver(options: FeedbackReceiverOptions): (request: FeedbackRequest) => Promise<FeedbackResponse> {
  const replays = options.replays;
  if (typeof replays?.remember !== 'function') {
    throw new PacelineError(
      'E_INVALID_CONFIG',
      'feedbackReceiver.replays: expected a replay store (createRedisReplayStore, or createMemoryReplayStore on one node)',
    );
  }
  const toleranceMs = options.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  return async (request) => {
    const verdict = await verifyWebhook(options.secret, request.headers, request.body, options.clock.now(), toleranceMs, replays);
    if (!verdict.ok) return json(401, { error: 'unauthorised', reason: verdict.reason });
    if (verdict.event !== DELIVERY_RESULT_EVENT) return json(400, { error: 'unexpected-event', expected: DELIVERY_RESULT_EVENT });
    let payload: unknown;
    try {
      payload = JSON.parse(typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('utf8'));
    } catch {
      return json(400, { error: 'invalid-json' });
    }
    try {
      const outcome = await options.fulfilment.recordDeliveryResult(payload);
      return json(200, {
        orderId: outcome.record.order.id,
        status: outcome.record.status,
        ...(outcome.callback ? { callbackId: outcome.callback.id, callbackDueAt: outcome.callback.dueAt } : {}),
        ...(outcome.escalation ? { escalationId: outcome.escalation.id, escalationDueAt: outcome.escalation.dueAt } : {}),
      });
    } catch (error) {
      if (isPacelineError(error) && STATUS_BY_CODE[error.code] !== undefined) {
        return json(STATUS_BY_CODE[error.code] ?? 400, { error: error.code, message: error.message, issues: error.issues });
      }
      throw error;
    }
  };
}
