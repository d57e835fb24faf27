// issue-22 22-default: does the default's gated hybrid ever act on a scenario's day? The hybrid
// acts only while fewer than SMALL_TEAM_BELOW agents are logged in; the bench's days log every
// agent in over the shift's stagger and out at (or after) the run's end, so once that many are
// logged in they stay so, and the day is decided from then on by the same code with or without
// the hybrid. Each seed's day runs with the default pacer until the first decision with that many
// logged in (then the run is stopped); every decision before it is also made by
// `predictivePacer({ markovHybrid: false })` (the default before 22-default) on the same state.
// Printed per seed: decisions before the team reached the size, those with warm estimates, those
// also with the gate open (`exponentialWork` > 0: where the hybrid may act), those whose decision differed. 0
// differing on every seed = the day is the old default's, bit for bit (its whole run included).
//   nice -n 19 npx tsx --conditions=@paceline/source bench/optimum/hybrid-acts.ts large-200 20 1
import { isDeepStrictEqual } from 'node:util';
import { AgentState } from '@paceline/core';
import { createCampaignPacer, type Pacer, predictivePacer, SMALL_TEAM_BELOW } from '@paceline/pacing';
import { runSimulation } from '@paceline/sim';
import { loadScenarios, simulationOf } from '../scenario';
import { withMarkovianVariants } from './markovian-variant';

const [name = 'team-10', seedsArg = '2', firstArg = '1'] = process.argv.slice(2);
const scenario = withMarkovianVariants(loadScenarios()).find((s) => s.name === name);
if (scenario === undefined) throw new Error(`unknown scenario "${name}"`);

class TeamReached extends Error {}

let totals = { decisions: 0, warm: 0, gateOpen: 0, differing: 0, unfinished: 0 };
for (let seed = Number(firstArg); seed < Number(firstArg) + Number(seedsArg); seed++) {
  const byDefault = predictivePacer();
  const before = predictivePacer({ markovHybrid: false });
  let decisions = 0;
  let warm = 0;
  let gateOpen = 0;
  let differing = 0;
  let start: number | undefined;
  let reachedAt: number | undefined;
  const traced: Pacer = {
    name: 'predictive',
    decide(s) {
      start ??= s.now;
      let loggedIn = 0;
      for (const a of s.agents) if (a.state !== AgentState.LoggedOut) loggedIn++;
      if (loggedIn >= SMALL_TEAM_BELOW) {
        reachedAt = s.now - start;
        throw new TeamReached();
      }
      decisions++;
      if (s.estimates.warm) warm++;
      if (s.estimates.warm && (s.estimates.exponentialWork ?? 0) > 0) gateOpen++;
      const d = byDefault.decide(s);
      if (!isDeepStrictEqual(d, before.decide(s))) differing++;
      return d;
    },
  };
  try {
    runSimulation(simulationOf(scenario, seed, createCampaignPacer({ dialMode: 'predictive' }, { pacer: traced })));
  } catch (e) {
    if (!(e instanceof TeamReached)) throw e;
  }
  if (reachedAt === undefined) totals.unfinished++;
  totals = {
    ...totals,
    decisions: totals.decisions + decisions,
    warm: totals.warm + warm,
    gateOpen: totals.gateOpen + gateOpen,
    differing: totals.differing + differing,
  };
  console.log(
    `${name} seed ${seed}: ${decisions} decisions below ${SMALL_TEAM_BELOW} logged in (${warm} warm), gate open on ${gateOpen}, ` +
      `differing ${differing}; ${reachedAt === undefined ? 'never reached the size (the whole day ran)' : `size reached at ${(reachedAt / 60_000).toFixed(2)} min`}`,
  );
}
console.log(`${name} total: ${JSON.stringify(totals)}`);
