// issue-22 22-st3m: where a pacer's talk goes against the exact optimum on a Markovian variant —
// by hour of the day, by decision state, by the pacer's reason and by abandon spend — from the MDP's own value function.
//
// The day is run once per seed. At every decision the observed state (talking, wrap-up, lines,
// waiting) and the lines the pacer then holds are recorded, and the time between two decisions is
// charged to the hour (talking and logged-in agent-time, live answers, abandons). After the run the
// optimum is solved at the run's own abandon rate α (the bench's yardstick, `optimumFor`), and its
// relative values h at that optimum's multiplier λ price every decision: holding l′ instead of the
// optimal l* in state s loses post(l*) − post(l′) agent-seconds of the Lagrangian reward talk −
// λ·(abandons − α·live) at each uniformised step (the performance-difference identity: in the MDP,
// the long-run gap to the optimum is the sum of these losses over every step, self-loops included;
// see decision-values.ts for how a held state and an over-launch are charged). Losses are reported in points of the optimum's talk (100 × loss ÷
// (logged-in agent-seconds × the optimum's talk fraction)), beside the day's measured shortfall, so
// the decomposition can be read against what it decomposes (the simulator's fixed grace and its
// estimates' decisions between events make the two differ a little).
// `tsx --conditions=@paceline/source bench/optimum/decision-loss.ts SCENARIO SEEDS FIRST [PACER]`
// PACER: a bench pacer name (default `predictive`), or `probe` — the predictive pacer with the
// options of `governor-probe-module.ts` (PACELINE_PROBE_PACER / _GOVERNOR / _ESTIMATORS).
import { AgentState } from '@paceline/core';
import type { CampaignPacer } from '@paceline/pacing';
import { runSimulation } from '@paceline/sim';
import { loadScenarios, simulationOf } from '../scenario';
import { jobPacer } from '../support/pacing-runs';
import { printTable } from '../support/table';
import { decisionLosses, type ObservedDecision } from './decision-values';
import createProbe from './governor-probe-module';
import { optimumFor, solverFor, withMarkovianVariants } from './markovian-variant';

const [name = 'small-team-3-markov', seedsArg = '2', firstArg = '101', pacerName = 'predictive'] = process.argv.slice(2);
const scenario = withMarkovianVariants(loadScenarios()).find((s) => s.name === name);
if (scenario === undefined || !name.endsWith('-markov')) throw new Error(`"${name}" is not a Markovian variant`);

interface Hour {
  talkMs: number;
  loggedInMs: number;
  live: number;
  abandoned: number;
}
const hours: Hour[] = [];
const hourAt = (h: number): Hour => {
  while (hours.length <= h) hours.push({ talkMs: 0, loggedInMs: 0, live: 0, abandoned: 0 });
  return hours[h] as Hour;
};
const decisions: ObservedDecision[] = [];
let simTalkMs = 0;
let simLoggedInMs = 0;
let simLive = 0;
let simAbandoned = 0;

function instrumented(inner: CampaignPacer): CampaignPacer {
  let start: number | undefined;
  let last: { now: number; talking: number; loggedIn: number; post: string } | undefined;
  let lastLive = 0;
  let lastAbandoned = 0;
  return {
    ...inner,
    decide(observation) {
      start ??= observation.now;
      const hour = Math.floor((observation.now - start) / 3_600_000);
      let talking = 0;
      let wrapping = 0;
      let onCall = 0;
      let loggedIn = 0;
      for (const a of observation.agents) {
        if (a.state !== AgentState.LoggedOut) loggedIn++;
        if (a.state === AgentState.OnCall) onCall++;
        if (a.state === AgentState.OnCall || a.state === AgentState.Reserved) talking++;
        else if (a.state === AgentState.WrapUp) wrapping++;
      }
      let waiting = 0;
      for (const c of observation.calls) if (c.phase === 'waiting') waiting++;
      const lines = observation.calls.length - waiting;
      if (last !== undefined) {
        const h = hourAt(Math.floor((last.now - start) / 3_600_000));
        const dt = observation.now - last.now;
        h.talkMs += dt * last.talking;
        h.loggedInMs += dt * last.loggedIn;
      }
      const here = hourAt(hour);
      here.live += observation.liveAnswers - lastLive;
      here.abandoned += observation.abandoned - lastAbandoned;
      lastLive = observation.liveAnswers;
      lastAbandoned = observation.abandoned;
      const d = inner.decide(observation);
      const pre = `${talking}/${wrapping}/${lines}/${waiting}`;
      const post = `${talking}/${wrapping}/${lines + d.launch}/${waiting}`;
      const previous = decisions[decisions.length - 1];
      if (last !== undefined && previous !== undefined) previous.heldS = (observation.now - last.now) / 1_000;
      const event = last === undefined || pre !== last.post;
      decisions.push({
        hour,
        talking,
        wrapping,
        lines,
        waiting,
        hold: lines + d.launch,
        cold: d.reason === 'cold-start',
        reason: d.reason,
        event,
        heldS: 0,
      });
      last = { now: observation.now, talking: onCall, loggedIn, post };
      return d;
    },
  };
}

