import { CAMPAIGN_REASON_CODES, Compliance, ContactLedger } from '@paceline/compliance';
import type { Campaign, Clock, Contact } from '@paceline/core';
import { DncBook, resolveTimeZones } from '@paceline/lists';
import type { ComplianceGate, DialVerdict } from './ports';

/** Options of {@link createComplianceGate}; every part can be shared with the host. */
export interface ComplianceGateOptions {
  /** Profiles and rules; default: the built-in profiles. */
  readonly compliance?: Compliance;
  /** Do-not-call lists (internal, per campaign, registries); default: an empty book. */
  readonly dnc?: DncBook;
  /** The contact ledger the caps and locks read; default: a new in-memory ledger. */
  readonly ledger?: ContactLedger;
}

/** The engine's compliance gate, with the parts it holds exposed for the host. */
export interface EngineComplianceGate extends ComplianceGate {
  readonly compliance: Compliance;
  readonly dnc: DncBook;
  readonly ledger: ContactLedger;
}

/**
 * The compliance gate over `@paceline/compliance` and `@paceline/lists`: `checkDial` with the
 * campaign's profile, the contact ledger, and the do-not-call book. Contacts without time
 * zones get candidate zones from their number and hints (the window is their intersection).
 */
export function createComplianceGate(options: ComplianceGateOptions = {}): EngineComplianceGate {
  const dnc = options.dnc ?? new DncBook();
  const compliance = options.compliance ?? new Compliance({ dnc });
  const ledger = options.ledger ?? new ContactLedger();
  return {
    compliance,
    dnc,
    ledger,
    // issue-17: Ofcom's abandon rate includes estimated AMD false positives.
    abandonIncludesAmdFalsePositives: (campaign) => compliance.profileFor(campaign).abandon.includeAmdFalsePositives === true,
    assertCampaign: (campaign) => compliance.assertCampaign(campaign),
    prepareContact(contact: Contact, campaign: Campaign): Contact {
      if (contact.timeZones && contact.timeZones.length > 0) return contact;
      const phone = contact.phones[0]?.number ?? '';
      const areaCode = phone.startsWith('+1') && phone.length === 12 ? Number(phone.slice(2, 5)) : undefined;
      const { zones } = resolveTimeZones(
        {
          areaCode,
          country: contact.country ?? (areaCode === undefined ? undefined : 'US'),
          postalCode: contact.postalCode,
          state: contact.state,
        },
        compliance.profileFor(campaign).defaultTimeZones,
      );
      return { ...contact, timeZones: [...zones] };
    },
    check(contact, phone, campaign, now): DialVerdict {
      const verdict = compliance.checkDial(contact, phone, campaign, now, ledger);
      const dnc = verdict.codes.some((code) => code.startsWith('dnc-'));
      // A stale registry copy or a bad caller ID refuses everyone alike: hold, do not retire.
      const held = !verdict.allowed && !dnc && verdict.codes.some((code) => CAMPAIGN_REASON_CODES.has(code));
      return {
        allowed: verdict.allowed,
        reasons: verdict.codes,
        permanent: verdict.permanent || (!verdict.allowed && !held && verdict.nextAllowedAt === undefined),
        dnc,
        ...(held ? { held } : {}),
        ...(verdict.allowed ? {} : { messages: verdict.reasons.map((r) => r.message) }),
        ...(verdict.nextAllowedAt === undefined ? {} : { nextAllowedAt: verdict.nextAllowedAt }),
      };
    },
    record(event) {
      const base = { at: event.at, campaignId: event.campaignId, phone: event.phone, contact: event.contact };
      if (event.kind === 'machine') ledger.record({ ...base, kind: 'amd', amdResult: 'machine' });
      else if (event.kind === 'attempt') ledger.record({ ...base, kind: 'attempt', agentless: event.agentless });
      else ledger.record({ ...base, kind: event.kind });
    },
    addInternalDnc: (phone, entry) => {
      dnc.internal.add(phone, entry);
    },
    // dnc-shared: a campaign's entry of the shared do-not-call list.
    addCampaignDnc: (campaignId, phone, entry) => {
      dnc.campaign(campaignId).add(phone, entry);
    },
    abandonWindowMs: (campaign) => compliance.abandonWindowMs(campaign),
  };
}

/** The default gate `createDialer` uses when the host passes none. */
export function defaultCompliance(_options: { clock: Clock }): ComplianceGate {
  return createComplianceGate();
}
