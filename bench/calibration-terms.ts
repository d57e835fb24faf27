// `tsx --conditions=@paceline/source bench/calibration-terms.ts SCENARIO [SEEDS] [FIRST]`: where
// the predictive model's abandon forecast parts from the simulator's truth. Every warm decision
// of the predictive pacer is dumped as (state, prediction) and, after the run, set against what
// happened over the walk's horizon: each busy agent's chance to be free (ready for a call) by
// the last horizon + 2 s, each unanswered call's chance to be live by the last horizon, the
// new calls' live chance, and the walk's expected abandons (without and with the launch) against
// the abandons that really fell in that window. Sums are printed per state bucket (ready agents,
// lines in flight per agent at work). A diagnostic for docs/pacing.md, not a recorded bench.
import { AgentState } from '@paceline/core';
import { assessLaunch, createCampaignPacer, type ModelEstimates, predictivePacer } from '@paceline/pacing';
import { type SimAgent, type SimCall, Simulation } from '@paceline/sim';
import { withMarkovianVariants } from './optimum/markovian-variant';
import { loadScenarios, simulationOf } from './scenario';

interface Sums {
  decisions: number;
  supplyPred: number;
  supplyReal: number;
  pendingPred: number;
  pendingReal: number;
  analysingPred: number;
  analysingReal: number;
  newPred: number;
  newReal: number;
  basePred: number;
  launchPred: number;
  windowReal: number;
}

const zero = (): Sums => ({
  decisions: 0,
  supplyPred: 0,
  supplyReal: 0,
  pendingPred: 0,
  pendingReal: 0,
  analysingPred: 0,
  analysingReal: 0,
  newPred: 0,
  newReal: 0,
  basePred: 0,
  launchPred: 0,
  windowReal: 0,
});

interface Pending {
  t: number;
  end: number;
  bucket: string;
  agents: { id: string; p: number; p0: number }[];
  calls: { call: SimCall; p: number; analysing: boolean }[];
  newFrom: number;
  waiting: SimCall[];
  newCount: number;
  newP: number;
  base: number;
  launch: number;
  abandonedAt: number;
}

const GRACE = 2_000;

