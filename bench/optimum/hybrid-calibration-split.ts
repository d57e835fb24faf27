// issue-22 22-hybrid7: the two-sided hybrid's calibration split by decision kind — which launches
// carry the over-forecast. Each launch is one kind: `walk` (the hybrid launched the walk's own
// count), `cut` (below the walk's, the policy's cut), `add` (above it, the policy's added lines),
// or `other` (a decision without the hybrid: progressive, cold start, the walk alone — all of the
// default's; its forecast the walk's own raw one, 0 for progressive decisions).
// Realised abandons are attributed to the launch whose call abandoned (the simulator's call ids
// are sequential in launch order). Per kind: the forecast the launch was made on (`forecast`),
// the MDP's own for its whole launch (`mdp`), the walk's for its whole launch (`walk`), all raw
// (before the run-learnt scale), and the own-call abandons realised.
// `PACELINE_PROBE_PACER='{"markovHybrid":"small-teams","markovHybridCut":0,"markovHybridTolerance":2}' \
//   nice -n 19 npx tsx --conditions=@paceline/source bench/optimum/hybrid-calibration-split.ts small-team-3 20 101`
import { type CampaignPacer, createCampaignPacer, type PredictivePacerOptions, predictivePacer } from '@paceline/pacing';
import { runSimulation } from '@paceline/sim';
import { loadScenarios, simulationOf } from '../scenario';
import { printTable } from '../support/table';
import { withMarkovianVariants } from './markovian-variant';

interface Kind {
  launches: number;
  lines: number;
  forecast: number;
  mdp: number;
  walk: number;
  realised: number;
}
const KINDS = ['walk', 'cut', 'add', 'other'] as const;
type KindName = (typeof KINDS)[number];

const [name = 'small-team-3', seedsArg = '2', firstArg = '101'] = process.argv.slice(2);
const scenario = withMarkovianVariants(loadScenarios()).find((s) => s.name === name);
if (scenario === undefined) throw new Error(`unknown scenario "${name}"`);
const options = JSON.parse(process.env.PACELINE_PROBE_PACER ?? '{}') as PredictivePacerOptions;
const kinds = new Map<KindName, Kind>(KINDS.map((k) => [k, { launches: 0, lines: 0, forecast: 0, mdp: 0, walk: 0, realised: 0 }]));
const at = (k: KindName): Kind => kinds.get(k) as Kind;
let unattributed = 0;
let totalAbandons = 0;

interface Tracked {
  readonly greetingEndAt?: number;
  readonly slot?: number;
}
const num = (v: number | string | undefined): number => (typeof v === 'number' ? v : 0);

for (let seed = Number(firstArg); seed < Number(firstArg) + Number(seedsArg); seed++) {
  const inner = createCampaignPacer({ dialMode: 'predictive' }, { pacer: predictivePacer(options) });
  const kindOfCall: KindName[] = []; // by the call's sequence number (c1 → index 1)
  let launched = 0;
  const seen = new Map<number, Tracked>();
  let lastAbandoned = 0;
  const pacer: CampaignPacer = {
    ...inner,
    decide(observation) {
      for (const c of observation.calls) {
        const i = Number(c.id.slice(1));
        if (!seen.has(i)) seen.set(i, c as unknown as Tracked);
      }
      const gained = observation.abandoned - lastAbandoned;
      lastAbandoned = observation.abandoned;
      if (gained > 0) {
        totalAbandons += gained;
        let found = 0;
        for (const [i, c] of seen) {
          if (c.slot === -1 && c.greetingEndAt === observation.now - 2_000 && !observation.calls.some((x) => x.id === `c${i}`)) {
            at(kindOfCall[i] ?? 'other').realised++;
            seen.delete(i);
            found++;
          }
        }
        unattributed += Math.max(0, gained - found);
      }
      for (const [i, c] of seen) if (c.slot === -1 && c.greetingEndAt !== observation.now - 2_000) seen.delete(i);
      const d = inner.decide(observation);
      if (d.launch > 0) {
        const hybrid = d.inputs.forecast === 'hybrid';
        const walkN = num(d.inputs.walkLaunch);
        const k: KindName = !hybrid ? 'other' : d.launch < walkN ? 'cut' : d.launch > walkN ? 'add' : 'walk';
        const x = at(k);
        x.launches++;
        x.lines += d.launch;
        x.forecast += num(d.inputs.rawAbandons); // the walk's own for the default's decisions (0 for progressive ones)
        if (hybrid) {
          x.mdp += num(d.inputs.mdpForecast);
          x.walk += num(d.inputs.walkForecast);
        }
        for (let j = 0; j < d.launch; j++) kindOfCall[++launched] = k;
      }
      return d;
    },
  };
  runSimulation(simulationOf(scenario, seed, pacer));
}

const r = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '—');
printTable(
  `${name}, seeds ${firstArg}–${Number(firstArg) + Number(seedsArg) - 1}: raw forecast ÷ realised own-call abandons by decision kind`,
  ['kind', 'launches', 'lines', 'realised', 'forecast', 'mdp', 'walk', 'forecast÷real', 'mdp÷real', 'walk÷real'],
  KINDS.map((k) => {
    const x = at(k);
    return [
      k,
      String(x.launches),
      String(x.lines),
      String(x.realised),
      x.forecast.toFixed(1),
      x.mdp.toFixed(1),
      x.walk.toFixed(1),
      r(x.forecast, x.realised),
      r(x.mdp, x.realised),
      r(x.walk, x.realised),
    ];
  }),
);
const all = KINDS.map(at);
const sum = (f: (x: Kind) => number) => all.reduce((a, x) => a + f(x), 0);
const real = sum((x) => x.realised);
// The alternatives for the whole run: the hybrid's launches forecast by the MDP (or the walk) for all their lines, the others by their own.
const alt = (f: (x: Kind) => number) =>
  r(
    sum((x) => (x === at('other') ? x.forecast : f(x))),
    real,
  );
console.log(
  `all launches: forecast ÷ realised ${r(
    sum((x) => x.forecast),
    real,
  )}; the hybrid's by the MDP ${alt((x) => x.mdp)}, by the walk ${alt((x) => x.walk)}`,
);
console.log(`abandons ${totalAbandons}, unattributed ${unattributed}`);
