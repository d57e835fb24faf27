import type { Random } from '@paceline/core';
import type { AcceptanceModel } from '../offers/acceptance-model';
import { eligibleOffers } from '../offers/eligibility';
import type { OfferCatalog } from '../offers/offer-catalog';
import { rankOffers } from '../offers/rank-offers';
import { defaultSegmentOf, type SegmentOf } from '../offers/segment';
import { type CustomerProfile, parseProfile } from '../profile';
import { type RoutingRules, routeBySkills } from '../routing';
import type { Script } from '../script/script-schema';
import type { ConnectContext, ConnectResult, LoadProfile, OfferResponseEvent } from './hook-types';

/** Options of {@link createOnConnect}. */
export interface OnConnectOptions {
  /** The host's profile source; its result is validated (a bad profile fails the hook → fallback script). */
  readonly loadProfile: LoadProfile;
  /** The script, or a choice of script per call and profile (e.g. save desk vs. cross-sell). */
  readonly script: Script | ((context: ConnectContext, profile: CustomerProfile) => Script);
  readonly catalog: OfferCatalog;
  readonly model: AcceptanceModel;
  readonly segmentOf?: SegmentOf;
  readonly strategy?: 'mean' | 'thompson';
  /** Required for `thompson`. */
  readonly random?: Random;
  readonly routing?: RoutingRules;
}

/**
 * The usual `onConnect`: load and validate the profile, pick the script, keep the eligible
 * offers (retention reasons are matched later, at the offer step, since the reason may be
 * heard on the call) and rank them by expected value in the customer's segment.
 */
export function createOnConnect(options: OnConnectOptions): (context: ConnectContext) => Promise<ConnectResult> {
  const segmentOf = options.segmentOf ?? defaultSegmentOf;
  return async (context) => {
    const profile = parseProfile(await options.loadProfile(context.contact));
    const script = typeof options.script === 'function' ? options.script(context, profile) : options.script;
    const eligible = eligibleOffers(options.catalog.offers, profile, { ignoreReasons: true });
    const offers = rankOffers(eligible, {
      model: options.model,
      segment: segmentOf(profile),
      ...(options.strategy === undefined ? {} : { strategy: options.strategy }),
      ...(options.random === undefined ? {} : { random: options.random }),
    });
    return { script, profile, offers, ...(options.routing ? { routing: routeBySkills(profile, options.routing) } : {}) };
  };
}

/** An `onOfferResponse` that teaches `model` each outcome in the segment the offer was ranked in. */
export function learnFromOfferResponses(model: AcceptanceModel): (event: OfferResponseEvent) => void {
  return ({ response }) => model.observe(response.offerId, response.segment, response.accepted);
}
