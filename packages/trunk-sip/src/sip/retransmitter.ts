import type { Clock, TimerHandle } from '@paceline/core';
import type { SipTimerValues } from './sip-timers';

interface Pending {
  readonly method: string;
  readonly callId: string;
  readonly resend: () => void;
  intervalMs: number;
  provisional: boolean;
  retransmitTimer?: TimerHandle;
  timeoutTimer: TimerHandle;
}

/** Called when Timer B (INVITE) or Timer F (non-INVITE) fires without the expected response. */
export type TransactionTimeout = (callId: string, method: string) => void;

/**
 * Client-transaction retransmissions over an unreliable transport, on the injected Clock.
 * SIP.js's transactions leave Timer A/E to the transport, so they live here.
 */
export class Retransmitter {
  readonly #clock: Clock;
  readonly #timers: SipTimerValues;
  readonly #onTimeout: TransactionTimeout;
  readonly #pending = new Map<string, Pending>();

  constructor(clock: Clock, timers: SipTimerValues, onTimeout: TransactionTimeout) {
    this.#clock = clock;
    this.#timers = timers;
    this.#onTimeout = onTimeout;
  }

  /** Transactions still waiting for a response. */
  get size(): number {
    return this.#pending.size;
  }

  /**
   * Track a request just sent. `retransmit` is false on reliable transports, where only the
   * timeout applies (RFC 3261 17.1.1.2: Timer A is set only for unreliable transports).
   */
  track(branch: string, method: string, callId: string, retransmit: boolean, resend: () => void): void {
    if (this.#pending.has(branch) || method === 'ACK') return;
    const { t1Ms } = this.#timers;
    // RFC 3261 17.1.1.2 / 17.1.2.2: Timer B and Timer F are both 64*T1.
    const timeoutTimer = this.#clock.setTimer(64 * t1Ms, () => {
      if (!this.#pending.has(branch)) return;
      this.#stop(branch);
      this.#onTimeout(callId, method);
    });
    const pending: Pending = { method, callId, resend, intervalMs: t1Ms, provisional: false, timeoutTimer };
    this.#pending.set(branch, pending);
    if (retransmit) this.#schedule(branch, pending);
  }

  /** A response arrived for the transaction `branch`. */
  onResponse(branch: string, status: number): void {
    const pending = this.#pending.get(branch);
    if (!pending) return;
    if (pending.method === 'INVITE' || status >= 200) {
      // RFC 3261 17.1.1.2: any response stops Timer A (and B); a final one ends Timer E/F.
      this.#stop(branch);
      return;
    }
    // RFC 3261 17.1.2.2: after a provisional response, Timer E retransmits every T2.
    pending.provisional = true;
  }

  /** Forget every transaction of a call (it ended). */
  forgetCall(callId: string): void {
    for (const [branch, pending] of this.#pending) if (pending.callId === callId && pending.method !== 'BYE') this.#stop(branch);
  }

  /** Stop everything. */
  clear(): void {
    for (const branch of [...this.#pending.keys()]) this.#stop(branch);
  }

  #schedule(branch: string, pending: Pending): void {
    pending.retransmitTimer = this.#clock.setTimer(pending.intervalMs, () => {
      if (this.#pending.get(branch) !== pending) return;
      pending.resend();
      const { t2Ms } = this.#timers;
      // RFC 3261 17.1.1.2: Timer A doubles from T1 (no cap); 17.1.2.2: Timer E doubles up to T2, or stays at T2 once provisional.
      pending.intervalMs =
        pending.method === 'INVITE' ? pending.intervalMs * 2 : pending.provisional ? t2Ms : Math.min(pending.intervalMs * 2, t2Ms);
      this.#schedule(branch, pending);
    });
  }

  #stop(branch: string): void {
    const pending = this.#pending.get(branch);
    if (!pending) return;
    this.#pending.delete(branch);
    if (pending.retransmitTimer) this.#clock.clearTimer(pending.retransmitTimer);
    this.#clock.clearTimer(pending.timeoutTimer);
  }
}
