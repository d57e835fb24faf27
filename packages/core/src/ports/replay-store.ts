/**
 * Signed requests already accepted (webhooks), shared by every node that receives them.
 * An entry lives until its window ends and is never evicted before: a store that is full
 * must refuse (throw) rather than forget, or a replay would be accepted.
 */
export interface ReplayStore {
  /**
   * Remember `key` until `expiresAtMs` (epoch ms; `nowMs` is the caller's clock). Resolves
   * true when the key was new and is now remembered, false when it was already remembered
   * and has not expired (a replay). Atomic: of two nodes racing with one key, one gets true.
   */
  remember(key: string, expiresAtMs: number, nowMs: number): Promise<boolean>;
}
