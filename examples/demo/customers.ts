import type { Random } from '@paceline/core';

const FIRST = [
  'Ana',
  'Ben',
  'Chloé',
  'Dev',
  'Elif',
  'Farid',
  'Grace',
  'Hugo',
  'Ines',
  'Jamal',
  'Kira',
  'Luis',
  'Maya',
  'Noah',
  'Olu',
  'Priya',
];
const LAST = [
  'Adams',
  'Baker',
  'Chen',
  'Diaz',
  'Evans',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jones',
  'Khan',
  'Lopez',
  'Moreau',
  'Nakamura',
];
/** Area codes with their state, spread over the four continental US time zones. */
const AREAS: ReadonlyArray<readonly [string, string]> = [
  ['212', 'NY'],
  ['617', 'MA'],
  ['404', 'GA'],
  ['312', 'IL'],
  ['214', 'TX'],
  ['303', 'CO'],
  ['602', 'AZ'],
  ['415', 'CA'],
  ['206', 'WA'],
];
const PRODUCTS = ['mobile', 'broadband', 'tv', 'insurance'];
const TIERS = ['bronze', 'silver', 'gold', 'platinum'];
const STAGES = ['new', 'established', 'at-risk', 'lapsing'];

const pick = <T>(random: Random, items: readonly T[]): T => items[random.int(items.length)] as T;

/**
 * A generated retention list: customers with a phone, a state hint and the profile the
 * retention scripts use (tenure, spend, products held, value tier, churn risk, lifecycle stage).
 * Numbers use the 555 exchange, the one fiction uses.
 */
export function generateCustomers(count: number, random: Random): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => {
    const [area, state] = pick(random, AREAS);
    const tenureMonths = 1 + random.int(120);
    const churnRisk = Math.round(random.next() * 100) / 100;
    return {
      id: `cust-${String(i + 1).padStart(5, '0')}`,
      key: `crm-${100_000 + i}`,
      firstName: pick(random, FIRST),
      lastName: pick(random, LAST),
      state,
      country: 'US',
      // The 555 exchange is the one film and TV use; the line number makes each phone unique.
      phones: [{ number: `+1${area}555${String(i % 10_000).padStart(4, '0')}`, type: random.next() < 0.7 ? 'mobile' : 'landline' }],
      priority: tenureMonths > 60 && churnRisk > 0.5 ? 10 : 0,
      profile: {
        tenureMonths,
        monthlySpend: 20 + random.int(180),
        products: PRODUCTS.filter(() => random.next() < 0.4).join(',') || 'mobile',
        valueTier: pick(random, TIERS),
        lifecycleStage: pick(random, STAGES),
        churnRisk,
      },
    };
  });
}
