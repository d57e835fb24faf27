import Type, { type Static } from 'typebox';
import { AttributeValue, CountryCode, E164, Id, StringEnum, Timestamp, TimeZone } from './common';
import { Defaulted, type InputOf } from './input';

/** One number a contact can be reached on. Lower `priority` is dialled first. */
export const PhoneSchema = Type.Object(
  {
    number: E164,
    type: StringEnum(['mobile', 'landline', 'work', 'other', 'unknown'] as const, { default: 'unknown' }),
    priority: Defaulted(Type.Integer({ minimum: 0, default: 0 })),
    /** Extension behind the number (a switchboard): shown to the agent, dialled by hand or as DTMF after the answer. */
    extension: Type.Optional(Type.String({ pattern: '^[0-9]{1,10}$', expected: 'the extension digits, e.g. "12"' })),
  },
  { additionalProperties: false },
);
/** A contact's phone. */
export type Phone = Static<typeof PhoneSchema>;

/** A consent (or its withdrawal) the host recorded; Paceline keeps it, the host owns its truth. */
export const ConsentSchema = Type.Object(
  {
    kind: StringEnum(['express-written', 'express', 'opt-in', 'opt-out'] as const),
    channel: StringEnum(['voice', 'sms', 'email', 'any'] as const, { default: 'voice' }),
    recordedAt: Timestamp,
    source: Type.String({ minLength: 1, expected: 'where the consent was given, e.g. "web form 2026-04"' }),
    revokedAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
/** A consent record. */
export type Consent = Static<typeof ConsentSchema>;

/** A person to call, with hints used for the calling window and attributes for scripting. */
export const ContactSchema = Type.Object(
  {
    id: Id,
    /** The host's own key for this customer; dedupe across lists uses it. */
    key: Type.Optional(Type.String({ minLength: 1 })),
    phones: Type.Array(PhoneSchema, { minItems: 1, expected: 'at least one phone' }),
    firstName: Type.Optional(Type.String()),
    lastName: Type.Optional(Type.String()),
    postalCode: Type.Optional(Type.String({ minLength: 1 })),
    /** State or province code, e.g. `FL`. */
    state: Type.Optional(Type.String({ pattern: '^[A-Z]{2,3}$', expected: 'an upper-case region code such as FL' })),
    country: Type.Optional(CountryCode),
    /** Candidate IANA zones resolved by `@paceline/lists`; the calling window is their intersection. */
    timeZones: Type.Optional(Type.Array(TimeZone, { minItems: 1 })),
    /** Attributes for segmentation and scripting (tenure, spend, value tier …). */
    profile: Defaulted(Type.Record(Type.String(), AttributeValue, { default: {} })),
    consents: Defaulted(Type.Array(ConsentSchema, { default: [] })),
    /** Higher is called sooner within its hopper band. */
    priority: Defaulted(Type.Integer({ default: 0 })),
  },
  { additionalProperties: false },
);
/** A validated contact with defaults applied. */
export type Contact = Static<typeof ContactSchema>;

/** A contact as a host writes it: {@link Contact} with `profile`, `consents`, `priority` and each phone's `type` and `priority` optional. */
export type ContactInput = InputOf<typeof ContactSchema>;
/** A phone as a host writes it. */
export type PhoneInput = InputOf<typeof PhoneSchema>;
