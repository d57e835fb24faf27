import { type Campaign, type Contact, PacelineError } from '@paceline/core';
import { callerIdProblem } from './caller-id';
import { dailySpan, isHolidayInZone, isOpenInAll, nextOpenInAll, type WindowRules } from './calling-window';
import type { Channel, LedgerEvent } from './contact-ledger';
import { personKeyOf } from './contact-ledger';
import type { DncLookup } from './dnc-lookup';
import { zoneClock } from './local-time';
import { ProfileRegistry } from './profile-registry';
import type { DialReason, DialVerdict } from './reason';
import type { CapRule, LockRule, Overlay, RuleProfile, Scope, WindowSpan } from './rule-profile';

/** What `checkDial` reads from a contact ledger; `ContactLedger` implements it. */
export interface ContactHistory {
  /** Events of the contact (its person key or any of `phones`) at or after `sinceMs`. */
  eventsFor(contact: Pick<Contact, 'id' | 'key'>, phones: readonly string[], sinceMs?: number): readonly LedgerEvent[];
}

/** Optional context for one dial. */
export interface CheckDialOptions {
  /** Do-not-call data (internal, campaign, registries). Without it no DNC list is consulted. */
  readonly dnc?: DncLookup;
  /** Profiles and calendars; defaults to the built-ins. */
  readonly profiles?: ProfileRegistry;
  /**
   * A live agent is guaranteed for this call (preview, progressive, or a reserved agent):
   * waives the Ofcom repeat-call locks. Default: true for `preview` and `progressive` campaigns.
   */
  readonly agentGuaranteed?: boolean;
  /** Subject or debt id for "same subject" caps and Reg F "per debt"; absent counts every subject. */
  readonly subject?: string;
  /** Channel of the attempt; default `voice`. */
  readonly channel?: Channel;
  /** Refuse when the profile names a registry and no copy of it is loaded. Default false. */
  readonly requireRegistries?: boolean;
}

const DEFAULT_PROFILES = new ProfileRegistry();
/** Longest look-back any rule needs is bounded by the rules themselves; this is the floor. */
const MIN_LOOKBACK_MS = 86_400_000;

/** The overlays of `profile` that apply to this contact (its state, or a state area code on any of its numbers). */
export function activeOverlays(profile: RuleProfile, contact: Pick<Contact, 'state' | 'phones'>, phone: string): Overlay[] {
  if (profile.overlays.length === 0) return [];
  // A state's area code on any of the person's numbers presumes residence (Fla. Stat.
  // 501.059(8)(d)), so the overlay governs every call to that person, conservatively.
  const areaCodes = [phone, ...contact.phones.map((p) => p.number)]
    .filter((n) => n.startsWith('+1') && n.length === 12)
    .map((n) => n.slice(2, 5));
  const state = contact.state?.toUpperCase();
  return profile.overlays.filter(
    (o) => o.states.includes('*') || (state !== undefined && o.states.includes(state)) || areaCodes.some((a) => o.areaCodes.includes(a)),
  );
}

/** The candidate zones a window is checked in: the contact's, else the profile's conservative default. */
export function candidateZones(profile: RuleProfile, contact: Pick<Contact, 'timeZones'>): string[] {
  const zones = (contact.timeZones ?? []).filter((z) => zoneClock(z).isValid);
  return zones.length > 0 ? zones : [...profile.defaultTimeZones];
}

/**
 * May `phone` of `contact` be dialled for `campaign` at `now` (epoch ms)? Returns every
 * reason it may not, and the earliest moment it would be allowed when that moment comes by
 * itself (a window opening, a cap or lock expiring) — that moment is itself allowed. Pure:
 * reads the ledger and the DNC lookup, changes nothing.
 */
