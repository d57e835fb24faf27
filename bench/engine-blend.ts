// `pnpm bench:engine-blend` (issue 23, 23-wire2): the engine's blend on the virtual clock and the sim trunk — the
// opt-in `inboundModel: 'demand'` (the simulator's blend: inbound as demand, the abandon budget spread over the
// calling day, the day guard) against the engine's default `hold` on the same seeds, one 8-hour 09:00–17:00 day each.
// Prints a table and writes bench/results/engine-blend.json. Options: --seeds N (default 3), --first-seed N (default 11),
// --agents N (default 8), --inbound N (calls per hour, default 60). `--scenario heavy` (23-router): bench:blend's
// blend-20-heavy through the engine — 20 agents, its hourly inbound profile (150–210 calls/h, about 60% of the work),
// its inbound talk (lognormal, mean 200 s, cv 0.7) — with the engine tests' outbound list, talk and wrap-up (not the
// scenario's own mix); written to bench/results/engine-blend-heavy.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BlendRunResult, HOUR, NY_MIDNIGHT, runBlendDay } from '../packages/engine/test/inbound/blend-run';
import { printTable } from './support/table';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`bench:engine-blend: --${name} expects a whole number, got ${process.argv[i + 1]}`);
  return value;
};
const scenarioAt = process.argv.indexOf('--scenario');
const scenario = scenarioAt >= 0 ? process.argv[scenarioAt + 1] : 'flat';
if (scenario !== 'flat' && scenario !== 'heavy') throw new Error(`bench:engine-blend: --scenario expects flat or heavy, got ${scenario}`);
const heavy = scenario === 'heavy';
/** blend-20-heavy's arrivals per hour from 09:00 (bench/scenarios/blend/blend-20-heavy.json). */
const HEAVY_RATES = [150, 190, 210, 180, 160, 180, 190, 150];
const seeds = arg('seeds', 3);
const firstSeed = arg('first-seed', 11);
const agents = arg('agents', heavy ? 20 : 8);
const inboundPerHour = arg('inbound', 60);
const open = NY_MIDNIGHT + 9 * HOUR;

interface Row {
  readonly seed: number;
  readonly model: 'demand' | 'hold';
  readonly outboundLiveAnswers: number;
  readonly outboundAbandonRate: number;
  readonly inboundServiceLevel: number;
  readonly inboundAnswered: number;
  readonly inboundAbandoned: number;
  readonly dials: number;
  readonly reasons: Record<string, number>;
}

const summarise = (seed: number, model: Row['model'], r: BlendRunResult): Row => ({
  seed,
  model,
  outboundLiveAnswers: r.liveAnswers,
  outboundAbandonRate: r.liveAnswers > 0 ? r.abandoned / r.liveAnswers : 0,
  inboundServiceLevel: r.inboundAnsweredInTarget / Math.max(1, r.inboundAnswered + r.inboundAbandoned),
  inboundAnswered: r.inboundAnswered,
  inboundAbandoned: r.inboundAbandoned,
  dials: r.dials,
  reasons: Object.fromEntries(r.reasons),
});

const rows: Row[] = [];
for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
  for (const model of ['demand', 'hold'] as const) {
    const r = await runBlendDay({
      seed,
      startAt: open,
      until: open + 8 * HOUR,
      agents,
      inboundPerHour,
      model,
      hours: { start: '09:00', end: '17:00' },
      ...(heavy
        ? {
            inboundRatesByHour: [...Array<number>(9).fill(0), ...HEAVY_RATES, ...Array<number>(7).fill(0)],
            // lognormal with mean 200 s, cv 0.7: σ = √ln(1 + 0.49), median = mean / e^(σ²/2).
            inboundHandle: { kind: 'lognormal', medianMs: 200_000 / Math.sqrt(1.49), sigma: Math.sqrt(Math.log(1.49)) },
          }
        : {}),
    });
    rows.push(summarise(seed, model, r));
  }
}
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
printTable(
  `engine blend: ${agents} agents, ${heavy ? 'blend-20-heavy arrivals (150–210' : inboundPerHour} inbound calls/h${heavy ? ')' : ''}, 8-h day, seeds ${firstSeed}–${firstSeed + seeds - 1}`,
  ['seed', 'model', 'live answers', 'vs hold', 'abandon (day)', 'inbound SL', 'inbound abandons', 'dials'],
  rows.map((row) => {
    const hold = rows.find((x) => x.seed === row.seed && x.model === 'hold');
    const ratio = hold && hold.outboundLiveAnswers > 0 ? row.outboundLiveAnswers / hold.outboundLiveAnswers : Number.NaN;
    return [
      row.seed,
      row.model,
      row.outboundLiveAnswers,
      ratio.toFixed(3),
      pct(row.outboundAbandonRate),
      pct(row.inboundServiceLevel),
      row.inboundAbandoned,
      row.dials,
    ];
  }),
);
const mean = (model: Row['model'], f: (r: Row) => number) => {
  const xs = rows.filter((r) => r.model === model).map(f);
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
};
const liveRatio =
  mean('demand', (r) => r.outboundLiveAnswers) /
  Math.max(
    1,
    mean('hold', (r) => r.outboundLiveAnswers),
  );
console.log(`\nmean live answers, demand ÷ hold: ${liveRatio.toFixed(3)}`);
const out = join(dirname(fileURLToPath(import.meta.url)), 'results', heavy ? 'engine-blend-heavy.json' : 'engine-blend.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ setup: { scenario, agents, inboundPerHour: heavy ? HEAVY_RATES : inboundPerHour, hours: '09:00–17:00 America/New_York', seeds: { first: firstSeed, count: seeds } }, liveRatioDemandOverHold: liveRatio, results: rows }, null, 2)}\n`,
);
console.log(`wrote ${out}`);
