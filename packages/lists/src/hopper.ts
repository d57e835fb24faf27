import { type Contact, type ContactRecord, ContactState } from '@paceline/core';

/** Why a contact is in the hopper: a callback, a retry, or never dialled. */
export type HopperKind = 'callback' | 'retry' | 'fresh';

/** A contact as the hopper orders it. */
export interface HopperEntry {
  readonly contact: Contact;
  readonly kind: HopperKind;
  /** When it may be dialled (epoch ms); fresh contacts: when added. */
  readonly dueAt: number;
  /** Attempts made in this campaign. */
  readonly attempts: number;
  /** An agent-owned callback: only this agent may take it. */
  readonly agentId?: string;
  /** Insertion order, the last tie-breaker. */
  readonly seq: number;
}

const BAND: Record<HopperKind, number> = { callback: 0, retry: 1, fresh: 2 };

/**
 * Hopper order (the same as `Store.claimDue`): callbacks due first, then higher contact
 * priority, then retries before fresh contacts, then earlier `dueAt`, then insertion order.
 * Negative when `a` is dialled before `b`.
 */
export function compareHopperEntries(a: HopperEntry, b: HopperEntry): number {
  const ca = a.kind === 'callback' ? 0 : 1;
  const cb = b.kind === 'callback' ? 0 : 1;
  if (ca !== cb) return ca - cb;
  if (a.contact.priority !== b.contact.priority) return b.contact.priority - a.contact.priority;
  if (BAND[a.kind] !== BAND[b.kind]) return BAND[a.kind] - BAND[b.kind];
  if (a.dueAt !== b.dueAt) return a.dueAt - b.dueAt;
  return a.seq - b.seq;
}

/**
 * A stored contact that is dialable now (`ready`, or `waiting` / `callback` whose time has
 * come) as a hopper entry. The stores keep the hopper; this is its order's view of a record.
 */
export function hopperEntryOf(record: ContactRecord): HopperEntry {
  const kind: HopperKind = record.state === ContactState.Callback ? 'callback' : record.state === ContactState.Waiting ? 'retry' : 'fresh';
  return {
    contact: record.contact,
    kind,
    dueAt: record.dueAt ?? 0,
    attempts: record.attempts,
    seq: record.seq,
    ...(record.callbackAgentId === undefined ? {} : { agentId: record.callbackAgentId }),
  };
}
