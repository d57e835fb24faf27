import { describe, expectTypeOf, it } from 'vitest';
import type { AgentInput, Campaign, CampaignInput, Contact, ContactInput, DialMode } from '../src/index';

describe('input types derived from the schemas', () => {
  it('defaulted fields are optional; required ones are not', () => {
    const minimal: CampaignInput = {
      id: 'w',
      name: 'W',
      goal: 'retention',
      dialMode: 'predictive',
      complianceProfile: 'us-federal',
      callerId: '+12125550100',
      homeTimeZone: 'America/New_York',
    };
    expectTypeOf(minimal.pacing).toEqualTypeOf<
      | {
          readonly abandonTarget?: number | undefined;
          readonly maxLinesPerAgent?: number | undefined;
          readonly powerRatio?: number | undefined;
          readonly ringTimeoutMs?: number | undefined;
          readonly minAgentsForPredictive?: number | undefined;
        }
      | undefined
    >();
    // @ts-expect-error callerId is required
    const noCallerId: CampaignInput = {
      id: 'w',
      name: 'W',
      goal: 'retention',
      dialMode: 'power',
      complianceProfile: 'x',
      homeTimeZone: 'UTC',
    };
    expectTypeOf(noCallerId).toEqualTypeOf<CampaignInput>();
    const contact: ContactInput = { id: 'c1', phones: [{ number: '+12125550123' }] };
    expectTypeOf(contact.phones).toEqualTypeOf<
      readonly {
        readonly number: string;
        readonly type?: 'mobile' | 'landline' | 'work' | 'other' | 'unknown';
        readonly priority?: number;
        readonly extension?: string;
      }[]
    >();
    expectTypeOf<AgentInput>().toEqualTypeOf<{
      readonly id: string;
      readonly name: string;
      readonly skills?: readonly string[] | undefined;
    }>();
  });

  it('modes are string unions: a misspelt dial mode does not compile', () => {
    expectTypeOf<CampaignInput['dialMode']>().toEqualTypeOf<DialMode>();
    expectTypeOf<CampaignInput['machineHandling']>().toEqualTypeOf<'hangup' | 'message' | 'agent' | undefined>();
    const bad: CampaignInput = {
      id: 'w',
      name: 'W',
      goal: 'retention',
      // @ts-expect-error 'predicitve' is not a dial mode
      dialMode: 'predicitve',
      complianceProfile: 'us-federal',
      callerId: '+12125550100',
      homeTimeZone: 'UTC',
    };
    expectTypeOf(bad).not.toBeAny();
  });

  it('a parsed value is a valid input (a campaign can be re-added as it is)', () => {
    expectTypeOf<Campaign>().toExtend<CampaignInput>();
    expectTypeOf<Contact>().toExtend<ContactInput>();
  });
});
