// Public API of @paceline/sim: explicit named exports only (STYLE.md).
export type { AgentShift, AgentTime, RosterListener } from './agent-roster';
export { AgentRoster, SimAgent } from './agent-roster';
// Blended runs (issue 23): an inbound queue on the same agents as the outbound campaign.
export type { BlendPolicyName, BlendWiring, HoldStats, SpreadTuning, WirePolicyOptions } from './blend/blend-policies';
export {
  BLEND_POLICY_NAMES,
  INBOUND_FIRST_CAP_GUARD,
  SIM_BLEND_CALIBRATION,
  SIM_BLEND_DEFAULTS,
  SIM_BLEND_DEFER_MS,
  staticSplitAgents,
  wirePolicy,
} from './blend/blend-policies';
export type { BlendScenario, InboundSpec } from './blend/blend-scenario';
export { BlendScenarioSchema, InboundSpecSchema, inboundRateAt, parseBlendScenario } from './blend/blend-scenario';
export type { BlendedInterval, BlendedRunOptions, BlendedRunResult } from './blend/blended-simulation';
export { runBlendedSimulation } from './blend/blended-simulation';
export type { ArrivalDefer, InboundInterval, InboundObserver, InboundQueueOptions, InboundRoutingOrder } from './blend/inbound-queue';
export { INTERVAL_MS, InboundQueue } from './blend/inbound-queue';
export type { EngineRunCounters, EngineSimulationOptions } from './engine-mode/engine-simulation';
export { EngineSimulation } from './engine-mode/engine-simulation';
export type { EngineScenarioResult } from './engine-mode/scenario-run';
export { runEngineScenario } from './engine-mode/scenario-run';
// Engine mode: the real engine on virtual time, with trunk-sim and simulated agents.
export type { AgentBehaviour, AgentTimeByState, SimulatedAgents, SimulatedShift } from './engine-mode/simulated-agents';
export { simulateAgents } from './engine-mode/simulated-agents';
export type { Distribution, DistributionSpec } from './model/distribution';
export { createDistribution, DistributionSpecSchema } from './model/distribution';
export type { CallPlan, HourParams, OutcomeMix, OutcomeModelSpec, TrueOutcome } from './model/outcome-model';
export { HourParamsSchema, OutcomeMixSchema, OutcomeModel, OutcomeModelSpecSchema } from './model/outcome-model';
export type { AmdCounters, DialerCounters, InboundRouting, PacingDialerOptions, SimPacer } from './pacing-dialer';
export { ABANDON_AFTER_MS, PacingDialer } from './pacing-dialer';
export type { Scenario } from './scenario';
export { parseScenario, ScenarioSchema, simulationOf } from './scenario';
export { SimCall } from './sim-call';
export type { SimulationOptions, SimulationResult } from './simulation';
export { runSimulation, Simulation } from './simulation';
