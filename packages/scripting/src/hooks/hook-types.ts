import type { Attempt, Contact } from '@paceline/core';
import type { RankedOffer } from '../offers/rank-offers';
import type { CustomerProfile } from '../profile';
import type { ProfileUpdates } from '../profile-updates';
import type { RoutingDecision } from '../routing';
import type { AnswerValue } from '../script/answer-check';
import type { OfferResponse, ScriptRun } from '../script/script-runner';
import type { Script } from '../script/script-schema';

/** A value, or a promise of it: hooks may be sync or async. */
export type MaybePromise<T> = T | Promise<T>;

/** Before the engine dials a contact (after the compliance gate allowed it). */
export interface BeforeDialContext {
  readonly campaignId: string;
  readonly contact: Contact;
  /** Attempts already made for this contact in this campaign. */
  readonly attempts: number;
  /** `Clock.now()` at the decision, epoch ms. */
  readonly now: number;
}

/**
 * `dial` (optionally with a new hopper `priority` for later rounds and the skills the live
 * answer needs), or `skip` the contact (`retryAt` epoch ms, or retire it when absent).
 */
export type BeforeDialDecision =
  | { readonly action: 'dial'; readonly priority?: number; readonly requiredSkills?: readonly string[] }
  | { readonly action: 'skip'; readonly reason: string; readonly retryAt?: number };

/**
 * A live answer connected to an agent. The fields are those of the engine's `CallOffer`,
 * so the engine passes its offer as is.
 */
export interface ConnectContext {
  readonly campaignId: string;
  readonly callId: string;
  readonly agentId: string;
  readonly contact: Contact;
  readonly attempt: Attempt;
  readonly scriptId?: string;
}

/** What the agent desk gets on connect. */
export interface ConnectResult {
  readonly script: Script;
  /** Absent when the profile could not be loaded (the fallback script needs none). */
  readonly profile?: CustomerProfile;
  /** Eligible offers, best expected value first. */
  readonly offers: readonly RankedOffer[];
  /** Skills this customer should be served by (routing rules), e.g. for a transfer. */
  readonly routing?: RoutingDecision;
}

/** Shared by the in-call hooks. */
export interface CallRef {
  readonly campaignId: string;
  readonly callId: string;
  readonly contactId: string;
  readonly agentId?: string;
}

/** One script answer. */
export interface AnswerEvent extends CallRef {
  readonly stepId: string;
  readonly answer: AnswerValue;
  /** The run after the answer. */
  readonly run: ScriptRun;
}

/** The customer's answer to an offer. Feed it to the acceptance model. */
export interface OfferResponseEvent extends CallRef {
  readonly response: OfferResponse;
}

/** The agent closed the call with a disposition. */
export interface DispositionEvent extends CallRef {
  readonly code: string;
  readonly attempt: Attempt;
  /** Profile updates captured on the call, for the host to persist. */
  readonly captured: ProfileUpdates;
  readonly run?: ScriptRun;
}

/** The call is over and dispositioned; the agent is free. */
export interface AfterCallEvent extends CallRef {
  readonly attempt: Attempt;
  readonly run?: ScriptRun;
}

/**
 * The host's scripting hooks, all optional. Lifecycle of one contact: `beforeDial` →
 * (live answer, agent connected) `onConnect` → `onAnswer`* / `onOfferResponse`* →
 * `onDisposition` → `afterCall`. Each runs under a time budget through a `HookRunner`:
 * a hook that throws or is late resolves to its fallback and is reported, never delaying
 * or dropping a live call.
 */
export interface ScriptingHooks {
  beforeDial?(context: BeforeDialContext): MaybePromise<BeforeDialDecision>;
  onConnect?(context: ConnectContext): MaybePromise<ConnectResult>;
  onAnswer?(event: AnswerEvent): MaybePromise<void>;
  onOfferResponse?(event: OfferResponseEvent): MaybePromise<void>;
  onDisposition?(event: DispositionEvent): MaybePromise<void>;
  afterCall?(event: AfterCallEvent): MaybePromise<void>;
}

/** The name of a hook. */
export type HookName = keyof ScriptingHooks;

/** The host's source of customer profiles; its result is validated with `parseProfile`. */
export type LoadProfile = (contact: Contact) => MaybePromise<unknown>;
