import {
  type Clock,
  type InboundRejectReason,
  type MediaBridge,
  type OriginateRequest,
  PacelineError,
  type Random,
  type TimerHandle,
  type Trunk,
  type TrunkEvent,
  TypedEmitter,
} from '@paceline/core';
import type { SimCallPlan, SimOutcomeModel } from './call-plan';
import { resolveInboundOptions, type SimInboundOptions } from './inbound/inbound-options';
import { InboundSim, type SimInboundCall, type SimInboundStats } from './inbound/inbound-sim';

/** Options of {@link createSimTrunk}. */
export interface SimTrunkOptions {
  /** Real (`systemClock()`) or virtual time. */
  readonly clock: Clock;
  /** Randomness for the outcome model (split per call from this stream). */
  readonly random: Random;
  readonly model: SimOutcomeModel;
  /** Concurrent calls the simulated carrier accepts; more are refused with `E_TRUNK_UNAVAILABLE`. */
  readonly maxChannels?: number;
  /** Called when a trunk-event listener throws; the trunk never rethrows. */
  readonly onListenerError?: (error: unknown) => void;
  /**
   * Inbound arrivals (a Poisson process on the time-of-day profile, callers' patience and
   * handle time); checked at creation (`E_INVALID_CONFIG`). Without it only `dialIn` places
   * inbound calls.
   */
  readonly inbound?: SimInboundOptions;
}

interface SimCall {
  readonly request: OriginateRequest;
  readonly plan: SimCallPlan;
  readonly timers: Set<TimerHandle>;
  answered: boolean;
  /** A person is engaged (connected to an agent or hearing a message): patience no longer runs. */
  engaged: boolean;
  readonly messages: string[];
}

/** A simulated carrier: the `Trunk` port, plus a `MediaBridge` that marks calls connected. */
export interface SimTrunk extends Trunk {
  /** The media side: `connect` tells the far end an agent is on the line. */
  readonly media: MediaBridge;
  /** Calls not yet ended. */
  readonly callsInFlight: number;
  /** Most calls in flight at once since creation. */
  readonly peakChannels: number;
  /** Messages played on a call, in order (the safe-harbour message shows up here). */
  messagesPlayed(callId: string): readonly string[];
  acceptInbound(numbers: readonly string[]): void;
  answer(callId: string): Promise<void>;
  reject(callId: string, reason: InboundRejectReason): Promise<void>;
  /**
   * Place one scripted inbound call (tests, conformance); its `incoming` event follows on a
   * timer. Returns its call id, or undefined when refused at the network (number not
   * accepted, every channel busy).
   */
  dialIn(call: SimInboundCall): string | undefined;
  /** Inbound counters since creation. */
  readonly inboundStats: SimInboundStats;
}

const MIN_RING_TIMEOUT_MS = 15_000;

class SimTrunkImpl implements SimTrunk {
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #model: SimOutcomeModel;
  readonly #maxChannels: number;
  readonly #events: TypedEmitter<{ event: [TrunkEvent] }>;
  readonly #calls = new Map<string, SimCall>();
  readonly #played = new Map<string, string[]>();
  readonly #inbound: InboundSim;
  #peak = 0;
  #closed = false;

  readonly media: MediaBridge = {
    connect: async (callId) => {
      if (this.#inbound.has(callId)) return this.#inbound.connect(callId);
      const call = this.#live(callId, 'connect');
      if (!call.answered) throw new PacelineError('E_CONFLICT', `sim trunk: cannot connect call ${callId} before it is answered`);
      call.engaged = true;
    },
    disconnect: async () => {},
    close: async () => {},
  };

  constructor(options: SimTrunkOptions) {
    this.#clock = options.clock;
    this.#random = options.random;
    this.#model = options.model;
    this.#maxChannels = options.maxChannels ?? Number.POSITIVE_INFINITY;
    this.#events = new TypedEmitter({ onListenerError: (error) => options.onListenerError?.(error) });
    const inbound = options.inbound === undefined ? undefined : resolveInboundOptions(options.inbound);
    this.#inbound = new InboundSim(
      {
        clock: this.#clock,
        random: this.#random,
        emit: (event) => this.#emit(event),
        channelFree: () => {
          const free = this.callsInFlight < this.#maxChannels;
          if (free) this.#peak = Math.max(this.#peak, this.callsInFlight + 1);
          return free;
        },
      },
      inbound,
    );
  }

  get callsInFlight(): number {
    return this.#calls.size + this.#inbound.callsInFlight;
  }

  get inboundStats(): SimInboundStats {
    return this.#inbound.stats;
  }

  acceptInbound(numbers: readonly string[]): void {
    this.#inbound.accept(numbers);
  }

  answer(callId: string): Promise<void> {
    return this.#inbound.answer(callId);
  }

  reject(callId: string, reason: InboundRejectReason): Promise<void> {
    return this.#inbound.reject(callId, reason);
  }

  dialIn(call: SimInboundCall): string | undefined {
    return this.#inbound.dialIn(call);
  }

  get peakChannels(): number {
    return this.#peak;
  }

  messagesPlayed(callId: string): readonly string[] {
    return this.#played.get(callId) ?? [];
  }

  onEvent(listener: (event: TrunkEvent) => void): () => void {
    return this.#events.on('event', listener);
  }

