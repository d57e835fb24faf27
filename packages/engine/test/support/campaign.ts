import type { CampaignInput } from '@paceline/core';

/** A progressive retention campaign for engine tests; `extra` overrides or adds fields. */
export function testCampaign(id: string, extra: Record<string, unknown> = {}): CampaignInput {
  // `extra` may be deliberately invalid: the dialer validates at run time.
  return {
    id,
    name: id,
    goal: 'retention',
    dialMode: 'progressive',
    complianceProfile: 'us-federal',
    callerId: '+14155550100',
    homeTimeZone: 'UTC',
    ...extra,
  } as CampaignInput;
}
