// Public API of @paceline/pacing: explicit named exports only (STYLE.md).

export type { AbandonGovernorOptions, GovernorMode, GovernorVerdict } from './abandon-governor';
export { AbandonGovernorOptionsSchema, governAbandons, parseAbandonGovernorOptions } from './abandon-governor';
export type { AbandonLedgerReader } from './abandon-ledger';
export { readAbandonWindow } from './abandon-ledger';
export { type AbandonSpread, type AbandonSpreadOptions, spreadAbandonRate, spreadPriceRate } from './blend/abandon-spread';
// The blend (issue 23): inbound reservation for agents serving inbound and outbound.
export { type ArrivalDeferView, arrivalDeferMs, expectedLiveClaims, hasRoom, type ServiceLevelRoom } from './blend/arrival-defer'; // issue-23 23-router
export { BLEND_CALIBRATION, BLEND_DEMAND_DEFAULTS } from './blend/blend-defaults'; // issue-23 23-wire2
export type { BlendDecision, BlendObservation, BlendPolicy, BlendPolicyOptions } from './blend/blend-policy';
export { BlendPolicyOptionsSchema, createBlendPolicy, mixedHandleSeconds, parseBlendPolicyOptions } from './blend/blend-policy';
export type { InboundAwarePacerState, InboundDemand } from './blend/inbound-demand';
export { hasInboundDemand, InboundLaunchRisk, inboundDemandOf } from './blend/inbound-demand';
export type { InboundEstimatorOptions } from './blend/inbound-estimator';
export { DEFAULT_INBOUND_ESTIMATOR_OPTIONS, InboundEstimator } from './blend/inbound-estimator';
export { agentsAtWork, type HoldOrder, outboundView } from './blend/outbound-view';
export type { Reservation, ReservationInput, ThresholdQueueInput, ThresholdQueueMetrics } from './blend/threshold-queue';
export { reserveForServiceLevel, thresholdQueue } from './blend/threshold-queue';
export { type WithInboundDemandOptions, withInboundDemand } from './blend/with-inbound-demand';
export type { CampaignObservation, CampaignPacer, CampaignPacerOptions } from './campaign-pacer';
export { createCampaignPacer, createPacer } from './campaign-pacer';
export { CENSORED_TALK_SHARE, censoredTalkShare } from './cold-start'; // issue-22 22-itc20
export { DecayingHistogram, SurvivalCurve } from './decaying-histogram';
export type { ErlangCInput, ErlangCMetrics } from './erlang';
export { DEFAULT_INTERVAL_SECONDS, erlangB, erlangC, erlangCMetrics, offeredLoadErlangs } from './erlang';
export type { ErlangAInput, ErlangAMetrics } from './erlang-a';
export { erlangA } from './erlang-a';
export { exponentialEvidence, exponentialWorkEvidence } from './exponential-fit'; // issue-22 22-gate
export { CONTACT_FLOWS } from './flow-work'; // issue-23 23-flowtab
export { ForecastCalibration } from './forecast-calibration';
export type { MarkovDialer, MarkovPolicy, Optimum, PolicyPerformance } from './markov-dialer-mdp';
export { MarkovDialerMdp } from './markov-dialer-mdp';
export { type FrozenAbandons, frozenAbandons } from './markov-forecast'; // issue-22 22-mdpcal
export { HYBRID_TOLERANCE, hybridLaunch, twoSidedLaunch } from './markov-hybrid'; // issue-22 22-hybrid5, 22-hybrid6: twoSidedLaunch
export { MARKOV_MAX_AGENTS, MARKOV_WORK_PER_DECISION, MarkovLaunch, type MarkovObservation, observeMarkov } from './markov-launch';
export type { ContactFlow, FlowWork, FlowWorkTables, ModelEstimates } from './model-estimates'; // issue-23 23-flowtab: the flow types
export { COLD_ESTIMATES } from './model-estimates';
export type { AbandonWindow, CallPhase, ObservedAgent, ObservedCall, Pacer, PacerState, PacingDecision } from './pacer';
export type { AttemptObservation, PacingEstimatorsOptions, WorkObservation } from './pacing-estimators';
export { PacingEstimators, PacingEstimatorsOptionsSchema } from './pacing-estimators';
export { governedPowerPacer, powerPacer } from './power-pacer';
export type { LaunchAssessment, PredictivePacerOptions } from './predictive-pacer';
export { assessLaunch, IDLE_WEIGHT, idleAllowance, predictivePacer, SMALL_TEAM_BELOW, TINY_TEAM_BELOW } from './predictive-pacer'; // issue-22 22-small: SMALL_TEAM_BELOW; 22-walk: idleAllowance
export { previewPacer } from './preview-pacer';
export { progressiveDecision, progressivePacer } from './progressive-pacer';
export type {
  IntervalForecast,
  IntervalStaffing,
  IntervalStaffingInput,
  IntervalStaffingPlan,
  OutboundPlan,
  OutboundPlanInput,
  PlanDialMode,
} from './staffing-planner';
export { planIntervalStaffing, planOutboundStaffing } from './staffing-planner';
