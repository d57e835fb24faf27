import { PacelineError } from '@paceline/core';

/** Why and where a number was put on (or taken off) a do-not-call list. */
export interface DncEntry {
  readonly phone: string;
  /** e.g. "asked during a call", "complaint", "legal hold". */
  readonly reason: string;
  /** e.g. "agent 42 / campaign retention-q4", "web preference centre". */
  readonly source: string;
  /** Epoch ms. */
  readonly at: number;
}

/** One change to a list, kept for audit. */
export interface DncChange extends DncEntry {
  readonly action: 'add' | 'remove';
}

const E164 = /^\+[1-9][0-9]{6,14}$/;

/**
 * A do-not-call list the host owns: the company-wide internal list (16 CFR
 * 310.4(b)(1)(iii)(A), 47 CFR 64.1200(d)) or one campaign's list. Every add and remove is
 * kept with its reason and source.
 */
export class DncList {
  readonly name: string;
  readonly #entries = new Map<string, DncEntry>();
  readonly #history: DncChange[] = [];

  constructor(name = 'internal') {
    this.name = name;
  }

  /** Put `phone` (E.164) on the list. Throws `E_INVALID_INPUT` naming the bad field. */
  add(phone: string, entry: { reason: string; source: string; at: number }): DncEntry {
    check(phone, entry);
    const e: DncEntry = { phone, reason: entry.reason, source: entry.source, at: entry.at };
    this.#entries.set(phone, e);
    this.#history.push({ action: 'add', ...e });
    return e;
  }

  /** Take `phone` off the list, recording why; returns false when it was not on it. */
  remove(phone: string, entry: { reason: string; source: string; at: number }): boolean {
    check(phone, entry);
    const had = this.#entries.delete(phone);
    if (had) this.#history.push({ action: 'remove', phone, reason: entry.reason, source: entry.source, at: entry.at });
    return had;
  }

  /** The entry for `phone`, if listed. */
  get(phone: string): DncEntry | undefined {
    return this.#entries.get(phone);
  }

  /** True when `phone` is listed. */
  has(phone: string): boolean {
    return this.#entries.has(phone);
  }

  /** Numbers listed. */
  get size(): number {
    return this.#entries.size;
  }

  /** Current entries. */
  entries(): DncEntry[] {
    return [...this.#entries.values()];
  }

  /** Every add and remove, oldest first. */
  history(): readonly DncChange[] {
    return this.#history;
  }
}

function check(phone: string, entry: { reason: string; source: string; at: number }): void {
  if (!E164.test(phone))
    throw new PacelineError('E_INVALID_INPUT', `dnc.phone: expected an E.164 number such as +14155550123, got ${JSON.stringify(phone)}`);
  if (!entry.reason) throw new PacelineError('E_INVALID_INPUT', 'dnc.reason: say why the number is listed, e.g. "asked during a call"');
  if (!entry.source) throw new PacelineError('E_INVALID_INPUT', 'dnc.source: say where the request came from, e.g. "agent 42"');
  if (!Number.isFinite(entry.at) || entry.at < 0)
    throw new PacelineError('E_INVALID_INPUT', `dnc.at: expected epoch milliseconds, got ${entry.at}`);
}
