import { PacelineError, type PacingOptions, PacingOptionsSchema, seededRandom, VirtualClock } from '@paceline/core';
import type { PacingDecision } from '@paceline/pacing';
import Value from 'typebox/value';
import { AgentRoster, type AgentShift } from './agent-roster';
import { OutcomeModel, type OutcomeModelSpec } from './model/outcome-model';
import { type DialerCounters, PacingDialer, type SimPacer } from './pacing-dialer';

/** One simulated run. Times in ms; the run starts at `startAt` on a `VirtualClock`. */
export interface SimulationOptions {
  /** Same seed, same options → the same result, bit for bit. */
  readonly seed: number;
  /** Length of the run, ms. */
  readonly durationMs: number;
  /** Virtual start, epoch ms (default 0). */
  readonly startAt?: number;
  /** Local hour of the day at the start (default 9). */
  readonly startHour?: number;
  readonly shifts: readonly AgentShift[];
  /** The trunk outcome model (an `OutcomeModel` or its spec). */
  readonly model: OutcomeModel | OutcomeModelSpec;
  /** The pacer under test, through the engine's seam (e.g. `createCampaignPacer` of @paceline/pacing). */
  readonly pacer: SimPacer;
  /** The campaign's pacing options (core defaults fill the rest). */
  readonly pacing?: Partial<PacingOptions>;
  /** The abandon ledger's rolling window, ms (default 30 days, US TSR). */
  readonly abandonWindowMs?: number;
  /** Decision tick, ms (default 1000). */
  readonly decisionIntervalMs?: number;
  /** Sees every pacing decision. */
  readonly onDecision?: (decision: PacingDecision, now: number) => void;
}

/** The outcome of a run, with the DESIGN.md metrics. */
export interface SimulationResult {
  readonly seed: number;
  readonly counters: DialerCounters;
  /** Agent time by state, ms, summed over agents. */
  readonly talkMs: number;
  readonly wrapMs: number;
  readonly readyMs: number;
  readonly notReadyMs: number;
  /** Logged-in time (every state but logged-out), ms. */
  readonly loggedInMs: number;
  /** talk / logged-in time. */
  readonly talkFraction: number;
  /** (talk + wrap-up) / logged-in time. */
  readonly occupancy: number;
  /** abandoned / live answers over the run (0 with none). */
  readonly abandonRate: number;
  /** Mean agent wait (ready and idle between two calls), s. */
  readonly agentWaitMeanS: number;
  /** Dials per logged-in agent hour. */
  readonly dialsPerAgentHour: number;
  /** Events handled (timers fired). */
  readonly events: number;
}

/** Run one simulation to its end and report. */
export function runSimulation(options: SimulationOptions): SimulationResult {
  return new Simulation(options).run();
}

/**
 * A discrete-event simulation of one campaign on virtual time: a `VirtualClock`, seeded
 * randomness split per component (`agents`, `trunk`), the agent roster, the trunk outcome
 * model and the dialer driving the pacer.
 */
export class Simulation {
  readonly clock: VirtualClock;
  readonly roster: AgentRoster;
  readonly dialer: PacingDialer;
  readonly #options: SimulationOptions;
  readonly #startAt: number;

  constructor(options: SimulationOptions) {
    if (!(options.durationMs > 0)) {
      throw new PacelineError('E_INVALID_CONFIG', `simulation.durationMs: expected a positive duration, got ${options.durationMs}`);
    }
    this.#options = options;
    this.#startAt = options.startAt ?? 0;
    this.clock = new VirtualClock(this.#startAt);
    const random = seededRandom(options.seed);
    const agentsRandom = random.split('agents');
    const trunkRandom = random.split('trunk');
    const pacing = Value.Default(PacingOptionsSchema, Value.Clone(options.pacing ?? {})) as PacingOptions;
    if (!Value.Check(PacingOptionsSchema, pacing)) {
      throw new PacelineError('E_INVALID_CONFIG', 'simulation.pacing: invalid pacing options (see PacingOptionsSchema in @paceline/core)');
    }
    this.roster = new AgentRoster(this.clock, this.#startAt, options.shifts, agentsRandom);
    this.dialer = new PacingDialer({
      clock: this.clock,
      startAt: this.#startAt,
      startHour: options.startHour ?? 9,
      roster: this.roster,
      model: options.model instanceof OutcomeModel ? options.model : new OutcomeModel(options.model),
      pacer: options.pacer,
      pacing,
      abandonWindowMs: options.abandonWindowMs ?? 30 * 86_400_000,
      decisionIntervalMs: options.decisionIntervalMs ?? 1_000,
      random: trunkRandom,
      ...(options.onDecision ? { onDecision: options.onDecision } : {}),
    });
  }

  /** Run to the end and report. Calls still in flight at the end are not counted. */
  run(): SimulationResult {
    const end = this.#startAt + this.#options.durationMs;
    this.dialer.start();
    this.clock.advanceTo(end);
    this.dialer.stop();
    this.roster.close(end);
    return this.#result();
  }

  #result(): SimulationResult {
    const t = this.roster.time;
    const c = this.dialer.counters;
    const loggedInMs = t.ready + t.reserved + t.talk + t.wrap + t.notReady;
    return {
      seed: this.#options.seed,
      counters: c,
      talkMs: t.talk,
      wrapMs: t.wrap,
      readyMs: t.ready,
      notReadyMs: t.notReady,
      loggedInMs,
      talkFraction: loggedInMs > 0 ? t.talk / loggedInMs : 0,
      occupancy: loggedInMs > 0 ? (t.talk + t.wrap) / loggedInMs : 0,
      abandonRate: c.liveAnswers > 0 ? c.abandoned / c.liveAnswers : 0,
      agentWaitMeanS: c.waits > 0 ? c.waitMs / c.waits / 1_000 : 0,
      dialsPerAgentHour: loggedInMs > 0 ? c.dials / (loggedInMs / 3_600_000) : 0,
      events: this.dialer.events,
    };
  }
}