export function checkDial(
  contact: Contact,
  phone: string,
  campaign: Campaign,
  now: number,
  ledger: ContactHistory,
  options: CheckDialOptions = {},
): DialVerdict {
  const registry = options.profiles ?? DEFAULT_PROFILES;
  const profile = registry.find(campaign.complianceProfile);
  const reasons: DialReason[] = [];
  let blockedForGood = false;
  let permanent = false;

  const callerProblem = callerIdProblem(campaign.callerId);
  if (callerProblem !== undefined) {
    blockedForGood = true;
    reasons.push({
      code: campaign.callerId ? 'invalid-caller-id' : 'no-caller-id',
      errorCode: 'E_NO_CALLER_ID',
      ruleId: `${profile?.id ?? campaign.complianceProfile}.caller-id`,
      citation: profile?.callerIdCitation ?? '16 CFR 310.4(a)(8)',
      message: `campaign.callerId: ${callerProblem}`,
    });
  }
  if (!/^\+[1-9][0-9]{6,14}$/.test(phone)) {
    blockedForGood = true;
    reasons.push({
      code: 'invalid-phone',
      errorCode: 'E_INVALID_INPUT',
      ruleId: 'phone',
      citation: 'E.164',
      message: `phone: expected an E.164 number such as +14155550123, got ${JSON.stringify(phone)}`,
    });
  } else if (!contact.phones.some((p) => p.number === phone)) {
    blockedForGood = true;
    reasons.push({
      code: 'phone-not-on-contact',
      errorCode: 'E_INVALID_INPUT',
      ruleId: 'phone',
      citation: 'Paceline',
      message: `phone ${maskTail(phone)} is not one of contact ${contact.id}'s numbers`,
    });
  }
  if (!profile) {
    reasons.push({
      code: 'unknown-profile',
      errorCode: 'E_INVALID_CONFIG',
      ruleId: 'profile',
      citation: 'Paceline',
      message: `campaign.complianceProfile: unknown profile "${campaign.complianceProfile}"; expected one of ${registry.ids().join(', ')}`,
    });
    return verdict(reasons, undefined, false, [], []);
  }

  // Do-not-call: internal list, campaign list, national registries (16 CFR 310.4(b)(1)(iii)).
  for (const hit of options.dnc?.find(phone, campaign.id) ?? []) {
    permanent = true;
    blockedForGood = true;
    reasons.push({
      code: hit.list === 'internal' ? 'dnc-internal' : hit.list === 'campaign' ? 'dnc-campaign' : 'dnc-registry',
      errorCode: 'E_DNC_BLOCKED',
      ruleId: `${profile.id}.dnc`,
      citation:
        hit.list === 'registry' ? '16 CFR 310.4(b)(1)(iii)(B); 47 CFR 64.1200(c)(2)' : '16 CFR 310.4(b)(1)(iii)(A); 47 CFR 64.1200(d)',
      message: `number ${maskTail(phone)} is on do-not-call list "${hit.name}"${hit.reason ? ` (${hit.reason})` : ''}`,
    });
  }
  const copies = options.dnc?.registries() ?? [];
  for (const rule of profile.registries) {
    const ofKind = copies.filter((c) => c.kind === rule.kind);
    if (ofKind.length === 0 && options.requireRegistries === true) {
      blockedForGood = true;
      reasons.push({
        code: 'registry-missing',
        errorCode: 'E_REGISTRY_STALE',
        ruleId: `${profile.id}.registry.${rule.kind}`,
        citation: rule.citation,
        message: `no copy of the ${rule.kind} registry is loaded; load one no older than ${days(rule.maxAgeMs)} days`,
      });
    }
    for (const copy of ofKind) {
      if (now - copy.asOfMs > rule.maxAgeMs) {
        blockedForGood = true;
        reasons.push({
          code: 'registry-stale',
          errorCode: 'E_REGISTRY_STALE',
          ruleId: `${profile.id}.registry.${rule.kind}`,
          citation: rule.citation,
          message: `registry "${copy.name}" (${rule.kind}) is ${days(now - copy.asOfMs)} days old; ${profile.id} allows ${days(rule.maxAgeMs)}: load a fresh copy`,
        });
      }
    }
  }

  const overlays = activeOverlays(profile, contact, phone);
  const rules = windowRules(profile, overlays, campaign, registry);
  const zones = candidateZones(profile, contact);
  const context: TimedContext = {
    contact,
    phone,
    phones: contact.phones.some((p) => p.number === phone)
      ? contact.phones.map((p) => p.number)
      : [...contact.phones.map((p) => p.number), phone],
    ledger,
    caps: [...profile.caps, ...overlays.flatMap((o) => o.caps)],
    locks: [...profile.locks, ...overlays.flatMap((o) => o.locks)],
    rules,
    zones,
    subject: options.subject,
    channel: options.channel ?? 'voice',
    agentGuaranteed: options.agentGuaranteed ?? (campaign.dialMode === 'preview' || campaign.dialMode === 'progressive'),
    windowCitation: [profile.windowCitation, ...overlays.map((o) => o.citation)].join('; '),
    profileId: profile.id,
  };
  const timed = timedReasons(context, now);
  reasons.push(...timed);

  let nextAllowedAt: number | undefined;
  if (timed.length > 0 && !blockedForGood) {
    const windowOnly =
      timed.length === 1 && timed[0]?.until !== undefined && (timed[0].code === 'outside-window' || timed[0].code === 'holiday');
    nextAllowedAt = windowOnly ? timed[0]?.until : findNextAllowed(context, timed, now);
  }
  return verdict(reasons, nextAllowedAt, permanent, [profile.id, ...overlays.map((o) => o.id)], zones);
}

