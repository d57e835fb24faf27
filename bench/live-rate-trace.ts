// Diagnostic: the attempt stream the live-rate step test sees, for offline study of its
// statistic (issue 22, 22-large). One line per finished attempt: finish time (ms since the
// run's start), line time (ms), live 0/1.
// `tsx --conditions=@paceline/source bench/live-rate-trace.ts SCENARIO SEED OUT.tsv [THRESHOLD]`
import { writeFileSync } from 'node:fs';
import { type CampaignPacer, createCampaignPacer, predictivePacer } from '@paceline/pacing';
import { runSimulation } from '@paceline/sim';
import { loadScenarios, simulationOf } from './scenario';

const [name = 'large-200', seedArg = '1', out = 'trace.tsv', thresholdArg] = process.argv.slice(2);
const scenario = loadScenarios().find((s) => s.name === name);
if (scenario === undefined) throw new Error(`unknown scenario "${name}"`);
const inner = createCampaignPacer(
  { dialMode: 'predictive' },
  { pacer: predictivePacer(), ...(thresholdArg === undefined ? {} : { estimators: { liveRateChangeThreshold: Number(thresholdArg) } }) },
);
let start: number | undefined;
let now = 0;
const lines: string[] = [];
const pacer: CampaignPacer = {
  ...inner,
  decide(observation) {
    start ??= observation.now;
    now = observation.now - start;
    return inner.decide(observation);
  },
  observeOutcome(outcome) {
    lines.push(`${now}\t${outcome.durationMs}\t${outcome.outcome === 'human' ? 1 : 0}`);
    inner.observeOutcome(outcome);
  },
};
runSimulation(simulationOf(scenario, Number(seedArg), pacer));
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`${name} seed ${seedArg}: ${lines.length} attempts, ${inner.estimators.liveRateChanges} live-rate steps`);
