// issue-22 22-itc20: where the cold start's censored-sample test acts — on each scenario's days, run
// with the test off (the old cold start), how many warm decisions have `censoredTalkShare` above the
// bound (`CENSORED_TALK_SHARE`, the default since 22-csdef), and the last minute one does. 0 means the
// default decides those days exactly as with the test off.
// `tsx --conditions=@paceline/source bench/optimum/cold-start-count.ts SCENARIO[,SCENARIO…] [SEEDS] [FIRST] [HOURS]`
import { CENSORED_TALK_SHARE, censoredTalkShare, createCampaignPacer, predictivePacer } from '@paceline/pacing';
import { runSimulation } from '@paceline/sim';
import { loadScenarios, simulationOf } from '../scenario';
import { printTable } from '../support/table';
import { withMarkovianVariants } from './markovian-variant';

const [names = 'itc-20-markov', seedsArg = '2', firstArg = '101', hoursArg = '8'] = process.argv.slice(2);
const rows: string[][] = [];
for (const name of names.split(',')) {
  const scenario = withMarkovianVariants(loadScenarios()).find((s) => s.name === name);
  if (scenario === undefined) throw new Error(`unknown scenario "${name}"`);
  for (let seed = Number(firstArg); seed < Number(firstArg) + Number(seedsArg); seed++) {
    const campaign = createCampaignPacer(
      { dialMode: 'predictive' },
      { pacer: predictivePacer({ censoredTalkShare: Number.POSITIVE_INFINITY }) },
    );
    let warm = 0;
    let over = 0;
    let last = -1;
    let start: number | undefined;
    const counted: typeof campaign = {
      ...campaign,
      decide(o) {
        start ??= o.now;
        const estimates = campaign.estimators.estimates();
        if (estimates.warm) {
          warm++;
          const state = {
            now: o.now,
            agents: o.agents,
            calls: o.calls,
            options: o.campaign.pacing,
            abandons: { liveAnswers: 0, abandoned: 0, windowMs: 1 },
            estimates,
          };
          if (censoredTalkShare(state, estimates) > CENSORED_TALK_SHARE) {
            over++;
            last = Math.round((o.now - start) / 60_000);
          }
        }
        return campaign.decide(o);
      },
    };
    runSimulation({ ...simulationOf(scenario, seed, counted), durationMs: Number(hoursArg) * 3_600_000 });
    rows.push([name, String(seed), String(warm), String(over), last < 0 ? '—' : String(last)]);
  }
}
printTable(
  `warm decisions past censoredTalkShare ${CENSORED_TALK_SHARE} with the old cold start (${hoursArg} h)`,
  ['scenario', 'seed', 'warm decisions', 'past the bound', 'last at minute'],
  rows,
);
