// issue-22 22-start: a `--pacer-module` for bench:pacing that runs the default predictive pacer with
// other abandon-governor or estimator options, to measure such a change on 20 seeds beside the
// default without touching the default. The options come from the environment (one pacer per
// module, so one variant per process):
//   PACELINE_PROBE_NAME=predictive-sb2 PACELINE_PROBE_GOVERNOR='{"startBoost":2}' nice -n 19 \
//     pnpm bench:pacing --scenario small-team-3-markov --pacer predictive --pacer predictive-sb2 \
//     --pacer-module ./bench/optimum/governor-probe-module.ts --seeds 10 --first-seed 101 --jobs 1 --out x.json
// PACELINE_PROBE_GOVERNOR: a JSON object of `AbandonGovernorOptions` fields (checked by the
// governor's parser: an unknown or out-of-range field throws E_INVALID_CONFIG).
// PACELINE_PROBE_PACER: a JSON object of other `PredictivePacerOptions` (e.g. {"markovPolicy":"small-teams"}).
// PACELINE_PROBE_ESTIMATORS: a JSON object of `PacingEstimatorsOptions` fields, handed to the
// estimators the bench builds for this pacer (`benchEstimators`; checked by their parser).
import {
  type Pacer,
  type PacingEstimatorsOptions,
  type PredictivePacerOptions,
  parseAbandonGovernorOptions,
  predictivePacer,
} from '@paceline/pacing';

const governor = parseAbandonGovernorOptions(JSON.parse(process.env.PACELINE_PROBE_GOVERNOR ?? '{}') as unknown);
const options = JSON.parse(process.env.PACELINE_PROBE_PACER ?? '{}') as PredictivePacerOptions;
const estimators = JSON.parse(process.env.PACELINE_PROBE_ESTIMATORS ?? '{}') as Partial<PacingEstimatorsOptions>;
const name = process.env.PACELINE_PROBE_NAME ?? 'predictive-governor-probe';

/** The default predictive pacer with the environment's options, named PACELINE_PROBE_NAME. */
export default function createPacer(): Pacer & {
  readonly benchEstimators: Partial<PacingEstimatorsOptions>;
  readonly benchExactAgentTiming: boolean | 'small-teams';
} {
  const pacer = predictivePacer({ ...options, governor });
  // Calibration by the wrapped pacer's own walk (`exactAgentTiming`, its default `'small-teams'`).
  const benchExactAgentTiming = options.exactAgentTiming ?? 'small-teams';
  return { name, decide: (state) => pacer.decide(state), benchEstimators: estimators, benchExactAgentTiming };
}
