import { createParser, Id, type Issue, StringEnum } from '@paceline/core';
import Type, { type Static } from 'typebox';
import { ConditionSchema, conditionIssues, type FieldResolver } from '../condition';
import { profileField } from '../profile-fields';

/** A Beta(alpha, beta) prior on an acceptance probability; Beta(1, 1) is uniform. */
export const BetaPriorSchema = Type.Object(
  {
    alpha: Type.Number({ exclusiveMinimum: 0, expected: 'a positive number (prior acceptances + 1)' }),
    beta: Type.Number({ exclusiveMinimum: 0, expected: 'a positive number (prior refusals + 1)' }),
  },
  { additionalProperties: false },
);
/** A Beta prior. */
export type BetaPrior = Static<typeof BetaPriorSchema>;

/** What an offer is for: keeping a cancelling customer, or selling more. */
export const OfferKindSchema = StringEnum(['retention', 'cross-sell', 'up-sell'] as const);
/** An offer kind. */
export type OfferKind = Static<typeof OfferKindSchema>;

/** One offer an agent can make. */
export const OfferSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: OfferKindSchema,
    /** What the agent says about it (printed by `{{offer.pitch}}`). */
    pitch: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    /** Retention only: the cancellation reasons this counter-offer answers; absent = any reason. */
    reasons: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true })),
    /** Who may get it, over `profile.*`; absent = everyone. */
    eligibility: Type.Optional(ConditionSchema),
    /** Margin earned when accepted, minor units (for a save: the margin kept, net of the discount). */
    marginMinor: Type.Integer({ minimum: 0, expected: 'a margin in minor units (cents), not negative' }),
    /** Overrides the catalog prior for this offer (e.g. a known take rate from past campaigns). */
    prior: Type.Optional(BetaPriorSchema),
    /** For orders: the product sold, and its price. */
    sku: Type.Optional(Type.String({ minLength: 1 })),
    priceMinor: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
/** A validated offer. */
export type Offer = Static<typeof OfferSchema>;

/** A campaign's offers and the prior on their acceptance. */
export const OfferCatalogSchema = Type.Object(
  {
    offers: Type.Array(OfferSchema, { default: [] }),
    /** Prior on acceptance before any outcome is seen; default Beta(1, 1), uniform. */
    prior: Type.Object(BetaPriorSchema.properties, { additionalProperties: false, default: { alpha: 1, beta: 1 } }),
  },
  { additionalProperties: false },
);
/** A validated offer catalog. */
export type OfferCatalog = Static<typeof OfferCatalogSchema>;

const eligibilityField: FieldResolver = (path) => profileField(path);

/**
 * Parse an offer catalog: clone, defaults, validate; offer ids are unique, eligibility names
 * only known `profile.*` fields, and only retention offers carry `reasons`. Throws
 * `E_INVALID_INPUT` listing every problem with its path.
 */
export const parseOfferCatalog = createParser<OfferCatalog>(OfferCatalogSchema, {
  code: 'E_INVALID_INPUT',
  root: 'catalog',
  refine: (catalog) => {
    const issues: Issue[] = [];
    const ids = new Set<string>();
    catalog.offers.forEach((offer, i) => {
      const at = `catalog.offers[${i}]`;
      if (ids.has(offer.id)) issues.push({ path: `${at}.id`, message: `duplicate offer id "${offer.id}"` });
      ids.add(offer.id);
      if (offer.reasons && offer.kind !== 'retention') {
        issues.push({
          path: `${at}.reasons`,
          message: 'only retention offers answer a cancellation reason; remove reasons or set kind "retention"',
        });
      }
      if (offer.eligibility) issues.push(...conditionIssues(offer.eligibility, `${at}.eligibility`, eligibilityField));
    });
    return issues;
  },
});
