// The campaign the cross-package tests start from (the e2e inbound tests, the distributed nodes),
// and its contacts: one place for the fields they share, each test overriding what it is about.
import type { CampaignInput, ContactInput } from '@paceline/core';
import { testCampaign } from '../../packages/engine/test/support/campaign';

/**
 * The engine tests' progressive retention campaign of `id` (its name too, `us-federal`), calling
 * from +1 212 555 0100 with New York as its home time zone; `overrides` replace or add fields.
 */
export function progressiveCampaign(id: string, overrides: Partial<CampaignInput> = {}): CampaignInput {
  return testCampaign(id, { callerId: '+12125550100', homeTimeZone: 'America/New_York', ...overrides });
}

/** A contact of `id` with the one phone `number`, in New York state; `overrides` replace or add fields. */
export function newYorkContact(id: string, number: string, overrides: Partial<ContactInput> = {}): ContactInput {
  return { id, phones: [{ number }], state: 'NY', ...overrides };
}
