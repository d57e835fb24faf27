// Public API of @paceline/pacing: explicit named exports only (STYLE.md).

export type { ErlangCInput, ErlangCMetrics } from './erlang';
export { DEFAULT_INTERVAL_SECONDS, erlangB, erlangC, erlangCMetrics, offeredLoadErlangs } from './erlang';
export type { ErlangAInput, ErlangAMetrics } from './erlang-a';
export { erlangA } from './erlang-a';
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
