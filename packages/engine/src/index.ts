export type { AmdCalibrationOptions, AmdCalibrationReport } from './amd-calibration';
export { AmdCalibration, BENCH_AMD_FALSE_POSITIVE_RATE } from './amd-calibration';
export type { CampaignOutcome, StatusWithState, WaitOptions } from './campaign/campaign-completion';
export type { AddContactsOptions, ContactIntakeSeam } from './contact-intake';
export { INTAKE_BATCH, INTAKE_SLICE_MS, takeInContacts, UploadGate, yieldToEventLoop } from './contact-intake';
export type { DialerOptions } from './create-dialer';
export { createDialer } from './create-dialer';
export type { ComplianceGateOptions, EngineComplianceGate } from './default-compliance';
export { createComplianceGate } from './default-compliance';
export type { DefaultLoggerOptions } from './default-logger';
export { defaultLogger } from './default-logger';
export { defaultPacer } from './default-pacer';
export type { CampaignStatus, DialerDeps, DispositionData } from './dialer';
export { CONNECT_DEADLINE_MS, Dialer, FULFILMENT_QUEUE, MACHINE_MESSAGE, SAFE_HARBOUR_MESSAGE } from './dialer';
export type { CallOffer, DialerEvents } from './events';
// issue-24: the supervisor's floor (packages/engine/src/floor/).
export type { AgentCall, AgentDay, AgentFloorRow, AgentSegment, FloorEventSource, PlannedBreak } from './floor/agent-floor';
export { AgentFloor } from './floor/agent-floor';
export type { CampaignFloorFacts, WindowRefusal } from './floor/campaign-floor';
export { CampaignFloor } from './floor/campaign-floor';
export type { HistoryPoint } from './floor/campaign-history';
export { CampaignHistory, listExhaustionEta } from './floor/campaign-history';
export type { CampaignAlertInput, FloorAlert, FloorAlertEvent, FloorAlertKind, FloorPlan, TrunkHealth } from './floor/floor-alerts';
export { ALERT_THRESHOLDS, AlertBoard, campaignAlerts, parseFloorPlan, trunkAlerts } from './floor/floor-alerts';
export type { CampaignFloorView, FloorDialer, FloorMonitorOptions } from './floor/floor-monitor';
export { FloorMonitor } from './floor/floor-monitor';
export type { ConversionCounts, KpiName } from './floor/kpi-definitions';
export {
  agentLabel,
  conversionRate,
  explainPacerReason,
  KPI_DEFINITIONS,
  outcomeRates,
  PACER_REASONS,
  REFUSAL_REASONS,
  saveRate,
} from './floor/kpi-definitions';
export type { QualityScorecard } from './floor/quality-desk';
export { QualityDesk } from './floor/quality-desk';
export type { CallScore, CallScoreInput, ScoringForm } from './floor/quality-schemas';
export { parseCallScoreInput, parseScoringForm, ScoringFormSchema } from './floor/quality-schemas';
export type { QualityStore } from './floor/quality-store';
export { createMemoryQualityStore } from './floor/quality-store';
// issue-24: supervision (listen, whisper, barge) on the floor
export type { CallSupervisor, SupervisableCall, SupervisionBoardOptions, SupervisionMode } from './floor/supervision';
export { parseSupervisionMode, SUPERVISION_MODES, SupervisionBoard } from './floor/supervision';
export type { DialBlocker, DialExplanation } from './floor/why-not-dialling';
export { explainDialling, localTime } from './floor/why-not-dialling';
export type { InboundApi, InboundDispositionData } from './inbound/inbound-api';
export { INBOUND_EVENTS } from './inbound/inbound-api';
export { InboundPhase } from './inbound/inbound-machine';
export type { InboundCaller, InboundEvents, InboundOffer, InboundOptions, InboundStatus } from './inbound/inbound-options';
export type { InboundQueueStatus } from './inbound/queue-stats';
export { createMemoryAgentPool, MemoryAgentPool } from './memory/memory-agent-pool';
export { createMemoryJobQueue, MemoryJobQueue } from './memory/memory-job-queue';
export { createMemoryLease, MemoryLease } from './memory/memory-lease';
export { createMemoryStore, MemoryStore } from './memory/memory-store';
export type { DialerMetrics, MetricsOptions } from './metrics';
export { instrumentDialer } from './metrics';
export type {
  CampaignObservation,
  CampaignPacer,
  ComplianceEvent,
  ComplianceGate,
  DialVerdict,
  ObservedAgent,
  ObservedCall,
  PacingDecision,
} from './ports';
export type { PromClientLike, PromCounterLike, PromGaugeLike, PromHistogramLike, PromLabels, PromMetricConfig } from './prom-client-like';
export type { AttemptResult, RecycleDecision } from './recycle';
export { phoneForAttempt, recycle } from './recycle';
