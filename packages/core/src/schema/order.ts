import Type, { type Static } from 'typebox';
import { CountryCode, CurrencyCode, Id, StringEnum, Timestamp } from './common';

/** One line of an order. Prices are in minor units (cents) to avoid float rounding. */
export const OrderItemSchema = Type.Object(
  {
    sku: Type.String({ minLength: 1 }),
    name: Type.String({ minLength: 1 }),
    quantity: Type.Integer({ minimum: 1 }),
    unitPriceMinor: Type.Integer({ minimum: 0, expected: 'a price in minor units (cents), not negative' }),
  },
  { additionalProperties: false },
);

/** A postal address for home delivery. */
export const AddressSchema = Type.Object(
  {
    line1: Type.String({ minLength: 1 }),
    line2: Type.Optional(Type.String()),
    city: Type.String({ minLength: 1 }),
    postalCode: Type.String({ minLength: 1 }),
    region: Type.Optional(Type.String()),
    country: CountryCode,
  },
  { additionalProperties: false },
);

/** How the order reaches the customer: home delivery, or pickup at a store / VIP room. */
export const FulfilmentChoiceSchema = Type.Object(
  {
    kind: StringEnum(['delivery', 'pickup'] as const),
    /** Required for `delivery`. */
    address: Type.Optional(AddressSchema),
    /** Required for `pickup`. */
    locationId: Type.Optional(Id),
    slotStartAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);

/** An order produced by a sale disposition. */
export const OrderSchema = Type.Object(
  {
    id: Id,
    /** Stable key so an order is handed over once even if the disposition is retried. */
    idempotencyKey: Type.String({ minLength: 1 }),
    campaignId: Id,
    contactId: Id,
    attemptId: Type.Optional(Id),
    items: Type.Array(OrderItemSchema, { minItems: 1, expected: 'at least one item' }),
    currency: CurrencyCode,
    fulfilment: FulfilmentChoiceSchema,
    payment: StringEnum(['on-delivery', 'prepaid'] as const),
    /** Free text, e.g. times the customer cannot receive. */
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    createdAt: Timestamp,
  },
  { additionalProperties: false },
);
/** A validated order. */
export type Order = Static<typeof OrderSchema>;
