import type { Contact } from '@paceline/core';
import { type CustomerProfile, type OfferCatalog, parseOfferCatalog, parseProfile, parseScript, type Script } from '../src/index';

/** A gold customer who asked to cancel over price. */
export function profileInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customerId: 'cust-1',
    firstName: 'Ana',
    tenureMonths: 40,
    monthlySpendMinor: 5_500,
    productsHeld: ['mobile-l'],
    lifecycleStage: 'cancelling',
    churnRisk: 0.7,
    valueTier: 'gold',
    cancellationReason: 'price',
    ...overrides,
  };
}

export function profile(overrides: Record<string, unknown> = {}): CustomerProfile {
  return parseProfile(profileInput(overrides));
}

export const contact: Contact = {
  id: 'c-1',
  phones: [{ number: '+14155550123', type: 'mobile', priority: 0 }],
  firstName: 'Ana',
  profile: {},
  consents: [],
  priority: 0,
};

/** A save-desk script: greet, ask the reason, counter-offer, capture an email, end. */
export function saveDeskInput(): Record<string, unknown> {
  return {
    id: 'save-desk',
    name: 'Save desk',
    start: 'greet',
    steps: [
      {
        id: 'greet',
        kind: 'say',
        text: 'Hello {{firstName}}, I am {{agent.name|your advisor}}. Thank you for {{profile.tenureMonths}} months with us.',
        next: 'reason',
      },
      {
        id: 'reason',
        kind: 'ask',
        text: 'What makes you want to leave?',
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
        cases: [{ when: { field: 'answers.reason', op: 'eq', value: 'moving' }, next: 'bye' }],
        otherwise: 'save',
      },
      {
        id: 'save',
        kind: 'offer',
        text: 'Since you mentioned {{answers.reason}}: {{offer.name}}. {{offer.pitch|}}',
        category: 'retention',
        reasonFrom: 'answers.reason',
        onAccept: 'email',
        onDecline: 'save',
        onNone: 'lost',
      },
      {
        id: 'email',
        kind: 'capture',
        text: 'Where should we send the confirmation?',
        fields: [
          { field: 'profile.email', label: 'Email', answer: { type: 'text' } },
          { field: 'profile.attributes.newsletter', label: 'Newsletter', answer: { type: 'yes-no' }, required: false },
        ],
        next: 'saved',
      },
      { id: 'saved', kind: 'end', text: 'Glad you are staying, {{firstName}}!', disposition: 'SAVED' },
      {
        id: 'lost',
        kind: 'transfer',
        text: 'Let me pass you to a specialist.',
        skills: ['retention-specialists'],
        reason: 'no offer accepted',
        escalate: true,
      },
      { id: 'bye', kind: 'end', disposition: 'NOT_INTERESTED' },
    ],
  };
}

export function saveDesk(): Script {
  return parseScript(saveDeskInput());
}

export function catalog(): OfferCatalog {
  return parseOfferCatalog({
    offers: [
      {
        id: 'discount-20',
        name: '20% off for a year',
        kind: 'retention',
        reasons: ['price'],
        marginMinor: 20_000,
        pitch: 'Same plan, less.',
      },
      { id: 'coverage-booster', name: 'Free signal booster', kind: 'retention', reasons: ['coverage'], marginMinor: 30_000 },
      {
        id: 'loyalty-upgrade',
        name: 'Loyalty upgrade',
        kind: 'retention',
        reasons: ['price', 'coverage'],
        marginMinor: 15_000,
        eligibility: { field: 'profile.tenureMonths', op: 'gte', value: 24 },
      },
      {
        id: 'home-fibre',
        name: 'Home fibre',
        kind: 'cross-sell',
        marginMinor: 12_000,
        eligibility: { not: { field: 'profile.productsHeld', op: 'contains', value: 'home-fibre' } },
      },
      {
        id: 'mobile-xl',
        name: 'Mobile XL',
        kind: 'up-sell',
        marginMinor: 8_000,
        eligibility: {
          all: [
            { field: 'profile.productsHeld', op: 'contains', value: 'mobile-l' },
            { field: 'profile.valueTier', op: 'in', value: ['gold', 'platinum'] },
          ],
        },
      },
    ],
  });
}

/** The error a call throws (fails the test when it does not throw). */
export function errorOf(run: () => unknown): Error & { code?: string; issues?: readonly { path: string; message: string }[] } {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw');
}
