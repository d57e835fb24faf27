import type { AbandonWindow } from './pacer';

/**
 * What pacing needs from an abandon ledger (the compliance package's `AbandonLedger`
 * satisfies it structurally): live answers and abandons of a campaign over a window.
 */
export interface AbandonLedgerReader {
  /** Counts of `campaignId` over `(nowMs − windowMs, nowMs]`. */
  counts(campaignId: string, nowMs: number, windowMs: number): { readonly liveAnswers: number; readonly abandoned: number };
}

/** Read a campaign's window from a ledger, as a pacer's `abandons` input. */
export function readAbandonWindow(ledger: AbandonLedgerReader, campaignId: string, nowMs: number, windowMs: number): AbandonWindow {
  const c = ledger.counts(campaignId, nowMs, windowMs);
  return { liveAnswers: c.liveAnswers, abandoned: c.abandoned, windowMs };
}
