// issue-22 22-gate: how the exponential-fit gate (`markovHybridGate`) reads a scenario's day — per
// seed, the share of warm decisions with the estimators' evidence for the exponential work
// (`ModelEstimates.exponentialWork` > 0, the gate open), the evidence at the day's end, and when
// the gate last changed (minutes from the run's start). The decisions are the default pacer's.
//   nice -n 19 npx tsx --conditions=@paceline/source bench/optimum/gate-trace.ts small-team-3-markov 4 101
import { createCampaignPacer, type Pacer, predictivePacer } from '@paceline/pacing';
import { runSimulation } from '@paceline/sim';
import { loadScenarios, simulationOf } from '../scenario';
import { withMarkovianVariants } from './markovian-variant';

const [name = 'small-team-3-markov', seedsArg = '2', firstArg = '101'] = process.argv.slice(2);
const scenario = withMarkovianVariants(loadScenarios()).find((s) => s.name === name);
if (scenario === undefined) throw new Error(`unknown scenario "${name}"`);

for (let seed = Number(firstArg); seed < Number(firstArg) + Number(seedsArg); seed++) {
  const inner = predictivePacer();
  let warm = 0;
  let open = 0;
  let start: number | undefined;
  let lastChange = 0;
  let state: boolean | undefined;
  let last = 0;
  const traced: Pacer = {
    name: 'predictive',
    decide(s) {
      start ??= s.now;
      const e = s.estimates;
      if (e.warm) {
        warm++;
        last = e.exponentialWork ?? 0;
        const now = last > 0;
        if (now) open++;
        if (state !== now) lastChange = s.now - start;
        state = now;
      }
      return inner.decide(s);
    },
  };
  runSimulation(simulationOf(scenario, seed, createCampaignPacer({ dialMode: 'predictive' }, { pacer: traced })));
  console.log(
    `${name} seed ${seed}: warm decisions ${warm}, gate open ${((100 * open) / Math.max(1, warm)).toFixed(1)}%, ` +
      `evidence at the end ${last.toFixed(1)} nats, last change at ${(lastChange / 60_000).toFixed(1)} min`,
  );
}
