// issue-22 22-mdpcal: the MDP policy's own forecast of the abandons its launches cause.
//
// Why: a launch decided by the online MDP policy (`markov-launch.ts`) used to report the walk's
// forecast of its calls. The walk over-prices exactly the states the policy launches in (agents
// idle, lines in flight), so the calibration of the policy's launches read 1.3–1.7 on 5 agents
// (bench `predictive-mdp-small`, `predictive-markov`) while the policy itself abandoned as planned.
// The forecast should be the policy's own model's: the MDP chain in the observed state.
//
// What: in the policy's model (exponential talk, wrap-up and line times with the estimated means,
// P(live), waiting callers' exponential patience of mean grace, at most `maxWaiting` waiting —
// `markov-dialer-mdp.ts`'s chain exactly), the expected number of abandons, from now until every
// line and waiting caller is resolved, if nothing more were launched: A(t, w, l, q). A launch of
// n lines is forecast A(t, w, l + n, q) − A(t, w, l, q): the abandons of the launched calls and of
// the calls they take agents from — the walk's definition, in the MDP's chain. Summed over a run's
// launches this telescopes to the run's abandons when the model is right (A is the expected
// remaining abandons of what is in flight; each launch adds its increment), so predicted ÷ realised
// reads the model's own bias.
//
// How: with no launches the chain is acyclic in the order (2l + q, t, w): a line's resolution
// lowers 2l + q, an abandon or a waiting caller's connection lowers q, a talk's end lowers t at the
// same 2l + q, a wrap-up's end lowers w. So A is one pass of dynamic programming over the states
// in that order — exact, no iteration (≈ 2,000 states for 5 agents at 3 lines an agent).
import type { MarkovDialer } from './markov-dialer-mdp';

/** A(t, w, l, q): expected abandons until nothing is in flight, nothing launched meanwhile. */
export interface FrozenAbandons {
  /** Expected remaining abandons in the observed state (clamped into the model's state space). */
  at(talking: number, wrapping: number, lines: number, waiting: number): number;
  /** The forecast of launching `n` more lines: at(l + n) − at(l), ≥ 0 up to rounding. */
  launch(talking: number, wrapping: number, lines: number, waiting: number, n: number): number;
}

/**
 * The expected remaining abandons of `m`'s chain with no further launches, for every state.
 * Lines are bounded by `m.lineCap` (a state beyond it is read at the cap).
 */
export function frozenAbandons(m: MarkovDialer): FrozenAbandons {
  const N = m.agents;
  const wrap = Number.isFinite(m.wrapRate);
  const W = wrap ? N : 0;
  const L = m.lineCap;
  const Q = m.maxWaiting;
  const p = m.liveProbability;
  // Index (t, w, l, q) in a dense array; states with t + w > N or q > 0 with an idle agent unused.
  const dw = W + 1;
  const dl = L + 1;
  const dq = Q + 1;
  const idx = (t: number, w: number, l: number, q: number) => ((t * dw + w) * dl + l) * dq + q;
  const a = new Float64Array((N + 1) * dw * dl * dq);
  // Increasing 2l + q, then t, then w: every successor is computed before its state.
  for (let k = 1; k <= 2 * L + Q; k++)
    for (let t = 0; t <= N; t++)
      for (let w = 0; w <= W && t + w <= N; w++) {
        const idle = N - t - w;
        for (let q = k % 2; q <= Math.min(Q, k); q += 2) {
          const l = (k - q) / 2;
          if (l > L || (q > 0 && idle > 0)) continue;
          let rate = 0;
          let sum = 0; // Σ rate × (abandons on the event + A(successor))
          if (l > 0) {
            const resolve = l * m.lineRate;
            rate += resolve;
            if (idle > 0) sum += resolve * p * (a[idx(t + 1, w, l - 1, q)] as number);
            else if (q < Q) sum += resolve * p * (a[idx(t, w, l - 1, q + 1)] as number);
            else sum += resolve * p * (1 + (a[idx(t, w, l - 1, q)] as number));
            sum += resolve * (1 - p) * (a[idx(t, w, l - 1, q)] as number);
          }
          if (t > 0) {
            const end = t * m.talkRate;
            rate += end;
            if (wrap) sum += end * (a[idx(t - 1, w + 1, l, q)] as number);
            else if (q > 0) sum += end * (a[idx(t, w, l, q - 1)] as number);
            else sum += end * (a[idx(t - 1, w, l, q)] as number);
          }
          if (wrap && w > 0) {
            const end = w * m.wrapRate;
            rate += end;
            sum += end * (q > 0 ? (a[idx(t + 1, w - 1, l, q - 1)] as number) : (a[idx(t, w - 1, l, q)] as number));
          }
          if (q > 0) {
            const leave = q * m.abandonRate;
            rate += leave;
            sum += leave * (1 + (a[idx(t, w, l, q - 1)] as number));
          }
          a[idx(t, w, l, q)] = rate > 0 ? sum / rate : 0;
        }
      }
  const at = (talking: number, wrapping: number, lines: number, waiting: number): number => {
    // Clamp an observation into the model: agents beyond N are not at work; a caller waiting
    // with an agent idle is being connected (read as talking); waiting beyond Q abandons at once.
    let t = Math.max(0, Math.min(N, Math.floor(talking)));
    let w = wrap ? Math.max(0, Math.min(N - t, Math.floor(wrapping))) : 0;
    if (!wrap) t = Math.min(N, t + Math.max(0, Math.floor(wrapping))); // no wrap-up in the model: a wrapping agent reads as busy
    let q = Math.max(0, Math.floor(waiting));
    const idle = N - t - w;
    const connect = Math.min(q, idle);
    t += connect;
    q -= connect;
    const over = Math.max(0, q - Q);
    q -= over;
    const l = Math.max(0, Math.min(L, Math.floor(lines)));
    w = Math.min(w, N - t);
    return over + (a[idx(t, w, l, q)] as number);
  };
  return {
    at,
    launch: (t, w, l, q, n) => (n > 0 ? Math.max(0, at(t, w, l + n, q) - at(t, w, l, q)) : 0),
  };
}
