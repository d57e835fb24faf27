// issue-22 22-itc20: the first minutes of one day, minute by minute — what the default predictive
// pacer knows and does while its cold start ends: finished calls, their mean talk (against the
// scenario's), live answers and abandons so far, the decision's reason, the learnt forecast scale
// and the governor's allowed rate. It showed itc-20-markov's start: warm on 15 finished calls of
// ~30 s (the truth 90 s), a burst of 6–7 abandons, then ~20 minutes of governor fallback.
// `tsx --conditions=@paceline/source bench/optimum/cold-start-trace.ts SCENARIO [SEED] [MINUTES] [SHARE]`
// (SHARE: the pacer's `censoredTalkShare`, e.g. 0.5; absent: the default (0.5 since 22-csdef); `Infinity`: the test off.)
import { createCampaignPacer, predictivePacer } from '@paceline/pacing';
import { runSimulation } from '@paceline/sim';
import { loadScenarios, simulationOf } from '../scenario';
import { printTable } from '../support/table';
import { withMarkovianVariants } from './markovian-variant';

const [name = 'itc-20-markov', seedArg = '101', minutesArg = '30', shareArg] = process.argv.slice(2);
const scenario = withMarkovianVariants(loadScenarios()).find((s) => s.name === name);
if (scenario === undefined) throw new Error(`unknown scenario "${name}"`);
const campaign = createCampaignPacer(
  { dialMode: 'predictive' },
  { pacer: predictivePacer(shareArg === undefined ? {} : { censoredTalkShare: Number(shareArg) }) },
);
const rows: string[][] = [];
let start: number | undefined;
let minute = -1;
const traced: typeof campaign = {
  ...campaign,
  decide(observation) {
    start ??= observation.now;
    const d = campaign.decide(observation);
    const m = Math.floor((observation.now - start) / 60_000);
    if (m !== minute) {
      minute = m;
      const e = campaign.estimators.estimates();
      const allowed = d.inputs.allowedRate;
      rows.push([
        String(m),
        String(e.workSamples),
        e.warm ? (e.meanTalkMs / 1_000).toFixed(1) : '—',
        String(observation.liveAnswers),
        String(observation.abandoned),
        d.reason,
        (campaign.forecastScale?.() ?? 1).toFixed(2),
        typeof allowed === 'number' ? `${(allowed * 100).toFixed(2)}%` : '—',
      ]);
    }
    return d;
  },
};
runSimulation({ ...simulationOf(scenario, Number(seedArg), traced), durationMs: Number(minutesArg) * 60_000 });
printTable(
  `${name}, seed ${seedArg}: the first ${minutesArg} minutes (censoredTalkShare ${shareArg ?? 'default'})`,
  ['min', 'finished calls', 'mean talk s', 'live', 'abandoned', 'reason', 'scale', 'allowed'],
  rows,
);
