import { loadScenarios } from '/work/wt-22/bench/scenario';
import { markovianVariant, solverFor } from '/work/wt-22/bench/optimum/markovian-variant';
for (const name of ['small-team-3','small-team-5','team-10','itc-20']) {
  const base = loadScenarios().find((s) => s.name === name)!;
  const v = markovianVariant(base);
  for (const full of [false, true]) {
    const t0 = performance.now();
    const solver = solverFor(v, full);
    const o = solver.optimum(0.03);
    const o0 = solver.optimum(0.0);
    console.log(name, full ? 'full' : 'obs', solver.space.size, 'states', o.talkFraction.toFixed(4), (o.abandonRate*100).toFixed(2)+'%', 'at0', o0.talkFraction.toFixed(4), ((performance.now()-t0)/1000).toFixed(1)+'s');
  }
}
