import { type CallOutcome, type Campaign, type ContactRecord, ContactState, type Disposition } from '@paceline/core';

/** Retry delay when neither the outcome nor the disposition has a recycle rule: 1 h. */
const DEFAULT_RETRY_MS = 3_600_000;

/** What ended an attempt, as the recycler needs it. */
export interface AttemptResult {
  /** The network outcome; absent when the engine reconciled a lost call. */
  readonly outcome?: CallOutcome;
  /** A live answer the engine abandoned (no agent within 2 s). */
  readonly abandoned?: boolean;
  /** The agent's disposition, for connected calls. */
  readonly disposition?: Disposition;
  /** For callback dispositions: when to call back, and for whom (absent = anyone). */
  readonly callbackAt?: number;
  readonly callbackAgentId?: string;
}

/** The contact's next state after an attempt. */
export type RecycleDecision =
  | { readonly state: ContactState.Waiting; readonly dueAt: number; readonly reason: string }
  | { readonly state: ContactState.Callback; readonly dueAt: number; readonly agentId?: string; readonly reason: string }
  | { readonly state: ContactState.Done | ContactState.Dnc; readonly reason: string };

/**
 * Decide what happens to a contact after an attempt: retry at T, callback at T, done or DNC.
 * Pure; `record.attempts` already counts the attempt that just ended. Order: a DNC
 * disposition wins, then callbacks, then final dispositions, then the attempt caps, then
 * the recycle rule for the disposition code or the outcome (`abandoned` has its own rule).
 */
export function recycle(campaign: Campaign, record: ContactRecord, result: AttemptResult, now: number): RecycleDecision {
  const d = result.disposition;
  if (d?.dnc) return { state: ContactState.Dnc, reason: `disposition ${d.code}` };
  if (d?.callback && result.callbackAt !== undefined) {
    return {
      state: ContactState.Callback,
      dueAt: Math.max(now, result.callbackAt),
      ...(result.callbackAgentId === undefined ? {} : { agentId: result.callbackAgentId }),
      reason: `callback requested (${d.code})`,
    };
  }
  if (d?.final) return { state: ContactState.Done, reason: `final disposition ${d.code}` };
  if (result.outcome === 'invalid-number' && record.contact.phones.length <= record.attempts) {
    return { state: ContactState.Done, reason: 'invalid number' };
  }
  if (record.attempts >= campaign.maxAttempts) return { state: ContactState.Done, reason: `max attempts (${campaign.maxAttempts})` };
  const key = d?.code ?? (result.abandoned ? 'abandoned' : (result.outcome ?? 'failed'));
  const rule = campaign.recycle[key] ?? (d ? campaign.recycle.NO_DECISION : undefined);
  if (rule?.maxAttempts !== undefined && record.attempts >= rule.maxAttempts) {
    return { state: ContactState.Done, reason: `max attempts for ${key} (${rule.maxAttempts})` };
  }
  return { state: ContactState.Waiting, dueAt: now + (rule?.retryAfterMs ?? DEFAULT_RETRY_MS), reason: `retry after ${key}` };
}

/** The number to dial on a contact's next attempt: phones by priority, rotating per attempt. */
export function phoneForAttempt(record: ContactRecord): string {
  const phones = [...record.contact.phones].sort((a, b) => a.priority - b.priority);
  const phone = phones[record.attempts % phones.length] ?? phones[0];
  return (phone as { number: string }).number;
}
