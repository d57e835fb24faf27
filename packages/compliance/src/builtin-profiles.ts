import { EVERY_DAY } from './calling-window';
import { parseRuleProfile, type RuleProfile } from './rule-profile';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEKDAYS = [1, 2, 3, 4, 5];

/** Zones assumed for an unknown US number: every mainland zone plus Alaska, Hawaii, Puerto Rico. */
const US_ZONES = [
  'America/Puerto_Rico',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
];

// Fla. Stat. 501.059(8)(d) (2021 amendment, SB 1120; HB 761 of 2023): a call to a Florida
// area code is presumed to reach a Florida resident.
const FL_AREA_CODES = [
  '239',
  '305',
  '321',
  '324',
  '352',
  '386',
  '407',
  '448',
  '561',
  '645',
  '656',
  '689',
  '727',
  '728',
  '754',
  '772',
  '786',
  '813',
  '850',
  '863',
  '904',
  '941',
  '954',
];
const OK_AREA_CODES = ['405', '539', '572', '580', '918'];
const MD_AREA_CODES = ['227', '240', '301', '410', '443', '667'];

function stateOverlay(
  id: string,
  state: string,
  areaCodes: string[],
  citation: string,
  channels: ('voice' | 'sms')[],
): RuleProfile['overlays'][number] {
  return {
    id,
    states: [state],
    areaCodes,
    window: [{ days: EVERY_DAY, start: '08:00', end: '20:00' }],
    caps: [{ id: `${id}.cap-24h`, max: 3, windowMs: DAY_MS, scope: 'subject', channels, citation }],
    locks: [],
    citation,
  };
}

const FL_CITATION = 'Fla. Stat. 501.059(8) (Florida Telephone Solicitation Act, as amended 2021)';
const OK_CITATION = '15 Okla. Stat. 775C.4 (Oklahoma Telephone Solicitation Act of 2022)';
const MD_CITATION = 'Md. Code, Com. Law 14-4503 (Maryland Stop the Spam Calls Act of 2023)';

/** State overlays applied on top of `us-federal`. */
const US_STATE_OVERLAYS = [
  stateOverlay('us-fl', 'FL', FL_AREA_CODES, FL_CITATION, ['voice']),
  stateOverlay('us-ok', 'OK', OK_AREA_CODES, OK_CITATION, ['voice']),
  // The Maryland act counts text messages as telephone solicitations.
  stateOverlay('us-md', 'MD', MD_AREA_CODES, MD_CITATION, ['voice', 'sms']),
];

const US_REGISTRY = {
  kind: 'us-national',
  maxAgeMs: 31 * DAY_MS,
  // 16 CFR 310.4(b)(3)(iv): registry data accessed no more than 31 days before the call.
  citation: '16 CFR 310.4(b)(3)(iv); 47 CFR 64.1200(c)(2)(i)(D)',
};

const US_ABANDON = {
  maxRate: 0.03,
  windowMs: 30 * DAY_MS,
  // 16 CFR 310.4(b)(4)(i): at most 3% of live answers per campaign over a 30-day period.
  citation: '16 CFR 310.4(b)(4)(i); 47 CFR 64.1200(a)(7)(i)',
};

