import { type DialMode, PacelineError, type PacingOptions } from '@paceline/core';
import { ForecastCalibration } from './forecast-calibration';
import type { ObservedAgent, ObservedCall, Pacer, PacingDecision } from './pacer';
import { type AttemptObservation, PacingEstimators, type PacingEstimatorsOptions, type WorkObservation } from './pacing-estimators';
import { governedPowerPacer } from './power-pacer';
import { type PredictivePacerOptions, predictivePacer } from './predictive-pacer';
import { previewPacer } from './preview-pacer';
import { progressivePacer } from './progressive-pacer';

/** Build the pacer for a dial mode. `agentless` has no agents to pace and throws `E_INVALID_CONFIG`. */
export function createPacer(mode: DialMode, options: { predictive?: PredictivePacerOptions } = {}): Pacer {
  switch (mode) {
    case 'preview':
      return previewPacer();
    case 'progressive':
      return progressivePacer();
    case 'power':
      return governedPowerPacer();
    case 'predictive':
      return predictivePacer(options.predictive);
    default:
      throw new PacelineError(
        'E_INVALID_CONFIG',
        `campaign.dialMode: "${mode}" has no agent pacer; use preview, progressive, power or predictive`,
      );
  }
}

/** What the engine observes for one campaign's decision (the abandon counts are the ledger's). */
export interface CampaignObservation {
  /** Epoch ms. */
  readonly now: number;
  readonly campaign: { readonly pacing: PacingOptions };
  readonly agents: readonly ObservedAgent[];
  readonly calls: readonly ObservedCall[];
  /** Live answers and abandons over the compliance profile's rolling window. */
  readonly liveAnswers: number;
  readonly abandoned: number;
  readonly windowMs: number;
}

/**
 * One campaign's pacing: a pure `Pacer` plus the campaign's `PacingEstimators`. The engine
 * (or the simulator) keeps one per campaign, reports every finished attempt and every
 * finished call's work, and asks `decide` whenever something changed or time passed.
 */
export interface CampaignPacer {
  readonly pacer: Pacer;
  readonly estimators: PacingEstimators;
  /** How many calls to launch now. */
  decide(observation: CampaignObservation): PacingDecision;
  /** Learn from a finished attempt. */
  observeOutcome(outcome: AttemptObservation): void;
  /** Learn from a finished call's talk and wrap-up. */
  observeWork(work: WorkObservation): void;
  /** The run's realised ÷ predicted abandons the predictive pacer scales its forecast by (1 until learnt). */
  forecastScale?(): number;
}

/** Options of {@link createCampaignPacer}. */
export interface CampaignPacerOptions {
  /** Use this pacer instead of the dial mode's (e.g. a benchmark baseline). */
  readonly pacer?: Pacer;
  readonly predictive?: PredictivePacerOptions;
  readonly estimators?: Partial<PacingEstimatorsOptions>;
  /** The forecast calibration to learn and scale by (default a {@link ForecastCalibration} with its defaults). */
  readonly calibration?: ForecastCalibration; // issue-23: the blend learns faster (few abandons a day)
}

/** The pacing of one campaign for its dial mode. */
export function createCampaignPacer(campaign: { readonly dialMode: DialMode }, options: CampaignPacerOptions = {}): CampaignPacer {
  const pacer = options.pacer ?? createPacer(campaign.dialMode, options.predictive ? { predictive: options.predictive } : {});
  const estimators = new PacingEstimators(options.estimators ?? {});
  const calibration = options.calibration ?? new ForecastCalibration(); // issue-23
  return {
    pacer,
    estimators,
    decide(observation) {
      const d = pacer.decide({
        now: observation.now,
        agents: observation.agents,
        calls: observation.calls,
        options: observation.campaign.pacing,
        abandons: { liveAnswers: observation.liveAnswers, abandoned: observation.abandoned, windowMs: observation.windowMs },
        estimates: estimators.estimates(),
        forecastScale: calibration.scale,
      });
      // The predictive pacer's raw forecast of the launched calls (other pacers make none).
      const raw = d.inputs.rawAbandons;
      calibration.observe(observation.abandoned, typeof raw === 'number' ? raw : undefined);
      return d;
    },
    observeOutcome(outcome) {
      const changes = estimators.liveRateChanges;
      estimators.observeAttempt(outcome);
      // issue-22 drop: a step in the live rate is a new regime; the forecast's learnt bias relearns on its evidence.
      if (estimators.liveRateChanges !== changes) calibration.forget();
    },
    observeWork: (work) => estimators.observeWork(work),
    forecastScale: () => calibration.scale,
  };
}
