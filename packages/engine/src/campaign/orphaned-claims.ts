import { isBackendFailure } from '../backend-health';

/**
 * Campaigns whose store may hold contacts this node claimed or started to dial without
 * knowing it. A hopper claim and a launch's first write are conditional scripts: when the
 * connection drops after the store ran one but before its answer arrived (Redis killed right
 * after writing its AOF, a network cut), the claim's contacts stay `queued` and belong to
 * nobody; and ioredis re-sends an unanswered command after it reconnects, so the launch's own
 * write comes back as a version conflict and leaves its contact `dialing` with no call. After
 * either, the leader's next pacing round reconciles the campaign — as a new leader does:
 * queued contacts it has no call for go back to `ready`, `dialing` ones it has no call for are
 * recycled on their last outcome (never redialled before their retry time).
 */
export class OrphanedClaims {
  readonly #suspect = new Set<string>();

  /** A claim or launch write of `campaignId` failed with `error`: if the store did not answer, it may have run. */
  noteFailure(campaignId: string, error: unknown): void {
    if (isBackendFailure(error)) this.#suspect.add(campaignId);
  }

  /** A launch's conditional write of `campaignId` found the contact changed: possibly by its own re-sent write. */
  noteConflict(campaignId: string): void {
    this.#suspect.add(campaignId);
  }

  /** True when the campaign must be reconciled before its next claim. */
  needsReconcile(campaignId: string): boolean {
    return this.#suspect.has(campaignId);
  }

  /** The campaign was reconciled. */
  reconciled(campaignId: string): void {
    this.#suspect.delete(campaignId);
  }
}
