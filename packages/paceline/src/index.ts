/**
 * `paceline`: one install for an embedder. It re-exports the public API of every package the
 * embedded default needs — core, engine, trunk-sim, compliance, lists, pacing, scripting — so
 * `import { createDialer, createSimTrunk, systemClock } from 'paceline'` runs the getting-started
 * guide. Adapters with drivers (`@paceline/store-redis`, `queue-bullmq`, `trunk-sip`,
 * `media-mediasoup`, `dashboard`) stay separate packages.
 *
 * Each `export *` is a package's own `src/index.ts` (explicit named exports there, never
 * internals). Names two packages both export are resolved below, explicitly.
 */

/** `@paceline/compliance`'s verdict on one dial (`checkDial`). */
export type { DialVerdict as ComplianceDialVerdict } from '@paceline/compliance';
export * from '@paceline/compliance';
export * from '@paceline/core';
/** The engine's pacer seam (what `createDialer({ createPacer })` takes) and its dial verdict. */
export type { CampaignPacer, DialVerdict } from '@paceline/engine';
export * from '@paceline/engine';
export * from '@paceline/lists';
/** `@paceline/lists`' segment condition. */
export { type Condition as SegmentCondition, ConditionSchema as SegmentConditionSchema } from '@paceline/lists';
/** `@paceline/pacing`'s full pacer interface (the engine's seam picks part of it). */
export type { CampaignPacer as PacingCampaignPacer } from '@paceline/pacing';
export * from '@paceline/pacing';
export * from '@paceline/scripting';
/** `@paceline/scripting`'s script and offer condition, also under its plain name. */
export {
  type Condition,
  type Condition as ScriptCondition,
  ConditionSchema,
  ConditionSchema as ScriptConditionSchema,
} from '@paceline/scripting';
export * from '@paceline/trunk-sim';
