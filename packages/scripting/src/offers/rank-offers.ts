import { PacelineError, type Random } from '@paceline/core';
import type { AcceptanceModel } from './acceptance-model';
import type { Offer } from './offer-catalog';

/** An offer with the numbers it was ranked by. */
export interface RankedOffer {
  readonly offer: Offer;
  /** The segment the acceptance estimate comes from (report it back with the outcome). */
  readonly segment: string;
  /** The posterior mean, or a Thompson draw when ranking by `thompson`. */
  readonly acceptanceProbability: number;
  /** acceptanceProbability × marginMinor, minor units. */
  readonly expectedValueMinor: number;
}

/** Options of {@link rankOffers}. */
export interface RankOptions {
  readonly model: AcceptanceModel;
  readonly segment: string;
  /**
   * `mean` (default) ranks by the posterior mean: exploit what is known. `thompson` ranks by
   * one posterior draw per offer, so rarely tried offers still get tried (Thompson, 1933).
   */
  readonly strategy?: 'mean' | 'thompson';
  /** Required for `thompson`: the injected, seeded source (reproducible for a seed). */
  readonly random?: Random;
}

/**
 * Rank offers by expected value = acceptance probability × margin, highest first; ties go
 * to the offer listed first, so the order is deterministic.
 */
export function rankOffers(offers: readonly Offer[], options: RankOptions): RankedOffer[] {
  const strategy = options.strategy ?? 'mean';
  const { random } = options;
  if (strategy === 'thompson' && random === undefined) {
    throw new PacelineError('E_INVALID_CONFIG', 'rankOffers: strategy "thompson" needs the injected random');
  }
  const ranked = offers.map((offer, index) => {
    const p =
      strategy === 'thompson' && random
        ? options.model.sample(offer.id, options.segment, random, offer.prior)
        : options.model.estimate(offer.id, options.segment, offer.prior);
    return { index, value: { offer, segment: options.segment, acceptanceProbability: p, expectedValueMinor: p * offer.marginMinor } };
  });
  ranked.sort((a, b) => b.value.expectedValueMinor - a.value.expectedValueMinor || a.index - b.index);
  return ranked.map((r) => r.value);
}
