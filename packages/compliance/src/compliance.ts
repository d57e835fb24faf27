import { type Campaign, type Contact, PacelineError } from '@paceline/core';
import { callerIdProblem } from './caller-id';
import { type CheckDialOptions, type ContactHistory, checkDial } from './check-dial';
import type { DncLookup } from './dnc-lookup';
import { ProfileRegistry } from './profile-registry';
import type { DialVerdict } from './reason';
import type { RuleProfile } from './rule-profile';

/** Options shared by every check of one `Compliance` instance. */
export interface ComplianceOptions {
  readonly profiles?: ProfileRegistry;
  readonly dnc?: DncLookup;
  /** Refuse when a profile's national registry is not loaded at all. Default false. */
  readonly requireRegistries?: boolean;
}

/**
 * `checkDial` bound to one host's profiles and do-not-call data: what the engine holds per
 * tenant. No hidden state beyond what it was given.
 */
export class Compliance {
  readonly profiles: ProfileRegistry;
  readonly #dnc: DncLookup | undefined;
  readonly #requireRegistries: boolean;

  constructor(options: ComplianceOptions = {}) {
    this.profiles = options.profiles ?? new ProfileRegistry();
    this.#dnc = options.dnc;
    this.#requireRegistries = options.requireRegistries ?? false;
  }

  /** The campaign's profile; throws `E_INVALID_CAMPAIGN` when unknown. */
  profileFor(campaign: Pick<Campaign, 'complianceProfile'>): RuleProfile {
    const profile = this.profiles.find(campaign.complianceProfile);
    if (!profile) {
      const message = `unknown compliance profile "${campaign.complianceProfile}"; expected one of ${this.profiles.ids().join(', ')}`;
      throw new PacelineError('E_INVALID_CAMPAIGN', `campaign.complianceProfile: ${message}`, {
        issues: [{ path: 'campaign.complianceProfile', message }],
      });
    }
    return profile;
  }

  /**
   * Refuse a campaign that cannot dial: unknown profile (`E_INVALID_CAMPAIGN`) or a missing or
   * unusable caller ID (`E_NO_CALLER_ID`).
   */
  assertCampaign(campaign: Pick<Campaign, 'complianceProfile' | 'callerId'>): void {
    this.profileFor(campaign);
    const problem = callerIdProblem(campaign.callerId);
    if (problem !== undefined) {
      throw new PacelineError('E_NO_CALLER_ID', `campaign.callerId: ${problem}`, {
        issues: [{ path: 'campaign.callerId', message: problem }],
      });
    }
  }

  /** The abandon-rate window of the campaign's profile (US 30 days, UK 24 h), ms. */
  abandonWindowMs(campaign: Pick<Campaign, 'complianceProfile'>): number {
    return this.profileFor(campaign).abandon.windowMs;
  }

  /** Whether the campaign's profile counts estimated AMD false positives as abandons (Ofcom). */
  abandonIncludesAmdFalsePositives(campaign: Pick<Campaign, 'complianceProfile'>): boolean {
    return this.profileFor(campaign).abandon.includeAmdFalsePositives === true;
  }

  /** The abandon-rate cap of the campaign's profile, as a fraction. */
  abandonMaxRate(campaign: Pick<Campaign, 'complianceProfile'>): number {
    return this.profileFor(campaign).abandon.maxRate;
  }

  /** `checkDial` with this instance's profiles and do-not-call data. */
  checkDial(
    contact: Contact,
    phone: string,
    campaign: Campaign,
    now: number,
    ledger: ContactHistory,
    options: Omit<CheckDialOptions, 'profiles' | 'dnc' | 'requireRegistries'> = {},
  ): DialVerdict {
    return checkDial(contact, phone, campaign, now, ledger, {
      ...options,
      profiles: this.profiles,
      ...(this.#dnc === undefined ? {} : { dnc: this.#dnc }),
      requireRegistries: this.#requireRegistries,
    });
  }
}
