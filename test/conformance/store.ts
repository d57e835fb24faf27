import {
  type Attempt,
  CampaignState,
  type Contact,
  type ContactRecord,
  ContactState,
  INBOUND_STATS_INTERVAL_MS, // issue-23 23-dist
  type InboundCall,
  type InboundQueueCounts, // issue-23 23-dist
  isPacelineError,
  LEDGER_RETENTION_MS,
  parseCampaign,
  parseContact,
  type Store,
  ZERO_INBOUND_QUEUE_COUNTS, // issue-23 23-dist
} from '@paceline/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** How a conformance run gets a fresh, empty store, and how it cleans up after. */
export interface StoreFixture {
  readonly store: Store;
  readonly cleanup?: () => Promise<void>;
}

const campaign = (id: string) =>
  parseCampaign({
    id,
    name: id,
    goal: 'sales',
    dialMode: 'predictive',
    complianceProfile: 'us-federal',
    callerId: '+14155550100',
    homeTimeZone: 'UTC',
  });

const contact = (id: string, priority = 0): Contact =>
  parseContact({ id, phones: [{ number: `+1415555${String(1000 + Number(id.replace(/\D/g, '') || 0)).slice(-4)}` }], priority });

const attempt = (id: string, contactId: string, startedAt: number, endedAt?: number): Attempt => ({
  id,
  campaignId: 'k1',
  contactId,
  phone: '+14155550123',
  callerId: '+14155550100',
  startedAt,
  abandoned: false,
  ...(endedAt === undefined ? {} : { endedAt, outcome: 'busy' as const }),
});

/**
 * The one `Store` conformance suite: every implementation (in-memory, Redis, …) must pass it.
 * `makeStore` is called before each test and must return an empty store.
 */
