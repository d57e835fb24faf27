// The write journal (issue 21): a Redis that comes back without the last acknowledged writes
// (appendfsync everysec and a machine crash, or a failover to a replica that had not caught
// up) gets them written again before the store serves anything else, and a claim that finds
// the server behind what it acknowledged never hands the contact out for a second dial.
//
// A lost tail is made by hand: the tenant's keys are saved with DUMP at the cut, the writes go
// on, then every key of the tenant is replaced by the saved copy (what a restart from a
// truncated AOF would load) and the store's connection is killed (CLIENT KILL), as a crash is
// seen from the engine's machine.
import { type Attempt, type ContactRecord, ContactState, parseContact, type Store } from '@paceline/core';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithRedis } from '../../../test/support/redis-server';
import { updateContactScript } from '../src/contact-scripts';
import { createRedisStore, RedisKeys, type RedisStore } from '../src/index';

const contact = (id: string) => parseContact({ id, phones: [{ number: '+14155550123' }] });
const attempt = (id: string, contactId: string, endedAt?: number): Attempt => ({
  id,
  campaignId: 'k1',
  contactId,
  phone: '+14155550123',
  callerId: '+14155550100',
  startedAt: 1_000,
  abandoned: false,
  ...(endedAt === undefined ? {} : { endedAt, outcome: 'human' as const }),
});

/** Every key of a tenant, dumped: what the server "had on disk" at this point. */
async function snapshot(admin: Redis, tenant: string): Promise<Array<[string, Buffer]>> {
  const keys = await admin.keys(`paceline:${tenant}:*`);
  const out: Array<[string, Buffer]> = [];
  for (const key of keys) {
    const dump = await admin.dumpBuffer(key);
    if (dump !== null) out.push([key, dump]);
  }
  return out;
}

/** The server comes back from `saved`: the tenant's keys are exactly the saved ones again. */
async function rollBack(admin: Redis, tenant: string, saved: Array<[string, Buffer]>): Promise<void> {
  const keys = await admin.keys(`paceline:${tenant}:*`);
  if (keys.length > 0) await admin.del(...keys);
  for (const [key, dump] of saved) await admin.restore(key, 0, dump);
}

/** Kill the store's connection from the server side; resolves when ioredis has connected again. */
async function killConnection(admin: Redis, client: Redis): Promise<void> {
  const id = await client.client('ID');
  const back = new Promise((resolve) => client.once('ready', resolve));
  await admin.client('KILL', 'ID', String(id));
  await back;
}

