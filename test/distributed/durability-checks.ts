// "Nothing lost", asserted per item: the checks the kill -9, Redis-crash and Cluster-failover
// tests share. Each returns the list of violations (empty = the guarantee held), so a test
// prints every broken item at once and a mutant's failure names what it broke.
import { type Attempt, ContactState, type Store } from '@paceline/core';
import type { NodeEvent } from './node-process';

/** What a campaign run is checked against. */
export interface DurabilityCheck {
  readonly store: Store;
  readonly campaignId: string;
  readonly contactIds: readonly string[];
  /** Every event the nodes printed (dialed, dispositioned, error, …), all nodes. */
  readonly events: readonly NodeEvent[];
  /** The campaign's recycle rules (retry interval per outcome or disposition code). */
  readonly recycle: Readonly<Record<string, { readonly retryAfterMs: number }>>;
  /** Final disposition codes: a `done` contact has exactly one attempt with one of them. */
  readonly finalCodes: ReadonlySet<string>;
  /** Contacts that were in flight (claimed, dialling, talking, in wrap-up) at the crash: only they may be left `waiting`. */
  readonly mayWait: ReadonlySet<string>;
  /** Error events whose message matches are expected (connection errors while a server is away). */
  readonly expectedErrors?: RegExp;
  /** When given: the attempt ids whose orders reached the fulfilment queue, one entry per job run. */
  readonly orders?: readonly string[];
  /** The disposition code of a sale (default `SALE`). */
  readonly saleCode?: string;
}

/** The engine's default retry when no rule matches (packages/engine/src/recycle.ts). */
const DEFAULT_RETRY_MS = 3_600_000;
/** Wall clocks of two processes, and event timestamps vs the store's, may differ by this much. */
const SLACK_MS = 50;

function retryAfter(attempt: Attempt, recycle: DurabilityCheck['recycle']): number {
  const key = attempt.dispositionCode ?? (attempt.abandoned ? 'abandoned' : (attempt.outcome ?? 'failed'));
  return recycle[key]?.retryAfterMs ?? DEFAULT_RETRY_MS;
}

/** Every way the run broke "nothing lost", one line per item; empty when it held. */
export async function durabilityViolations(check: DurabilityCheck): Promise<string[]> {
  const { store, campaignId, events } = check;
  const out: string[] = [];
  const saleCode = check.saleCode ?? 'SALE';

  // 1. Every disposition a node confirmed (emitted `dispositioned`) is in the store.
  for (const e of events.filter((x) => x.type === 'dispositioned')) {
    const stored = await store.getAttempt(e.attempt ?? '');
    if (stored?.dispositionCode !== e.code) {
      out.push(
        `node ${e.node} dispositioned ${e.attempt} (${e.contact}) ${e.code}; the store has ${stored ? (stored.dispositionCode ?? 'no code') : 'no attempt'}`,
      );
    }
  }
  // 2. Every dial a node made has its attempt in the store, ended.
  for (const e of events.filter((x) => x.type === 'dialed')) {
    const stored = await store.getAttempt(e.attempt ?? '');
    if (!stored) out.push(`node ${e.node} dialled ${e.attempt} (${e.contact}); the store has no such attempt`);
    else if (stored.endedAt === undefined) out.push(`attempt ${e.attempt} (${e.contact}) is still open`);
    else if (stored.dialled === false) out.push(`node ${e.node} dialled ${e.attempt} (${e.contact}); the store says it never was`);
  }
  // 3. Per contact: finished with one final disposition, or waiting only if it was in flight at the crash;
  //    never redialled inside the retry interval of its previous attempt.
  const sales = new Set<string>();
  for (const id of check.contactIds) {
    const record = await store.getContact(campaignId, id);
    const attempts = await store.listAttempts(campaignId, id);
    for (const a of attempts) if (a.dispositionCode === saleCode) sales.add(a.id);
    if (!record) {
      out.push(`${id}: missing from the store`);
      continue;
    }
    if (record.state === ContactState.Done) {
      const finals = attempts.filter((a) => a.dispositionCode !== undefined && check.finalCodes.has(a.dispositionCode));
      if (finals.length !== 1) out.push(`${id}: done with ${finals.length} final dispositions`);
    } else if (record.state === ContactState.Waiting) {
      if (!check.mayWait.has(id)) out.push(`${id}: waiting (due ${record.dueAt}) but it was not in flight at the crash`);
    } else {
      out.push(`${id}: left ${record.state}`);
    }
    // crash: an attempt is written before its dial; when the launch then does not dial (its writes
    // waited out the restarting Redis past STALE_CLAIM_MS, or failed) the engine ends it `failed`
    // and marks it `dialled: false`, and the contact's count leaves it out (packages/engine/src/
    // campaign/launch.ts). Such an attempt is accepted only as exactly that: ended `failed`, never
    // answered, connected or dispositioned, and no `dialed` event for it; everything else counts.
    const dials = events.filter((e) => e.type === 'dialed' && e.contact === id);
    const dialled = attempts.filter((a) => a.dialled !== false);
    for (const a of attempts.filter((x) => x.dialled === false)) {
      const clean =
        a.endedAt !== undefined &&
        a.outcome === 'failed' &&
        a.answeredAt === undefined &&
        a.connectedAt === undefined &&
        a.dispositionCode === undefined &&
        !dials.some((e) => e.attempt === a.id);
      if (!clean) out.push(`${id}: attempt ${a.id} is marked never dialled but ${JSON.stringify(a)}`);
    }
    if (record.attempts !== dialled.length)
      out.push(`${id}: counts ${record.attempts} attempts, the store lists ${dialled.length} dialled (${attempts.length} in all)`);
    if (dials.length !== dialled.length)
      out.push(`${id}: dialled ${dials.length} times, the store lists ${dialled.length} dialled attempts (${attempts.length} in all)`);
    for (let k = 1; k < attempts.length; k++) {
      const previous = attempts[k - 1] as Attempt;
      const next = attempts[k] as Attempt;
      const earliest = (previous.endedAt ?? previous.startedAt) + retryAfter(previous, check.recycle);
      if (next.startedAt < earliest - SLACK_MS) {
        out.push(
          `${id}: redialled ${earliest - next.startedAt} ms inside the retry interval of ${previous.id} (${previous.outcome ?? '?'})`,
        );
      }
    }
  }
  for (const open of await store.listOpenAttempts(campaignId)) out.push(`attempt ${open.id} (${open.contactId}) left open`);
  // 4. Only expected errors.
  for (const e of events.filter((x) => x.type === 'error')) {
    const text = `${String((e as { where?: unknown }).where)}: ${String((e as { message?: unknown }).message)}`;
    if (!check.expectedErrors?.test(text)) out.push(`node ${e.node} error ${text}`);
  }
  // 5. Every sale (in the store, or confirmed by an event) has its order on the queue, once in effect.
  if (check.orders) {
    for (const e of events.filter((x) => x.type === 'dispositioned' && x.code === saleCode)) sales.add(e.attempt ?? '');
    const ordered = new Set(check.orders);
    if (ordered.size !== check.orders.length)
      out.push(`orders ran more than once: ${check.orders.filter((o, i) => check.orders?.indexOf(o) !== i).join(', ')}`);
    const contactOf = new Map(events.map((e) => [e.attempt, e.contact]));
    for (const sale of sales)
      if (!ordered.has(sale)) out.push(`sale ${sale} (${contactOf.get(sale) ?? '?'}): no order reached the fulfilment queue`);
    for (const order of ordered) if (!sales.has(order)) out.push(`order of ${order}: no sale in the store`);
  }
  return out;
}