function run(name: string, seed: number, buckets: Map<string, Sums>): void {
  const scenario = withMarkovianVariants(loadScenarios()).find((s) => s.name === name);
  if (scenario === undefined) throw new Error(`unknown scenario ${name}`);
  const campaign = createCampaignPacer(
    { dialMode: 'predictive' },
    { pacer: predictivePacer(), estimators: { horizons: Number(process.env.HORIZONS ?? 4) } },
  );
  const pending: Pending[] = [];
  const readyAt = new Map<string, number[]>();
  const seen = new Map<number, SimCall>();
  const abandonSeries: { t: number; n: number }[] = [];
  let maxId = 0;
  const jump = { launch: 0, pending: 0 };
  // One-step drift of the model's expected abandons: F(next state) − F(now, with the launch) + abandons between;
  // zero on average for a correct model. Summed per what happened in between.
  const flags = { ready: 0, connect: 0 };
  let prev: { fPlus: number; abandoned: number; calls: SimCall[] } | undefined;
  const drift = new Map<string, { n: number; d: number; ab: number }>();
  // Own outcome of every launched call, with the per-call predicted marginal of its batch.
  const open = new Set<SimCall>();
  const marginalOf = new Map<number, number>();
  const own = { calls: 0, predicted: 0, abandoned: 0, live: 0, byBand: new Map<string, { n: number; pred: number; ab: number }>() };
  const band = (m: number) =>
    m < 0.002 ? '<0.002' : m < 0.005 ? '0.002-0.005' : m < 0.01 ? '0.005-0.01' : m < 0.02 ? '0.01-0.02' : '≥0.02';
  const abandonedCalls = new Set<SimCall>();
  const settle = (c: SimCall, abandoned: boolean) => {
    open.delete(c);
    if (abandoned) abandonedCalls.add(c);
    const id = Number(c.id.slice(1));
    const m = marginalOf.get(id);
    if (m === undefined) return;
    const b = own.byBand.get(band(m)) ?? { n: 0, pred: 0, ab: 0 };
    own.byBand.set(band(m), b);
    b.n++;
    b.pred += m;
    if (abandoned) {
      abandonedCalls.add(c);
      b.ab++;
      own.abandoned++;
    }
  };
  const sweep = (atConnect: boolean) => {
    for (const c of open) {
      if (c.slot !== -1) continue;
      if (c.greetingEndAt > 0) settle(c, !atConnect);
      else if (!atConnect) settle(c, false);
    }
  };
  const wrapped = {
    ...campaign,
    decide(observation: Parameters<typeof campaign.decide>[0]) {
      sweep(false);
      for (const c of observation.calls) {
        const id = Number(c.id.slice(1));
        if (!seen.has(id)) open.add(c as SimCall);
        seen.set(id, c as SimCall);
        if (id > maxId) maxId = id;
      }
      abandonSeries.push({ t: observation.now, n: observation.abandoned });
      const d = campaign.decide(observation);
      const est: ModelEstimates = campaign.estimators.estimates();
      if (!est.warm || est.horizons === 0) return d;
      const K = est.horizons;
      const h = est.horizonMs[K - 1] as number;
      const state = {
        now: observation.now,
        agents: observation.agents,
        calls: observation.calls,
        options: observation.campaign.pacing,
        abandons: { liveAnswers: observation.liveAnswers, abandoned: observation.abandoned, windowMs: observation.windowMs },
        estimates: est,
      };
      const a = assessLaunch(state, d.launch);
      if (prev !== undefined) {
        const ab = observation.abandoned - prev.abandoned;
        const nonLive = prev.calls.filter((c) => c.slot === -1 && c.greetingEndAt === 0).length;
        const live = prev.calls.filter((c) => c.greetingEndAt > 0 && c.slot === -1).length;
        const kind =
          `${ab > 0 ? 'abandon ' : ''}${flags.ready > 0 ? 'ready ' : ''}${live > 0 ? 'live ' : ''}${nonLive > 0 ? 'nonlive ' : ''}` ||
          'tick';
        const e = drift.get(kind) ?? { n: 0, d: 0, ab: 0 };
        drift.set(kind, e);
        e.n++;
        e.d += a.baselineAbandons - prev.fPlus + ab;
        e.ab += ab;
      }
      flags.ready = 0;
      flags.connect = 0;
      prev = {
        fPlus: a.baselineAbandons + a.expectedAbandons,
        abandoned: observation.abandoned,
        calls: observation.calls.map((c) => c as SimCall),
      };
      let ready = 0;
      let working = 0;
      const agents: { id: string; p: number; p0: number }[] = [];
      for (const ag of observation.agents) {
        if (ag.leaving === true) continue;
        if (ag.state === AgentState.Ready) {
          ready++;
          working++;
        } else if (ag.state === AgentState.OnCall || ag.state === AgentState.WrapUp) {
          working++;
          const wrap = ag.state === AgentState.WrapUp;
          const binMs = wrap ? est.wrapBinMs : est.handleBinMs;
          const bins = wrap ? est.wrapBins : est.handleBins;
          const row = Math.min(Math.floor(ag.timeInStateMs / binMs), bins);
          const tab = wrap ? est.wrapFree : est.handleFree;
          agents.push({ id: ag.id, p: (tab[row * K + K - 1] as number) ?? 0, p0: (tab[row * K] as number) ?? 0 });
        }
      }
      const calls: { call: SimCall; p: number; analysing: boolean }[] = [];
      const waitingNow: SimCall[] = [];
      for (const c of observation.calls) {
        if (c.phase === 'waiting') {
          waitingNow.push(c as SimCall);
          continue;
        }
        if (c.phase === 'analysing') {
          calls.push({ call: c as SimCall, p: est.liveGivenAnswered, analysing: true });
          continue;
        }
        const row = Math.floor(c.ageMs / est.pendingBinMs);
        const p = row < est.pendingBins ? (est.pendingLive[row * K + K - 1] as number) : 0;
        calls.push({ call: c as SimCall, p, analysing: false });
      }
      const perAgent = working > 0 ? observation.calls.length / working : 0;
      const bucket = `ready ${Math.min(ready, 3)}${ready >= 3 ? '+' : ' '} | lines/agent ${perAgent < 0.5 ? '<0.5' : perAgent < 1 ? '0.5-1' : perAgent < 1.5 ? '1-1.5' : '≥1.5'}`;
      pending.push({
        t: observation.now,
        end: observation.now + h,
        bucket,
        agents,
        calls,
        waiting: waitingNow,
        newFrom: maxId + 1,
        newCount: d.launch,
        newP: est.newLiveByHorizon[K - 1] as number,
        base: a.baselineAbandons,
        launch: a.expectedAbandons,
        abandonedAt: observation.abandoned,
      });
      if (d.launch > 0) {
        const asPending = [...observation.calls];
        for (let i = 0; i < d.launch; i++) asPending.push({ id: 'x', ageMs: 0, phase: 'ringing' });
        const after = assessLaunch({ ...state, calls: asPending }, 0).baselineAbandons;
        jump.launch += a.expectedAbandons;
        jump.pending += after - a.baselineAbandons;
      }
      for (let i = 1; i <= d.launch; i++) marginalOf.set(maxId + i, a.expectedAbandons / d.launch);
      own.predicted += a.expectedAbandons;
      maxId += d.launch;
      return d;
    },
  };
  const sim = new Simulation(simulationOf(scenario, seed, wrapped));
  const dialer = sim.dialer;
  sim.roster.listen({
    agentReady(agent: SimAgent) {
      flags.ready++;
      const list = readyAt.get(agent.id) ?? [];
      list.push(sim.clock.now());
      readyAt.set(agent.id, list);
      dialer.agentReady(agent);
    },
  });
  const transition = sim.roster.transition.bind(sim.roster);
  sim.roster.transition = (agent: SimAgent, st: AgentState) => {
    transition(agent, st);
    if (st === AgentState.OnCall) sweep(true);
  };
  sim.run();
  console.log(
    `seed ${seed}: Σ predicted launch abandons ${own.predicted.toFixed(1)}, run abandons ${sim.dialer.counters.abandoned} (calibration ${(own.predicted / sim.dialer.counters.abandoned).toFixed(3)}); launched calls' own abandons ${own.abandoned}`,
  );
  for (const [k, e] of [...drift.entries()].sort())
    console.log(`  drift after ${k}: intervals ${e.n}, Σ drift ${e.d.toFixed(1)}, abandons ${e.ab}`);
  console.log(`  the batch as a new launch ${jump.launch.toFixed(1)} vs the same calls as pending of age 0: ${jump.pending.toFixed(1)}`);
  for (const [k, b] of [...own.byBand.entries()].sort())
    console.log(`  per-call marginal ${k}: calls ${b.n}, predicted ${b.pred.toFixed(1)}, own abandons ${b.ab}`);
  // Abandons counted by the first decision at or after a time (decisions tick every second).
  const abandonedBy = (time: number): number | undefined => {
    let lo = 0;
    let hi = abandonSeries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((abandonSeries[mid] as { t: number }).t < time) lo = mid + 1;
      else hi = mid;
    }
    return abandonSeries[lo]?.n;
  };
  const firstReadyAfter = (id: string, t: number): number => {
    const list = readyAt.get(id);
    if (list === undefined) return Number.POSITIVE_INFINITY;
    for (const r of list) if (r > t) return r;
    return Number.POSITIVE_INFINITY;
  };
  const early = { pred: 0, real: 0 };
  const present = { pred: 0, real: 0 };
  for (const p of pending) {
    const after = abandonedBy(p.end + GRACE);
    if (after === undefined) continue;
    const s = buckets.get(p.bucket) ?? zero();
    buckets.set(p.bucket, s);
    s.decisions++;
    for (const ag of p.agents) {
      s.supplyPred += ag.p;
      if (firstReadyAfter(ag.id, p.t) <= p.end + GRACE) s.supplyReal++;
      early.pred += ag.p0;
      if (firstReadyAfter(ag.id, p.t) <= p.t + GRACE) early.real++;
    }
    for (const c of p.calls) {
      const live = c.call.greetingEndAt > 0 && c.call.greetingEndAt <= p.end;
      if (c.analysing) {
        s.analysingPred += c.p;
        if (live) s.analysingReal++;
      } else {
        s.pendingPred += c.p;
        if (live) s.pendingReal++;
      }
    }
    for (let id = p.newFrom; id < p.newFrom + p.newCount; id++) {
      s.newPred += p.newP;
      const c = seen.get(id);
      if (c !== undefined && c.greetingEndAt > 0 && c.greetingEndAt <= p.end) s.newReal++;
    }
    s.basePred += p.base;
    s.launchPred += p.launch;
    s.windowReal += after - p.abandonedAt;
    present.pred += p.base;
    for (const c of p.calls) if (abandonedCalls.has(c.call) && c.call.greetingEndAt <= p.end) present.real++;
    for (const c of p.waiting) if (abandonedCalls.has(c)) present.real++;
  }
  console.log(
    `  walk without launch ${present.pred.toFixed(1)} vs abandons of the calls already there (answering in the window) ${present.real}`,
  );
  console.log(`  agents free within 2 s: predicted ${early.pred.toFixed(1)}, realised ${early.real}`);
}

