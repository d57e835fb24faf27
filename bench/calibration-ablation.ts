// `tsx --conditions=@paceline/source bench/calibration-ablation.ts [SCENARIO] [VARIANT] [SEEDS] [FIRST] [PACER]`:
// the predictive forecast's predicted ÷ realised abandons on a scenario with one feature taken out
// (VARIANT: base, noamd, nogreet, nobreaks, exptalk, expwrap; join with +), to find which feature a
// forecast bias comes from. A diagnostic for docs/pacing.md's calibration section, not a recorded bench.
import { loadScenarios, type Scenario } from './scenario';
import { runJob } from './support/pacing-runs';

type Model = Scenario['model']['base'];
type Shift = Scenario['shifts'][number];

const FEATURES: Record<string, (model: Model, shifts: Shift[]) => void> = {
  base: () => {},
  noamd: (m) => Object.assign(m, { amd: { falseMachine: 0, falseHuman: 0 } }),
  nogreet: (m) => Object.assign(m, { greeting: { kind: 'constant', valueMs: 0 } }),
  nobreaks: (_, shifts) => {
    for (const s of shifts) Object.assign(s, { breaks: [], staggerMinutes: 0 });
  },
  exptalk: (m) => Object.assign(m, { talk: { kind: 'exponential', meanMs: meanOf(m.talk) } }),
  expwrap: (_, shifts) => {
    for (const s of shifts) if (s.wrap !== undefined) Object.assign(s, { wrap: { kind: 'exponential', meanMs: meanOf(s.wrap) } });
  },
};

function meanOf(spec: unknown): number {
  const s = spec as { meanMs?: number; valueMs?: number };
  return s.meanMs ?? s.valueMs ?? 0;
}

const [name = 'small-team-5', variant = 'base', seedsArg = '8', firstArg = '1', pacer = 'predictive-small-exact'] = process.argv.slice(2);
const found = loadScenarios().find((s) => s.name === name);
if (found === undefined) throw new Error(`unknown scenario "${name}"`);
const scenario = structuredClone(found) as Scenario;
for (const v of variant.split('+')) {
  const change = FEATURES[v];
  if (change === undefined) throw new Error(`unknown variant "${v}"; known: ${Object.keys(FEATURES).join(', ')}`);
  change(scenario.model.base, scenario.shifts as Shift[]);
}
let predicted = 0;
let raw = 0;
let abandoned = 0;
let live = 0;
let talk = 0;
let loggedIn = 0;
for (let i = 0; i < Number(seedsArg); i++) {
  const r = await runJob(scenario, { scenario: name, pacer, seed: Number(firstArg) + i });
  predicted += r.predictedAbandons;
  raw += r.predictedRawAbandons;
  abandoned += r.abandoned;
  live += r.liveAnswers;
  talk += r.talkMs;
  loggedIn += r.loggedInMs;
}
const round = (x: number, d: number) => Number(x.toFixed(d));
console.log(
  JSON.stringify({
    scenario: name,
    variant,
    pacer,
    seeds: Number(seedsArg),
    talk: round(talk / loggedIn, 4),
    abandonRate: round(abandoned / live, 4),
    abandoned,
    calibration: round(predicted / abandoned, 3),
    calibrationRaw: round(raw / abandoned, 3),
  }),
);
