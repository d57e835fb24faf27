import { type Clock, type InboundRejectReason, PacelineError, type Random, type TimerHandle, type TrunkEvent } from '@paceline/core';
import { nextArrival } from './arrival-profile';
import type { ResolvedInbound } from './inbound-options';
import { sampleDuration } from './sim-duration';

/** One simulated caller, scripted: who calls whom, how long they wait and talk. */
export interface SimInboundCall {
  /** The number dialled, E.164 (refused at the network unless accepted). */
  readonly to: string;
  /** The caller's number, E.164; absent when withheld. */
  readonly from?: string;
  /** How long the caller waits for an agent (from the arrival) before hanging up, ms. */
  readonly patienceMs: number;
  /** How long the caller talks once an agent is on the line (`media.connect`), ms. */
  readonly handleMs: number;
}

/** Inbound counters since creation (all arrivals, including those refused at the network). */
export interface SimInboundStats {
  /** Arrivals generated or dialled in. */
  readonly arrivals: number;
  /** Offered to the engine (`incoming` events). */
  readonly offered: number;
  /** Refused at the network: the number was not accepted. */
  readonly refusedNumber: number;
  /** Refused at the network: every channel busy. */
  readonly refusedBusy: number;
  readonly answered: number;
  readonly rejected: number;
  /** Callers who hung up before an agent was on the line (before or after the answer). */
  readonly abandoned: number;
}

/** What {@link InboundSim} needs from its trunk. */
export interface InboundHost {
  readonly clock: Clock;
  /** The trunk's random stream (split here into arrivals and callers). */
  readonly random: Random;
  readonly emit: (event: TrunkEvent) => void;
  /** True when a channel is free for one more call. */
  readonly channelFree: () => boolean;
}

/**
 * One offered inbound call:
 *
 * ```
 *  offered ──answer──▶ answered ──media.connect──▶ talking ──handle time / hangup──▶ ended
 *     │                   │ patience runs out (ended human)
 *     └── patience runs out (ended no-answer), reject (no event), hangup (ended no-answer)
 * ```
 */
type InboundState = 'offered' | 'answered' | 'talking';

interface LiveCall {
  readonly callId: string;
  readonly spec: SimInboundCall;
  state: InboundState;
  readonly timers: Set<TimerHandle>;
}

/**
 * The simulated carrier's inbound half: arrivals from a Poisson process following the
 * time-of-day profile (plus spikes) on the injected clock, each with a caller's number,
 * patience and handle time drawn from its own random stream, so a seed replays exactly and
 * the arrival times do not depend on what the engine does.
 */
export class InboundSim {
  readonly #host: InboundHost;
  readonly #options: ResolvedInbound | undefined;
  /** Split from the trunk's stream only when arrivals are configured (a split advances the parent). */
  readonly #streams: { readonly arrivals: Random; readonly callers: Random } | undefined;
  readonly #calls = new Map<string, LiveCall>();
  #accepted: readonly string[] = [];
  #arrivalTimer: TimerHandle | undefined;
  #seq = 0;
  #closed = false;
  #stats = { arrivals: 0, offered: 0, refusedNumber: 0, refusedBusy: 0, answered: 0, rejected: 0, abandoned: 0 };

  constructor(host: InboundHost, options: ResolvedInbound | undefined) {
    this.#host = host;
    this.#options = options;
    if (!options) return; // without arrivals the trunk's random stream is untouched: outbound plans replay as before
    const inbound = host.random.split('inbound');
    this.#streams = { arrivals: inbound.split('arrivals'), callers: inbound.split('callers') };
    this.#scheduleArrival(host.clock.now());
  }

  /** Inbound calls not yet ended. */
  get callsInFlight(): number {
    return this.#calls.size;
  }

