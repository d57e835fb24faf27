import { MarkovDialerMdp } from '@paceline/pacing';
import { describe, expect, it } from 'vitest';
import { decisionLosses, type ObservedDecision } from '../optimum/decision-values';

// issue-22 22-st3m: the decisions' losses priced by the MDP's relative values must add up to the gap
// between the optimum and the policy that made them (the performance-difference identity). Checked
// exactly on a small dialer: a progressive policy's stationary occupancy, charged by decisionLosses,
// gives the Lagrangian gain the solver's own evaluation says it loses.

const model = {
  agents: 2,
  talkRate: 1 / 60,
  wrapRate: 1 / 10,
  lineRate: 1 / 12,
  liveProbability: 0.3,
  abandonRate: 1 / 2,
  lineCap: 6,
  maxWaiting: 3,
};
const target = 0.03;
const lambda = 150;

/** Stationary distribution of pre-decision states (one per uniformised step) under `choice`. */
function preDecisionOccupancy(mdp: MarkovDialerMdp, choice: Int32Array): Float64Array {
  const { chain, space } = mdp;
  let pi = new Float64Array(space.size);
  let next = new Float64Array(space.size);
  pi[0] = 1;
  for (let iter = 0; iter < 200_000; iter++) {
    next.fill(0);
    for (let s = 0; s < space.size; s++) {
      const post = choice[s] as number;
      for (let e = chain.from[post] as number; e < (chain.from[post + 1] as number); e++)
        next[chain.to[e] as number] = (next[chain.to[e] as number] as number) + (pi[s] as number) * (chain.prob[e] as number);
    }
    let diff = 0;
    for (let s = 0; s < space.size; s++) diff += Math.abs((next[s] as number) - (pi[s] as number));
    [pi, next] = [next, pi];
    if (diff < 1e-13) break;
  }
  return pi;
}

const lagrangianGain = (mdp: MarkovDialerMdp, choice: Int32Array) => {
  const p = mdp.evaluate(choice, 1e-13);
  return p.talkFraction * model.agents - lambda * p.liveRate * (p.abandonRate - target);
};

describe('decisionLosses (issue-22 22-st3m)', () => {
  const mdp = new MarkovDialerMdp(model);
  const { space } = mdp;
  // Progressive: hold as many lines as idle agents (never more than the cap), else the lines out.
  const progressive = new Int32Array(space.size);
  for (let s = 0; s < space.size; s++) {
    const t = space.t[s] as number;
    const w = space.w[s] as number;
    const q = space.q[s] as number;
    const l = space.l[s] as number;
    progressive[s] = space.at(t, w, Math.max(l, Math.min(model.agents - t - w, model.lineCap - q)), q);
  }

  it("charges a policy's decisions exactly what it loses against the optimum", () => {
    const optimal = mdp.solve(lambda, target, 1e-12);
    const gap = lagrangianGain(mdp, optimal) - lagrangianGain(mdp, progressive);
    expect(gap).toBeGreaterThan(0.005); // progressive is well below the optimum here (≈ 0.009 agents)
    const occupancy = preDecisionOccupancy(mdp, progressive);
    const seconds = 1_000;
    const decisions: ObservedDecision[] = [];
    for (let s = 0; s < space.size; s++)
      decisions.push({
        hour: 0,
        talking: space.t[s] as number,
        wrapping: space.w[s] as number,
        lines: space.l[s] as number,
        waiting: space.q[s] as number,
        hold: space.l[progressive[s] as number] as number,
        cold: false,
        reason: s % 2 === 0 ? 'even' : 'odd', // issue-22 22-lag: any split by reason adds up to the total
        event: false, // progressive never holds more than the optimum: every loss is the held rate's
        heldS: (occupancy[s] as number) * seconds,
      });
    const losses = decisionLosses(mdp, lambda, target, decisions);
    expect(losses.over).toBe(0);
    expect(losses.total / seconds).toBeCloseTo(gap, 4);
    expect(losses.underLoss).toBeCloseTo(losses.total, 9);
    const even = losses.byReason.get('even');
    const odd = losses.byReason.get('odd');
    expect((even?.decisions ?? 0) + (odd?.decisions ?? 0)).toBe(space.size);
    expect((even?.loss ?? 0) + (odd?.loss ?? 0)).toBeCloseTo(losses.total, 9);
    expect(even?.loss).toBeGreaterThan(0);
    expect(odd?.loss).toBeGreaterThan(0);
  });

  it("charges nothing to the optimum's own decisions and an over-launch once, at its event", () => {
    const post = mdp.postDecisionValues(lambda, target);
    const optimal = mdp.solve(lambda, target, 1e-12);
    const s = space.at(0, 0, 0, 0);
    const best = space.l[optimal[s] as number] as number;
    const at = (hold: number, event: boolean): ObservedDecision => ({
      hour: 0,
      talking: 0,
      wrapping: 0,
      lines: 0,
      waiting: 0,
      hold,
      cold: false,
      event,
      heldS: 7,
    });
    expect(decisionLosses(mdp, lambda, target, [at(best, true)]).total).toBeCloseTo(0, 9);
    const over = decisionLosses(mdp, lambda, target, [at(best + 1, true)]);
    expect(over.over).toBe(1);
    expect(over.total).toBeCloseTo((post[optimal[s] as number] as number) - (post[space.at(0, 0, best + 1, 0)] as number), 9);
    expect(decisionLosses(mdp, lambda, target, [at(best + 1, false)]).total).toBeCloseTo(0, 9);
  });
});
