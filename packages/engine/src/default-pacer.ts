import type { Campaign } from '@paceline/core';
import { type CampaignPacer, createCampaignPacer } from '@paceline/pacing';

/** The default pacing of a campaign: `@paceline/pacing`'s pacer for its dial mode, with fresh estimators. */
export function defaultPacer(campaign: Campaign): CampaignPacer {
  return createCampaignPacer(campaign);
}
