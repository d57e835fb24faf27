import { type CampaignPacer, createCampaignPacer, powerPacer, predictivePacer, progressivePacer } from '@paceline/pacing';
import { vicidialAdaptivePacer } from './vicidial-adaptive';

/** The pacers the benchmark compares, in table order. */
export const PACER_NAMES = ['progressive', 'power', 'vicidial-adaptive', 'predictive'] as const;
/** A benchmarked pacer's name. */
export type PacerName = (typeof PACER_NAMES)[number];

/** A fresh campaign pacer (estimators included) for one run. */
export function benchPacer(name: PacerName): CampaignPacer {
  switch (name) {
    case 'progressive':
      return createCampaignPacer({ dialMode: 'progressive' }, { pacer: progressivePacer() });
    case 'power':
      return createCampaignPacer({ dialMode: 'power' }, { pacer: powerPacer() });
    case 'vicidial-adaptive':
      return createCampaignPacer({ dialMode: 'predictive' }, { pacer: vicidialAdaptivePacer() });
    case 'predictive':
      return createCampaignPacer({ dialMode: 'predictive' }, { pacer: predictivePacer() });
  }
}
