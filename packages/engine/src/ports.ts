/**
 * The ports the engine asks its host for beyond core's (`Store`, `Trunk`, `Clock`, …): pacing
 * (`CampaignPacer`) and compliance (`ComplianceGate`).
 */
import type { Campaign, Contact } from '@paceline/core';

/**
 * The engine's port to pacing is `@paceline/pacing`'s `CampaignPacer`: one per campaign, a pure
 * pacer plus the campaign's online estimators. A host may pass its own through `createPacer`.
 */
import type { CampaignPacer as FullCampaignPacer } from '@paceline/pacing';

export type { CampaignObservation, ObservedAgent, ObservedCall, PacingDecision } from '@paceline/pacing';

/** What the engine uses of a campaign's pacing: decide, and learn from outcomes and work. */
export type CampaignPacer = Pick<FullCampaignPacer, 'decide' | 'observeOutcome' | 'observeWork'>;

/** A compliance verdict for one dial. */
export interface DialVerdict {
  readonly allowed: boolean;
  /** Stable reason codes when refused. */
  readonly reasons: readonly string[];
  /** The earliest time the dial would be allowed, when there is one. */
  readonly nextAllowedAt?: number;
  /** A reason that never expires by itself: the contact is retired. */
  readonly permanent: boolean;
  /** The number is on a do-not-call list (the contact becomes `dnc`, not just `done`). */
  readonly dnc?: boolean;
  /**
   * The refusal concerns the campaign, not this contact (a stale or missing registry copy, an
   * unusable caller ID): the contact is kept, and the campaign holds — dials nothing — until a
   * check of the same dial no longer says `held`. Takes precedence over `permanent` unless `dnc`.
   */
  readonly held?: boolean;
  /** What was wrong and what to do, one line per reason (for logs and the `campaignHold` event). */
  readonly messages?: readonly string[];
}

/** What every compliance event carries. */
interface ComplianceEventBase {
  readonly at: number;
  readonly phone: string;
  readonly campaignId: string;
  readonly contact: Contact;
  /** The attempt (= call id) the event belongs to. */
  readonly attemptId: string;
}

/** Things that happened to a contact, recorded for the compliance rules. */
export type ComplianceEvent =
  | (ComplianceEventBase & { readonly kind: 'attempt'; readonly agentless: boolean })
  | (ComplianceEventBase & { readonly kind: 'conversation' | 'abandon' | 'machine' | 'refusal' });

/** The engine's port to `@paceline/compliance` (and the DNC lists of `@paceline/lists`). */
export interface ComplianceGate {
  /** Throw `E_INVALID_CAMPAIGN` when the campaign's compliance profile is unknown or its caller ID unusable. */
  assertCampaign(campaign: Campaign): void;
  /** Fill in what the rules need before a contact is stored (e.g. candidate time zones). */
  prepareContact(contact: Contact, campaign: Campaign): Contact;
  /** May `phone` of `contact` be dialled for `campaign` at `now`? Re-checked at dial time. */
  check(contact: Contact, phone: string, campaign: Campaign, now: number): DialVerdict;
  /** Record an event the rules read (attempt caps, locks). */
  record(event: ComplianceEvent): void;
  /** Add a number to the internal do-not-call list (e.g. asked during a call). */
  addInternalDnc(phone: string, entry: { reason: string; source: string; at: number }): void;
  /**
   * dnc-shared: add a number to one campaign's do-not-call list (a request the store keeps for
   * that campaign). Optional: without it such entries go on the internal list (stricter).
   */
  addCampaignDnc?(campaignId: string, phone: string, entry: { reason: string; source: string; at: number }): void;
  /** The rolling abandon-rate window of the campaign's profile, ms (US 30 days, UK 24 h). */
  abandonWindowMs(campaign: Campaign): number;
  /** issue-17: does the campaign's profile count estimated AMD false positives as abandons (Ofcom)? */
  abandonIncludesAmdFalsePositives?(campaign: Campaign): boolean;
}