const [name = 'itc-20', seedsArg = '1', firstArg = '101'] = process.argv.slice(2);
const buckets = new Map<string, Sums>();
for (let i = 0; i < Number(seedsArg); i++) run(name, Number(firstArg) + i, buckets);
const total = zero();
const r = (a: number, b: number) => (b > 0 ? (a / b).toFixed(3) : '—');
console.log(`${name}: predicted ÷ realised per term (window = now … last horizon; agents +2 s)`);
console.log(
  'bucket | decisions | supply | pending live | analysing live | new live | walk abandons (no launch, +launch) ÷ window abandons',
);
for (const [bucket, s] of [...buckets.entries()].sort()) {
  for (const k of Object.keys(total) as (keyof Sums)[]) total[k] += s[k];
  console.log(
    `${bucket} | ${s.decisions} | ${r(s.supplyPred, s.supplyReal)} (${s.supplyReal}) | ${r(s.pendingPred, s.pendingReal)} (${s.pendingReal}) | ${r(s.analysingPred, s.analysingReal)} (${s.analysingReal}) | ${r(s.newPred, s.newReal)} (${s.newReal}) | ${r(s.basePred, s.windowReal)}, ${r(s.basePred + s.launchPred, s.windowReal)} (${s.windowReal})`,
  );
}
const s = total;
console.log(
  `all | ${s.decisions} | ${r(s.supplyPred, s.supplyReal)} | ${r(s.pendingPred, s.pendingReal)} | ${r(s.analysingPred, s.analysingReal)} | ${r(s.newPred, s.newReal)} | ${r(s.basePred, s.windowReal)}, ${r(s.basePred + s.launchPred, s.windowReal)}`,
);
