import {
  type CampaignPacer,
  createCampaignPacer,
  HYBRID_TOLERANCE,
  IDLE_WEIGHT,
  powerPacer,
  predictivePacer,
  progressivePacer,
} from '@paceline/pacing';
import { vicidialAdaptivePacer } from './vicidial-adaptive';

/** The pacers the benchmark compares, in table order. */
export const PACER_NAMES = ['progressive', 'power', 'vicidial-adaptive', 'predictive'] as const;
/** A benchmarked pacer's name. */
export type PacerName = (typeof PACER_NAMES)[number] | (typeof OPT_IN_PACER_NAMES)[number];

/**
 * issue-22 small: pacers run only when named with --pacer. `predictive-small-exact`: predictive with
 * each busy agent's own timing on the small-team exact walk and the estimators' ringing-call
 * conditioning on the answer delay (`exactAgentTiming` + `ringingByAnswer`, docs/pacing.md).
 */
export const OPT_IN_PACER_NAMES = [
  'predictive-small-exact',
  'predictive-markov',
  'predictive-walk',
  'predictive-mdp-small',
  'predictive-idle',
  'predictive-hybrid',
  'predictive-hybrid2',
] as const; // issue-22 markov: the three after the first; 22-walk: predictive-idle; 22-hybrid5: predictive-hybrid; 22-hybrid6: predictive-hybrid2

/**
 * issue-22 small: the named pacer's `exactAgentTiming` (for its calibration). issue-22 22-small:
 * `predictive` has the default (`'small-teams'`); the other pacers' traffic is assessed by the
 * placement walk as before (their recorded calibration columns stand).
 */
export const exactAgentTimingOf = (name: string): boolean | 'small-teams' =>
  name === 'predictive-small-exact'
    ? true
    : name === 'predictive' ||
        name === 'predictive-walk' ||
        name === 'predictive-mdp-small' ||
        name === 'predictive-idle' ||
        name === 'predictive-hybrid' || // issue-22 22-hybrid5 (a probe module's pacer gives its own: `benchExactAgentTiming`)
        name === 'predictive-hybrid2' // issue-22 22-hybrid6
      ? 'small-teams'
      : false;

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
    case 'predictive-small-exact': // issue-22 small
      return createCampaignPacer(
        { dialMode: 'predictive' },
        { pacer: predictivePacer({ exactAgentTiming: true, markovHybrid: false }), estimators: { ringingByAnswer: true } }, // 22-default: without the hybrid, as recorded
      );
    case 'predictive-markov': // issue-22 markov: small teams launch by the online MDP policy (markov-launch.ts)
      // The governor's gain 1 (default 3): a steadier α, fewer policies of different λ mixed within a day.
      return createCampaignPacer({ dialMode: 'predictive' }, { pacer: predictivePacer({ markovPolicy: true, governor: { gain: 1 } }) });
    case 'predictive-walk': // issue-22 22-markov: the walk's budget test alone (22-default: the default before the gated hybrid)
      return createCampaignPacer({ dialMode: 'predictive' }, { pacer: predictivePacer({ markovHybrid: false }) });
    case 'predictive-mdp-small': // issue-22 22-markov: the MDP policy on teams of < 6 logged in, its solve stepped per decision
      return createCampaignPacer({ dialMode: 'predictive' }, { pacer: predictivePacer({ markovPolicy: 'small-teams' }) });
    case 'predictive-idle': // issue-22 22-walk: the state-dependent allowance (idleWeight IDLE_WEIGHT on teams of < 6 logged in)
      return createCampaignPacer({ dialMode: 'predictive' }, { pacer: predictivePacer({ idleWeight: IDLE_WEIGHT, markovHybrid: false }) }); // 22-default: without the hybrid, as recorded
    case 'predictive-hybrid': // issue-22 22-hybrid5: the walk, raised towards the MDP policy's lines where the walk's marginal price allows
      return createCampaignPacer(
        { dialMode: 'predictive' },
        { pacer: predictivePacer({ markovHybrid: 'small-teams', markovHybridCut: false, markovHybridGate: false }) }, // 22-default: one-sided, ungated as measured
      );
    case 'predictive-hybrid2': // issue-22 22-hybrid6: the two-sided hybrid (the policy's cuts followed, its added lines priced by the walk at tolerance 2)
      return createCampaignPacer(
        { dialMode: 'predictive' },
        {
          pacer: predictivePacer({
            markovHybrid: 'small-teams',
            markovHybridCut: 0,
            markovHybridTolerance: HYBRID_TOLERANCE,
            markovHybridGate: false,
          }),
        }, // 22-default: ungated, as measured
      );
  }
}
