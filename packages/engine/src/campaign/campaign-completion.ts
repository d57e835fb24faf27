import { CampaignState, type Clock } from '@paceline/core';
import type { DialerEvents } from '../events';

/** The states a campaign does not leave by itself: waiting for it ends there. */
const FINAL_STATES: ReadonlySet<CampaignState> = new Set([CampaignState.Completed, CampaignState.Stopped, CampaignState.Archived]);

/** The part of a campaign's status waiting reads (the dialer's `CampaignStatus` has it). */
export interface StatusWithState {
  readonly state: CampaignState;
}

/** How a campaign a host waited for ended: its final state and its numbers then (`dialer.status`). */
export interface CampaignOutcome<Status extends StatusWithState = StatusWithState> {
  readonly campaignId: string;
  /** `completed` (list exhausted, or `schedule.endAt` reached), `stopped` or `archived`. */
  readonly state: CampaignState;
  readonly status: Status;
}

/** Options of `dialer.whenDone` and `dialer.run`. */
export interface WaitOptions {
  /** Stop waiting (the promise rejects with the signal's reason); the campaign itself carries on. */
  readonly signal?: AbortSignal;
}

/** What waiting needs from the dialer: its state events and its status. */
export interface CompletionSource<Status extends StatusWithState> {
  on(event: 'campaignStateChanged', listener: (...args: DialerEvents['campaignStateChanged']) => void): () => void;
  status(campaignId: string): Promise<Status>;
}

/**
 * Resolves when the campaign reaches a final state (completed, stopped, archived), at once
 * when it is in one already; rejects for an unknown campaign or when `signal` aborts. While it
 * waits it holds the process open through `clock.keepAlive` (the system clock's own timers are
 * unref'd), so `await dialer.whenDone(id)` at the top of a script keeps the script running.
 */
export function whenCampaignDone<Status extends StatusWithState>(
  source: CompletionSource<Status>,
  clock: Clock,
  campaignId: string,
  options: WaitOptions = {},
): Promise<CampaignOutcome<Status>> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<CampaignOutcome<Status>>((resolve, reject) => {
    const release = clock.keepAlive?.();
    let settled = false;
    const settle = (outcome: { value: CampaignOutcome<Status> } | { error: unknown }) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      release?.();
      signal?.removeEventListener('abort', onAbort);
      if ('value' in outcome) resolve(outcome.value);
      else reject(outcome.error);
    };
    const finish = () => {
      source.status(campaignId).then(
        (status) => settle({ value: { campaignId, state: status.state, status } }),
        (error: unknown) => settle({ error }),
      );
    };
    const onAbort = () => settle({ error: signal?.reason });
    const unsubscribe = source.on('campaignStateChanged', (change) => {
      if (change.campaignId === campaignId && FINAL_STATES.has(change.to)) finish();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    // Already final (or unknown: status rejects with E_NOT_FOUND)?
    source.status(campaignId).then(
      (status) => {
        if (FINAL_STATES.has(status.state)) finish();
      },
      (error: unknown) => settle({ error }),
    );
  });
}

/** What running needs from the dialer: waiting, plus `start`. */
export interface RunSource<Status extends StatusWithState> extends CompletionSource<Status> {
  start(campaignId: string): Promise<void>;
}

/**
 * Start a campaign and wait for it to end: `whenCampaignDone` subscribed before `start`, so a
 * campaign that completes at once is not missed. When `start` fails, the wait is dropped and
 * the start error is thrown.
 */
export async function runCampaign<Status extends StatusWithState>(
  source: RunSource<Status>,
  clock: Clock,
  campaignId: string,
  options: WaitOptions = {},
): Promise<CampaignOutcome<Status>> {
  const stopWaiting = new AbortController();
  const forwardAbort = () => stopWaiting.abort(options.signal?.reason);
  if (options.signal?.aborted) throw options.signal.reason;
  options.signal?.addEventListener('abort', forwardAbort, { once: true });
  const done = whenCampaignDone(source, clock, campaignId, { signal: stopWaiting.signal });
  try {
    await source.start(campaignId);
  } catch (error) {
    done.catch(() => {});
    stopWaiting.abort(error);
    throw error;
  } finally {
    // The caller's signal keeps working through `stopWaiting` until the wait settles.
  }
  try {
    return await done;
  } finally {
    options.signal?.removeEventListener('abort', forwardAbort);
  }
}
