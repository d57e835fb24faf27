// Where the predictive pacer and the exact MDP's policy disagree, state by state, on a Markovian
// variant. A `--pacer-module` for bench:pacing: it paces with `predictive` and, at every warm
// decision, also asks the MDP's optimal policy (at the campaign's target) what it would launch in
// the same observed state (talking, wrap-up, ready, lines, waiting). Each worker prints, when it
// exits, the share of decisions where predictive launched fewer (under) or more (over), and the
// states that disagree most:
//   PACELINE_COMPARE_SCENARIO=small-team-5-markov nice -n 10 pnpm bench:pacing \
//     --pacer-module bench/optimum/policy-compare-module.ts --scenario small-team-5-markov \
//     --pacer predictive-vs-mdp --seeds 4 --first-seed 101 --jobs 1
import { AgentState } from '@paceline/core';
import { assessLaunch, type Pacer, predictivePacer } from '@paceline/pacing';
import { loadScenarios } from '../scenario';
import { optimumPolicyPacer, withMarkovianVariants } from './markovian-variant';

interface Tally {
  decisions: number;
  under: number;
  over: number;
  /** Σ (predictive's launch − the policy's). */
  difference: number;
  /** Over the under-launches: Σ the model's abandons per live answer for the policy's launch ÷ the allowed rate. */
  priceOverBudget: number;
}

const tallies = new Map<string, Tally>();
let reporting = false;

function report(): void {
  let decisions = 0;
  let under = 0;
  let over = 0;
  for (const t of tallies.values()) {
    decisions += t.decisions;
    under += t.under;
    over += t.over;
  }
  if (decisions === 0) return;
  const lines = [
    `predictive vs the MDP policy: ${decisions} warm decisions, under ${pctOf(under, decisions)}, over ${pctOf(over, decisions)}`,
  ];
  const worst = [...tallies].sort((a, b) => b[1].under + b[1].over - (a[1].under + a[1].over)).slice(0, 15);
  for (const [state, t] of worst)
    lines.push(
      `  ${state.padEnd(20)} ${String(t.decisions).padStart(7)} decisions, under ${t.under}, over ${t.over}, mean difference ${(t.difference / t.decisions).toFixed(2)}` +
        (t.under > 0 ? `, the policy's launch priced at ${(t.priceOverBudget / t.under).toFixed(2)}× the budget` : ''),
    );
  console.error(lines.join('\n'));
}

const pctOf = (x: number, of: number) => `${((100 * x) / of).toFixed(1)}%`;

/** The pacer factory (`--pacer-module`); the scenario comes from PACELINE_COMPARE_SCENARIO. */
export default function createPacer(): Pacer {
  const name = process.env.PACELINE_COMPARE_SCENARIO ?? '';
  const scenario = withMarkovianVariants(loadScenarios()).find((s) => s.name === name);
  if (scenario === undefined || !name.endsWith('-markov'))
    throw new Error(`PACELINE_COMPARE_SCENARIO must name a Markovian variant (got "${name}")`);
  const predictive = predictivePacer();
  const policy = optimumPolicyPacer(scenario);
  if (!reporting) {
    reporting = true;
    process.on('exit', report);
  }
  return {
    name: 'predictive-vs-mdp',
    decide(state) {
      const d = predictive.decide(state);
      if (d.reason === 'cold-start') return d;
      const best = policy.decide(state);
      let talking = 0;
      let wrapping = 0;
      let ready = 0;
      for (const a of state.agents) {
        if (a.state === AgentState.OnCall || a.state === AgentState.Reserved) talking++;
        else if (a.state === AgentState.WrapUp) wrapping++;
        else if (a.state === AgentState.Ready) ready++;
      }
      let waiting = 0;
      for (const c of state.calls) if (c.phase === 'waiting') waiting++;
      const key = `t${talking} w${wrapping} r${ready} l${state.calls.length - waiting} q${waiting}`;
      const t = tallies.get(key) ?? { decisions: 0, under: 0, over: 0, difference: 0, priceOverBudget: 0 };
      t.decisions++;
      if (d.launch < best.launch) {
        t.under++;
        // What the pacer's model says the policy's launch costs, against what the governor allows now.
        const allowed = Number(d.inputs.allowedRate ?? 0);
        const cost = assessLaunch(state, best.launch);
        if (allowed > 0 && cost.expectedLive > 0) t.priceOverBudget += cost.expectedAbandons / cost.expectedLive / allowed;
      }
      if (d.launch > best.launch) t.over++;
      t.difference += d.launch - best.launch;
      tallies.set(key, t);
      return d;
    },
  };
}