interface TimedContext {
  readonly contact: Contact;
  readonly phone: string;
  readonly phones: readonly string[];
  readonly ledger: ContactHistory;
  readonly caps: readonly CapRule[];
  readonly locks: readonly LockRule[];
  readonly rules: WindowRules;
  readonly zones: readonly string[];
  readonly subject: string | undefined;
  readonly channel: Channel;
  readonly agentGuaranteed: boolean;
  readonly windowCitation: string;
  readonly profileId: string;
}

/** The reasons that expire with time: window, holiday, caps, locks. */
function timedReasons(c: TimedContext, now: number, withUntil = true): DialReason[] {
  const reasons: DialReason[] = [];
  if (!isOpenInAll(c.rules, c.zones, now)) {
    const holiday = c.zones.some((z) => isHolidayInZone(c.rules, z, now));
    const until = withUntil ? nextOpenInAll(c.rules, c.zones, now) : undefined;
    reasons.push({
      code: holiday ? 'holiday' : 'outside-window',
      errorCode: 'E_OUTSIDE_WINDOW',
      ruleId: `${c.profileId}.window`,
      citation: c.windowCitation,
      message: holiday
        ? `today is a public holiday in the called party's zone (${c.zones.join(', ')}); no calls until the window reopens`
        : `outside the calling window in the called party's local time (candidate zones: ${c.zones.join(', ')})`,
      ...(until === undefined ? {} : { until }),
    });
  }
  const lookback = Math.max(MIN_LOOKBACK_MS, ...c.caps.map((r) => r.windowMs), ...c.locks.map((r) => r.durationMs));
  const events = c.ledger.eventsFor(c.contact, c.phones, now - lookback);
  const person = personKeyOf(c.contact);
  const inScope = (e: LedgerEvent, scope: Scope): boolean => {
    if (scope === 'phone') return e.phone === c.phone;
    // Events for this person or any of its numbers (the ledger returned only those).
    const samePerson = e.personKey === person || c.phones.includes(e.phone);
    if (scope === 'person') return samePerson;
    return samePerson && (e.subject === undefined || c.subject === undefined || e.subject === c.subject);
  };
  for (const cap of c.caps) {
    if (!cap.channels.includes(c.channel)) continue;
    const ats: number[] = [];
    for (const e of events) {
      if (e.kind === 'attempt' && cap.channels.includes(e.channel) && e.at > now - cap.windowMs && inScope(e, cap.scope)) ats.push(e.at);
    }
    if (ats.length >= cap.max) {
      ats.sort((a, b) => a - b);
      // The window (t − windowMs, t] holds fewer than `max` once the (n − max + 1)-th oldest has left it.
      const until = (ats[ats.length - cap.max] as number) + cap.windowMs;
      reasons.push({
        code: 'attempt-cap',
        errorCode: 'E_ATTEMPT_CAP',
        ruleId: cap.id,
        citation: cap.citation,
        message: `${ats.length} calls in the last ${hours(cap.windowMs)} h; ${cap.id} allows ${cap.max}`,
        until,
      });
    }
  }
  for (const lock of c.locks) {
    if (lock.waivedWhenAgentGuaranteed && c.agentGuaranteed) continue;
    let until = -Infinity;
    for (const e of events) {
      if (!triggers(lock, e) || !inScope(e, lock.scope)) continue;
      until = Math.max(until, e.at + lock.durationMs);
    }
    if (now < until) {
      reasons.push({
        code: 'lock',
        errorCode: 'E_ATTEMPT_CAP',
        ruleId: lock.id,
        citation: lock.citation,
        message: `no call for ${hours(lock.durationMs)} h after ${lock.after === 'machine' ? 'an answering-machine result' : `a ${lock.after}`}${lock.waivedWhenAgentGuaranteed ? ' unless an agent is guaranteed' : ''}`,
        until,
      });
    }
  }
  return reasons;
}

