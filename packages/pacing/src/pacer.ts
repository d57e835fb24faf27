import type { AgentState, PacingOptions } from '@paceline/core';
import type { ContactFlow, ModelEstimates } from './model-estimates';

/** An agent as a pacer sees it. */
export interface ObservedAgent {
  readonly id: string;
  readonly state: AgentState;
  /** Time in the current state, ms. */
  readonly timeInStateMs: number;
  /**
   * The agent will pause or log out soon (after the current call, or a scheduled break or
   * logout is due): they may still take a call, but a pacer must not count them as future
   * supply. Absent means false.
   */
  readonly leaving?: boolean;
  /** Preview mode: the agent has reviewed the next record and confirmed the dial. */
  readonly previewConfirmed?: boolean;
  /**
   * issue-23 23-flowtab: the contact flow of the call the agent is on or wrapping up (a blend's
   * inbound or outbound call). The predictive walk reads that flow's completion table when the
   * estimates have one (`ModelEstimates.flowWork`); absent: the pooled table. Ignored while the
   * agent is not on a call or in wrap-up.
   */
  readonly flow?: ContactFlow | undefined;
}

/**
 * Where a call in flight is: `dialing`/`ringing` before an answer, `analysing` after the
 * answer while call analysis (AMD) listens to the greeting, `waiting` for an agent after a
 * live answer (it is abandoned 2 s after the greeting's end).
 */
export type CallPhase = 'dialing' | 'ringing' | 'analysing' | 'waiting';

/** A call in flight (launched, not yet connected to an agent nor ended) as a pacer sees it. */
export interface ObservedCall {
  readonly id: string;
  /** Time since originate, ms. */
  readonly ageMs: number;
  readonly phase: CallPhase;
  /** The agent the call was placed for (preview), when there is one. */
  readonly agentId?: string;
}

/**
 * The campaign's abandon counts over the jurisdiction's rolling window (DESIGN.md: abandon
 * rate = abandoned / live answers; US TSR 30 days, UK Ofcom 24 h).
 */
export interface AbandonWindow {
  /** Live answers in the window. */
  readonly liveAnswers: number;
  /** Of those, abandoned (not connected to an agent within 2 s of the greeting's end). */
  readonly abandoned: number;
  /** The window's length, ms. */
  readonly windowMs: number;
}

/** Everything a pacer observes for one decision. Plain data: the pacer keeps no timers. */
export interface PacerState {
  /** Epoch ms. */
  readonly now: number;
  /** Agents of the campaign (every state; logged-out ones may be omitted). */
  readonly agents: readonly ObservedAgent[];
  /** Calls launched and not yet connected nor ended. */
  readonly calls: readonly ObservedCall[];
  /** The campaign's pacing options (core's `PacingOptions`, defaults applied). */
  readonly options: PacingOptions;
  /** The abandon ledger's counts over the rolling window. */
  readonly abandons: AbandonWindow;
  /** The campaign's model estimates (from `PacingEstimators`); ignored by the simple pacers. */
  readonly estimates: ModelEstimates;
  /**
   * Realised ÷ predicted abandons of the predictive model, learnt over the run
   * (`ForecastCalibration`; 1 when absent): the predictive pacer scales its abandon forecast by it.
   */
  readonly forecastScale?: number;
}

/** A pacing decision: how many calls to launch now, why, and the inputs it used. */
export interface PacingDecision {
  /** Calls to launch now (an integer ≥ 0). */
  readonly launch: number;
  /** Why (stable words: `progressive`, `cold-start`, `model`, `governor-fallback`, …). */
  readonly reason: string;
  /** The inputs the decision used, for the engine's pacing-decision event and dashboards. */
  readonly inputs: Readonly<Record<string, number | string>>;
  /** For preview: the agents the calls are for (one call each). */
  readonly agentIds?: readonly string[];
}

/**
 * A pacer: a pure function of the observed state. The same state gives the same decision;
 * learning lives in `PacingEstimators`, outside the pacer.
 */
export interface Pacer {
  /** `preview`, `progressive`, `power`, `predictive` or a baseline's name. */
  readonly name: string;
  /** How many calls to launch now. */
  decide(state: PacerState): PacingDecision;
}
