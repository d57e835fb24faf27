import type { Clock, TimerHandle } from '@paceline/core';
import type { SipTimerValues } from '../sip/sip-timers';

/** RFC 3261 Table 4: T4, the longest a message stays in the network (Timer I over UDP). */
export const T4_MS = 5_000;

/** What {@link FinalResponse} is told to do. */
export interface FinalResponseOptions {
  readonly clock: Clock;
  readonly timers: SipTimerValues;
  /** Send the response (again). */
  readonly send: () => void;
  /** `2xx`: the UAS core resends it until the ACK (RFC 3261 13.3.1.4); `non-2xx`: the server transaction does (17.2.1, Timer G). */
  readonly kind: '2xx' | 'non-2xx';
  /** A reliable transport (TCP, TLS): no Timer G, and Timer I is 0. */
  readonly reliable: boolean;
  /** No ACK within 64·T1 (Timer H; for a 2xx, 13.3.1.4's give-up). */
  readonly onNoAck: () => void;
  /** The transaction is over (its ACK absorbed, Timer I passed, or given up). */
  readonly onDone: () => void;
}

/**
 * One final response to an inbound INVITE, kept until its ACK: resent at T1, 2·T1, … capped
 * at T2 (Timer G for a non-2xx over UDP; the 2xx rule of 13.3.1.4 on any transport), abandoned
 * at 64·T1 (Timer H), and after a non-2xx's ACK kept T4 longer to absorb retransmitted ACKs
 * (Timer I). SIP.js's server transaction has no Timer G and runs its timers on `setTimeout`
 * with a fixed T1; these run on the injected Clock with the trunk's T1/T2.
 */
export class FinalResponse {
  readonly #o: FinalResponseOptions;
  #resend: TimerHandle | undefined;
  #giveUp: TimerHandle | undefined;
  #absorb: TimerHandle | undefined;
  #done = false;

  constructor(options: FinalResponseOptions) {
    this.#o = options;
    const { clock, timers } = options;
    options.send();
    if (options.kind === '2xx' || !options.reliable) this.#schedule(timers.t1Ms);
    this.#giveUp = clock.setTimer(64 * timers.t1Ms, () => {
      this.#giveUp = undefined;
      this.#finish();
      options.onNoAck();
    });
  }

  /** True until the transaction is over. */
  get pending(): boolean {
    return !this.#done;
  }

  /** True once the ACK came (a non-2xx transaction may still absorb retransmissions). */
  get acked(): boolean {
    return this.#giveUp === undefined;
  }

  /** The INVITE was retransmitted: send the response again (RFC 3261 17.2.1). */
  resend(): void {
    if (!this.#done) this.#o.send();
  }

  /** The ACK arrived. */
  ack(): void {
    if (this.#done || this.#giveUp === undefined) return;
    this.#clear();
    const wait = this.#o.kind === 'non-2xx' && !this.#o.reliable ? T4_MS : 0;
    if (wait === 0) this.#finish();
    else this.#absorb = this.#o.clock.setTimer(wait, () => this.#finish());
  }

  /** Stop at once (the trunk closes). */
  stop(): void {
    this.#finish();
  }

  #schedule(intervalMs: number): void {
    this.#resend = this.#o.clock.setTimer(intervalMs, () => {
      this.#o.send();
      this.#schedule(Math.min(2 * intervalMs, this.#o.timers.t2Ms));
    });
  }

  #clear(): void {
    const { clock } = this.#o;
    for (const timer of [this.#resend, this.#giveUp, this.#absorb]) if (timer !== undefined) clock.clearTimer(timer);
    this.#resend = this.#giveUp = this.#absorb = undefined;
  }

  #finish(): void {
    if (this.#done) return;
    this.#clear();
    this.#done = true;
    this.#o.onDone();
  }
}
