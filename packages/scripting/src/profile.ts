import { AttributeValue, CurrencyCode, createParser, Id, StringEnum, Timestamp } from '@paceline/core';
import Type, { type Static } from 'typebox';

/** Where a customer is in their life with the company. */
export const LifecycleStageSchema = StringEnum(['new', 'active', 'at-risk', 'cancelling', 'lapsed', 'win-back'] as const);
/** Where a customer is in their life with the company. */
export type LifecycleStage = Static<typeof LifecycleStageSchema>;

/** The host's value tier of a customer, lowest first. */
export const ValueTierSchema = StringEnum(['bronze', 'silver', 'gold', 'platinum'] as const);
/** A value tier. */
export type ValueTier = Static<typeof ValueTierSchema>;

/** One earlier contact with the customer, most recent first in a profile. */
export const LastContactSchema = Type.Object(
  {
    at: Timestamp,
    channel: StringEnum(['voice', 'sms', 'email', 'store', 'web', 'chat'] as const),
    /** What came of it, e.g. a disposition code or "complaint". */
    outcome: Type.String({ minLength: 1 }),
    campaignId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
/** One earlier contact. */
export type LastContact = Static<typeof LastContactSchema>;

/**
 * The customer's 360° profile, supplied by the host through `loadProfile(contact)`. Money is
 * in minor units (cents). `attributes` holds anything else the host wants scripts to use.
 */
export const CustomerProfileSchema = Type.Object(
  {
    customerId: Id,
    /** Used in greetings (`{{firstName}}`), so it is required; the host may pass the contact's. */
    firstName: Type.String({ minLength: 1 }),
    lastName: Type.Optional(Type.String({ minLength: 1 })),
    email: Type.Optional(Type.String({ minLength: 3 })),
    tenureMonths: Type.Integer({ minimum: 0, expected: 'whole months as a customer, not negative' }),
    /** Average monthly spend, minor units. */
    monthlySpendMinor: Type.Integer({ minimum: 0, expected: 'minor units (cents), not negative' }),
    lifetimeSpendMinor: Type.Optional(Type.Integer({ minimum: 0, expected: 'minor units (cents), not negative' })),
    currency: Type.Optional(CurrencyCode),
    /** Product or plan codes the customer holds, e.g. `["mobile-l", "home-fibre"]`. */
    productsHeld: Type.Array(Type.String({ minLength: 1 }), { default: [], uniqueItems: true }),
    lifecycleStage: LifecycleStageSchema,
    /** Probability the customer leaves in the host's horizon, 0..1. */
    churnRisk: Type.Number({ minimum: 0, maximum: 1, expected: 'a probability between 0 and 1' }),
    valueTier: ValueTierSchema,
    /** The reason the customer gave for cancelling (save desk), e.g. `price`, `moving`. */
    cancellationReason: Type.Optional(Type.String({ minLength: 1 })),
    /** The host's own segment key; overrides the default value-tier × lifecycle segment. */
    segment: Type.Optional(Type.String({ minLength: 1 })),
    lastContacts: Type.Array(LastContactSchema, { default: [] }),
    attributes: Type.Record(Type.String(), AttributeValue, { default: {} }),
  },
  { additionalProperties: false },
);
/** A validated customer profile. */
export type CustomerProfile = Static<typeof CustomerProfileSchema>;

/** Parse a profile from the host: clone, defaults, validate. Throws `E_INVALID_INPUT` with paths. */
export const parseProfile = createParser<CustomerProfile>(CustomerProfileSchema, { code: 'E_INVALID_INPUT', root: 'profile' });
