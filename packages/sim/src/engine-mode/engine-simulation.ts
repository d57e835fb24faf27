import {
  type Campaign,
  type CampaignInput,
  type ContactInput,
  type Logger,
  type Random,
  type Store,
  seededRandom,
  silentLogger,
  VirtualClock,
} from '@paceline/core';
import {
  type CampaignPacer,
  type CampaignStatus,
  type ComplianceGate,
  createDialer,
  createMemoryStore,
  type Dialer,
  type DialerOptions,
} from '@paceline/engine';
import { createSimTrunk, type SimOutcomeModel, type SimTrunk } from '@paceline/trunk-sim';
import { type AgentBehaviour, type SimulatedAgents, type SimulatedShift, simulateAgents } from './simulated-agents';

/** Everything one engine-mode run needs. */
export interface EngineSimulationOptions {
  readonly seed: number;
  /** Virtual start time, epoch ms. */
  readonly startAt: number;
  /** Campaign input (validated by the engine). */
  readonly campaign: unknown;
  readonly contacts: readonly unknown[];
  readonly shifts: readonly SimulatedShift[];
  readonly behaviour: AgentBehaviour;
  readonly outcomeModel: SimOutcomeModel;
  /** Default: the engine's default pacer for the campaign's dial mode. */
  readonly createPacer?: (campaign: Campaign) => CampaignPacer;
  /** Default: the engine's default compliance gate. */
  readonly compliance?: ComplianceGate;
  /** Scripting hooks and the fallback script, passed to the engine as is. */
  readonly scripting?: DialerOptions['scripting'];
  readonly logger?: Logger;
}

/** Counters kept from the dialer's events over a run. */
export interface EngineRunCounters {
  dials: number;
  liveAnswers: number;
  connected: number;
  abandoned: number;
  abandonedWithMessage: number;
  /** Greeting end → agent connected, ms, one per connected call. */
  readonly connectLatenciesMs: number[];
  readonly outcomes: Record<string, number>;
  readonly dispositions: Record<string, number>;
  complianceRefusals: number;
  orders: number;
}

/**
 * The real engine on virtual time: trunk-sim for the carrier, simulated agents on shifts, the
 * in-memory store, one campaign. The same seed replays the same day exactly.
 */
export class EngineSimulation {
  readonly clock: VirtualClock;
  readonly dialer: Dialer;
  readonly trunk: SimTrunk;
  /** The in-memory store the engine runs on (inspect contacts and attempts after a run). */
  readonly store: Store;
  readonly random: Random;
  readonly counters: EngineRunCounters = {
    dials: 0,
    liveAnswers: 0,
    connected: 0,
    abandoned: 0,
    abandonedWithMessage: 0,
    connectLatenciesMs: [],
    outcomes: {},
    dispositions: {},
    complianceRefusals: 0,
    orders: 0,
  };
  #agents?: SimulatedAgents;
  #campaignId = '';

  private constructor(readonly options: EngineSimulationOptions) {
    this.clock = new VirtualClock(options.startAt);
    this.random = seededRandom(options.seed);
    this.trunk = createSimTrunk({ clock: this.clock, random: this.random.split('trunk'), model: options.outcomeModel });
    this.store = createMemoryStore();
    this.dialer = createDialer({
      trunk: this.trunk,
      media: this.trunk.media,
      clock: this.clock,
      random: this.random.split('engine'),
      store: this.store,
      logger: options.logger ?? silentLogger,
      ...(options.createPacer ? { createPacer: options.createPacer } : {}),
      ...(options.compliance ? { compliance: options.compliance } : {}),
      ...(options.scripting ? { scripting: options.scripting } : {}),
    });
    const c = this.counters;
    this.dialer.on('dialed', () => c.dials++);
    this.dialer.on('connected', (offer) => {
      c.liveAnswers++;
      c.connected++;
      c.connectLatenciesMs.push(offer.latencyMs);
    });
    this.dialer.on('abandoned', (e) => {
      c.liveAnswers++;
      c.abandoned++;
      if (e.messagePlayed) c.abandonedWithMessage++;
    });
    this.dialer.on('ended', (e) => {
      const key = e.attempt.abandoned ? 'abandoned' : e.outcome;
      c.outcomes[key] = (c.outcomes[key] ?? 0) + 1;
    });
    this.dialer.on('dispositioned', (e) => {
      c.dispositions[e.code || 'none'] = (c.dispositions[e.code || 'none'] ?? 0) + 1;
    });
    this.dialer.on('complianceRefused', () => c.complianceRefusals++);
    this.dialer.on('orderCreated', () => c.orders++);
  }

  /** Build the simulation: add the campaign and its contacts, schedule the agents, start. */
  static async create(options: EngineSimulationOptions): Promise<EngineSimulation> {
    const sim = new EngineSimulation(options);
    // issue-19: scenario data is validated by addCampaign / addContacts at run time.
    const campaign = await sim.dialer.addCampaign(options.campaign as CampaignInput);
    sim.#campaignId = campaign.id;
    const { rejected } = await sim.dialer.addContacts(campaign.id, options.contacts as readonly ContactInput[]);
    if (rejected.length > 0) throw new Error(`engine simulation: ${rejected.length} contacts rejected, first: ${rejected[0]?.message}`);
    sim.#agents = simulateAgents(sim.dialer, sim.clock, sim.random.split('agents'), options.shifts, options.behaviour);
    await sim.dialer.start(campaign.id);
    return sim;
  }

  /** The simulated agents (time per state, offers). */
  get agents(): SimulatedAgents {
    return this.#agents as SimulatedAgents;
  }

  /** The campaign's live numbers. */
  status(): Promise<CampaignStatus> {
    return this.dialer.status(this.#campaignId);
  }

  /** Run virtual time forward to `untilMs`, timer by timer, letting the engine's async work finish in between. */
  async runUntil(untilMs: number): Promise<void> {
    await settle();
    for (let next = this.clock.nextAt(); next !== undefined && next <= untilMs; next = this.clock.nextAt()) {
      this.clock.runNext();
      await settle();
    }
    if (untilMs > this.clock.now()) this.clock.advanceTo(untilMs);
    await settle();
  }

  /** Stop the dialer (calls still in flight are hung up). */
  close(): Promise<void> {
    return this.dialer.close();
  }
}

/**
 * Let every pending promise chain finish. `setImmediate` reads no time and fires in a fixed
 * order after all microtasks, so a run stays deterministic.
 */
function settle(): Promise<void> {
  // biome-ignore lint/style/noRestrictedGlobals: yields to the event loop only; no time is read or waited for
  return new Promise((resolve) => setImmediate(resolve));
}
