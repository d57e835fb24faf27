import { isPacelineError, seededRandom } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AcceptanceModel,
  betaMean,
  defaultSegmentOf,
  eligibleOffers,
  evaluateCondition,
  type Offer,
  parseOfferCatalog,
  rankOffers,
  sampleBeta,
} from '../src/index';
import { catalog, errorOf, profile } from './fixtures';

const ids = (offers: readonly { id: string }[]) => offers.map((o) => o.id);

describe('eligibility', () => {
  it('matches retention offers to the cancellation reason and checks conditions over the profile', () => {
    const offers = catalog().offers;
    expect(ids(eligibleOffers(offers, profile()))).toEqual(['discount-20', 'loyalty-upgrade', 'home-fibre', 'mobile-xl']);
    expect(ids(eligibleOffers(offers, profile(), { cancellationReason: 'coverage' }))).toEqual([
      'coverage-booster',
      'loyalty-upgrade',
      'home-fibre',
      'mobile-xl',
    ]);
    // Short tenure loses the loyalty upgrade; silver loses the XL up-sell; fibre holders are not sold fibre.
    expect(
      ids(eligibleOffers(offers, profile({ tenureMonths: 6, valueTier: 'silver', productsHeld: ['mobile-l', 'home-fibre'] }))),
    ).toEqual(['discount-20']);
    // No known reason: no reason-keyed retention offer.
    expect(ids(eligibleOffers(offers, profile({ cancellationReason: undefined })))).toEqual(['home-fibre', 'mobile-xl']);
  });

  it('evaluates all/any/not, comparisons and in; an absent field compares false', () => {
    const scope = { profile: { tenureMonths: 30, valueTier: 'gold', productsHeld: ['tv'] } };
    expect(
      evaluateCondition(
        {
          any: [
            { field: 'profile.tenureMonths', op: 'lt', value: 12 },
            { field: 'profile.valueTier', op: 'in', value: ['gold'] },
          ],
        },
        scope,
      ),
    ).toBe(true);
    expect(
      evaluateCondition(
        {
          all: [
            { field: 'profile.tenureMonths', op: 'gte', value: 30 },
            { not: { field: 'profile.productsHeld', op: 'contains', value: 'tv' } },
          ],
        },
        scope,
      ),
    ).toBe(false);
    expect(evaluateCondition({ field: 'profile.email', op: 'ne', value: 'x' }, scope)).toBe(false);
    expect(evaluateCondition({ field: 'profile.email', op: 'exists', value: false }, scope)).toBe(true);
    expect(evaluateCondition({ field: 'profile.tenureMonths', op: 'gt', value: '12' as unknown as number }, scope)).toBe(false);
  });

  it('refuses a catalog naming unknown fields, duplicate ids or reasons on a cross-sell offer', () => {
    const error = errorOf(() =>
      parseOfferCatalog({
        offers: [
          {
            id: 'a',
            name: 'A',
            kind: 'cross-sell',
            marginMinor: 1,
            reasons: ['price'],
            eligibility: { field: 'profile.tenure', op: 'gt', value: 1 },
          },
          {
            id: 'a',
            name: 'B',
            kind: 'retention',
            marginMinor: 1,
            eligibility: { field: 'profile.valueTier', op: 'eq', value: 'diamond' },
          },
        ],
      }),
    );
    expect(isPacelineError(error, 'E_INVALID_INPUT')).toBe(true);
    expect(error.issues?.map((i) => i.path)).toEqual([
      'catalog.offers[0].reasons',
      'catalog.offers[0].eligibility.field',
      'catalog.offers[1].id',
      'catalog.offers[1].eligibility.value',
    ]);
  });
});

