// Diagnostic: the predictive pacer's calibration hour by hour (predicted ÷ realised abandons,
// the raw walk's, and the estimators' live rate against the launches' realised one) — where in
// the day a forecast goes wrong (midday-drop: the hour of the drop).
// `tsx --conditions=@paceline/source bench/calibration-hourly.ts SCENARIO [SEEDS] [FIRST] [THRESHOLD]`
// (THRESHOLD: the estimators' `liveRateChangeThreshold`; 0 is the plain half-life of before the change test).
import { assessLaunch, type CampaignPacer, createCampaignPacer, predictivePacer } from '@paceline/pacing';
import { runSimulation } from '@paceline/sim';
import { loadScenarios, simulationOf } from './scenario';
import { launchInput } from './support/pacing-runs';
import { printTable } from './support/table';

interface Hour {
  predicted: number;
  predictedRaw: number;
  realised: number;
  launched: number;
  pLiveSum: number;
  decisions: number;
  scaleSum: number;
}

const [name = 'midday-drop', seedsArg = '2', firstArg = '101', thresholdArg] = process.argv.slice(2);
const scenario = loadScenarios().find((s) => s.name === name);
if (scenario === undefined) throw new Error(`unknown scenario "${name}"`);
const hours = new Map<number, Hour>();
const cuts: number[] = [];
const hourOf = (t: number, start: number) => Math.floor((t - start) / 3_600_000);
const at = (h: number): Hour => {
  let x = hours.get(h);
  if (x === undefined) {
    x = { predicted: 0, predictedRaw: 0, realised: 0, launched: 0, pLiveSum: 0, decisions: 0, scaleSum: 0 };
    hours.set(h, x);
  }
  return x;
};

for (let seed = Number(firstArg); seed < Number(firstArg) + Number(seedsArg); seed++) {
  const inner = createCampaignPacer(
    { dialMode: 'predictive' },
    { pacer: predictivePacer(), ...(thresholdArg === undefined ? {} : { estimators: { liveRateChangeThreshold: Number(thresholdArg) } }) },
  );
  let start: number | undefined;
  let lastAbandoned = 0;
  const pacer: CampaignPacer = {
    ...inner,
    decide(observation) {
      start ??= observation.now;
      const h = at(hourOf(observation.now, start));
      if (observation.abandoned > lastAbandoned) h.realised += observation.abandoned - lastAbandoned;
      lastAbandoned = observation.abandoned;
      const scale = inner.forecastScale?.() ?? 1;
      const d = inner.decide(observation);
      const estimates = inner.estimators.estimates();
      if (estimates.warm) {
        h.pLiveSum += estimates.liveProbability;
        h.decisions++;
        h.scaleSum += scale;
      }
      if (d.launch > 0 && estimates.warm) {
        const e = assessLaunch(launchInput(observation, estimates, scale), d.launch).expectedAbandons;
        h.predicted += e;
        h.predictedRaw += e / scale;
        h.launched += d.launch;
      }
      return d;
    },
  };
  runSimulation(simulationOf(scenario, seed, pacer));
  cuts.push(inner.estimators.liveRateChanges);
}

const rows = [...hours.entries()]
  .sort((a, b) => a[0] - b[0])
  .map(([h, x]) => [
    String(h),
    x.predicted.toFixed(1),
    x.predictedRaw.toFixed(1),
    String(x.realised),
    x.realised > 0 ? (x.predicted / x.realised).toFixed(2) : '—',
    x.realised > 0 ? (x.predictedRaw / x.realised).toFixed(2) : '—',
    x.decisions > 0 ? (x.pLiveSum / x.decisions).toFixed(3) : '—',
    x.decisions > 0 ? (x.scaleSum / x.decisions).toFixed(2) : '—',
    String(x.launched),
  ]);
const total = [...hours.values()].reduce((a, x) => ({ p: a.p + x.predicted, r: a.r + x.realised, raw: a.raw + x.predictedRaw }), {
  p: 0,
  r: 0,
  raw: 0,
});
printTable(
  `${name}, seeds ${firstArg}–${Number(firstArg) + Number(seedsArg) - 1}: calibration by hour of the run`,
  ['hour', 'predicted', 'raw', 'realised', 'pred÷real', 'raw÷real', 'mean est. pLive', 'mean scale', 'launched'],
  rows,
);
console.log(`live-rate changes detected per run: ${cuts.join(', ')}`);
console.log(`total: predicted ÷ realised ${(total.p / total.r).toFixed(3)} (raw ${(total.raw / total.r).toFixed(3)})`);
