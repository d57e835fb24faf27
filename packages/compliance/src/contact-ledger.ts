import { type Contact, PacelineError } from '@paceline/core';

/** What happened: an attempt, a conversation, an abandoned live answer, a call-analysis result, a refusal. */
export type LedgerEventKind = 'attempt' | 'conversation' | 'abandon' | 'amd' | 'refusal';

/** The channel of an attempt; Maryland counts texts toward its cap. */
export type Channel = 'voice' | 'sms';

/** One thing that happened to a person, across campaigns and channels. */
export interface LedgerEvent {
  readonly kind: LedgerEventKind;
  /** Epoch ms. */
  readonly at: number;
  readonly campaignId: string;
  /** The E.164 number involved. */
  readonly phone: string;
  /** The person: the contact's host key, or its id when it has none. */
  readonly personKey: string;
  /** The subject or debt (FL/OK/MD "same subject", Reg F "per debt"); absent = any subject. */
  readonly subject?: string;
  readonly channel: Channel;
  /** For `attempt`: dialled without a guaranteed agent (agentless or predictive). */
  readonly agentless?: boolean;
  /** For `amd`: what call analysis said. */
  readonly amdResult?: 'human' | 'machine' | 'unknown';
}

/** What a caller records: the contact instead of its person key. */
export interface LedgerEventInput {
  readonly kind: LedgerEventKind;
  readonly at: number;
  readonly campaignId: string;
  readonly phone: string;
  readonly contact: Pick<Contact, 'id' | 'key'>;
  readonly subject?: string;
  readonly channel?: Channel;
  readonly agentless?: boolean;
  readonly amdResult?: 'human' | 'machine' | 'unknown';
}

/** The person key the ledger files a contact under: its host key, else its id. */
export function personKeyOf(contact: Pick<Contact, 'id' | 'key'>): string {
  return contact.key ?? contact.id;
}

/**
 * The contact ledger: every attempt, conversation, abandon, AMD result and refusal, per
 * person and per number, across campaigns and channels. The rules of `checkDial` read it.
 * Pure and in memory; `events()` and `ContactLedger.from()` let the engine persist it.
 */
export class ContactLedger {
  readonly #byPerson = new Map<string, LedgerEvent[]>();
  readonly #byPhone = new Map<string, LedgerEvent[]>();
  #size = 0;

  /** Rebuild a ledger from persisted events. */
  static from(events: Iterable<LedgerEvent>): ContactLedger {
    const ledger = new ContactLedger();
    for (const event of events) ledger.#insert(event);
    return ledger;
  }

  /** Record one event. Throws `E_INVALID_INPUT` for a bad time or an empty phone. */
  record(input: LedgerEventInput): LedgerEvent {
    if (!Number.isFinite(input.at) || input.at < 0) {
      throw new PacelineError('E_INVALID_INPUT', `ledger event.at: expected epoch milliseconds, got ${input.at}`);
    }
    if (!input.phone) throw new PacelineError('E_INVALID_INPUT', 'ledger event.phone: expected an E.164 number, got nothing');
    const event: LedgerEvent = {
      kind: input.kind,
      at: input.at,
      campaignId: input.campaignId,
      phone: input.phone,
      personKey: personKeyOf(input.contact),
      channel: input.channel ?? 'voice',
      ...(input.subject === undefined ? {} : { subject: input.subject }),
      ...(input.agentless === undefined ? {} : { agentless: input.agentless }),
      ...(input.amdResult === undefined ? {} : { amdResult: input.amdResult }),
    };
    this.#insert(event);
    return event;
  }

  #insert(event: LedgerEvent): void {
    push(this.#byPerson, event.personKey, event);
    push(this.#byPhone, event.phone, event);
    this.#size++;
  }

  /** Number of events held. */
  get size(): number {
    return this.#size;
  }

  /**
   * Events of `contact` (its person key or any of `phones`) at or after `sinceMs`, each once,
   * oldest first.
   */
  eventsFor(contact: Pick<Contact, 'id' | 'key'>, phones: readonly string[], sinceMs = 0): LedgerEvent[] {
    const seen = new Set<LedgerEvent>();
    const out: LedgerEvent[] = [];
    const add = (list: readonly LedgerEvent[] | undefined) => {
      if (!list) return;
      for (const e of list) {
        if (e.at >= sinceMs && !seen.has(e)) {
          seen.add(e);
          out.push(e);
        }
      }
    };
    add(this.#byPerson.get(personKeyOf(contact)));
    for (const phone of phones) add(this.#byPhone.get(phone));
    return out.sort((a, b) => a.at - b.at);
  }

  /** Events on one number at or after `sinceMs`, oldest first. */
  eventsForPhone(phone: string, sinceMs = 0): LedgerEvent[] {
    return (this.#byPhone.get(phone) ?? []).filter((e) => e.at >= sinceMs).sort((a, b) => a.at - b.at);
  }

  /** Every event, for persistence. */
  *events(): IterableIterator<LedgerEvent> {
    for (const list of this.#byPerson.values()) yield* list;
  }

  /** Drop events older than `beforeMs` (no rule looks back further than 60 days). Returns how many went. */
  prune(beforeMs: number): number {
    let removed = 0;
    for (const [key, list] of this.#byPerson) {
      const kept = list.filter((e) => e.at >= beforeMs);
      removed += list.length - kept.length;
      if (kept.length === 0) this.#byPerson.delete(key);
      else this.#byPerson.set(key, kept);
    }
    for (const [key, list] of this.#byPhone) {
      const kept = list.filter((e) => e.at >= beforeMs);
      if (kept.length === 0) this.#byPhone.delete(key);
      else this.#byPhone.set(key, kept);
    }
    this.#size -= removed;
    return removed;
  }
}

function push(map: Map<string, LedgerEvent[]>, key: string, event: LedgerEvent): void {
  const list = map.get(key);
  if (list) list.push(event);
  else map.set(key, [event]);
}
