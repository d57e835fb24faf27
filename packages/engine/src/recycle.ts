import { type CallOutcome, type Campaign, type ContactRecord, ContactState, type Disposition } from '@paceline/core';
import { decideRecycle } from '@paceline/lists';

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
 * Pure; `record.attempts` already counts the attempt that just ended. The rules are
 * `@paceline/lists`' `decideRecycle` (one recycler); this gives its answer as contact states.
 */
export function recycle(campaign: Campaign, record: ContactRecord, result: AttemptResult, now: number): RecycleDecision {
  const next = decideRecycle(campaign, record.attempts, { ...result, phones: record.contact.phones.length }, now);
  switch (next.kind) {
    case 'dnc':
      return { state: ContactState.Dnc, reason: next.reason };
    case 'done':
      return { state: ContactState.Done, reason: next.reason };
    case 'callback':
      return {
        state: ContactState.Callback,
        dueAt: next.dueAt,
        ...(next.agentId === undefined ? {} : { agentId: next.agentId }),
        reason: next.reason,
      };
    case 'retry':
      return { state: ContactState.Waiting, dueAt: next.dueAt, reason: `retry after ${next.rule}` };
  }
}

/** The number to dial on a contact's next attempt: phones by priority, rotating per attempt. */
export function phoneForAttempt(record: ContactRecord): string {
  const phones = [...record.contact.phones].sort((a, b) => a.priority - b.priority);
  const phone = phones[record.attempts % phones.length] ?? phones[0];
  return (phone as { number: string }).number;
}
