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
export { createMemoryAgentPool, MemoryAgentPool } from './memory-agent-pool';
export { createMemoryJobQueue, MemoryJobQueue } from './memory-job-queue';
export { createMemoryLease, MemoryLease } from './memory-lease';
export { createMemoryStore, MemoryStore } from './memory-store';
export type { MetricsOptions } from './metrics';
export { instrumentDialer } from './metrics';
export type { AttemptResult, RecycleDecision } from './recycle';
export { phoneForAttempt, recycle } from './recycle';
export type {
  CampaignObservation,
  CampaignPacer,
  ComplianceEvent,
  ComplianceGate,
  DialVerdict,
  ObservedAgent,
  ObservedCall,
  PacingDecision,
} from './seams';