  async originate(request: OriginateRequest): Promise<void> {
    if (this.#closed) throw new PacelineError('E_TRUNK_UNAVAILABLE', 'sim trunk: closed');
    if (request.ringTimeoutMs < MIN_RING_TIMEOUT_MS) {
      throw new PacelineError(
        'E_INVALID_INPUT',
        `originate: ringTimeoutMs: expected at least ${MIN_RING_TIMEOUT_MS}, got ${request.ringTimeoutMs}`,
      );
    }
    if (this.#calls.has(request.callId) || this.#played.has(request.callId)) {
      throw new PacelineError('E_CONFLICT', `originate: call id ${request.callId} was already used`);
    }
    if (this.callsInFlight >= this.#maxChannels) {
      throw new PacelineError('E_TRUNK_UNAVAILABLE', `sim trunk: all ${this.#maxChannels} channels busy`, { retryable: true });
    }
    const plan = this.#model.plan(request, this.#clock.now(), this.#random);
    const call: SimCall = { request, plan, timers: new Set(), answered: false, engaged: false, messages: [] };
    this.#calls.set(request.callId, call);
    this.#played.set(request.callId, call.messages);
    this.#peak = Math.max(this.#peak, this.callsInFlight);

    const { callId, ringTimeoutMs } = request;
    const answers = plan.outcome === 'human' || plan.outcome === 'machine' || plan.outcome === 'fax';
    const resolvesBeforeTimeout = plan.outcome !== 'no-answer' && plan.resolveAfterMs < ringTimeoutMs;
    if (plan.ringingAfterMs !== undefined && plan.ringingAfterMs < Math.min(plan.resolveAfterMs, ringTimeoutMs)) {
      this.#after(call, plan.ringingAfterMs, () => this.#emit({ type: 'ringing', callId, at: this.#clock.now() }));
    }
    if (!resolvesBeforeTimeout) {
      this.#after(call, ringTimeoutMs, () => this.#end(call, 'no-answer', 'ring-timeout'));
    } else if (answers) {
      this.#after(call, plan.resolveAfterMs, () => this.#answer(call));
    } else {
      this.#after(call, plan.resolveAfterMs, () => this.#end(call, plan.outcome, 'network'));
    }
  }

  async hangup(callId: string): Promise<void> {
    if (this.#inbound.has(callId)) return this.#inbound.hangup(callId);
    const call = this.#calls.get(callId);
    if (!call) return; // already ended: hanging up twice is harmless
    this.#end(call, call.answered ? call.plan.outcome : 'no-answer', call.answered ? 'hangup' : 'cancelled');
  }

  async playMessage(callId: string, messageId: string): Promise<void> {
    if (this.#inbound.has(callId)) {
      this.#inbound.requireAnswered(callId);
      const played = this.#played.get(callId) ?? [];
      played.push(messageId);
      this.#played.set(callId, played);
      return;
    }
    const call = this.#live(callId, 'playMessage');
    if (!call.answered) throw new PacelineError('E_CONFLICT', `playMessage: call ${callId} is not answered`);
    call.engaged = true;
    call.messages.push(messageId);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#inbound.close();
    for (const call of [...this.#calls.values()]) this.#end(call, call.answered ? call.plan.outcome : 'failed', 'trunk-closed');
  }

  #live(callId: string, what: string): SimCall {
    const call = this.#calls.get(callId);
    if (!call) throw new PacelineError('E_NOT_FOUND', `${what}: no call ${callId} in progress`);
    return call;
  }

  #answer(call: SimCall): void {
    const { callId } = call.request;
    call.answered = true;
    this.#emit({ type: 'answered', callId, at: this.#clock.now() });
    const analysisAfter = call.plan.analysisAfterMs ?? 0;
    this.#after(call, analysisAfter, () => {
      const now = this.#clock.now();
      const result = call.plan.detected ?? this.#truth(call);
      this.#emit({ type: 'analysed', callId, at: now, result, greetingEndedAt: now });
      const { revisedAfterMs, revisedReason = 'late-beep' } = call.plan;
      if (call.plan.outcome === 'machine' && result !== 'machine' && revisedAfterMs !== undefined) {
        this.#after(call, revisedAfterMs, () => this.#emit({ type: 'revised', callId, at: this.#clock.now(), reason: revisedReason }));
      }
      const patience = call.plan.patienceMs;
      if (call.plan.outcome === 'human' && patience !== undefined && Number.isFinite(patience)) {
        this.#after(call, patience, () => {
          if (!call.engaged) this.#end(call, 'human', 'caller-hangup');
        });
      }
    });
  }

  #truth(call: SimCall): 'human' | 'machine' | 'unknown' {
    return call.plan.outcome === 'human' ? 'human' : call.plan.outcome === 'machine' ? 'machine' : 'unknown';
  }

  #after(call: SimCall, delayMs: number, fn: () => void): void {
    const timer = this.#clock.setTimer(delayMs, () => {
      call.timers.delete(timer);
      fn();
    });
    call.timers.add(timer);
  }

  #end(call: SimCall, outcome: Exclude<SimCallPlan['outcome'], never>, cause: string): void {
    if (!this.#calls.delete(call.request.callId)) return;
    for (const timer of call.timers) this.#clock.clearTimer(timer);
    call.timers.clear();
    this.#emit({ type: 'ended', callId: call.request.callId, at: this.#clock.now(), outcome, cause });
  }

  #emit(event: TrunkEvent): void {
    this.#events.emit('event', event);
  }
}

/**
 * A simulated carrier implementing `Trunk` with a pluggable outcome model, on real or
 * virtual time. Events are always delivered from the clock's timers, never synchronously
 * from `originate`.
 */
export function createSimTrunk(options: SimTrunkOptions): SimTrunk {
  return new SimTrunkImpl(options);
}
