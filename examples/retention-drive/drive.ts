import type { Contact, Random } from '@paceline/core';
import { parseOfferCatalog, parseRoutingRules, parseScript } from '@paceline/scripting';

/**
 * The save desk: greet, hear why the customer wants to leave, counter-offer for that reason,
 * confirm the email, then try one cross-sell on a saved customer. Moving abroad is not
 * worth a counter-offer; a customer who declines every offer goes to a specialist.
 */
export const saveDesk = parseScript({
  id: 'save-desk',
  name: 'Save desk',
  start: 'greet',
  steps: [
    { id: 'greet', kind: 'say', text: 'Hello {{firstName}}, thank you for {{profile.tenureMonths}} months with us.', next: 'reason' },
    {
      id: 'reason',
      kind: 'ask',
      text: 'What makes you think of leaving?',
      answer: {
        type: 'choice',
        options: [
          { value: 'price', label: 'Price' },
          { value: 'coverage', label: 'Coverage' },
          { value: 'moving', label: 'Moving abroad' },
        ],
      },
      captureAs: 'profile.cancellationReason',
      next: 'route',
    },
    {
      id: 'route',
      kind: 'branch',
      cases: [{ when: { field: 'answers.reason', op: 'eq', value: 'moving' }, next: 'farewell' }],
      otherwise: 'save',
    },
    {
      id: 'save',
      kind: 'offer',
      text: 'Because of {{answers.reason}}, I can offer you {{offer.name}}.',
      category: 'retention',
      reasonFrom: 'answers.reason',
      onAccept: 'email',
      onDecline: 'save',
      onNone: 'specialist',
    },
    {
      id: 'email',
      kind: 'capture',
      text: 'Where should the confirmation go?',
      fields: [{ field: 'profile.email', label: 'Email', answer: { type: 'text' } }],
      next: 'cross',
    },
    {
      id: 'cross',
      kind: 'offer',
      text: 'One more thing: {{offer.name}}?',
      category: 'cross-sell',
      onAccept: 'sold',
      onDecline: 'saved',
      onNone: 'saved',
    },
    { id: 'sold', kind: 'end', text: 'Done — thank you, {{firstName}}!', disposition: 'SALE' },
    { id: 'saved', kind: 'end', text: 'Glad you are staying, {{firstName}}.', disposition: 'SAVED' },
    {
      id: 'specialist',
      kind: 'transfer',
      text: 'Let me bring in a specialist.',
      skills: ['retention-specialists'],
      reason: 'no offer accepted',
      escalate: true,
      disposition: 'NO_DECISION',
    },
    { id: 'farewell', kind: 'end', text: 'Safe travels, {{firstName}}.', disposition: 'NOT_INTERESTED' },
  ],
});

/** The fallback script an agent gets when the profile cannot be loaded in time. */
export const fallbackScript = parseScript({
  id: 'generic',
  name: 'Generic retention',
  start: 'hello',
  steps: [
    { id: 'hello', kind: 'say', text: 'Hello {{firstName|there}}, I am calling about your account.', next: 'close' },
    { id: 'close', kind: 'end', disposition: 'NO_DECISION' },
  ],
});

/** Three retention offers keyed by the cancellation reason, two cross-sell offers. Margins in cents. */
export const catalog = parseOfferCatalog({
  offers: [
    { id: 'discount-20', name: '20% off for 12 months', kind: 'retention', reasons: ['price'], marginMinor: 18_000 },
    { id: 'booster', name: 'a free signal booster', kind: 'retention', reasons: ['coverage'], marginMinor: 25_000 },
    {
      id: 'loyalty-upgrade',
      name: 'a loyalty handset upgrade',
      kind: 'retention',
      reasons: ['price', 'coverage'],
      marginMinor: 30_000,
      eligibility: { field: 'profile.tenureMonths', op: 'gte', value: 36 },
    },
    {
      id: 'home-fibre',
      name: 'home fibre at half price',
      kind: 'cross-sell',
      marginMinor: 12_000,
      eligibility: { not: { field: 'profile.productsHeld', op: 'contains', value: 'home-fibre' } },
    },
    {
      id: 'tv-bundle',
      name: 'the TV bundle',
      kind: 'cross-sell',
      marginMinor: 9_000,
      eligibility: { field: 'profile.valueTier', op: 'in', value: ['gold', 'platinum'] },
    },
  ],
});

/** Long-tenure and high-value customers go to the retention specialists. */
export const routing = parseRoutingRules({
  rules: [
    { name: 'high value', when: { field: 'profile.valueTier', op: 'in', value: ['gold', 'platinum'] }, skills: ['retention-specialists'] },
    { name: 'long tenure', when: { field: 'profile.tenureMonths', op: 'gte', value: 60 }, skills: ['retention-specialists'] },
  ],
  match: 'first',
});

/** How likely a customer really is to take each offer (unknown to the model, which learns it). */
export const TRUE_ACCEPTANCE: Readonly<Record<string, number>> = {
  'discount-20': 0.45,
  booster: 0.5,
  'loyalty-upgrade': 0.35,
  'home-fibre': 0.18,
  'tv-bundle': 0.12,
};

/** List price of the cross-sell products, in cents (what an order is worth). */
export const PRICE_MINOR: Readonly<Record<string, number>> = { 'home-fibre': 2_499, 'tv-bundle': 1_999 };

const FIRST = ['Ana', 'Ben', 'Chloé', 'Dev', 'Elif', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jamal', 'Kira', 'Luis'];
const REASONS = ['price', 'price', 'coverage', 'moving'];
const TIERS = ['bronze', 'silver', 'silver', 'gold', 'platinum'];

/** Customers who asked to cancel or look likely to: the drive's list. NY numbers, the 555 exchange. */
export function customers(count: number, random: Random): Contact[] {
  return Array.from({ length: count }, (_, i) => {
    const pick = <T>(xs: readonly T[]) => xs[random.int(xs.length)] as T;
    const products = ['mobile-l', ...(random.next() < 0.3 ? ['home-fibre'] : [])];
    return {
      id: `cust-${i + 1}`,
      firstName: pick(FIRST),
      state: 'NY',
      phones: [{ number: `+1212555${String(i).padStart(4, '0')}`, type: 'mobile', priority: 0 }],
      priority: 0,
      consents: [],
      profile: {
        tenureMonths: 1 + random.int(96),
        monthlySpendMinor: 2_000 + random.int(8_000),
        productsHeld: products.join(','),
        valueTier: pick(TIERS),
        lifecycleStage: random.next() < 0.6 ? 'cancelling' : 'at-risk',
        churnRisk: Math.round(random.next() * 100) / 100,
        cancellationReason: pick(REASONS),
      },
    };
  });
}

/** The host's profile source: here, the contact's own attributes. */
export function loadProfile(contact: Contact): unknown {
  const p = contact.profile;
  return {
    customerId: contact.id,
    firstName: contact.firstName ?? 'there',
    tenureMonths: p.tenureMonths,
    monthlySpendMinor: p.monthlySpendMinor,
    productsHeld: String(p.productsHeld ?? '')
      .split(',')
      .filter(Boolean),
    valueTier: p.valueTier,
    lifecycleStage: p.lifecycleStage,
    churnRisk: p.churnRisk,
  };
}
