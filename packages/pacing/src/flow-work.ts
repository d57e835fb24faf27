import { AgentState } from '@paceline/core';
import { DecayingHistogram, SurvivalCurve } from './decaying-histogram';
import type { ContactFlow, FlowWork, FlowWorkTables, ModelEstimates } from './model-estimates';
import type { ObservedAgent } from './pacer';
import { cachedOnCallTable, type OnCallCache, wrapFreeTable } from './work-tables';

/** Every contact flow, in a fixed order. */
export const CONTACT_FLOWS: readonly ContactFlow[] = ['inbound', 'outbound'];

/**
 * One flow's talk and wrap-up samples (the estimators keep one per flow with `workByFlow`),
 * decaying as the pooled ones do, and its on-call table cached between rebuilds as the pooled
 * one is (the convolution is the costly part of a rebuild).
 */
export class FlowWorkSamples {
  readonly #talk: DecayingHistogram;
  readonly #wrap: DecayingHistogram;
  #work = 0;
  #onCall: OnCallCache | undefined;

  /** @param halfLifeWork work items after which an old one counts half (the estimators' `halfLifeWork`). */
  constructor(halfLifeWork: number) {
    // The pooled histograms' ranges and bins (`PacingEstimators`).
    this.#talk = new DecayingHistogram(1_000, 1_800_000, halfLifeWork);
    this.#wrap = new DecayingHistogram(250, 600_000, halfLifeWork);
  }

  /** Finished calls of this flow (those with a talk time). */
  get workSamples(): number {
    return this.#work;
  }

  /** Learn one piece of this flow's work (talk, wrap-up or both). */
  observe(talkMs: number | undefined, wrapMs: number | undefined): void {
    if (talkMs !== undefined) this.#talk.add(talkMs);
    if (wrapMs !== undefined) this.#wrap.add(wrapMs);
    if (talkMs !== undefined) this.#work++;
  }

  /**
   * This flow's tables on the pooled snapshot's layout: `horizonMs`, and rows of `handleBinMs` /
   * `wrapBinMs` up to `handleBins` / `wrapBins`. `priorEvents`: the estimators' `workPriorEvents`.
   */
  tables(
    horizonMs: Float64Array,
    layout: { handleBinMs: number; handleBins: number; wrapBinMs: number; wrapBins: number },
    priorEvents: number,
    rebuildEvery: number,
  ): FlowWorkTables {
    const talk = new SurvivalCurve(this.#talk);
    const wrap = new SurvivalCurve(this.#wrap);
    return {
      workSamples: this.#work,
      meanTalkMs: this.#talk.mean(),
      meanWrapMs: this.#wrap.mean(),
      handleFree: this.#onCallTable(talk, wrap, horizonMs, layout.handleBinMs, layout.handleBins, priorEvents, rebuildEvery),
      wrapFree: wrapFreeTable(wrap, horizonMs, layout.wrapBinMs, layout.wrapBins, priorEvents),
    };
  }

  #onCallTable(
    talk: SurvivalCurve,
    wrap: SurvivalCurve,
    horizonMs: Float64Array,
    binMs: number,
    bins: number,
    priorEvents: number,
    rebuildEvery: number,
  ): Float64Array {
    this.#onCall = cachedOnCallTable(this.#onCall, talk, wrap, horizonMs, binMs, bins, { count: this.#work, rebuildEvery, priorEvents });
    return this.#onCall.table;
  }
}

/**
 * The completion table the predictive walk reads for a busy agent: its own flow's (age-conditioned
 * as the pooled one; same rows) when the snapshot has that flow's tables, else the pooled table.
 * A reserved agent (a call about to connect: its flow is not the one of its last call) and an
 * agent with no known flow read the pooled table. `pooledHandle` / `pooledWrap`: the pooled
 * tables the caller would read otherwise (the small teams' shape-kept ones, issue-22 22-smooth3,
 * take precedence: the caller passes no flow work then). Undefined: the agent is not busy.
 */
export function busyAgentTable(
  agent: ObservedAgent,
  flowWork: FlowWork | undefined,
  pooledHandle: Float64Array,
  pooledWrap: Float64Array,
): Float64Array | undefined {
  const st = agent.state;
  const flow = flowWork !== undefined && agent.flow !== undefined ? flowWork[agent.flow] : undefined;
  if (st === AgentState.OnCall) return flow?.handleFree ?? pooledHandle;
  if (st === AgentState.Reserved) return pooledHandle;
  if (st === AgentState.WrapUp) return flow?.wrapFree ?? pooledWrap;
  return undefined;
}

/** The row offset (row × horizons) of a busy agent in its completion table; -1 when it is not busy. */
export function busyAgentBase(agent: ObservedAgent, est: ModelEstimates): number {
  const st = agent.state;
  const K = est.horizons;
  if (st === AgentState.Reserved) return 0;
  if (st === AgentState.OnCall) return Math.min(Math.floor(agent.timeInStateMs / est.handleBinMs), est.handleBins) * K;
  if (st === AgentState.WrapUp) return Math.min(Math.floor(agent.timeInStateMs / est.wrapBinMs), est.wrapBins) * K;
  return -1;
}
