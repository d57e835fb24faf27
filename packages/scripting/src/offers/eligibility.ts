import { evaluateCondition } from '../condition';
import type { CustomerProfile } from '../profile';
import type { Offer } from './offer-catalog';

/** What besides the profile decides eligibility. */
export interface EligibilityContext {
  /** The cancellation reason heard on this call; default: the profile's `cancellationReason`. */
  readonly cancellationReason?: string;
  /**
   * Skip the reason match: for ranking at connect time when the reason is only heard later
   * in the call (the script runner matches it at the offer step).
   */
  readonly ignoreReasons?: boolean;
}

/**
 * True when `offer` may be made to this customer: its eligibility condition holds over
 * `profile.*`, and a retention offer keyed by reasons answers the customer's reason (with no
 * known reason, only retention offers without `reasons` qualify).
 */
export function isEligible(offer: Offer, profile: CustomerProfile, context: EligibilityContext = {}): boolean {
  if (offer.kind === 'retention' && offer.reasons && context.ignoreReasons !== true) {
    const reason = context.cancellationReason ?? profile.cancellationReason;
    if (reason === undefined || !offer.reasons.includes(reason)) return false;
  }
  return offer.eligibility === undefined || evaluateCondition(offer.eligibility, { profile });
}

/** The offers of `offers` this customer is eligible for, in catalog order. */
export function eligibleOffers(offers: readonly Offer[], profile: CustomerProfile, context: EligibilityContext = {}): Offer[] {
  return offers.filter((offer) => isEligible(offer, profile, context));
}
