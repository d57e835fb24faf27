export type { Condition, ConditionOp, ConditionScalar, ConditionScope, FieldInfo, FieldResolver } from './condition';
export { CONDITION_OPS, ConditionSchema, conditionIssues, evaluateCondition, readPath } from './condition';
export type { OnConnectOptions } from './hooks/create-on-connect';
export { createOnConnect, learnFromOfferResponses } from './hooks/create-on-connect';
export type { HookBudgetsMs, HookRunnerOptions, ScriptingEvents } from './hooks/hook-runner';
export { createHookRunner, DEFAULT_HOOK_BUDGETS_MS, HookRunner } from './hooks/hook-runner';
export type {
  AfterCallEvent,
  AnswerEvent,
  BeforeDialContext,
  BeforeDialDecision,
  CallRef,
  ConnectContext,
  ConnectResult,
  DispositionEvent,
  HookName,
  LoadProfile,
  MaybePromise,
  OfferResponseEvent,
  ScriptingHooks,
} from './hooks/hook-types';
export type { HookFailure, HookFailureReason, HookOutcome, RunHookOptions } from './hooks/run-hook';
export { runHook } from './hooks/run-hook';
export type { AcceptanceCounts, AcceptanceSnapshot, BetaPosterior } from './offers/acceptance-model';
export { AcceptanceModel, betaMean } from './offers/acceptance-model';
export { sampleBeta, sampleGamma } from './offers/beta-sampler';
export type { EligibilityContext } from './offers/eligibility';
export { eligibleOffers, isEligible } from './offers/eligibility';
export type { BetaPrior, Offer, OfferCatalog, OfferKind } from './offers/offer-catalog';
export { BetaPriorSchema, OfferCatalogSchema, OfferKindSchema, OfferSchema, parseOfferCatalog } from './offers/offer-catalog';
export type { RankedOffer, RankOptions } from './offers/rank-offers';
export { rankOffers } from './offers/rank-offers';
export type { SegmentOf } from './offers/segment';
export { defaultSegmentOf } from './offers/segment';
export type { CustomerProfile, LastContact, LifecycleStage, ValueTier } from './profile';
export { CustomerProfileSchema, LastContactSchema, LifecycleStageSchema, parseProfile, ValueTierSchema } from './profile';
export type { ProfileField } from './profile-fields';
export { PROFILE_FIELDS, profileField } from './profile-fields';
export type { CapturedValue, ProfileUpdates } from './profile-updates';
export { applyProfileUpdates } from './profile-updates';
export type { RoutingDecision, RoutingRule, RoutingRules } from './routing';
export { parseRoutingRules, RoutingRuleSchema, RoutingRulesSchema, routeBySkills } from './routing';
export type { AgentScoreWeights } from './scorecard/agent-score';
export { agentScore, DEFAULT_AGENT_SCORE_WEIGHTS } from './scorecard/agent-score';
export type { AgentKpis, Kpis, Scorecard, ScorecardOptions } from './scorecard/compute-scorecard';
export { computeScorecard, isLiveAnswerAttempt } from './scorecard/compute-scorecard';
export type { LocalDays } from './scorecard/local-day';
export { localDays } from './scorecard/local-day';
export type { AgentSession, KpiAttempt, OfferOutcome, ScorecardInput } from './scorecard/scorecard-input';
export type { AnswerValue } from './script/answer-check';
export { answerProblem } from './script/answer-check';
export type { ParseScriptOptions } from './script/parse-script';
export { answerField, createScriptParser, parseScript } from './script/parse-script';
export type { OfferResponse, ScriptInput, ScriptPrompt, ScriptRun } from './script/script-runner';
export { advanceScript, currentProfile, scriptPrompt, startScript } from './script/script-runner';
export type { AnswerSpec, Script, Step, StepKind, StepOf } from './script/script-schema';
export { AnswerSpecSchema, ScriptSchema, StepSchema } from './script/script-schema';
export type { ParsedTemplate, Placeholder } from './template';
export { parseTemplate, renderTemplate, templatePlaceholders } from './template';
