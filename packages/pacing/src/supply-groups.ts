import type { LaunchRisk } from './launch-risk';

/**
 * issue-22 small: the busy agents of a small team as supply items of the exact walk that each
 * free at most once, at their own time ({@link LaunchRisk.addGroup}, one group per agent: the
 * walk carries which of them are still busy, 3^agents transitions a step — hence only on a side
 * with few agents).
 *
 * Why: a small team's next call abandons only when every agent is still busy when its caller
 * arrives, so one agent's *timing* decides the price. The walk used to add a likely agent (chance
 * > 0.3 over the walk) as one Bernoulli of its whole chance at the step where half of it has
 * passed — an agent in a 10–20-s exponential wrap-up counted as surely free after a few seconds —
 * and an unlikely one as per-step pieces (independent, so one agent could free twice). On the
 * held-out small-team-4-quick-markov the first put the forecast at 0.52 of the realised abandons,
 * pieces for every agent at 1.31. Agents pooled into one group per state with an averaged hazard
 * were right on the Markovian teams (memoryless: identical agents) but over-priced small-team-5
 * (lognormal talk: agents of different ages are not alike), 1.98× — hence one group per agent.
 */
export class SupplyGroups {
  readonly #events: Float64Array[] = [];
  #count = 0;
  #K = 0;

  /** Start over for `K` steps. */
  reset(K: number): void {
    this.#K = K;
    this.#count = 0;
  }

  /** One busy agent whose cumulative chance of being free by step k is `table[base + k]`. */
  add(table: Float64Array, base: number): void {
    const K = this.#K;
    let events = this.#events[this.#count];
    if (events === undefined || events.length < K) {
      events = new Float64Array(K);
      this.#events[this.#count] = events;
    }
    this.#count++;
    let before = 0;
    for (let k = 0; k < K; k++) {
      const cumulative = Math.min(1, Math.max(before, table[base + k] as number));
      events[k] = cumulative - before;
      before = cumulative;
    }
  }

  /** Hand the agents to the walk, each its own group. */
  addTo(risk: LaunchRisk): void {
    for (let i = 0; i < this.#count; i++) risk.addGroup(1, this.#events[i] as Float64Array);
  }
}