describe('ranking and learning', () => {
  const offer = (id: string, marginMinor: number): Offer => ({ id, name: id, kind: 'cross-sell', marginMinor });

  it('ranks by acceptance probability × margin, and learning from outcomes changes the order', () => {
    const model = new AcceptanceModel();
    const offers = [offer('cheap', 1_000), offer('rich', 3_000)];
    expect(rankOffers(offers, { model, segment: 's' }).map((r) => [r.offer.id, r.expectedValueMinor])).toEqual([
      ['rich', 1_500],
      ['cheap', 500],
    ]);
    for (let i = 0; i < 8; i++) model.observe('rich', 's', false); // Beta(1, 9): 0.1 × 3,000 = 300
    for (let i = 0; i < 8; i++) model.observe('cheap', 's', true); // Beta(9, 1): 0.9 × 1,000 = 900
    const ranked = rankOffers(offers, { model, segment: 's' });
    expect(ranked.map((r) => r.offer.id)).toEqual(['cheap', 'rich']);
    expect(ranked[0]?.acceptanceProbability).toBeCloseTo(0.9, 12);
    expect(ranked[1]?.expectedValueMinor).toBeCloseTo(300, 9);
    // Learning is per segment: another segment still sees the prior.
    expect(model.estimate('rich', 'other')).toBe(0.5);
  });

  it('moves the estimate towards what was seen, from the configured prior; a snapshot restores it', () => {
    const model = new AcceptanceModel({ prior: { alpha: 2, beta: 8 } });
    expect(model.estimate('x', 'gold/active')).toBeCloseTo(0.2, 12);
    model.observe('x', 'gold/active', true);
    expect(model.estimate('x', 'gold/active')).toBeCloseTo(3 / 11, 12);
    model.observe('x', 'gold/active', false);
    model.observe('x', 'gold/active', false);
    expect(model.estimate('x', 'gold/active')).toBeCloseTo(3 / 13, 12);
    expect(model.estimate('x', 'gold/active', { alpha: 1, beta: 1 })).toBeCloseTo(2 / 5, 12);
    const restored = new AcceptanceModel({ snapshot: JSON.parse(JSON.stringify(model.snapshot())) });
    expect(restored.estimate('x', 'gold/active')).toBe(model.estimate('x', 'gold/active'));
  });

  it('samples reproducibly for a seed with Thompson sampling, and needs the random', () => {
    const offers = [offer('a', 1_000), offer('b', 1_000), offer('c', 1_000)];
    const model = new AcceptanceModel();
    const run = (seed: number) => rankOffers(offers, { model, segment: 's', strategy: 'thompson', random: seededRandom(seed) });
    expect(run(7)).toEqual(run(7));
    const orders = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => ids(run(seed).map((r) => r.offer)).join()));
    expect(orders.size).toBeGreaterThan(1); // it explores
    expect(
      isPacelineError(
        errorOf(() => rankOffers(offers, { model, segment: 's', strategy: 'thompson' })),
        'E_INVALID_CONFIG',
      ),
    ).toBe(true);
  });

  it('Beta draws average to the posterior mean', () => {
    const random = seededRandom(11);
    let sum = 0;
    for (let i = 0; i < 4_000; i++) sum += sampleBeta(3, 7, random);
    expect(sum / 4_000).toBeCloseTo(0.3, 1.5);
  });

  it('property: the ranking is sorted by expected value, keeps every offer, and probabilities stay in [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ margin: fc.integer({ min: 0, max: 100_000 }), accepted: fc.nat(20), declined: fc.nat(20) }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.boolean(),
        fc.integer(),
        (specs, thompson, seed) => {
          const model = new AcceptanceModel();
          const offers = specs.map((s, i) => {
            for (let k = 0; k < s.accepted; k++) model.observe(`o${i}`, 'seg', true);
            for (let k = 0; k < s.declined; k++) model.observe(`o${i}`, 'seg', false);
            return offer(`o${i}`, s.margin);
          });
          const ranked = rankOffers(offers, {
            model,
            segment: 'seg',
            ...(thompson ? { strategy: 'thompson' as const, random: seededRandom(seed) } : {}),
          });
          expect(ranked.map((r) => r.offer.id).sort()).toEqual(offers.map((o) => o.id).sort());
          for (let i = 1; i < ranked.length; i++) {
            expect((ranked[i - 1]?.expectedValueMinor ?? 0) >= (ranked[i]?.expectedValueMinor ?? 0)).toBe(true);
          }
          for (const r of ranked) expect(r.acceptanceProbability >= 0 && r.acceptanceProbability <= 1).toBe(true);
        },
      ),
    );
  });

  it('property: the Beta posterior mean stays in [0, 1] and moves up on an acceptance, down on a refusal', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e6, noNaN: true }), fc.double({ min: 0.01, max: 1e6, noNaN: true }), (alpha, beta) => {
        const mean = betaMean({ alpha, beta });
        expect(mean >= 0 && mean <= 1).toBe(true);
        expect(betaMean({ alpha: alpha + 1, beta })).toBeGreaterThanOrEqual(mean);
        expect(betaMean({ alpha, beta: beta + 1 })).toBeLessThanOrEqual(mean);
      }),
    );
  });

  it('segments by the host segment, else value tier × lifecycle stage', () => {
    expect(defaultSegmentOf(profile())).toBe('gold/cancelling');
    expect(defaultSegmentOf(profile({ segment: 'students' }))).toBe('students');
  });
});
