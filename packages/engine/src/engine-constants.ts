/** The engine's timings and names, in one place (the public ones are re-exported by `index.ts`). */
export { CONNECT_DEADLINE_MS } from './call/call-machine';

/** The message played on an abandoned live answer (FTC TSR 310.4(b)(4)(iii); Ofcom). */
export const SAFE_HARBOUR_MESSAGE = 'safe-harbour';
/** The message left on an answering machine when the campaign says so. */
export const MACHINE_MESSAGE = 'machine-message';
/** How often the shared abandon ledger is re-read from the store, ms. */
export const LEDGER_REFRESH_MS = 5_000;
/**
 * A hopper claim that took longer than this (the store was slow or away) is handed back rather
 * than dialled: the pacing decision it was made for is stale.
 */
export const STALE_CLAIM_MS = 1_000;
/** Retry delays of the call bookkeeping while the store is away: doubling from the first to the cap, ms. */
export const RETRY_FIRST_MS = 100;
export const RETRY_CAP_MS = 5_000;
/** How long a launch that failed on the store waits before its contact is dialable again, ms. */
export const RELAUNCH_DELAY_MS = 30_000;
/** The pacing lease's TTL when the host gives none, ms: a crashed leader is replaced within it. */
export const DEFAULT_LEASE_TTL_MS = 10_000;
/** The lease a campaign's pacing leader holds. */
export const pacingLease = (campaignId: string) => `pacing:${campaignId}`;
export { ORDER_QUEUE as FULFILMENT_QUEUE } from '@paceline/core';
