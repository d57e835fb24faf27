import { createParser, type Issue, isValidTimeZone, minutesOfDay, TimeOfDay, Weekday } from '@paceline/core';
import Type, { type Static } from 'typebox';

/** A span of local time on some weekdays. A profile's window is the union of its spans. */
export const WindowSpanSchema = Type.Object(
  {
    /** ISO weekdays, 1 = Monday … 7 = Sunday. */
    days: Type.Array(Weekday, { minItems: 1, uniqueItems: true }),
    start: TimeOfDay,
    end: TimeOfDay,
  },
  { additionalProperties: false },
);
/** A span of local time on some weekdays. */
export type WindowSpan = Static<typeof WindowSpanSchema>;

/** What a ledger entry can be; caps count attempts, locks start after the others. */
export const LockTriggerSchema = Type.Enum(['abandon', 'machine', 'conversation', 'refusal'] as const, {
  expected: 'one of "abandon", "machine", "conversation", "refusal"',
});
/** What starts a lock. */
export type LockTrigger = Static<typeof LockTriggerSchema>;

/**
 * Whom a cap or lock counts: `phone` (the number dialled), `person` (the contact's key or
 * any of its numbers, across campaigns and caller IDs), `subject` (the person, on the same
 * subject or debt; an event with no subject counts for every subject, conservatively).
 */
export const ScopeSchema = Type.Enum(['phone', 'person', 'subject'] as const, { expected: 'one of "phone", "person", "subject"' });
/** Whom a cap or lock counts. */
export type Scope = Static<typeof ScopeSchema>;

/** At most `max` attempts over any rolling `windowMs`. */
export const CapRuleSchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    max: Type.Integer({ minimum: 1 }),
    windowMs: Type.Integer({ minimum: 1, expected: 'a window in milliseconds' }),
    scope: ScopeSchema,
    /** Channels that count toward the cap (Maryland counts texts too). */
    channels: Type.Array(Type.Enum(['voice', 'sms'] as const), { minItems: 1, uniqueItems: true }),
    citation: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
/** A rolling attempt cap. */
export type CapRule = Static<typeof CapRuleSchema>;

/** No dial for `durationMs` after a trigger, unless waived when an agent is guaranteed. */
export const LockRuleSchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    after: LockTriggerSchema,
    durationMs: Type.Integer({ minimum: 1, expected: 'a duration in milliseconds' }),
    scope: ScopeSchema,
    /** Ofcom: a repeat call with a live agent guaranteed is allowed inside the lock. */
    waivedWhenAgentGuaranteed: Type.Boolean({ default: false }),
    citation: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
/** A lock after an event. */
export type LockRule = Static<typeof LockRuleSchema>;

/** How fresh a national registry copy must be. */
export const RegistryRuleSchema = Type.Object(
  {
    /** Registry kind, matched against `RegistryCopyInfo.kind` (e.g. `us-national`, `uk-tps`). */
    kind: Type.String({ minLength: 1 }),
    maxAgeMs: Type.Integer({ minimum: 1, expected: 'an age in milliseconds' }),
    citation: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
/** How fresh a national registry copy must be. */
export type RegistryRule = Static<typeof RegistryRuleSchema>;

/** Rules that apply on top of a profile when the called party is in a given state. */
export const OverlaySchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    /** Region codes (`FL`) matched against `contact.state`. */
    states: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
    /** NANP area codes of the state: a number in one is presumed to reach a resident. */
    areaCodes: Type.Array(Type.String({ pattern: '^[2-9][0-9]{2}$' }), { default: [] }),
    window: Type.Array(WindowSpanSchema, { default: [] }),
    caps: Type.Array(CapRuleSchema, { default: [] }),
    locks: Type.Array(LockRuleSchema, { default: [] }),
    citation: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
/** A state overlay. */
export type Overlay = Static<typeof OverlaySchema>;

/** A jurisdiction's rules. Every field is data, so a host can review and extend them. */
export const RuleProfileSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9-]*$', expected: 'a kebab-case id such as us-federal' }),
    name: Type.String({ minLength: 1 }),
    /** The calling window in the called party's local time: the union of these spans. */
    window: Type.Array(WindowSpanSchema, { minItems: 1, expected: 'at least one window span' }),
    windowCitation: Type.String({ minLength: 1 }),
    /** Holiday calendar ids: no calls on those local dates. */
    holidayCalendars: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
    caps: Type.Array(CapRuleSchema, { default: [] }),
    locks: Type.Array(LockRuleSchema, { default: [] }),
    registries: Type.Array(RegistryRuleSchema, { default: [] }),
    /** The abandon-rate cap the pacing governor keeps under, over a rolling window. */
    abandon: Type.Object(
      {
        maxRate: Type.Number({ minimum: 0, maximum: 1 }),
        windowMs: Type.Integer({ minimum: 1 }),
        citation: Type.String({ minLength: 1 }),
        /**
         * The abandon rate must include a reasoned estimate of AMD false positives (people the
         * answering-machine detector took for machines): Ofcom. The ledger adds them when set.
         */
        includeAmdFalsePositives: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false },
    ),
    /** Zones assumed when a contact's zone is unknown: the window is their intersection. */
    defaultTimeZones: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    overlays: Type.Array(OverlaySchema, { default: [] }),
    callerIdCitation: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
/** A validated rule profile. */
export type RuleProfile = Static<typeof RuleProfileSchema>;

function spanIssues(path: string, spans: readonly WindowSpan[]): Issue[] {
  const issues: Issue[] = [];
  spans.forEach((s, i) => {
    if (minutesOfDay(s.start) >= minutesOfDay(s.end)) {
      issues.push({ path: `${path}[${i}].end`, message: `expected a time after start ${s.start}, got "${s.end}"` });
    }
  });
  return issues;
}

/**
 * Validate a rule profile a host supplies (clone, defaults, every problem with its path).
 * A bad profile is refused whole: throws `E_INVALID_CONFIG`.
 */
export const parseRuleProfile = createParser<RuleProfile>(RuleProfileSchema, {
  code: 'E_INVALID_CONFIG',
  root: 'profile',
  refine: (p) => {
    const issues = spanIssues('profile.window', p.window);
    p.defaultTimeZones.forEach((z, i) => {
      if (!isValidTimeZone(z)) issues.push({ path: `profile.defaultTimeZones[${i}]`, message: `expected an IANA time zone, got "${z}"` });
    });
    p.overlays.forEach((o, i) => {
      issues.push(...spanIssues(`profile.overlays[${i}].window`, o.window));
    });
    return issues;
  },
});