function triggers(lock: LockRule, e: LedgerEvent): boolean {
  switch (lock.after) {
    case 'machine':
      return e.kind === 'amd' && e.amdResult === 'machine';
    case 'abandon':
      return e.kind === 'abandon';
    case 'conversation':
      return e.kind === 'conversation';
    case 'refusal':
      return e.kind === 'refusal';
  }
}

/**
 * Caps and locks only relax as time passes (no new events are assumed), so the answer is the
 * first open window moment after they have all expired; it is re-checked to be allowed.
 */
function findNextAllowed(c: TimedContext, timed: readonly DialReason[], now: number): number | undefined {
  let from = now;
  for (const r of timed) {
    if (r.code === 'outside-window' || r.code === 'holiday') continue;
    if (r.until === undefined) return undefined;
    from = Math.max(from, r.until);
  }
  for (let i = 0; i < 20; i++) {
    const t = nextOpenInAll(c.rules, c.zones, from);
    if (t === undefined) return undefined;
    const again = timedReasons(c, t, false);
    if (again.length === 0) return t;
    from = Math.max(t + 60_000, ...again.map((r) => r.until ?? t));
  }
  return undefined;
}

function windowRules(profile: RuleProfile, overlays: readonly Overlay[], campaign: Campaign, registry: ProfileRegistry): WindowRules {
  const layers: WindowSpan[][] = [profile.window];
  for (const o of overlays) if (o.window.length > 0) layers.push(o.window);
  // campaign.callingWindow narrows (never widens) the profile's window.
  if (campaign.callingWindow) layers.push([dailySpan(campaign.callingWindow)]);
  return { layers, holidays: registry.calendarsOf(profile) };
}

function verdict(
  reasons: DialReason[],
  nextAllowedAt: number | undefined,
  permanent: boolean,
  profileIds: string[],
  timeZones: string[],
): DialVerdict {
  return {
    allowed: reasons.length === 0,
    reasons,
    codes: reasons.map((r) => r.code),
    ...(nextAllowedAt === undefined ? {} : { nextAllowedAt }),
    permanent,
    profileIds,
    timeZones,
  };
}

/**
 * The error for a refused verdict: the first reason's code, every reason in `cause.reasons`.
 * Throws `E_INTERNAL` when called with an allowed verdict.
 */
export function verdictError(v: DialVerdict): PacelineError {
  const first = v.reasons[0];
  if (!first) return new PacelineError('E_INTERNAL', 'verdictError: the dial was allowed');
  const more = v.reasons.length > 1 ? ` (and ${v.reasons.length - 1} more: ${v.codes.slice(1).join(', ')})` : '';
  return new PacelineError(first.errorCode, `dial refused: ${first.message}${more}`, {
    reasons: v.reasons,
    codes: v.codes,
    ...(v.nextAllowedAt === undefined ? {} : { nextAllowedAt: v.nextAllowedAt }),
  });
}

function maskTail(phone: string): string {
  return phone.length > 8 ? `${phone.slice(0, 5)}…${phone.slice(-2)}` : '…';
}

function days(ms: number): string {
  return (ms / 86_400_000).toFixed(ms % 86_400_000 === 0 ? 0 : 1);
}

function hours(ms: number): string {
  return (ms / 3_600_000).toFixed(ms % 3_600_000 === 0 ? 0 : 1);
}
