import type { CallbackRequest } from './callback-request';
import type { Fulfilment } from './fulfilment';

/** What receives callbacks: the engine's `Dialer` has this method; any scheduler may. */
export interface CallbackScheduler {
  scheduleCallback(campaignId: string, contactId: string, callback: { dueAt: number; reason: string }): Promise<void>;
}

/**
 * Feed the desk's callback requests (failed deliveries) into the dialer's hopper, so the
 * customer is called back at the agreed time with the reason shown to the agent. Failures to
 * book (e.g. the number went on a do-not-call list) go to `onError`. Returns an unsubscribe function.
 */
export function feedCallbacks(
  fulfilment: Pick<Fulfilment, 'on'>,
  scheduler: CallbackScheduler,
  onError: (error: unknown, request: CallbackRequest) => void = () => {},
): () => void {
  return fulfilment.on('callbackRequested', (request) => {
    const reason = request.note ? `${request.reason} (${request.note})` : request.reason;
    scheduler
      .scheduleCallback(request.campaignId, request.contactId, { dueAt: request.dueAt, reason })
      .catch((error) => onError(error, request));
  });
}
