export { RecentWrites } from './durability/recent-writes';
export type { ErrorCode, ErrorDetail, Issue } from './errors';
export { ErrorCodes, isCallerError, isPacelineError, PacelineError } from './errors';
export type { EventMap, Listener, ListenerErrorHandler } from './events';
export { TypedEmitter } from './events';
export { jsonSchemas, toJsonSchemaDocument } from './json-schemas';
export { AgentState, agentLifecycle } from './lifecycle/agent-state';
export { CallState, callLifecycle } from './lifecycle/call-state';
export { CampaignState, campaignLifecycle } from './lifecycle/campaign-state';
export { ContactState, contactLifecycle } from './lifecycle/contact-state';
export type { StateMachine } from './lifecycle/state-machine';
export { defineStateMachine } from './lifecycle/state-machine';
export type { SerializedError } from './logging/log-redaction';
export {
  isPersonalKey,
  REDACTED,
  REDACTED_EMAIL,
  REDACTED_PHONE,
  redactLogText,
  redactLogValue,
  serializeError,
} from './logging/log-redaction';
export { redactingLogger } from './logging/redacting-logger';
export { ORDER_JOB_ATTEMPTS, ORDER_JOB_BACKOFF_MS, ORDER_QUEUE, orderJobOptions } from './order-queue';
export {
  isValidTimeZone,
  minutesOfDay,
  parseAgent,
  parseAttempt,
  parseCampaign,
  parseContact,
  parseDisposition,
  parseOrder,
} from './parse';
export type { AgentPool, PooledAgent, PooledCommitment, PooledWaitingCaller, PoolServiceOrder, PoolTake } from './ports/agent-pool'; // issue-23 23-xwait: PoolServiceOrder
export type { CallLegInfo, CallLegOptions, CallLegs, RtpAddress } from './ports/call-legs';
export type { Clock, TimerHandle } from './ports/clock';
export type { DncPage, DncRequest, StoredDncRequest } from './ports/dnc-requests'; // dnc-shared
export { checkDncPageRequest, checkDncRequest } from './ports/dnc-requests'; // dnc-shared
export type { InboundQueueCounts, InboundQueueInterval } from './ports/inbound-queue-stats'; // issue-23 23-dist
export {
  addInboundQueueCounts,
  checkInboundQueueStatsAdd,
  INBOUND_QUEUE_COUNTERS,
  INBOUND_STATS_INTERVAL_MS,
  INBOUND_STATS_RETENTION_MS,
  inboundStatsInterval,
  inboundStatsIntervals,
  MAX_INBOUND_STATS_INTERVALS,
  ZERO_INBOUND_QUEUE_COUNTS,
} from './ports/inbound-queue-stats'; // issue-23 23-dist
export type { DeadLetter, EnqueueOptions, Job, JobQueue } from './ports/job-queue';
export type { Lease, LeaseGrant } from './ports/lease';
export type { LogFn, Logger } from './ports/logger';
export { maskPhone, silentLogger } from './ports/logger';
export type { MediaBridge, MediaPlayOptions } from './ports/media-bridge';
export type { Random } from './ports/random';
export type { ReplayStore } from './ports/replay-store';
export type { CampaignRecord, ContactCounts, ContactRecord, LiveAnswerEntry, Store } from './ports/store';
export { LEDGER_RETENTION_MS } from './ports/store';
export type { AmdRevisionReason, InboundRejectReason, OriginateRequest, Trunk, TrunkEvent } from './ports/trunk';
export type { Agent, AgentInput } from './schema/agent';
export { AgentSchema } from './schema/agent';
export type { Attempt } from './schema/attempt';
export { AttemptSchema } from './schema/attempt';
export type { CallOutcome } from './schema/call-outcome';
export { CALL_OUTCOMES, CallOutcomeSchema, isAnswered, isLiveAnswer } from './schema/call-outcome';
export type {
  Campaign,
  CampaignGoal,
  CampaignInput,
  DialMode,
  MachineHandling,
  PacingOptions,
  RecycleRule,
} from './schema/campaign';
export {
  CampaignGoalSchema,
  CampaignSchema,
  DEFAULT_RECYCLE,
  DialModeSchema,
  MachineHandlingSchema,
  PacingOptionsSchema,
  RecycleRuleSchema,
  ScheduleSchema,
} from './schema/campaign';
export {
  AttributeValue,
  CountryCode,
  CurrencyCode,
  DailyWindow,
  DurationMs,
  E164,
  Id,
  StringEnum,
  TimeOfDay,
  Timestamp,
  TimeZone,
  Weekday,
} from './schema/common';
export type { Consent, Contact, ContactInput, Phone, PhoneInput } from './schema/contact';
export { ConsentSchema, ContactSchema, PhoneSchema } from './schema/contact';
export type { Disposition, DispositionInput } from './schema/disposition';
export { DEFAULT_DISPOSITIONS, DispositionSchema } from './schema/disposition';
export type { InboundConfig, InboundConfigInput, InboundQueue, QueueMessage, ServiceLevel } from './schema/inbound';
export { InboundConfigSchema, InboundQueueSchema, parseInboundConfig, QueueMessageSchema, ServiceLevelSchema } from './schema/inbound';
// issue-23: the inbound call ledger's record
export type { InboundCall } from './schema/inbound-call';
export { InboundCallSchema } from './schema/inbound-call';
export type { InputOf, TDefaulted } from './schema/input';
export { Defaulted } from './schema/input';
export type { Order } from './schema/order';
export { AddressSchema, FulfilmentChoiceSchema, OrderItemSchema, OrderSchema } from './schema/order';
export { seededRandom } from './time/seeded-random';
export { MAX_TIMER_STEP_MS, systemClock } from './time/system-clock';
export { VirtualClock } from './time/virtual-clock';
export { commandTimeoutOf, withinMs } from './time/within-ms'; // rb11: one bound for every adapter
export type { FieldCheck, Parser, Refinement, SchemaParser } from './validation';
export { createParser, describe, formatPath } from './validation';
