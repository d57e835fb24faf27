import type { DncHit, DncLookup, RegistryCopyInfo } from '@paceline/compliance';
import { DncList } from './dnc-list';
import type { DncRegistry } from './dnc-registry';
import type { PackedPhoneSet } from './packed-phone-set';

/**
 * All the do-not-call data one host dials against: the internal list, per-campaign lists and
 * national registry copies. Implements the `DncLookup` port `checkDial` reads, and scrubs
 * lists at import.
 */
export class DncBook implements DncLookup {
  /** The company-wide internal list. */
  readonly internal: DncList;
  readonly #campaigns = new Map<string, DncList>();
  readonly #registries = new Map<string, DncRegistry>();
  /** The registries as an array, for the per-row scrub. */
  #registryList: DncRegistry[] = [];

  constructor(options: { internal?: DncList } = {}) {
    this.internal = options.internal ?? new DncList('internal');
  }

  /** The list of `campaignId` (created empty on first use). */
  campaign(campaignId: string): DncList {
    let list = this.#campaigns.get(campaignId);
    if (!list) {
      list = new DncList(campaignId);
      this.#campaigns.set(campaignId, list);
    }
    return list;
  }

  /** Add or replace a registry copy (keyed by its name). */
  setRegistry(registry: DncRegistry): void {
    this.#registries.set(registry.name, registry);
    this.#registryList = [...this.#registries.values()];
  }

  /** Remove a registry copy by name. */
  removeRegistry(name: string): boolean {
    const removed = this.#registries.delete(name);
    this.#registryList = [...this.#registries.values()];
    return removed;
  }

  /** The registry copies loaded. */
  registries(): readonly RegistryCopyInfo[] {
    return [...this.#registries.values()].map((r) => ({ kind: r.kind, name: r.name, asOfMs: r.asOfMs }));
  }

  /** Every list holding `phone` for `campaignId`. */
  find(phone: string, campaignId: string): DncHit[] {
    const hits: DncHit[] = [];
    const internal = this.internal.get(phone);
    if (internal) hits.push({ list: 'internal', name: this.internal.name, reason: internal.reason });
    const own = this.#campaigns.get(campaignId)?.get(phone);
    if (own) hits.push({ list: 'campaign', name: campaignId, reason: own.reason });
    if (this.#registries.size > 0) {
      const key = Number(phone.slice(1));
      for (const r of this.#registries.values()) if (r.hasKey(key)) hits.push({ list: 'registry', name: r.name });
    }
    return hits;
  }

  /** True when any list blocks `phone` for `campaignId` (the import scrub's fast question). */
  blocks(phone: string, key: number, campaignId: string | undefined): boolean {
    if (this.internal.has(phone)) return true;
    if (campaignId !== undefined && this.#campaigns.get(campaignId)?.has(phone)) return true;
    const list = this.#registryList;
    for (let i = 0; i < list.length; i++) if ((list[i] as DncRegistry).hasKey(key)) return true;
    return false;
  }

  /**
   * Look `keys` up in every registry as one batch ({@link PackedPhoneSet.hasMany}, whose
   * memory reads overlap), so that `blocks` then finds them in cache: the import calls this
   * for each batch of rows (`ImportScrub.prefetch`).
   */
  prefetch(keys: Float64Array): void {
    const out = new Uint8Array(keys.length);
    for (const registry of this.#registryList) registry.numbers.hasMany(keys, out);
  }
}
