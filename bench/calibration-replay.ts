// `tsx --conditions=@paceline/source bench/calibration-replay.ts [SEED] [EVERY] [REPS]`: on itc-20
// (exponential talk, no wrap-up, no greeting: a state the replay can continue exactly), sample the
// predictive pacer's launch decisions and price each launch by Monte Carlo under the simulator's
// own rules (FIFO callers, 2-s grace, no further launches), beside the walk's price. A diagnostic
// for docs/pacing.md's calibration section, not a recorded bench.
import { AgentState } from '@paceline/core';
import { assessLaunch, createCampaignPacer, type PacerState } from '@paceline/pacing';
import { runSimulation } from '@paceline/sim';
import { loadScenarios, simulationOf } from './scenario';

const GRACE = 2_000;
const TALK = 90_000;
const P = 1 / 3;
const lognormal = (mean: number, cv: number) => {
  const s2 = Math.log(1 + cv * cv);
  return { mu: Math.log(mean) - s2 / 2, sigma: Math.sqrt(s2) };
};
const ANSWER = lognormal(10_000, 0.25);
const FAILED = lognormal(20_000, 0.25);

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
const survival = (d: { mu: number; sigma: number }, x: number) => (x <= 0 ? 1 : 0.5 * erfc((Math.log(x) - d.mu) / (d.sigma * Math.SQRT2)));

/** Small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
const sampleLn = (d: { mu: number; sigma: number }, r: () => number) => Math.exp(d.mu + d.sigma * gauss(r));
function sampleAbove(d: { mu: number; sigma: number }, g: number, r: () => number): number {
  for (let i = 0; i < 200; i++) {
    const x = sampleLn(d, r);
    if (x > g) return x;
  }
  return g + 250;
}

interface Snapshot {
  ready: number;
  busy: number;
  waiting: number;
  pendingAges: number[];
  launch: number;
  walk: number[]; // raw walk price for n = 1..launch
  base: number;
}

/** Expected abandons over the calls present (and `n` new ones) with no further launches, by Monte Carlo. */
function replay(s: Snapshot, maxN: number, reps: number, seed: number): number[] {
  const sums = new Array<number>(maxN + 1).fill(0);
  for (let rep = 0; rep < reps; rep++) {
    const r = rng(seed * 7919 + rep);
    // Present callers' arrival times (ms from now); agents' free times.
    const callers: number[] = [];
    for (let i = 0; i < s.waiting; i++) callers.push(-GRACE / 2);
    for (const g of s.pendingAges) {
      const wl = P * survival(ANSWER, g);
      const wf = (1 - P) * survival(FAILED, g);
      if (r() * (wl + wf) < wl) callers.push(sampleAbove(ANSWER, g, r) - g);
    }
    const free: number[] = [];
    for (let i = 0; i < s.ready; i++) free.push(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < s.busy; i++) free.push(-TALK * Math.log(1 - r()));
    const talks = Array.from({ length: 64 }, () => -TALK * Math.log(1 - r()));
    const extra: number[] = [];
    for (let i = 0; i < maxN; i++) extra.push(r() < P ? sampleLn(ANSWER, r) : Number.NaN);
    for (let n = 0; n <= maxN; n++) {
      const all = callers.concat(extra.slice(0, n).filter((x) => !Number.isNaN(x))).sort((a, b) => a - b);
      const f = free.slice();
      let lost = 0;
      let t = 0;
      for (const a of all) {
        let best = -1;
        for (let i = 0; i < f.length; i++) if (best < 0 || (f[i] as number) < (f[best] as number)) best = i;
        if (best >= 0 && (f[best] as number) <= a + GRACE) {
          f[best] = Math.max(f[best] as number, a) + (talks[t++ % talks.length] as number);
        } else lost++;
      }
      sums[n] = (sums[n] as number) + lost;
    }
  }
  return sums.map((x) => x / reps);
}

