import type { BlendPolicyOptions } from './blend-policy';

/**
 * The blend's `demand` settings (issue 23; docs/blending.md), shared by the simulator's `blend`
 * policy and the engine's opt-in `inbound.blend.inboundModel: 'demand'`: inbound as demand in
 * the predictive walk (queued callers and Poisson arrivals take the agents freeing up before
 * outbound does), with the reserve's ready agents counted behind them (an outbound caller
 * finding no other agent takes one, as the router allows), and the busy agents the hold hides
 * freeing in the walk behind inbound. The reserve stays sized for goal 0.9. Chosen on seeds
 * 101–120 of the bench's `blend-20-heavy` (fourth and sixth sessions). Options passed by the
 * host override them.
 */
export const BLEND_DEMAND_DEFAULTS: Readonly<Partial<BlendPolicyOptions>> = Object.freeze({
  inboundModel: 'demand',
  reserveCatchesOverflow: true,
  holdOrder: 'busy-first',
  heldBusyFree: true,
});

/**
 * The blend's forecast calibration (`ForecastCalibration(priorAbandons, halfLifeAbandons)`):
 * 10 pseudo-abandons of prior and a 100-abandon half-life instead of the pacing defaults'
 * 100 / 400. A blended campaign on 20 agents abandons only ~40 calls a day; with the defaults'
 * prior the scale moves a few percent a day, while the inbound-aware walk with `busy-first`
 * over-predicts its abandons 2–3-fold. Chosen on seeds 101–112 of `blend-20-heavy`.
 */
export const BLEND_CALIBRATION: Readonly<{ priorAbandons: number; halfLifeAbandons: number }> = Object.freeze({
  priorAbandons: 10,
  halfLifeAbandons: 100,
});
