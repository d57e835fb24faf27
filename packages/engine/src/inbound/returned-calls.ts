import { type Attempt, type ContactRecord, ContactState, contactLifecycle, type Disposition } from '@paceline/core';
import type { CampaignRuntime, DispositionData, EngineCore } from '../engine-core';

/** A caller matched to a campaign contact. */
export interface ReturnedCaller {
  readonly rt: CampaignRuntime;
  readonly record: ContactRecord;
}

/** States from which a contact is retired (done, callback, DNC) by what was said on an inbound call; queued/dialing are left to their call. */
const SETTLED: ReadonlySet<ContactState> = new Set([ContactState.Ready, ContactState.Waiting, ContactState.Callback, ContactState.Done]);

/**
 * Returned calls: matching an inbound caller to a campaign contact by number, the attempt
 * ledger entry of the call, what its disposition does to the contact, and a do-not-call
 * request honoured in every campaign at once.
 */
export class ReturnedCalls {
  constructor(readonly core: EngineCore) {}

  /**
   * The contact the caller is, when the number is a campaign contact's: the campaign whose
   * caller ID was dialled first (the number on the customer's screen), then a running
   * campaign, then the lowest campaign and contact id (so a replay matches the same one).
   * Withheld or unknown numbers match nothing: the caller gets the service script.
   */
  async match(from: string | undefined, to: string): Promise<ReturnedCaller | undefined> {
    if (from === undefined || !this.core.store.findContactsByPhone) return undefined;
    const records = await this.core.store.findContactsByPhone(from);
    const candidates: ReturnedCaller[] = [];
    for (const record of records) {
      const rt = this.core.campaigns.get(record.campaignId);
      if (rt) candidates.push({ rt, record });
    }
    const rank = (c: ReturnedCaller) => [c.rt.campaign.callerId === to ? 0 : 1, c.rt.state === 'running' ? 0 : 1] as const;
    candidates.sort((a, b) => {
      const [ra, rb] = [rank(a), rank(b)];
      return (
        ra[0] - rb[0] ||
        ra[1] - rb[1] ||
        a.rt.campaign.id.localeCompare(b.rt.campaign.id) ||
        a.record.contact.id.localeCompare(b.record.contact.id)
      );
    });
    return candidates[0];
  }

  /** The attempt ledger entry of a returned call: the contact, the campaign, the agent, `direction: 'inbound'`. */
  attemptOf(caller: ReturnedCaller, call: { callId: string; from: string; to: string; arrivedAt: number; queuedAt: number }): Attempt {
    return {
      id: `in-${call.callId}`.slice(0, 128),
      campaignId: caller.rt.campaign.id,
      contactId: caller.record.contact.id,
      phone: call.from,
      callerId: call.to,
      startedAt: call.arrivedAt,
      answeredAt: call.queuedAt,
      amd: 'human',
      abandoned: false,
      direction: 'inbound',
    };
  }

  /** Record the attempt (retried while the store is away). */
  record(attempt: Attempt): Promise<void> {
    return this.core.parts.writes.durable(`inbound attempt ${attempt.id}`, () => this.core.store.putAttempt(attempt));
  }

  /**
   * What the disposition of a returned call does to the contact: a final or sale disposition
   * retires it (the customer called; the campaign need not call again), a callback books it,
   * anything else leaves it as it is. A DNC disposition is handled by {@link honourDnc}.
   */
  async settle(caller: ReturnedCaller, disposition: Disposition | undefined, data: DispositionData, at: number): Promise<void> {
    if (!disposition || disposition.dnc) return;
    const { id: campaignId } = caller.rt.campaign;
    const contactId = caller.record.contact.id;
    await this.#update(campaignId, contactId, (current) => {
      if (!SETTLED.has(current.state)) return undefined;
      if (disposition.callback && data.callbackAt !== undefined) {
        if (current.state !== ContactState.Callback && !contactLifecycle.can(current.state, ContactState.Callback)) return undefined;
        const { callbackAgentId: _a, callbackReason: _r, ...rest } = current;
        return {
          ...rest,
          state: ContactState.Callback,
          dueAt: Math.max(at, data.callbackAt),
          ...(data.callbackAgentId === undefined ? {} : { callbackAgentId: data.callbackAgentId }),
        };
      }
      if ((disposition.final || disposition.sale) && current.state !== ContactState.Done) {
        return { ...current, state: ContactState.Done };
      }
      return undefined;
    });
  }

  /**
   * A do-not-call request made on an inbound call, honoured everywhere at once: the number goes
   * on the internal DNC list (every campaign's dial-time check refuses it from now on), and
   * every campaign's contact with that number that is not on a call is retired as `dnc`.
   * Returns the contacts retired.
   */
  async honourDnc(phone: string, source: string, at: number): Promise<{ campaignId: string; contactId: string }[]> {
    // dnc-shared: in the store (every node, now and later) before the local book.
    await this.core.parts.dnc.record({ phone, reason: 'do-not-call asked on an inbound call', source, at });
    const retired: { campaignId: string; contactId: string }[] = [];
    const records = (await this.core.store.findContactsByPhone?.(phone)) ?? [];
    for (const record of records) {
      const done = await this.#update(record.campaignId, record.contact.id, (current) =>
        SETTLED.has(current.state) ? { ...current, state: ContactState.Dnc } : undefined,
      );
      if (done) retired.push({ campaignId: record.campaignId, contactId: record.contact.id });
    }
    return retired;
  }

  /** Apply `change` to the stored contact, retrying on a concurrent write; true when written. */
  async #update(campaignId: string, contactId: string, change: (current: ContactRecord) => ContactRecord | undefined): Promise<boolean> {
    for (let tries = 0; tries < 5; tries++) {
      const current = await this.core.parts.writes.durable(`inbound contact ${contactId}`, () =>
        this.core.store.getContact(campaignId, contactId),
      );
      if (!current) return false;
      const next = change(current);
      if (!next) return false;
      if (next.state !== current.state) contactLifecycle.transition(current.state, next.state, contactId);
      const written = await this.core.parts.writes.durable(`inbound contact ${contactId}`, () => this.core.store.updateContact(next));
      if (written) return true;
    }
    this.core.deps.logger.warn({ campaignId, contactId }, 'inbound: contact kept changing; left as it is');
    return false;
  }
}