function main(): void {
  const seed = Number(process.argv[2] ?? 101);
  const every = Number(process.argv[3] ?? 40);
  const reps = Number(process.argv[4] ?? 1500);
  const scenario = loadScenarios().find((s) => s.name === 'itc-20');
  if (scenario === undefined) throw new Error('itc-20 missing');
  const campaign = createCampaignPacer({ dialMode: 'predictive' });
  const snaps: Snapshot[] = [];
  let launches = 0;
  let walkAll = 0;
  const wrapped = {
    ...campaign,
    decide(o: Parameters<typeof campaign.decide>[0]) {
      const d = campaign.decide(o);
      const est = campaign.estimators.estimates();
      if (d.launch <= 0 || !est.warm) return d;
      const state: PacerState = {
        now: o.now,
        agents: o.agents,
        calls: o.calls,
        options: o.campaign.pacing,
        abandons: { liveAnswers: o.liveAnswers, abandoned: o.abandoned, windowMs: o.windowMs },
        estimates: est,
      };
      walkAll += assessLaunch(state, d.launch).expectedAbandons;
      if (launches++ % every !== 0) return d;
      let ready = 0;
      let busy = 0;
      for (const a of o.agents) {
        if (a.leaving === true) continue;
        if (a.state === AgentState.Ready) ready++;
        else if (a.state === AgentState.OnCall || a.state === AgentState.Reserved || a.state === AgentState.WrapUp) busy++;
      }
      const pendingAges: number[] = [];
      let waiting = 0;
      for (const c of o.calls) {
        if (c.phase === 'waiting') waiting++;
        else if (c.phase !== 'analysing') pendingAges.push(c.ageMs);
      }
      if (process.env.TERMS && launches % (every * 10) === 1) {
        const K = est.horizons;
        const hK = est.horizonMs[K - 1] as number;
        const rows = pendingAges.map((g) => {
          const row = Math.floor(g / est.pendingBinMs);
          const walkP = row < est.pendingBins ? (est.pendingLive[row * K + K - 1] as number) : 0;
          const wl = P * survival(ANSWER, g);
          const wf = (1 - P) * survival(FAILED, g);
          const trueP = (P * (survival(ANSWER, g) - survival(ANSWER, g + hK))) / (wl + wf);
          return `${(g / 1000).toFixed(1)}s:${walkP.toFixed(3)}/${trueP.toFixed(3)}`;
        });
        console.log(
          `steps ${Array.from(est.horizonMs)
            .map((h) => (h / 1000).toFixed(1))
            .join(',')} newLive ${Array.from(est.newLiveByStep)
            .map((x) => x.toFixed(3))
            .join(',')}`,
        );
        console.log(`pending (age: walk/true P(live by hK)) ${rows.join(' ')}`);
        const a0 = Array.from({ length: K }, (_, k) => (est.handleFree[0 * K + k] as number).toFixed(3)).join(',');
        const a60 = Array.from({ length: K }, (_, k) => (est.handleFree[60 * K + k] as number).toFixed(3)).join(',');
        console.log(`agent free by step (row 0) ${a0}; (row 60) ${a60}; true by hK+2: ${(1 - Math.exp(-(hK + GRACE) / TALK)).toFixed(3)}`);
      }
      const walk: number[] = [];
      for (let n = 1; n <= d.launch; n++) walk.push(assessLaunch(state, n).expectedAbandons);
      snaps.push({ ready, busy, waiting, pendingAges, launch: d.launch, walk, base: assessLaunch(state, 0).baselineAbandons });
      return d;
    },
  };
  const result = runSimulation(simulationOf(scenario, seed, wrapped));
  let walk = 0;
  let mc = 0;
  let walk1 = 0;
  let mc1 = 0;
  let mcBase = 0;
  const bands = new Map<string, { n: number; walk: number; mc: number }>();
  snaps.forEach((s, i) => {
    const e = replay(s, s.launch, reps, i + 1);
    const price = (e[s.launch] as number) - (e[0] as number);
    walk += s.walk[s.launch - 1] as number;
    mc += price;
    walk1 += s.walk[0] as number;
    mc1 += (e[1] as number) - (e[0] as number);
    mcBase += e[0] as number;
    const w1 = s.walk[0] as number;
    const key = w1 < 0.005 ? '<0.005' : w1 < 0.01 ? '0.005-0.01' : w1 < 0.02 ? '0.01-0.02' : w1 < 0.05 ? '0.02-0.05' : '≥0.05';
    const b = bands.get(key) ?? { n: 0, walk: 0, mc: 0 };
    b.n++;
    b.walk += w1;
    b.mc += (e[1] as number) - (e[0] as number);
    bands.set(key, b);
    if (process.env.DETAIL && i % 4 === 0)
      console.log(
        `ready ${s.ready} busy ${s.busy} waiting ${s.waiting} pending ${s.pendingAges.length} (young<5s ${s.pendingAges.filter((g) => g < 5000).length}) launch ${s.launch}: walk1 ${w1.toFixed(4)} replay1 ${((e[1] as number) - (e[0] as number)).toFixed(4)} base walk ${s.base.toFixed(3)} replay ${(e[0] as number).toFixed(3)}`,
      );
  });
  console.log(`itc-20 seed ${seed}: ${launches} warm launches, ${snaps.length} replayed (${reps} reps each)`);
  console.log(
    `run: abandoned ${result.counters.abandoned}, Σ walk price (all launches) ${walkAll.toFixed(1)} → ratio ${(walkAll / result.counters.abandoned).toFixed(3)}`,
  );
  console.log(`sampled: Σ walk price ${walk.toFixed(2)}, Σ replay price ${mc.toFixed(2)} → walk ÷ replay ${(walk / mc).toFixed(3)}`);
  console.log(
    `first call: walk ${walk1.toFixed(2)}, replay ${mc1.toFixed(2)} → ${(walk1 / mc1).toFixed(3)}; replay baseline ${mcBase.toFixed(2)}`,
  );
  for (const [k, b] of [...bands].sort())
    console.log(`  walk band ${k}: n ${b.n}, walk ${b.walk.toFixed(3)}, replay ${b.mc.toFixed(3)}, ratio ${(b.walk / b.mc).toFixed(3)}`);
}

main();