const s = scenario;
for (let seed = Number(firstArg); seed < Number(firstArg) + Number(seedsArg); seed++) {
  const campaign =
    pacerName === 'probe'
      ? jobPacer({ scenario: s.name, pacer: 'probe', seed }, s, { name: 'probe', create: createProbe })
      : jobPacer({ scenario: s.name, pacer: pacerName, seed }, s);
  const r = runSimulation(simulationOf(s, seed, instrumented(campaign)));
  simTalkMs += r.talkMs;
  simLoggedInMs += r.loggedInMs;
  simLive += r.counters.liveAnswers;
  simAbandoned += r.counters.abandoned;
}

const alpha = simLive > 0 ? simAbandoned / simLive : 0;
const optimum = optimumFor(s, alpha);
const dayTalk = simTalkMs / simLoggedInMs;
const losses = decisionLosses(solverFor(s), optimum.lambda, optimum.target, decisions);
const loggedInS = simLoggedInMs / 1_000;
const pts = (agentSeconds: number) => (100 * agentSeconds) / (loggedInS * optimum.talkFraction);

console.log(
  `${name}, ${pacerName}, seeds ${firstArg}–${Number(firstArg) + Number(seedsArg) - 1}: talk ${dayTalk.toFixed(4)} at ${(alpha * 100).toFixed(2)}% ` +
    `(sim's counts; integrated talk ${(hours.reduce((a, h) => a + h.talkMs, 0) / simLoggedInMs).toFixed(4)}), optimum ${optimum.talkFraction.toFixed(4)} at ${(optimum.target * 100).toFixed(2)}% ` +
    `(λ ${optimum.lambda.toFixed(2)}): share ${((100 * dayTalk) / optimum.talkFraction).toFixed(2)}%, shortfall ${(100 - (100 * dayTalk) / optimum.talkFraction).toFixed(2)} points; ` +
    `the decisions' losses sum to ${pts(losses.total).toFixed(2)} points (${decisions.length} decisions charged)`,
);

printTable(
  "By hour (the decisions priced at the day's λ; the share against the optimum at the hour's own abandon)",
  ['hour', 'talk', 'abandon', 'optimum at its abandon', 'share', 'decision losses, points of the day', 'of which cold start'],
  hours.map((h, i) => {
    const rate = h.live > 0 ? h.abandoned / h.live : 0;
    const opt = optimumFor(s, Math.min(rate, 0.2)).talkFraction;
    const tf = h.talkMs / Math.max(1, h.loggedInMs);
    const l = losses.byHour.get(i) ?? { loss: 0, coldLoss: 0 };
    return [
      String(i),
      tf.toFixed(4),
      `${(rate * 100).toFixed(2)}%`,
      opt.toFixed(4),
      `${((100 * tf) / opt).toFixed(1)}%`,
      pts(l.loss).toFixed(2),
      pts(l.coldLoss).toFixed(2),
    ];
  }),
);

// Abandon spend: the day's optimum at its own α against each hour's optimum at that hour's α,
// weighted by the hour's logged-in time — what spending the day's abandons unevenly costs even if
// every hour were paced optimally for its own spend (the frontier is concave).
let mixed = 0;
for (const h of hours) {
  const rate = h.live > 0 ? h.abandoned / h.live : 0;
  mixed += (h.loggedInMs / Math.max(1, simLoggedInMs)) * optimumFor(s, Math.min(rate, 0.2)).talkFraction;
}
console.log(
  `abandon spend: the hours' optima at their own abandon, time-weighted, ${mixed.toFixed(4)} against the day's ${optimum.talkFraction.toFixed(4)}: ` +
    `uneven spending costs ${((100 * (optimum.talkFraction - mixed)) / optimum.talkFraction).toFixed(2)} points; ` +
    `at the steered ${(s.pacing.abandonTarget * 90).toFixed(2)}% the optimum is ${optimumFor(s, s.pacing.abandonTarget * 0.9).talkFraction.toFixed(4)}`,
);

const states = [...losses.byState.entries()].sort((a, b) => b[1].loss - a[1].loss).slice(0, 15);
printTable(
  'The 15 costliest states (talking/wrap-up/lines/waiting)',
  ['state t/w/l/q', 'decisions', 'under', 'over', 'mean pacer − optimum lines', 'loss, points', 'loss of the under / over'],
  states.map(([key, x]) => [
    key,
    String(x.decisions),
    String(x.under),
    String(x.over),
    (x.difference / x.decisions).toFixed(2),
    pts(x.loss).toFixed(3),
    `${pts(x.underLoss).toFixed(3)} / ${pts(x.overLoss).toFixed(3)}`,
  ]),
);
// issue-22 22-lag: the same losses by the pacer's own reason (cold start, governor fallback, the hybrid's kinds, …).
printTable(
  "By the pacer's reason for the decision",
  ['reason', 'decisions', 'under', 'over', 'loss, points', 'loss of the under / over'],
  [...losses.byReason.entries()]
    .sort((a, b) => b[1].loss - a[1].loss)
    .map(([reason, x]) => [
      reason,
      String(x.decisions),
      String(x.under),
      String(x.over),
      pts(x.loss).toFixed(3),
      `${pts(x.underLoss).toFixed(3)} / ${pts(x.overLoss).toFixed(3)}`,
    ]),
);
console.log(
  `all states: under ${losses.under} decisions (${pts(losses.underLoss).toFixed(2)} points), over ${losses.over} (${pts(losses.overLoss).toFixed(2)} points), ` +
    `agree ${decisions.length - losses.under - losses.over}; cold start ${pts(losses.coldLoss).toFixed(2)} points`,
);
