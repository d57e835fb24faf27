import type { CampaignState } from '../lifecycle/campaign-state';
import type { ContactState } from '../lifecycle/contact-state';
import type { Attempt } from '../schema/attempt';
import type { Campaign } from '../schema/campaign';
import type { Contact } from '../schema/contact';

/** A campaign with its lifecycle state, as stored. */
export interface CampaignRecord {
  readonly campaign: Campaign;
  readonly state: CampaignState;
  readonly updatedAt: number;
}

/** A contact's dialing state within one campaign, as stored. */
export interface ContactRecord {
  readonly campaignId: string;
  readonly contact: Contact;
  readonly state: ContactState;
  /** Attempts made in this campaign. */
  readonly attempts: number;
  /** When the contact may next be dialled (retry or callback time); absent = now. */
  readonly dueAt?: number;
  /** Optimistic-concurrency version, bumped by every update. */
  readonly version: number;
}

/**
 * Where the dialer keeps its state. The embedded default is in memory; `store-redis`
 * shares it between processes. Every implementation passes the one conformance suite.
 * (The engine issue refines this port; it lists only what the domain needs.)
 */
export interface Store {
  putCampaign(record: CampaignRecord): Promise<void>;
  getCampaign(campaignId: string): Promise<CampaignRecord | undefined>;
  listCampaigns(): Promise<CampaignRecord[]>;

  /** Insert contacts (state `ready`, version 1); existing ids are left untouched. Returns how many were new. */
  addContacts(campaignId: string, contacts: readonly Contact[]): Promise<number>;
  getContact(campaignId: string, contactId: string): Promise<ContactRecord | undefined>;
  /**
   * Replace a contact record if its stored version is still `expectedVersion`; returns the
   * new record, or `undefined` when another writer got there first.
   */
  updateContact(record: ContactRecord, expectedVersion: number): Promise<ContactRecord | undefined>;
  /** Atomically move up to `limit` contacts that are due at `now` from `ready`/`waiting`/`callback` to `queued`. */
  claimDue(campaignId: string, now: number, limit: number): Promise<ContactRecord[]>;

  putAttempt(attempt: Attempt): Promise<void>;
  getAttempt(attemptId: string): Promise<Attempt | undefined>;
  listAttempts(campaignId: string, contactId: string): Promise<Attempt[]>;
}