const RAW_PROFILES: readonly unknown[] = [
  {
    id: 'us-federal',
    name: 'United States: FTC TSR and FCC TCPA, with FL, OK and MD overlays',
    // 16 CFR 310.4(c) and 47 CFR 64.1200(c)(1): 8 a.m.–9 p.m. called party's local time.
    window: [{ days: EVERY_DAY, start: '08:00', end: '21:00' }],
    windowCitation: '16 CFR 310.4(c); 47 CFR 64.1200(c)(1)',
    registries: [US_REGISTRY],
    abandon: US_ABANDON,
    defaultTimeZones: US_ZONES,
    overlays: US_STATE_OVERLAYS,
    callerIdCitation: '16 CFR 310.4(a)(8); 47 CFR 64.1601(e)',
  },
  ...US_STATE_OVERLAYS.map((overlay) => ({
    id: overlay.id,
    name: `United States federal rules with the ${overlay.states[0]} overlay always applied`,
    window: [{ days: EVERY_DAY, start: '08:00', end: '21:00' }],
    windowCitation: '16 CFR 310.4(c); 47 CFR 64.1200(c)(1)',
    registries: [US_REGISTRY],
    abandon: US_ABANDON,
    defaultTimeZones: US_ZONES,
    overlays: [{ ...overlay, states: ['*'] }],
    callerIdCitation: '16 CFR 310.4(a)(8); 47 CFR 64.1601(e)',
  })),
  {
    id: 'us-reg-f',
    name: 'United States debt collection: CFPB Regulation F',
    // 12 CFR 1006.6(b)(1)(i): before 8 a.m. or after 9 p.m. local time is presumed inconvenient.
    window: [{ days: EVERY_DAY, start: '08:00', end: '21:00' }],
    windowCitation: '12 CFR 1006.6(b)(1)(i); 47 CFR 64.1200(c)(1)',
    caps: [
      // 12 CFR 1006.14(b)(2)(i)(A): more than 7 calls within 7 consecutive days per debt is presumed harassment.
      {
        id: 'us-reg-f.cap-7-in-7',
        max: 7,
        windowMs: 7 * DAY_MS,
        scope: 'subject',
        channels: ['voice'],
        citation: '12 CFR 1006.14(b)(2)(i)(A)',
      },
    ],
    locks: [
      // 12 CFR 1006.14(b)(2)(i)(B): no call within 7 days after a telephone conversation about the debt.
      {
        id: 'us-reg-f.after-conversation',
        after: 'conversation',
        durationMs: 7 * DAY_MS,
        scope: 'subject',
        citation: '12 CFR 1006.14(b)(2)(i)(B)',
      },
    ],
    registries: [],
    abandon: US_ABANDON,
    defaultTimeZones: US_ZONES,
    callerIdCitation: '12 CFR 1006.6(d)(4) (meaningful disclosure); 47 CFR 64.1601(e)',
  },
  {
    id: 'uk-ofcom',
    name: 'United Kingdom: Ofcom persistent misuse policy, PECR and TPS/CTPS',
    window: [{ days: EVERY_DAY, start: '08:00', end: '21:00' }],
    windowCitation: 'DMA Code / Ofcom guidance (Paceline default: 08:00–21:00 local)',
    locks: [
      // Ofcom persistent misuse statement (2016), A1.50: after an abandoned call, no repeat call
      // to that number within 72 hours unless a live operator is guaranteed.
      {
        id: 'uk-ofcom.after-abandon',
        after: 'abandon',
        durationMs: 72 * HOUR_MS,
        scope: 'phone',
        waivedWhenAgentGuaranteed: true,
        citation: 'Ofcom persistent misuse policy A1.50(d)',
      },
      // A1.50(e): after an AMD "machine" result, repeat calls within 24 hours only with a live operator.
      {
        id: 'uk-ofcom.after-machine',
        after: 'machine',
        durationMs: 24 * HOUR_MS,
        scope: 'phone',
        waivedWhenAgentGuaranteed: true,
        citation: 'Ofcom persistent misuse policy A1.50(e)',
      },
    ],
    registries: [
      // PECR reg. 21(5) and 26: a TPS/CTPS registration takes effect after 28 days; screen against a copy at most 28 days old.
      { kind: 'uk-tps', maxAgeMs: 28 * DAY_MS, citation: 'PECR 2003 reg. 21 and 26 (TPS/CTPS, 28 days)' },
      { kind: 'uk-ctps', maxAgeMs: 28 * DAY_MS, citation: 'PECR 2003 reg. 21 and 26 (TPS/CTPS, 28 days)' },
    ],
    abandon: {
      maxRate: 0.03,
      windowMs: DAY_MS,
      // A1.50(a): abandoned calls at most 3% of live calls per campaign over any 24 hours.
      citation: 'Ofcom persistent misuse policy A1.50(a)',
      // Ofcom's statement: the abandoned-call rate includes a reasoned estimate of AMD false positives.
      includeAmdFalsePositives: true,
    },
    defaultTimeZones: ['Europe/London'],
    callerIdCitation: 'Ofcom General Condition C6 (CLI must be valid and diallable); persistent misuse policy A1.50(f)',
  },
  {
    id: 'ca-dncl',
    name: 'Canada: CRTC Unsolicited Telecommunications Rules and the National DNCL',
    // CRTC Telemarketing Rules, Part III s. 36: weekdays 9:00–21:30, weekends 10:00–18:00.
    window: [
      { days: WEEKDAYS, start: '09:00', end: '21:30' },
      { days: [6, 7], start: '10:00', end: '18:00' },
    ],
    windowCitation: 'CRTC Unsolicited Telecommunications Rules, Part III (Telemarketing Rules) s. 36',
    registries: [{ kind: 'ca-dncl', maxAgeMs: 31 * DAY_MS, citation: 'CRTC Unsolicited Telecommunications Rules, Part II s. 6 (31 days)' }],
    abandon: {
      maxRate: 0.05,
      windowMs: DAY_MS,
      citation: 'CRTC Unsolicited Telecommunications Rules, Part IV (ADAD) — 5% per campaign per day',
    },
    defaultTimeZones: [
      'America/St_Johns',
      'America/Halifax',
      'America/Toronto',
      'America/Winnipeg',
      'America/Regina',
      'America/Edmonton',
      'America/Vancouver',
      'America/Whitehorse',
    ],
    callerIdCitation: 'CRTC Unsolicited Telecommunications Rules, Part III s. 21 (originating number displayed)',
  },
  {
    id: 'au-dncr',
    name: 'Australia: ACMA Do Not Call Register and the Telemarketing Industry Standard 2017',
    // Telemarketing and Research Calls Industry Standard 2017, s. 5 and Schedule 1.
    window: [
      { days: WEEKDAYS, start: '09:00', end: '20:00' },
      { days: [6], start: '09:00', end: '17:00' },
    ],
    windowCitation: 'Do Not Call Register (Telemarketing and Research Calls) Industry Standard 2017, s. 5',
    holidayCalendars: ['au-national'],
    registries: [{ kind: 'au-dncr', maxAgeMs: 30 * DAY_MS, citation: 'Do Not Call Register Act 2006; wash results valid 30 days' }],
    abandon: {
      maxRate: 0.03,
      windowMs: 30 * DAY_MS,
      citation: 'Paceline default (no statutory rate; ACMA Standard s. 6 requires identification)',
    },
    defaultTimeZones: [
      'Australia/Perth',
      'Australia/Darwin',
      'Australia/Adelaide',
      'Australia/Brisbane',
      'Australia/Sydney',
      'Australia/Hobart',
    ],
    callerIdCitation: 'Industry Standard 2017 s. 7 (calling line identification enabled)',
  },
  {
    id: 'fr',
    name: 'France: Code de la consommation L223-1 and décret 2022-1313',
    // Décret 2022-1313, art. 1 (Code de la consommation D223-8): Mon–Fri 10:00–13:00 and 14:00–20:00.
    window: [
      { days: WEEKDAYS, start: '10:00', end: '13:00' },
      { days: WEEKDAYS, start: '14:00', end: '20:00' },
    ],
    windowCitation: 'Code de la consommation D223-8 (décret 2022-1313)',
    holidayCalendars: ['fr-public'],
    caps: [
      // D223-9: at most 4 solicitations of the same consumer per 30 calendar days.
      {
        id: 'fr.cap-4-in-30',
        max: 4,
        windowMs: 30 * DAY_MS,
        scope: 'person',
        channels: ['voice'],
        citation: 'Code de la consommation D223-9 (décret 2022-1313)',
      },
    ],
    locks: [
      // D223-9: after the consumer refuses, no new solicitation for 60 days.
      {
        id: 'fr.after-refusal',
        after: 'refusal',
        durationMs: 60 * DAY_MS,
        scope: 'person',
        citation: 'Code de la consommation D223-9 (décret 2022-1313)',
      },
    ],
    registries: [{ kind: 'fr-bloctel', maxAgeMs: 30 * DAY_MS, citation: 'Code de la consommation L223-1 (Bloctel, at least monthly)' }],
    abandon: { maxRate: 0.03, windowMs: 30 * DAY_MS, citation: 'Paceline default' },
    defaultTimeZones: ['Europe/Paris'],
    callerIdCitation: 'Code de la consommation L221-17 (the caller identifies itself); ARCEP numbering rules for canvassing numbers',
  },
];

/** The profiles Paceline ships, validated at load: `us-federal`, `us-fl`, `us-ok`, `us-md`, `us-reg-f`, `uk-ofcom`, `ca-dncl`, `au-dncr`, `fr`. */
export const BUILTIN_PROFILES: readonly RuleProfile[] = RAW_PROFILES.map((p) => parseRuleProfile(p));

/** The ids of the built-in profiles. */
export const BUILTIN_PROFILE_IDS: readonly string[] = BUILTIN_PROFILES.map((p) => p.id);
