import type { ErrorCode } from '@paceline/core';

/**
 * Why a dial was refused. Stable: a host may switch on these.
 *
 * - `invalid-phone`, `phone-not-on-contact`: the dial itself is malformed.
 * - `unknown-profile`, `no-caller-id`, `invalid-caller-id`: the campaign cannot dial at all.
 * - `dnc-internal`, `dnc-campaign`, `dnc-registry`: the number is on a do-not-call list (permanent).
 * - `registry-stale`, `registry-missing`: the national registry copy is too old or absent.
 * - `outside-window`, `holiday`: not now in the called party's local time (every candidate zone).
 * - `attempt-cap`: a rolling cap on calls to this person would be exceeded.
 * - `lock`: a lock after an abandon, a machine answer, a conversation or a refusal is running.
 */
export type ReasonCode =
  | 'invalid-phone'
  | 'phone-not-on-contact'
  | 'unknown-profile'
  | 'no-caller-id'
  | 'invalid-caller-id'
  | 'dnc-internal'
  | 'dnc-campaign'
  | 'dnc-registry'
  | 'registry-stale'
  | 'registry-missing'
  | 'outside-window'
  | 'holiday'
  | 'attempt-cap'
  | 'lock';

/**
 * The reasons that concern the campaign or the registry copies, not the person called: a
 * stale or missing registry copy, an unusable caller ID, an unknown profile. They refuse every
 * contact alike until the host fixes them (loads a fresh copy, sets a valid caller ID), so a
 * dialer should hold the campaign and keep its contacts rather than retire them.
 */
export const CAMPAIGN_REASON_CODES: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  'unknown-profile',
  'no-caller-id',
  'invalid-caller-id',
  'registry-stale',
  'registry-missing',
]);

/** One reason a dial was refused, with the rule it comes from. */
export interface DialReason {
  /** Stable reason code. */
  readonly code: ReasonCode;
  /** The `PacelineError` code the engine raises for it (`E_DNC_BLOCKED`, `E_OUTSIDE_WINDOW` …). */
  readonly errorCode: ErrorCode;
  /** The profile rule id that refused, e.g. `us-fl.cap-24h`. */
  readonly ruleId: string;
  /** Legal source, e.g. `16 CFR 310.4(c)`. */
  readonly citation: string;
  /** What was wrong and what to do. */
  readonly message: string;
  /** When this reason alone stops applying (epoch ms), if it expires by itself. */
  readonly until?: number;
}

/** The answer of `checkDial`. */
export interface DialVerdict {
  /** True when nothing refused the dial. */
  readonly allowed: boolean;
  /** Every reason the dial was refused (empty when allowed). */
  readonly reasons: readonly DialReason[];
  /** The reason codes alone, in the order of `reasons`. */
  readonly codes: readonly ReasonCode[];
  /**
   * The earliest time the same dial would be allowed if nothing else happens, when there is
   * one. Absent when allowed now, or when a reason never expires by itself (DNC, stale registry).
   */
  readonly nextAllowedAt?: number;
  /** True when a reason never expires (a do-not-call hit): the contact should be retired. */
  readonly permanent: boolean;
  /** The effective profile id(s): the base profile and the overlays that applied. */
  readonly profileIds: readonly string[];
  /** The candidate time zones the window was checked in. */
  readonly timeZones: readonly string[];
}
