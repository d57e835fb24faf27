import type { BlendPolicyOptions } from './blend-policy';

/**
 * The blend's `demand` settings (issue 23; docs/blending.md), shared by the simulator's `blend`
 * policy and the engine's opt-in `inbound.blend.inboundModel: 'demand'`: inbound as demand in
 * the predictive walk (queued callers and Poisson arrivals take the agents freeing up before
 * outbound does), with the reserve's ready agents counted behind them (an outbound caller
 * finding no other agent takes one, as the router allows), and the busy agents the hold hides
 * freeing in the walk behind inbound. The reserve stays sized for goal 0.9. Chosen on seeds
 * 101–120 of the bench's `blend-20-heavy` (fourth and sixth sessions). Since 23-router the arrival
 * deferral too (`arrivalDeferMs` 60 s, i.e. the answer target; `arrivalDeferRoom` 0: only while the
 * interval's service level has room; arrival-defer.ts, checked on seeds 101–105 of four scenarios).
 * Options passed by the host override them.
 */
export const BLEND_DEMAND_DEFAULTS: Readonly<Partial<BlendPolicyOptions>> = Object.freeze({
  inboundModel: 'demand',
  reserveCatchesOverflow: true,
  holdOrder: 'busy-first',
  heldBusyFree: true,
  // issue-23 23-router (fifteenth session): the arrival deferral, in the engine's router and the simulator's queue alike:
  // window = the queue's answer target (60 s caps only longer targets), only while the interval has service-level room.
  arrivalDeferMs: 60_000,
  arrivalDeferRoom: 0,
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