describeWithRedis('the Redis store write journal against a real redis-server', (server) => {
  let admin: Redis;
  let tenants = 0;
  const clients: Redis[] = [];
  const connect = async () => {
    const client = new Redis(server().port, server().host, { retryStrategy: () => 20 });
    client.on('error', () => {});
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    admin = new Redis(server().port, server().host);
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await admin?.quit();
  });

  it('writes back what a crash took (a claim, a disposition, an attempt, a live answer, a paused campaign) before serving anything else', async () => {
    const tenant = `j${++tenants}`;
    const client = await connect();
    const store = createRedisStore({ redis: client, tenant, journalMs: 60_000 });
    await store.putCampaign({ campaign: { id: 'k1' } as never, state: 'running' as never, updatedAt: 1 });
    await store.addContacts('k1', [contact('c1'), contact('c2'), contact('c3')]);
    const [claimed] = await store.claimDue('k1', 10, 1);
    const saved = await snapshot(admin, tenant);
    // After the cut: the first contact is dialled and dispositioned, the campaign paused.
    const dialing = await store.updateContact({ ...(claimed as ContactRecord), state: ContactState.Dialing, attempts: 1 });
    await store.putAttempt(attempt('a1', 'c1'));
    await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'a1', at: 1_500, abandoned: false });
    await store.putAttempt(attempt('a1', 'c1', 2_000));
    const done = await store.updateContact({ ...(dialing as ContactRecord), state: ContactState.Done });
    await store.putCampaign({ campaign: { id: 'k1' } as never, state: 'paused' as never, updatedAt: 2 });
    await store.addContacts('k1', [contact('c4')]);

    await rollBack(admin, tenant, saved);
    expect((await admin.hget(`paceline:${tenant}:k:{k1}:c:c1`, 'state')) as string).toBe('queued');
    await killConnection(admin, client);

    const c1 = await store.getContact('k1', 'c1');
    expect(c1?.state).toBe(ContactState.Done);
    expect(c1?.attempts).toBe(1);
    expect(c1?.version).toBe(done?.version);
    expect((await store.getAttempt('a1'))?.endedAt).toBe(2_000);
    expect(await store.listOpenAttempts('k1')).toEqual([]);
    expect(await store.countLiveAnswers('k1', 0, 10_000)).toEqual({ liveAnswers: 1, abandoned: 0 });
    expect((await store.getCampaign('k1'))?.state).toBe('paused');
    expect((await store.getContact('k1', 'c4'))?.state).toBe(ContactState.Ready);
    // Nothing is dialled twice: the hopper holds c2, c3, c4 and not c1.
    const next = await store.claimDue('k1', 10, 10);
    expect(next.map((r) => r.contact.id).sort()).toEqual(['c2', 'c3', 'c4']);
    const counts = await store.countContacts('k1');
    expect(counts.done).toBe(1);
    expect(counts.queued).toBe(3);
  });

  it('writes back a live answer revised to a machine as a machine, never live again (issue 17)', async () => {
    const tenant = `j${++tenants}`;
    const client = await connect();
    const store = createRedisStore({ redis: client, tenant, journalMs: 60_000 });
    await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'kept', at: 1_000, abandoned: false });
    await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'm1', at: 1_100, abandoned: false });
    const saved = await snapshot(admin, tenant);
    // After the cut: m1 (live before it) is revised; m2 is connected and revised.
    await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'm1', at: 1_100, abandoned: false, machine: true });
    await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'm2', at: 1_200, abandoned: false });
    await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'm2', at: 1_200, abandoned: false, machine: true });
    await store.recordLiveAnswer({ campaignId: 'k1', attemptId: 'a3', at: 1_300, abandoned: true });
    expect(await store.countLiveAnswers('k1', 0, 10_000)).toEqual({ liveAnswers: 2, abandoned: 1 });

    await rollBack(admin, tenant, saved);
    expect(await admin.zcard(`paceline:${tenant}:k:{k1}:live`)).toBe(2); // kept and m1, as before the cut
    await killConnection(admin, client);
    expect(await store.countLiveAnswers('k1', 0, 10_000)).toEqual({ liveAnswers: 2, abandoned: 1 });
    expect(await admin.zrange(`paceline:${tenant}:k:{k1}:live`, '0', '-1')).toEqual(['kept', 'a3']);
  });

  it('a claim that finds the server behind (no dropped connection to say so) leaves the contact out and puts it back as acknowledged', async () => {
    const tenant = `j${++tenants}`;
    const client = await connect();
    const store = createRedisStore({ redis: client, tenant, journalMs: 60_000 });
    await store.addContacts('k1', [contact('c1'), contact('c2')]);
    const saved = await snapshot(admin, tenant);
    const [first] = await store.claimDue('k1', 10, 1);
    expect(first?.contact.id).toBe('c1');
    const dialing = await store.updateContact({ ...(first as ContactRecord), state: ContactState.Dialing, attempts: 1 });
    // A failover to a replica that never got those writes: same connection, older data.
    await rollBack(admin, tenant, saved);
    const again = await store.claimDue('k1', 10, 2);
    expect(again.map((r) => r.contact.id)).toEqual(['c2']);
    const c1 = await store.getContact('k1', 'c1');
    expect(c1?.state).toBe(ContactState.Dialing);
    expect(c1?.attempts).toBe(1);
    expect(c1?.version).toBe(dialing?.version);
  });

  it('leaves alone what survived or what another node wrote later', async () => {
    const tenant = `j${++tenants}`;
    const mine = createRedisStore({ redis: await connect(), tenant, journalMs: 60_000 });
    const theirsClient = await connect();
    const theirs = createRedisStore({ redis: theirsClient, tenant, journalMs: 60_000 });
    await mine.addContacts('k1', [contact('c1')]);
    const [claimed] = await mine.claimDue('k1', 10, 1);
    const waiting = await mine.updateContact({ ...(claimed as ContactRecord), state: ContactState.Waiting, attempts: 1, dueAt: 50 });
    // Another node takes it from there.
    const [retry] = await theirs.claimDue('k1', 100, 1);
    const later = await theirs.updateContact({ ...(retry as ContactRecord), state: ContactState.Done, attempts: 2 });
    await mine.putCampaign({ campaign: { id: 'k1' } as never, state: 'running' as never, updatedAt: 5 });
    await theirs.putCampaign({ campaign: { id: 'k1' } as never, state: 'paused' as never, updatedAt: 9 });
    expect(later?.version).toBeGreaterThan(waiting?.version ?? 0);
    // Both connections drop; nothing was lost; each store writes its journal again.
    await killConnection(admin, theirsClient);
    for (const client of clients.slice(-2)) await killConnection(admin, client).catch(() => {});
    const c1 = await mine.getContact('k1', 'c1');
    expect(c1?.state).toBe(ContactState.Done);
    expect(c1?.version).toBe(later?.version);
    expect((await theirs.getCampaign('k1'))?.state).toBe('paused');
  });

  it('an update ioredis sends again after a dropped answer succeeds as the first run did; anyone else gets the conflict', async () => {
    const tenant = `j${++tenants}`;
    const client = await connect();
    const store = createRedisStore({ redis: client, tenant, journalMs: 0 });
    await store.addContacts('k1', [contact('c1')]);
    const [claimed] = await store.claimDue('k1', 10, 1);
    const k = new RedisKeys('paceline', tenant).campaign('k1');
    const args = (writeId: string) => [
      k.base,
      'c1',
      claimed?.version ?? 0,
      'dialing',
      1,
      '',
      '',
      JSON.stringify(claimed?.contact),
      0,
      writeId,
    ];
    const first = await updateContactScript.run(client, [k.hopper, k.sched, k.due], args('w-1'));
    expect(first).toEqual([3, 0]);
    // The same command again (same write id): the answer the first run would have given.
    expect(await updateContactScript.run(client, [k.hopper, k.sched, k.due], args('w-1'))).toEqual([3, 0]);
    // Another writer from the same version: a conflict, as before.
    expect(await updateContactScript.run(client, [k.hopper, k.sched, k.due], args('w-2'))).toBe(0);
    expect((await store.getContact('k1', 'c1'))?.version).toBe(3);
  });

  it('property: whatever the cut, after the crash every contact, attempt and live answer is as last acknowledged', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('claim' as const), n: fc.integer({ min: 1, max: 3 }) }),
      fc.record({
        kind: fc.constant('settle' as const),
        pick: fc.nat(),
        state: fc.constantFrom(ContactState.Dialing, ContactState.Waiting, ContactState.Done, ContactState.Callback),
      }),
      fc.record({ kind: fc.constant('attempt' as const), pick: fc.nat(), end: fc.boolean() }),
      fc.record({ kind: fc.constant('live' as const), pick: fc.nat(), abandoned: fc.boolean() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), fc.nat(), async (ops, cutAt) => {
        const tenant = `jp${++tenants}`;
        const client = await connect();
        const store = createRedisStore({ redis: client, tenant, journalMs: 60_000 }) as RedisStore & Store;
        await store.addContacts(
          'k1',
          Array.from({ length: 5 }, (_, i) => contact(`c${i}`)),
        );
        const held = new Map<string, ContactRecord>();
        const attempts = new Map<string, Attempt>();
        const live = new Map<string, boolean>();
        const cut = cutAt % (ops.length + 1);
        let saved: Array<[string, Buffer]> = await snapshot(admin, tenant);
        let now = 100;
        for (const [i, o] of ops.entries()) {
          if (i === cut) saved = await snapshot(admin, tenant);
          now += 10;
          if (o.kind === 'claim') {
            for (const r of await store.claimDue('k1', now, o.n)) held.set(r.contact.id, r);
          } else if (o.kind === 'settle') {
            const ids = [...held.keys()];
            const id = ids[o.pick % Math.max(1, ids.length)];
            const record = id === undefined ? undefined : held.get(id);
            if (record === undefined) continue;
            const next = await store.updateContact({
              ...record,
              state: o.state,
              attempts: record.attempts + 1,
              ...(o.state === ContactState.Waiting || o.state === ContactState.Callback ? { dueAt: now + 5 } : {}),
            });
            expect(next).toBeDefined();
            if (o.state === ContactState.Dialing) held.set(record.contact.id, next as ContactRecord);
            else held.delete(record.contact.id);
          } else if (o.kind === 'attempt') {
            // As the engine writes them: an attempt opens, may be written again, and ends once.
            const id = `a${o.pick % 4}`;
            const endedAt = attempts.get(id)?.endedAt ?? (o.end ? now : undefined);
            const a = attempt(id, `c${o.pick % 5}`, endedAt);
            await store.putAttempt(a);
            attempts.set(id, a);
          } else {
            // As the engine records them: an answer may become an abandon, never the other way
            // (the replay never takes an abandon back: under-counting would break the cap).
            const id = `a${o.pick % 4}`;
            const abandoned = o.abandoned || live.get(id) === true;
            await store.recordLiveAnswer({ campaignId: 'k1', attemptId: id, at: now, abandoned });
            live.set(id, abandoned);
          }
        }
        const acknowledged = new Map<string, ContactRecord | undefined>();
        for (let i = 0; i < 5; i++) acknowledged.set(`c${i}`, await store.getContact('k1', `c${i}`));
        await rollBack(admin, tenant, saved);
        await killConnection(admin, client);
        for (const [id, before] of acknowledged) {
          const after = await store.getContact('k1', id);
          expect({ id, state: after?.state, attempts: after?.attempts, version: after?.version, dueAt: after?.dueAt }).toEqual({
            id,
            state: before?.state,
            attempts: before?.attempts,
            version: before?.version,
            dueAt: before?.dueAt,
          });
        }
        for (const [id, a] of attempts) expect(await store.getAttempt(id)).toEqual(a);
        const abandoned = [...live.values()].filter(Boolean).length;
        expect(await store.countLiveAnswers('k1', 0, now + 1)).toEqual({ liveAnswers: live.size, abandoned });
        client.disconnect();
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
