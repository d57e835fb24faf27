import { type CallOutcome, type Campaign, DEFAULT_RECYCLE, type RecycleRule } from '@paceline/core';

/** How an attempt ended, as the recycler needs it. */
export interface AttemptEnd {
  readonly outcome?: CallOutcome;
  /** A live answer abandoned by the dialer. */
  readonly abandoned?: boolean;
  /** The disposition code, and its flags (from the campaign's dispositions). */
  readonly disposition?: { readonly code: string; readonly dnc: boolean; readonly final: boolean; readonly callback: boolean };
  /** For callbacks: when, and for whom (absent = anyone). */
  readonly callbackAt?: number;
  readonly callbackAgentId?: string;
  /** How many numbers the contact has: an invalid number retires it once every number was tried. Absent = one. */
  readonly phones?: number;
}

/** What happens to the contact next. */
export type RecycleOutcome =
  | { readonly kind: 'retry'; readonly dueAt: number; readonly rule: string }
  | { readonly kind: 'callback'; readonly dueAt: number; readonly agentId?: string; readonly reason: string }
  | { readonly kind: 'done'; readonly reason: string }
  | { readonly kind: 'dnc'; readonly reason: string };

/** Retry when no rule matches: 1 h. */
const FALLBACK_RETRY_MS = 3_600_000;

/**
 * Decide a contact's next step after an attempt (`attempts` counts it): DNC disposition,
 * callback, final disposition, an invalid number once every number of the contact was tried,
 * the campaign's attempt cap, then the recycle rule for the disposition code or outcome (busy
 * → 10 min, no-answer → 2 h, machine → next day, per `DEFAULT_RECYCLE` merged under the
 * campaign's rules) with its own `maxAttempts`; a disposition without a rule of its own takes
 * the `NO_DECISION` rule. The one recycler: the engine's `recycle` decides with it.
 */
export function decideRecycle(
  campaign: Pick<Campaign, 'maxAttempts' | 'recycle'>,
  attempts: number,
  end: AttemptEnd,
  now: number,
): RecycleOutcome {
  const d = end.disposition;
  if (d?.dnc) return { kind: 'dnc', reason: `disposition ${d.code}` };
  if (d?.callback && end.callbackAt !== undefined) {
    return {
      kind: 'callback',
      dueAt: Math.max(now, end.callbackAt),
      ...(end.callbackAgentId === undefined ? {} : { agentId: end.callbackAgentId }),
      reason: `callback requested (${d.code})`,
    };
  }
  if (d?.final) return { kind: 'done', reason: `final disposition ${d.code}` };
  if (end.outcome === 'invalid-number' && (end.phones ?? 1) <= attempts) return { kind: 'done', reason: 'invalid number' };
  if (attempts >= campaign.maxAttempts) return { kind: 'done', reason: `max attempts (${campaign.maxAttempts})` };
  const key = d?.code ?? (end.abandoned ? 'abandoned' : (end.outcome ?? 'failed'));
  const rule: RecycleRule | undefined = campaign.recycle[key] ?? DEFAULT_RECYCLE[key] ?? (d ? campaign.recycle.NO_DECISION : undefined);
  if (rule?.maxAttempts !== undefined && attempts >= rule.maxAttempts)
    return { kind: 'done', reason: `max attempts for ${key} (${rule.maxAttempts})` };
  return { kind: 'retry', dueAt: now + (rule?.retryAfterMs ?? FALLBACK_RETRY_MS), rule: key };
}
