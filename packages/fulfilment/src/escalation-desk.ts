import { type Clock, PacelineError, type TimerHandle } from '@paceline/core';
import type { Department } from './config-schema';

/** Where an escalation stands. `acknowledged` = the department responded (the agreement is met). */
export type EscalationStatus = 'open' | 'acknowledged' | 'resolved';

/** A case handed to a department under its operational-level agreement. */
export interface Escalation {
  readonly id: string;
  readonly orderId: string;
  readonly campaignId: string;
  readonly contactId: string;
  readonly departmentId: string;
  readonly topic: string;
  readonly reason: string;
  /** What the department needs, as far as the order and the result tell it. */
  readonly info: Readonly<Record<string, string>>;
  /** Fields of the department's `requiredInfo` that could not be filled: someone must supply them. */
  readonly missingInfo: readonly string[];
  /** Who tells the customer the outcome. */
  readonly informsCustomer: 'department' | 'contact-centre';
  readonly openedAt: number;
  /** The agreed response deadline, epoch ms (openedAt + the department's response time). */
  readonly dueAt: number;
  /** When an unresolved case goes to a supervisor, epoch ms; absent = never. */
  readonly supervisorAt?: number;
  readonly status: EscalationStatus;
  readonly respondedAt?: number;
  readonly resolvedAt?: number;
  readonly resolution?: string;
  /** True once the response deadline passed without a response. */
  readonly breached: boolean;
  /** True once a supervisor was alerted. */
  readonly supervisorAlerted: boolean;
}

/** What opening an escalation needs. */
export interface EscalationRequest {
  readonly orderId: string;
  readonly campaignId: string;
  readonly contactId: string;
  readonly department: Department;
  readonly topic: string;
  readonly reason: string;
  readonly info: Readonly<Record<string, string>>;
}

/** Callbacks the desk reports through. */
export interface EscalationDeskHooks {
  onOverdue(escalation: Escalation, overdueByMs: number): void;
  onSupervisor(escalation: Escalation): void;
  /** Every new or changed case, to be kept in the desk's `FulfilmentStore`. */
  onChange?(escalation: Escalation): void;
}

const MINUTE_MS = 60_000;

/**
 * Open escalations and their deadlines, on the injected clock: a timer per deadline fires
 * `onOverdue` when a department has not responded in its agreed time and `onSupervisor` when
 * a case is still unresolved at the supervisor threshold. `check()` does the same scan on
 * demand (after a restart, or for hosts that poll).
 */
export class EscalationDesk {
  readonly #clock: Clock;
  readonly #hooks: EscalationDeskHooks;
  readonly #cases = new Map<string, Escalation>();
  readonly #timers = new Map<string, TimerHandle[]>();
  #seq = 0;

  constructor(clock: Clock, hooks: EscalationDeskHooks) {
    this.#clock = clock;
    this.#hooks = hooks;
  }

  /** Open a case; its deadlines start now. `seq` numbers its id (from the shared store; default this desk's own counter). */
  open(request: EscalationRequest, seq: number = this.#seq + 1): Escalation {
    this.#seq = Math.max(this.#seq, seq);
    const now = this.#clock.now();
    const { department } = request;
    const missingInfo = department.requiredInfo.filter((field) => !request.info[field]);
    const escalation: Escalation = {
      id: `esc-${request.orderId}-${seq}`,
      orderId: request.orderId,
      campaignId: request.campaignId,
      contactId: request.contactId,
      departmentId: department.id,
      topic: request.topic,
      reason: request.reason,
      info: { ...request.info },
      missingInfo,
      informsCustomer: department.informsCustomer,
      openedAt: now,
      dueAt: now + department.responseMinutes * MINUTE_MS,
      ...(department.supervisorAfterMinutes === undefined ? {} : { supervisorAt: now + department.supervisorAfterMinutes * MINUTE_MS }),
      status: 'open',
      breached: false,
      supervisorAlerted: false,
    };
    this.#put(escalation);
    this.#arm(escalation);
    return escalation;
  }

  /** Take cases back from the store after a restart: deadlines not yet reported are armed again (and reported at once if passed). */
  restore(escalations: readonly Escalation[]): void {
    for (const escalation of escalations) {
      this.#cases.set(escalation.id, escalation);
      if (escalation.status !== 'resolved') this.#arm(escalation);
    }
  }

  #arm(escalation: Escalation): void {
    const now = this.#clock.now();
    for (const timer of this.#timers.get(escalation.id) ?? []) this.#clock.clearTimer(timer);
    const timers = [this.#clock.setTimer(Math.max(0, escalation.dueAt - now), () => this.check())];
    if (escalation.supervisorAt !== undefined) {
      timers.push(this.#clock.setTimer(Math.max(0, escalation.supervisorAt - now), () => this.check()));
    }
    this.#timers.set(escalation.id, timers);
  }

  /** The department responded: the response deadline is met (if not already breached). */
  acknowledge(id: string): Escalation {
    const current = this.#get(id);
    if (current.status !== 'open') return current;
    return this.#put({ ...current, status: 'acknowledged', respondedAt: this.#clock.now() });
  }

  /** The case is closed; no more deadlines. */
  resolve(id: string, resolution: string): Escalation {
    const current = this.#get(id);
    if (current.status === 'resolved') return current;
    const now = this.#clock.now();
    for (const timer of this.#timers.get(id) ?? []) this.#clock.clearTimer(timer);
    this.#timers.delete(id);
    return this.#put({ ...current, status: 'resolved', respondedAt: current.respondedAt ?? now, resolvedAt: now, resolution });
  }

  /** An escalation by id. */
  get(id: string): Escalation | undefined {
    return this.#cases.get(id);
  }

  /** Every escalation, oldest first. */
  list(): Escalation[] {
    return [...this.#cases.values()];
  }

  /** Mark and report every deadline passed at the clock's time; each is reported once. */
  check(): void {
    const now = this.#clock.now();
    for (const escalation of [...this.#cases.values()]) {
      let current = escalation;
      if (current.status === 'open' && !current.breached && now >= current.dueAt) {
        current = this.#put({ ...current, breached: true });
        this.#hooks.onOverdue(current, now - current.dueAt);
      }
      if (
        current.status !== 'resolved' &&
        !current.supervisorAlerted &&
        current.supervisorAt !== undefined &&
        now >= current.supervisorAt
      ) {
        current = this.#put({ ...current, supervisorAlerted: true });
        this.#hooks.onSupervisor(current);
      }
    }
  }

  /** Cancel every timer (the desk stops reporting). */
  stop(): void {
    for (const timers of this.#timers.values()) for (const timer of timers) this.#clock.clearTimer(timer);
    this.#timers.clear();
  }

  #get(id: string): Escalation {
    const escalation = this.#cases.get(id);
    if (!escalation) throw new PacelineError('E_NOT_FOUND', `no escalation "${id}"`, { escalationId: id });
    return escalation;
  }

  #put(escalation: Escalation): Escalation {
    this.#cases.set(escalation.id, escalation);
    this.#hooks.onChange?.(escalation);
    return escalation;
  }
}