  get stats(): SimInboundStats {
    return { ...this.#stats };
  }

  /** The numbers whose calls are offered; replaces the previous set. */
  accept(numbers: readonly string[]): void {
    if (!Array.isArray(numbers)) throw invalid('acceptInbound.numbers', 'expected an array of E.164 numbers');
    for (const [i, number] of numbers.entries()) {
      if (typeof number !== 'string' || !/^\+[1-9][0-9]{6,14}$/.test(number)) {
        throw invalid(`acceptInbound.numbers[${i}]`, 'expected an E.164 number such as +14155550123');
      }
    }
    this.#accepted = [...new Set(numbers)].sort();
  }

  /** Place one scripted inbound call; its `incoming` event follows on a timer. Returns its call id, or undefined when refused at the network. */
  dialIn(spec: SimInboundCall): string | undefined {
    for (const field of ['patienceMs', 'handleMs'] as const) {
      if (!(spec[field] >= 0)) throw invalid(`dialIn.${field}`, `expected a number of ms ≥ 0, got ${String(spec[field])}`);
    }
    return this.#arrive(spec);
  }

  has(callId: string): boolean {
    return this.#calls.has(callId);
  }

  async answer(callId: string): Promise<void> {
    const call = this.#live(callId, 'answer');
    if (call.state !== 'offered') throw new PacelineError('E_CONFLICT', `answer: call ${callId} is already answered`);
    call.state = 'answered';
    this.#stats.answered++;
  }

  async reject(callId: string, reason: InboundRejectReason): Promise<void> {
    const call = this.#live(callId, 'reject');
    if (call.state !== 'offered') throw new PacelineError('E_CONFLICT', `reject: call ${callId} is answered; hang it up instead`);
    if (reason !== 'busy' && reason !== 'unavailable' && reason !== 'declined') {
      throw invalid('reject.reason', `expected busy, unavailable or declined, got ${String(reason)}`);
    }
    this.#stats.rejected++;
    this.#drop(call);
  }

  /** An agent is on the line: patience stops, the handle time runs. */
  connect(callId: string): void {
    const call = this.#live(callId, 'connect');
    if (call.state === 'offered') throw new PacelineError('E_CONFLICT', `sim trunk: cannot connect call ${callId} before it is answered`);
    if (call.state === 'talking') return;
    call.state = 'talking';
    this.#clearTimers(call);
    this.#after(call, call.spec.handleMs, () => this.#end(call, 'human', 'caller-hangup'));
  }

  /** Messages play only on answered calls. */
  requireAnswered(callId: string): void {
    if (this.#live(callId, 'playMessage').state === 'offered')
      throw new PacelineError('E_CONFLICT', `playMessage: call ${callId} is not answered`);
  }

  hangup(callId: string): void {
    const call = this.#calls.get(callId);
    if (call) this.#end(call, call.state === 'offered' ? 'no-answer' : 'human', 'hangup');
  }

  close(): void {
    this.#closed = true;
    if (this.#arrivalTimer !== undefined) this.#host.clock.clearTimer(this.#arrivalTimer);
    for (const call of [...this.#calls.values()]) this.#end(call, call.state === 'offered' ? 'no-answer' : 'human', 'trunk-closed');
  }

  #scheduleArrival(from: number): void {
    const options = this.#options;
    const streams = this.#streams;
    if (!options || !streams || this.#closed) return;
    const at = nextArrival(options.profile, options.spikes, from, streams.arrivals);
    if (!Number.isFinite(at)) return;
    const clock = this.#host.clock;
    this.#arrivalTimer = clock.setTimer(Math.max(0, at - clock.now()), () => {
      this.#arrivalTimer = undefined;
      this.#arrive(this.#drawCaller(options, streams.callers));
      this.#scheduleArrival(at);
    });
  }

  /** Who calls, whom, and how long they will wait and talk: always the same number of draws per arrival. */
  #drawCaller(options: ResolvedInbound, random: Random): SimInboundCall {
    const { callers } = options;
    const kind = random.next();
    const knownPick = random.int(Math.max(1, callers.known.length));
    const digits = String(random.int(1e9)).padStart(9, '0');
    const toPick = random.next();
    const patienceMs = sampleDuration(options.patience, random);
    const handleMs = sampleDuration(options.handleTime, random);
    const unknown = `${callers.unknownPrefix}${digits}`.slice(0, 12);
    const from =
      kind < callers.knownShare ? callers.known[knownPick] : kind < callers.knownShare + callers.withheldShare ? undefined : unknown;
    return { to: this.#calledNumber(options, toPick), ...(from !== undefined && { from }), patienceMs, handleMs };
  }

  #calledNumber(options: ResolvedInbound, u: number): string {
    const weighted = options.calledNumbers;
    if (!weighted) return this.#accepted[Math.floor(u * this.#accepted.length)] ?? '';
    const total = weighted.reduce((sum, n) => sum + n.weight, 0);
    let left = u * total;
    for (const entry of weighted) {
      left -= entry.weight;
      if (left < 0) return entry.number;
    }
    return (weighted.at(-1) as { number: string }).number;
  }

  #arrive(spec: SimInboundCall): string | undefined {
    this.#stats.arrivals++;
    if (this.#closed || !this.#accepted.includes(spec.to)) {
      this.#stats.refusedNumber++;
      return undefined;
    }
    if (!this.#host.channelFree()) {
      this.#stats.refusedBusy++;
      return undefined;
    }
    const call: LiveCall = { callId: `in-${++this.#seq}`, spec, state: 'offered', timers: new Set() };
    this.#calls.set(call.callId, call);
    this.#stats.offered++;
    this.#after(call, 0, () => {
      const { to, from } = spec;
      this.#host.emit({ type: 'incoming', callId: call.callId, at: this.#host.clock.now(), to, ...(from !== undefined && { from }) });
      this.#after(call, spec.patienceMs, () => {
        this.#stats.abandoned++;
        this.#end(call, call.state === 'offered' ? 'no-answer' : 'human', 'caller-abandon');
      });
    });
    return call.callId;
  }

  #live(callId: string, what: string): LiveCall {
    const call = this.#calls.get(callId);
    if (!call) throw new PacelineError('E_NOT_FOUND', `${what}: no inbound call ${callId} in progress`);
    return call;
  }

  #after(call: LiveCall, delayMs: number, fn: () => void): void {
    const timer = this.#host.clock.setTimer(delayMs, () => {
      call.timers.delete(timer);
      fn();
    });
    call.timers.add(timer);
  }

  #clearTimers(call: LiveCall): void {
    for (const timer of call.timers) this.#host.clock.clearTimer(timer);
    call.timers.clear();
  }

  #drop(call: LiveCall): boolean {
    if (!this.#calls.delete(call.callId)) return false;
    this.#clearTimers(call);
    return true;
  }

  #end(call: LiveCall, outcome: 'human' | 'no-answer', cause: string): void {
    if (!this.#drop(call)) return;
    this.#host.emit({ type: 'ended', callId: call.callId, at: this.#host.clock.now(), outcome, cause });
  }
}

function invalid(path: string, message: string): PacelineError {
  return new PacelineError('E_INVALID_INPUT', `${path}: ${message}`, { issues: [{ path, message }], retryable: false });
}
