// issue-22 22-st3m: a pacer's decisions priced by the exact MDP's relative values (see decision-loss.ts).
import type { MarkovDialerMdp } from '@paceline/pacing';

/** One decision of a pacer in the MDP's observed state, and the lines it then held. */
export interface ObservedDecision {
  readonly hour: number;
  readonly talking: number;
  readonly wrapping: number;
  readonly lines: number;
  readonly waiting: number;
  /** Lines in flight after the decision. */
  readonly hold: number;
  /** The pacer decided by its cold start. */
  readonly cold: boolean;
  /** issue-22 22-lag: the pacer's own reason for the decision (`PacingDecision.reason`), if known. */
  readonly reason?: string;
  /** An event changed the state since the previous decision (else a re-decision on the lines it held). */
  readonly event: boolean;
  /** Seconds until the next decision (the time the lines were held). */
  heldS: number;
}

export interface StateLoss {
  decisions: number;
  under: number;
  over: number;
  /** Σ (the pacer's lines − the optimum's). */
  difference: number;
  /** Agent-seconds of the Lagrangian reward lost. */
  loss: number;
  underLoss: number;
  overLoss: number;
}

export interface DecisionLosses {
  /** Agent-seconds of Lagrangian reward lost over every decision. */
  readonly total: number;
  readonly coldLoss: number;
  readonly under: number;
  readonly over: number;
  readonly underLoss: number;
  readonly overLoss: number;
  readonly byHour: Map<number, { loss: number; coldLoss: number }>;
  readonly byState: Map<string, StateLoss>;
  /** issue-22 22-lag: the same, by the pacer's reason (`-` when none was given). */
  readonly byReason: Map<string, StateLoss>;
  /** Decisions in a state the MDP does not hold (a caller waiting beside an idle agent). */
  readonly skipped: number;
}

/**
 * Each decision's loss against the best lines in its state, by the values at (λ, α). The MDP decides
 * at every uniformised step (self-loops included), so a state held with too few lines loses
 * max post − post(held) at each of the ~uniform × heldS steps it is held (a rate); lines launched
 * beyond the best cannot be taken back, so an over-launch loses its excess once, at the event.
 */
export function decisionLosses(
  mdp: MarkovDialerMdp,
  lambda: number,
  target: number,
  decisions: readonly ObservedDecision[],
): DecisionLosses {
  const post = mdp.postDecisionValues(lambda, target);
  const { space, model } = mdp;
  const byHour = new Map<number, { loss: number; coldLoss: number }>();
  const byState = new Map<string, StateLoss>();
  const byReason = new Map<string, StateLoss>();
  let total = 0;
  let coldLoss = 0;
  let under = 0;
  let over = 0;
  let underLoss = 0;
  let overLoss = 0;
  let skipped = 0;
  for (const d of decisions) {
    const t = Math.min(d.talking, model.agents);
    const w = Math.min(d.wrapping, model.agents - t);
    const q = Math.min(d.waiting, model.maxWaiting);
    const l = Math.min(d.lines, model.lineCap - q);
    if (space.at(t, w, l, q) < 0) {
      skipped++;
      continue;
    }
    let best = l;
    let bestValue = Number.NEGATIVE_INFINITY;
    let bestAbove = Number.NEGATIVE_INFINITY;
    const held = Math.min(Math.max(d.hold, l), model.lineCap - q);
    for (let x = l; x + q <= model.lineCap; x++) {
      const v = post[space.at(t, w, x, q)] as number;
      if (v > bestValue + 1e-12) {
        bestValue = v;
        best = x;
      }
      if (x >= held && v > bestAbove) bestAbove = v;
    }
    const heldValue = post[space.at(t, w, held, q)] as number;
    // Held too few: a rate over the steps held; held too many: the excess once (at an event).
    const loss = (bestAbove - heldValue) * mdp.chain.uniform * d.heldS + (d.event ? bestValue - bestAbove : 0);
    total += loss;
    const hour = byHour.get(d.hour) ?? { loss: 0, coldLoss: 0 };
    hour.loss += loss;
    if (d.cold) {
      hour.coldLoss += loss;
      coldLoss += loss;
    }
    byHour.set(d.hour, hour);
    tally(byState, `${t}/${w}/${l}/${q}`, held, best, loss);
    tally(byReason, d.reason ?? '-', held, best, loss);
    if (held < best) {
      under++;
      underLoss += loss;
    } else if (held > best) {
      over++;
      overLoss += loss;
    }
  }
  return { total, coldLoss, under, over, underLoss, overLoss, byHour, byState, byReason, skipped };
}

/** Adds one decision's loss to `map`'s entry for `key` (created empty). */
function tally(map: Map<string, StateLoss>, key: string, held: number, best: number, loss: number): StateLoss {
  const x = map.get(key) ?? { decisions: 0, under: 0, over: 0, difference: 0, loss: 0, underLoss: 0, overLoss: 0 };
  x.decisions++;
  x.difference += held - best;
  x.loss += loss;
  if (held < best) {
    x.under++;
    x.underLoss += loss;
  } else if (held > best) {
    x.over++;
    x.overLoss += loss;
  }
  map.set(key, x);
  return x;
}