export function describeStoreConformance(name: string, makeStore: () => Promise<StoreFixture>): void {
  describe(`Store conformance: ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup?.();
    });

    /** Move a contact to `state` with `dueAt`, through the public API. */
    async function setState(campaignId: string, id: string, state: ContactState, dueAt?: number, extra: Partial<ContactRecord> = {}) {
      const current = (await store.getContact(campaignId, id)) as ContactRecord;
      const { dueAt: _old, ...rest } = current;
      const next = await store.updateContact({ ...rest, ...extra, state, ...(dueAt === undefined ? {} : { dueAt }) });
      expect(next).toBeDefined();
      return next as ContactRecord;
    }

    it("finds every campaign's contacts by phone, following phone changes (issue 23: inbound caller matching)", async () => {
      const find = store.findContactsByPhone?.bind(store);
      expect(find, 'the store implements findContactsByPhone').toBeDefined();
      if (!find) return;
      const shared = '+14155559001';
      const withPhones = (id: string, ...numbers: string[]) => parseContact({ id, phones: numbers.map((number) => ({ number })) });
      await store.addContacts('k1', [withPhones('c1', '+14155559000', shared), withPhones('c2', '+14155559002')]);
      await store.addContacts('k2', [withPhones('c9', shared)]);
      const ids = async (phone: string) => (await find(phone)).map((r) => `${r.campaignId}/${r.contact.id}`).sort();
      expect(await ids(shared)).toEqual(['k1/c1', 'k2/c9']);
      expect(await ids('+14155559002')).toEqual(['k1/c2']);
      expect(await ids('+14155559999')).toEqual([]);
      // c1 drops the shared number, c2 gains it: the lookup follows the stored record.
      const c1 = (await store.getContact('k1', 'c1')) as ContactRecord;
      await store.updateContact({ ...c1, contact: withPhones('c1', '+14155559000') });
      const c2 = (await store.getContact('k1', 'c2')) as ContactRecord;
      await store.updateContact({ ...c2, state: ContactState.Dnc, contact: withPhones('c2', '+14155559002', shared) });
      expect(await ids(shared)).toEqual(['k1/c2', 'k2/c9']);
      const [found] = await find('+14155559002');
      expect(found?.state).toBe(ContactState.Dnc);
    });

    it('keeps every inbound call in the inbound call ledger, listed by arrival (issue 23: service calls have no contact)', async () => {
      const put = store.putInboundCall?.bind(store);
      const list = store.listInboundCalls?.bind(store);
      expect(put && list, 'the store implements putInboundCall and listInboundCalls').toBeTruthy();
      if (!put || !list) return;
      const service: InboundCall = { id: 'in-b', caller: 'service', to: '+14155550199', queueId: 'service', arrivedAt: 2_000 };
      const returned: InboundCall = {
        id: 'in-a',
        caller: 'returned',
        from: '+14155559000',
        to: '+14155550100',
        queueId: 'service',
        campaignId: 'k1',
        contactId: 'c1',
        attemptId: 'in-in-a',
        arrivedAt: 2_000,
      };
      await put(service);
      await put(returned);
      await put({ id: 'in-c', caller: 'service', to: '+14155550199', arrivedAt: 5_000, outcome: 'refused' });
      await put({ id: 'in-0', caller: 'service', to: '+14155550199', arrivedAt: 1_000, outcome: 'abandoned', waitMs: 400 });
      // Replaced in place (same arrival): the answered, dispositioned service call.
      const answered: InboundCall = {
        ...service,
        from: '+14155559777',
        connectedAt: 2_500,
        endedAt: 9_000,
        wrapEndedAt: 9_500,
        agentId: 'a1',
        waitMs: 500,
        outcome: 'answered',
        dispositionCode: 'SERVICE',
        sale: true,
        orderId: 'o1',
      };
      await put(answered);
      expect((await list(0, 10_000)).map((c) => c.id)).toEqual(['in-0', 'in-a', 'in-b', 'in-c']);
      expect(await list(2_000, 5_000)).toEqual([returned, answered]);
      expect(await list(5_001, 10_000)).toEqual([]);
      expect(await list(3_000, 2_000)).toEqual([]);
    });

    // dnc-shared: the tenant's do-not-call requests, shared by every engine process.
    it('keeps a do-not-call request once per number and list, the first one, with increasing seq (dnc-shared)', async () => {
      const a = await store.addDnc({ phone: '+14155550101', reason: 'disposition DNC', source: 'ana', at: 1_000 });
      expect(a).toEqual({ phone: '+14155550101', reason: 'disposition DNC', source: 'ana', at: 1_000, seq: 1 });
      // The same number on the same list again: the first request stays, no new seq.
      expect(await store.addDnc({ phone: '+14155550101', reason: 'again', source: 'bob', at: 2_000 })).toEqual(a);
      // The same number on a campaign's list is another entry.
      const c = await store.addDnc({ phone: '+14155550101', campaignId: 'k1', reason: 'campaign list', source: 'host', at: 3_000 });
      expect(c).toEqual({ phone: '+14155550101', campaignId: 'k1', reason: 'campaign list', source: 'host', at: 3_000, seq: 2 });
      const b = await store.addDnc({ phone: '+447700900123', reason: 'inbound', source: 'inbound', at: 4_000 });
      expect(b.seq).toBe(3);
      const bySeq = (entries: readonly { seq: number }[]) => [...entries].sort((x, y) => x.seq - y.seq);
      expect(bySeq(await store.findDnc('+14155550101'))).toEqual([a, c]);
      expect(await store.findDnc('+447700900123')).toEqual([b]);
      expect(await store.findDnc('+14155550199')).toEqual([]);
    });

    it('lists do-not-call additions after a seq, in order, with the version and the anchor entry (dnc-shared)', async () => {
      expect(await store.listDnc(0, 10)).toEqual({ version: 0, entries: [] });
      const added = [];
      for (let i = 0; i < 7; i++) {
        added.push(
          await store.addDnc({
            phone: `+1415555020${i}`,
            reason: 'r',
            source: 's',
            at: 10 + i,
            ...(i % 3 === 0 ? { campaignId: `k${i}` } : {}),
          }),
        );
      }
      expect(added.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      const all = await store.listDnc(0, 100);
      expect(all.version).toBe(7);
      expect(all.entries).toEqual(added);
      expect(all.anchor).toBeUndefined();
      const page = await store.listDnc(2, 3);
      expect(page).toEqual({ version: 7, entries: added.slice(2, 5), anchor: added[1] });
      expect(await store.listDnc(7, 10)).toEqual({ version: 7, entries: [], anchor: added[6] });
      expect(await store.listDnc(50, 10)).toEqual({ version: 7, entries: [] });
    });

    it('gives concurrent do-not-call additions distinct seqs with no gap, and one entry per number and list (dnc-shared)', async () => {
      const phones = Array.from({ length: 30 }, (_, i) => `+1415555${String(3000 + i)}`);
      // Every number twice, from "two nodes" at once.
      const results = await Promise.all(
        [...phones, ...phones].map((phone, i) => store.addDnc({ phone, reason: 'r', source: i < phones.length ? 'a' : 'b', at: i })),
      );
      const seqs = new Set(results.map((e) => e.seq));
      expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      for (const phone of phones) {
        const forPhone = results.filter((e) => e.phone === phone);
        expect(forPhone[0]).toEqual(forPhone[1]);
        expect(await store.findDnc(phone)).toHaveLength(1);
      }
      const page = await store.listDnc(0, 100);
      expect(page.version).toBe(30);
      expect(page.entries.map((e) => e.phone).sort()).toEqual([...phones].sort());
    });

    // issue-23 23-dist: inbound queue statistics shared by every engine process.
    const HALF_HOUR = INBOUND_STATS_INTERVAL_MS;
    const T0 = 1_780_000_000_000 - (1_780_000_000_000 % HALF_HOUR); // an interval's start
    const statsOf = () => {
      const add = store.addInboundQueueStats?.bind(store);
      const list = store.listInboundQueueStats?.bind(store);
      expect(add && list, 'the store implements addInboundQueueStats and listInboundQueueStats').toBeTruthy();
      return { add: add as NonNullable<typeof add>, list: list as NonNullable<typeof list> };
    };

    it('adds inbound queue counters per queue, 30-minute interval and writer, and lists them summed and per writer (issue 23)', async () => {
      const { add, list } = statsOf();
      await add('sales', T0 + 5, 'node-a', { offered: 2, answered: 1, answeredWithinTarget: 1, answeredWaitMs: 4_000 });
      await add('sales', T0 + HALF_HOUR - 1, 'node-b', { offered: 1, abandoned: 1, abandonedWaitMs: 30_000 });
      await add('sales', T0 + 20, 'node-a', { handled: 1, handleMs: 180_000, offered: 0 });
      await add('sales', T0 + HALF_HOUR, 'node-b', { offered: 3 }); // the next interval
      await add('sales', T0 + 3 * HALF_HOUR, 'node-a', { answered: 1 }); // two on: the one between holds nothing
      await add('service', T0, 'node-a', { offered: 7 }); // another queue
      await add('sales', T0, 'node-a', {}); // nothing to add: no interval appears
      await add('quiet', T0, 'node-a', { offered: 0 });
      const all = await list('sales', T0 - HALF_HOUR, T0 + 10 * HALF_HOUR);
      expect(all.map((i) => i.intervalStart)).toEqual([T0, T0 + HALF_HOUR, T0 + 3 * HALF_HOUR]);
      const first = all[0] as (typeof all)[number];
      const a = {
        ...ZERO_INBOUND_QUEUE_COUNTS,
        offered: 2,
        answered: 1,
        answeredWithinTarget: 1,
        answeredWaitMs: 4_000,
        handled: 1,
        handleMs: 180_000,
      };
      const b = { ...ZERO_INBOUND_QUEUE_COUNTS, offered: 1, abandoned: 1, abandonedWaitMs: 30_000 };
      expect(first).toEqual({
        queueId: 'sales',
        intervalStart: T0,
        byWriter: { 'node-a': a, 'node-b': b },
        counts: { ...a, offered: 3, abandoned: 1, abandonedWaitMs: 30_000 },
      });
      expect(all[1]?.counts).toEqual({ ...ZERO_INBOUND_QUEUE_COUNTS, offered: 3 });
      // since is floored to its interval; until is exclusive
      expect((await list('sales', T0 + HALF_HOUR - 1, T0 + HALF_HOUR)).map((i) => i.intervalStart)).toEqual([T0]);
      expect((await list('sales', T0 + HALF_HOUR + 1, T0 + 3 * HALF_HOUR)).map((i) => i.intervalStart)).toEqual([T0 + HALF_HOUR]);
      expect(await list('sales', T0, T0)).toEqual([]);
      expect((await list('service', 0 + T0, T0 + 1))[0]?.counts.offered).toBe(7);
      expect(await list('quiet', T0, T0 + HALF_HOUR)).toEqual([]);
      expect(await list('nobody', T0, T0 + HALF_HOUR)).toEqual([]);
      // a queue id with hash-tag braces and a writer with a bar stay apart from the others
      await add('s}:x{', T0, 'n|1', { offered: 1 });
      expect(await list('s}:x{', T0, T0 + 1)).toEqual([
        {
          queueId: 's}:x{',
          intervalStart: T0,
          counts: { ...ZERO_INBOUND_QUEUE_COUNTS, offered: 1 },
          byWriter: { 'n|1': { ...ZERO_INBOUND_QUEUE_COUNTS, offered: 1 } },
        },
      ]);
      expect((await list('sales', T0, T0 + 1))[0]?.counts.offered).toBe(3);
    });

    it('sums interleaved inbound counter adds from several writers exactly (fast-check, issue 23)', async () => {
      const { add, list } = statsOf();
      const counters = Object.keys(ZERO_INBOUND_QUEUE_COUNTS) as (keyof InboundQueueCounts)[];
      const addArb = fc.record({
        writer: fc.constantFrom('w1', 'w2', 'w3'),
        interval: fc.integer({ min: 0, max: 2 }),
        offset: fc.integer({ min: 0, max: HALF_HOUR - 1 }),
        delta: fc.dictionary(fc.constantFrom(...counters), fc.integer({ min: 0, max: 1_000_000 }), { maxKeys: 4 }),
      });
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(addArb, { maxLength: 40 }), async (adds) => {
          const queueId = `q${++run}`;
          // every add in flight at once: the store must not lose one (a read-modify-write would)
          await Promise.all(adds.map((x) => add(queueId, T0 + x.interval * HALF_HOUR + x.offset, x.writer, x.delta)));
          const expected = new Map<number, Map<string, Record<string, number>>>();
          for (const x of adds) {
            const start = T0 + x.interval * HALF_HOUR;
            const writers = expected.get(start) ?? new Map<string, Record<string, number>>();
            expected.set(start, writers);
            const c = writers.get(x.writer) ?? { ...ZERO_INBOUND_QUEUE_COUNTS };
            for (const [name, v] of Object.entries(x.delta)) c[name] = (c[name] ?? 0) + (v as number);
            writers.set(x.writer, c);
          }
          const listed = await list(queueId, T0, T0 + 3 * HALF_HOUR);
          for (const interval of listed) {
            const writers = expected.get(interval.intervalStart);
            expect(writers, `interval ${interval.intervalStart} holds adds`).toBeDefined();
            let total: Record<string, number> = { ...ZERO_INBOUND_QUEUE_COUNTS };
            for (const [writer, c] of writers ?? []) {
              if (Object.values(c).every((v) => v === 0)) continue;
              expect(interval.byWriter[writer]).toEqual(c);
              total = Object.fromEntries(counters.map((n) => [n, (total[n] ?? 0) + (c[n] ?? 0)]));
            }
            expect(interval.counts).toEqual(total);
          }
          const nonEmpty = [...expected].filter(([, w]) => [...w.values()].some((c) => Object.values(c).some((v) => v > 0)));
          expect(listed.map((i) => i.intervalStart)).toEqual(nonEmpty.map(([start]) => start).sort((x, y) => x - y));
        }),
        { numRuns: 25, seed: 23 },
      );
    });

    it('refuses bad inbound queue stats naming the field (issue 23)', async () => {
      const { add, list } = statsOf();
      await expect(add('', T0, 'w', { offered: 1 })).rejects.toMatchObject({
        code: 'E_INVALID_INPUT',
        message: expect.stringContaining('queueId'),
      });
      await expect(add('q', T0, '', { offered: 1 })).rejects.toMatchObject({ message: expect.stringContaining('writer') });
      await expect(add('q', -1, 'w', { offered: 1 })).rejects.toMatchObject({ message: expect.stringContaining('at') });
      await expect(add('q', T0, 'w', { offered: -1 })).rejects.toMatchObject({ message: expect.stringContaining('offered') });
      await expect(add('q', T0, 'w', { answered: 1.5 })).rejects.toMatchObject({ message: expect.stringContaining('answered') });
      await expect(add('q', T0, 'w', { talk: 1 } as never)).rejects.toMatchObject({ message: expect.stringContaining('talk') });
      await expect(list('q', 0, 32 * 24 * 3_600_000)).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
      expect(await list('q', T0, T0 + HALF_HOUR)).toEqual([]);
    });

    it('refuses a bad do-not-call request naming the field, without echoing the number (dnc-shared)', async () => {
      const bad = async (entry: unknown) => {
        try {
          await store.addDnc(entry as never);
        } catch (error) {
          expect(isPacelineError(error) && error.code === 'E_INVALID_INPUT', String(error)).toBe(true);
          return (error as Error).message;
        }
        throw new Error('expected E_INVALID_INPUT');
      };
      const message = await bad({ phone: '415 555 0123', reason: 'r', source: 's', at: 1 });
      expect(message).toContain('phone');
      expect(message).not.toContain('555 0123');
      expect(await bad({ phone: '+0123456789', reason: 'r', source: 's', at: 1 })).toContain('phone');
      expect(await bad({ phone: '+14155550123', reason: '', source: 's', at: 1 })).toContain('reason');
      expect(await bad({ phone: '+14155550123', reason: 'r', source: 's', at: -1 })).toContain('at');
      expect(await bad({ phone: '+14155550123', campaignId: '', reason: 'r', source: 's', at: 1 })).toContain('campaignId');
      await expect(store.listDnc(-1, 10)).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
      await expect(store.listDnc(0, 0)).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
      expect(await store.listDnc(0, 10)).toEqual({ version: 0, entries: [] });
    });

    it('stores, replaces and lists campaigns', async () => {
      await store.putCampaign({ campaign: campaign('k1'), state: CampaignState.Draft, updatedAt: 1 });
      await store.putCampaign({ campaign: campaign('k2'), state: CampaignState.Draft, updatedAt: 1 });
      await store.putCampaign({ campaign: campaign('k1'), state: CampaignState.Running, updatedAt: 2 });
      expect((await store.getCampaign('k1'))?.state).toBe(CampaignState.Running);
      expect((await store.getCampaign('k1'))?.campaign).toEqual(campaign('k1'));
      expect(await store.getCampaign('nope')).toBeUndefined();
      expect((await store.listCampaigns()).map((r) => r.campaign.id).sort()).toEqual(['k1', 'k2']);
    });

    it('adds contacts once, as ready with no attempts', async () => {
      expect(await store.addContacts('k1', [contact('c1'), contact('c2')])).toBe(2);
      expect(await store.addContacts('k1', [contact('c2'), contact('c3')])).toBe(1);
      const c1 = await store.getContact('k1', 'c1');
      expect(c1).toMatchObject({ campaignId: 'k1', state: ContactState.Ready, attempts: 0, version: 1 });
      expect(c1?.contact).toEqual(contact('c1'));
      expect(await store.getContact('k2', 'c1')).toBeUndefined();
      expect((await store.countContacts('k1')).ready).toBe(3);
    });

    it('does not let a caller change stored state by mutating what it passed or got', async () => {
      const input = contact('c1');
      await store.addContacts('k1', [input]);
      (input.phones[0] as { number: string }).number = '+19999999999';
      const got = (await store.getContact('k1', 'c1')) as ContactRecord;
      expect(got.contact.phones[0]?.number).not.toBe('+19999999999');
      try {
        (got as { state: string }).state = 'done';
      } catch {
        // frozen records throw in strict mode; either way the store must be unchanged
      }
      expect((await store.getContact('k1', 'c1'))?.state).toBe(ContactState.Ready);
    });

    it('updates with optimistic concurrency: exactly one of two writers on one version wins', async () => {
      await store.addContacts('k1', [contact('c1')]);
      const v1 = (await store.getContact('k1', 'c1')) as ContactRecord;
      const [a, b] = await Promise.all([
        store.updateContact({ ...v1, attempts: 1, state: ContactState.Done }),
        store.updateContact({ ...v1, attempts: 2, state: ContactState.Dnc }),
      ]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      const stored = (await store.getContact('k1', 'c1')) as ContactRecord;
      expect(stored.version).toBe(2);
      expect(await store.updateContact({ ...v1, attempts: 9 })).toBeUndefined();
      expect(await store.updateContact({ ...v1, contact: contact('zz'), campaignId: 'k1' })).toBeUndefined();
    });

    it('claims in hopper order: callbacks due, then priority, then retries before fresh, then insertion order', async () => {
      await store.addContacts('k1', [contact('c1'), contact('c2', 5), contact('c3'), contact('c4'), contact('c5'), contact('c6')]);
      await setState('k1', 'c3', ContactState.Waiting, 100); // a retry due at 100
      await setState('k1', 'c4', ContactState.Callback, 150); // a callback due at 150
      await setState('k1', 'c5', ContactState.Waiting, 10_000); // not due yet
      await setState('k1', 'c6', ContactState.Callback, 9_000); // not due yet
      const claimed = await store.claimDue('k1', 200, 10);
      expect(claimed.map((r) => r.contact.id)).toEqual(['c4', 'c2', 'c3', 'c1']);
      for (const r of claimed) expect(r.state).toBe(ContactState.Queued);
      expect((await store.getContact('k1', 'c1'))?.state).toBe(ContactState.Queued);
      expect(await store.claimDue('k1', 200, 10)).toEqual([]);
      expect(await store.nextDueAt('k1')).toBe(9_000);
      expect((await store.claimDue('k1', 10_000, 10)).map((r) => r.contact.id)).toEqual(['c6', 'c5']);
      expect(await store.nextDueAt('k1')).toBeUndefined();
    });

    it('respects the limit and never hands one contact to two concurrent claims', async () => {
      const ids = Array.from({ length: 50 }, (_, i) => `c${i}`);
      await store.addContacts(
        'k1',
        ids.map((id) => contact(id)),
      );
      expect(await store.claimDue('k1', 0, 0)).toEqual([]);
      const batches = await Promise.all(Array.from({ length: 8 }, () => store.claimDue('k1', 0, 7)));
      const all = batches.flat().map((r) => r.contact.id);
      for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(7);
      expect(new Set(all).size).toBe(all.length);
      expect(all.length).toBe(50);
    });

    it('gives an agent-owned callback only to its agent', async () => {
      await store.addContacts('k1', [contact('c1'), contact('c2')]);
      await setState('k1', 'c1', ContactState.Callback, 10, { callbackAgentId: 'ana' });
      expect((await store.claimDue('k1', 20, 5, ['bob'])).map((r) => r.contact.id)).toEqual(['c2']);
      expect((await store.claimDue('k1', 20, 5, ['bob', 'ana'])).map((r) => r.contact.id)).toEqual(['c1']);
    });

    it('returns a re-queued contact to the hopper after an update', async () => {
      await store.addContacts('k1', [contact('c1')]);
      const [queued] = await store.claimDue('k1', 0, 1);
      const back = await store.updateContact({ ...(queued as ContactRecord), state: ContactState.Ready });
      expect(back?.state).toBe(ContactState.Ready);
      expect((await store.claimDue('k1', 0, 1)).map((r) => r.contact.id)).toEqual(['c1']);
    });

    it('lists a campaign’s contacts in one state, in insertion order', async () => {
      await store.addContacts('k1', [contact('c1'), contact('c2'), contact('c3')]);
      await store.claimDue('k1', 0, 2);
      expect((await store.listContacts('k1', ContactState.Queued)).map((r) => r.contact.id)).toEqual(['c1', 'c2']);
      expect((await store.listContacts('k1', ContactState.Ready)).map((r) => r.contact.id)).toEqual(['c3']);
      expect(await store.listContacts('k2', ContactState.Ready)).toEqual([]);
    });

    it('counts contacts per state', async () => {
      await store.addContacts('k1', [contact('c1'), contact('c2'), contact('c3')]);
      await setState('k1', 'c1', ContactState.Done);
      await setState('k1', 'c2', ContactState.Dnc);
      const counts = await store.countContacts('k1');
      expect(counts).toMatchObject({ ready: 1, done: 1, dnc: 1, queued: 0, dialing: 0, waiting: 0, callback: 0 });
      expect(Object.values(await store.countContacts('empty')).every((n) => n === 0)).toBe(true);
    });

    it('stores attempts, lists a contact’s oldest first, and finds the open ones', async () => {
      await store.putAttempt(attempt('a1', 'c1', 100, 150));
      await store.putAttempt(attempt('a2', 'c1', 200));
      await store.putAttempt(attempt('a3', 'c2', 300));
      await store.putAttempt({ ...attempt('a3', 'c2', 300, 400) });
      expect((await store.getAttempt('a3'))?.endedAt).toBe(400);
      expect((await store.listAttempts('k1', 'c1')).map((a) => a.id)).toEqual(['a1', 'a2']);
      expect((await store.listOpenAttempts('k1')).map((a) => a.id)).toEqual(['a2']);
      expect(await store.getAttempt('none')).toBeUndefined();
    });

    it('keeps the abandon ledger per campaign over half-open windows, one entry per attempt', async () => {
      await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'a1', at: 100, abandoned: false });
      await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'a2', at: 200, abandoned: true });
      await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'a3', at: 300, abandoned: false });
      await store.recordLiveAnswer({ campaignId: 'k2', attemptId: 'b1', at: 200, abandoned: true });
      await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'a3', at: 300, abandoned: true });
      expect(await store.countLiveAnswers('k1', 0, 1_000)).toEqual({ liveAnswers: 3, abandoned: 2 });
      expect(await store.countLiveAnswers('k1', 200, 300)).toEqual({ liveAnswers: 1, abandoned: 1 });
      expect(await store.countLiveAnswers('k3', 0, 1_000)).toEqual({ liveAnswers: 0, abandoned: 0 });
    });

    it('takes an attempt revised to a machine out of both ledger counts, for every reader (issue 17)', async () => {
      await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'a1', at: 100, abandoned: false });
      await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'a2', at: 200, abandoned: false });
      await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'a3', at: 300, abandoned: true });
      await store.recordLiveAnswer({ campaignId: 'k2', attemptId: 'a2', at: 200, abandoned: false });
      // the connected call a2 was a machine: re-recorded by attempt id with the flag
      await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'a2', at: 200, abandoned: false, machine: true });
      expect(await store.countLiveAnswers('k1', 0, 1_000)).toEqual({ liveAnswers: 2, abandoned: 1 });
      expect(await store.countLiveAnswers('k1', 200, 201)).toEqual({ liveAnswers: 0, abandoned: 0 });
      // idempotent: revising again (a retried write) changes nothing
      await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'a2', at: 200, abandoned: false, machine: true });
      expect(await store.countLiveAnswers('k1', 0, 1_000)).toEqual({ liveAnswers: 2, abandoned: 1 });
      // a machine counts in neither count, abandoned or not
      await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'a3', at: 300, abandoned: true, machine: true });
      expect(await store.countLiveAnswers('k1', 0, 1_000)).toEqual({ liveAnswers: 1, abandoned: 0 });
      // a revision recorded before (or without) its live answer counts nothing
      await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'a4', at: 400, abandoned: false, machine: true });
      expect(await store.countLiveAnswers('k1', 0, 1_000)).toEqual({ liveAnswers: 1, abandoned: 0 });
      // the same attempt id in another campaign is untouched
      expect(await store.countLiveAnswers('k2', 0, 1_000)).toEqual({ liveAnswers: 1, abandoned: 0 });
      // the latest entry of an attempt wins: recorded live again, it counts again
      await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'a2', at: 200, abandoned: false });
      expect(await store.countLiveAnswers('k1', 0, 1_000)).toEqual({ liveAnswers: 2, abandoned: 0 });
    });

    it('keeps LEDGER_RETENTION_MS of the abandon ledger and drops older entries as newer ones come', async () => {
      const day = 24 * 3_600_000;
      await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'old', at: 0, abandoned: true });
      await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'kept', at: 10 * day, abandoned: false });
      await store.recordLiveAnswer({ campaignId: 'k2', attemptId: 'other', at: 0, abandoned: true });
      // exactly the retention after `old`: still kept (the window a profile reads is at most 30 days)
      await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'edge', at: LEDGER_RETENTION_MS, abandoned: false });
      expect(await store.countLiveAnswers('k1', 0, Number.MAX_SAFE_INTEGER)).toEqual({ liveAnswers: 3, abandoned: 1 });
      await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'new', at: LEDGER_RETENTION_MS + 1, abandoned: false });
      expect(await store.countLiveAnswers('k1', 0, Number.MAX_SAFE_INTEGER)).toEqual({ liveAnswers: 3, abandoned: 0 });
      // another campaign's ledger is its own
      expect(await store.countLiveAnswers('k2', 0, 1)).toEqual({ liveAnswers: 1, abandoned: 1 });
    });
  });
}
