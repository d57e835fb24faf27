import { type InboundConfigInput, type JobQueue, seededRandom, VirtualClock } from '@paceline/core';
import {
  createComplianceGate,
  createMemoryAgentPool,
  createMemoryJobQueue,
  createMemoryLease,
  createMemoryStore,
  type Dialer,
  type InboundOffer,
} from '@paceline/engine';
import { describe, expect, it } from 'vitest';
import { driveUntil } from '../../packages/engine/test/support/drive';
import { inboundDialer } from '../../packages/engine/test/support/inbound-dialer';
import { type InboundTestTrunk, withInbound } from './support/inbound-test-trunk';

const START = Date.UTC(2026, 10, 23, 15, 0);
const SERVICE_LINE = '+12125550199';
const CUSTOMER = '+12125550123';
const QUEUES: InboundConfigInput = { queues: [{ id: 'service', numbers: [SERVICE_LINE], skills: ['service'] }] };
const TTL = 6_000;

type PoolMessage = { type: string; message?: { type: string; callId: string; agentId: string; leader?: string } };

/**
 * issue-23: two engine nodes (one process, one virtual clock) sharing store, lease, agent pool
 * and job queue. Callers arrive on node a's trunk; the agents are logged in to node b. `offers`
 * decides what becomes of each inbound offer a sends: delivered, declined for b's agent (what b
 * answers when its agent cannot take it), or lost (a silent node).
 */
async function pool(offers: (n: number) => 'deliver' | 'decline' | 'lose' = () => 'deliver') {
  const clock = new VirtualClock(START);
  const store = createMemoryStore();
  const lease = createMemoryLease();
  const agentPool = createMemoryAgentPool();
  const shared = createMemoryJobQueue({ clock, random: seededRandom(3) });
  let offerCount = 0;
  const queue: JobQueue = {
    enqueue: async (name, payload, options) => {
      const m = payload as PoolMessage;
      if (m.type === 'inbound' && m.message?.type === 'inboundOffer') {
        const fate = offers(offerCount++);
        if (fate === 'lose') return 'lost';
        if (fate === 'decline') {
          const { callId, agentId, leader } = m.message;
          return shared.enqueue(
            `paceline.node.${leader}`,
            { type: 'inbound', message: { type: 'inboundDecline', callId, agentId } },
            options,
          );
        }
      }
      return shared.enqueue(name, payload, options);
    },
    process: (name, handler) => shared.process(name, handler),
    deadLetters: (name) => shared.deadLetters(name),
    replay: (name, id) => shared.replay(name, id),
    close: () => shared.close(),
  };
  const node = (nodeId: string, seed: number) => {
    // The node's own compliance gate, watched: which numbers reach its internal DNC list.
    const gate = createComplianceGate();
    const dncNumbers: string[] = [];
    const compliance = {
      ...gate,
      addInternalDnc: (phone: string, entry: { reason: string; source: string; at: number }) => {
        dncNumbers.push(phone);
        gate.addInternalDnc(phone, entry);
      },
    };
    const { dialer, trunk } = inboundDialer({
      clock,
      trunkRandom: seededRandom(seed),
      plan: { outcome: 'no-answer', resolveAfterMs: 4_000 },
      trunk: (sim) => withInbound(sim, clock, `${nodeId}-in`),
      store,
      random: seededRandom(seed + 10),
      inbound: QUEUES,
      compliance,
      nodeId,
      queue,
      agentPool,
      leadership: { lease, ttlMs: TTL },
    });
    const seen = {
      offered: [] as { callId: string; agentId: string; at: number }[],
      connected: [] as InboundOffer[],
      ended: [] as string[],
      dispositioned: [] as { callId: string; code: string; agentId?: string }[],
      errors: [] as unknown[],
      dncNumbers,
    };
    dialer.on('inbound.offered', (e) => seen.offered.push(e));
    dialer.on('inbound.connected', (e) => seen.connected.push(e));
    dialer.on('inbound.ended', (e) => seen.ended.push(e.callId));
    dialer.on('inbound.dispositioned', (e) => seen.dispositioned.push(e));
    dialer.on('error', (e) => seen.errors.push(e));
    return { dialer, trunk, seen };
  };
  const a = node('a', 1);
  const b = node('b', 2);
  await a.dialer.addCampaign({
    id: 'k1',
    name: 'Winback',
    goal: 'retention',
    dialMode: 'progressive',
    complianceProfile: 'us-federal',
    callerId: '+12125550100',
    homeTimeZone: 'America/New_York',
  });
  await a.dialer.addContacts('k1', [{ id: 'c1', phones: [{ number: CUSTOMER }] }]);
  await b.dialer.recover();
  const login = (d: Dialer, id: string, ready = true) => {
    d.loginAgent({ id, name: id, skills: ['service'] }, ['k1']);
    if (ready) d.ready(id);
  };
  return { clock, store, a, b, login };
}

const call = (trunk: InboundTestTrunk, from: string | undefined) => trunk.call(from, SERVICE_LINE) as string;

describe('issue-23: inbound across the pool (two nodes, shared memory ports)', () => {
  it('a caller on node a reaches the free agent logged in on node b; hang-up and disposition come back forwarded', async () => {
    const { a, b, login, store, clock } = await pool();
    login(b.dialer, 'bo');
    await driveUntil(clock, START + 3_000); // bo's heartbeat reaches the pool
    const callId = call(a.trunk, undefined); // a withheld service caller: no contact
    await driveUntil(clock, clock.now() + 2_000);
    expect(b.seen.connected).toHaveLength(1);
    expect(b.seen.connected[0]).toMatchObject({ callId, agentId: 'bo', queueId: 'service', caller: { kind: 'service' } });
    expect(b.seen.connected[0]?.contact).toBeUndefined();
    expect(a.seen.connected).toEqual([]); // the leader does not show another node's agent the call
    expect(a.trunk.answered.has(callId)).toBe(true);

    await b.dialer.hangup(callId); // the agent on b ends the call a holds
    await driveUntil(clock, clock.now() + 1_000);
    expect(b.seen.ended).toEqual([callId]);
    await b.dialer.disposition(callId, 'SERVICE');
    await driveUntil(clock, clock.now() + 1_000);
    expect(b.seen.dispositioned).toMatchObject([{ callId, code: 'SERVICE', agentId: 'bo' }]);
    expect(a.seen.dispositioned).toMatchObject([{ callId, code: 'SERVICE', agentId: 'bo' }]); // recorded once, on a
    const [record] = (await store.listInboundCalls?.(START, clock.now() + 1)) ?? [];
    expect(record).toMatchObject({ id: callId, outcome: 'answered', agentId: 'bo', dispositionCode: 'SERVICE' });
    // bo is ready again and takes the next caller
    const next = call(a.trunk, CUSTOMER);
    await driveUntil(clock, clock.now() + 3_000);
    expect(b.seen.connected.map((o) => o.callId)).toEqual([callId, next]);
    expect(b.seen.connected[1]).toMatchObject({ caller: { kind: 'returned', campaignId: 'k1', contactId: 'c1' } });
    expect([...a.seen.errors, ...b.seen.errors]).toEqual([]);
  });

  for (const fate of ['decline', 'lose'] as const) {
    it(`an offer ${fate === 'decline' ? 'declined' : 'never answered (a silent node)'}: the caller goes back to the head of its queue, keeping its wait`, async () => {
      const { a, b, login, clock } = await pool((n) => (n === 0 ? fate : 'deliver'));
      login(b.dialer, 'bo');
      login(b.dialer, 'cy', false);
      await driveUntil(clock, START + 3_000);
      const first = call(a.trunk, undefined);
      const firstAt = clock.now();
      await driveUntil(clock, clock.now() + 200);
      expect(a.seen.offered).toMatchObject([{ callId: first, agentId: 'bo' }]);
      const second = call(a.trunk, undefined);
      const third = call(a.trunk, undefined); // queued after `first` (and, for a lost offer, before its deadline)
      await driveUntil(clock, clock.now() + 5_000); // past the 3 s deadline of a lost offer
      // `first` was not taken again by bo (it turned it down); `second` went to bo; `third` waits.
      expect(b.seen.connected.map((o) => [o.callId, o.agentId])).toEqual([[second, 'bo']]);
      expect(a.dialer.inbound?.status().queues[0]?.waiting).toBe(2);
      // cy frees up: the head of the queue — `first`, with its whole wait — is served first, not `third`.
      expect(b.seen.connected.some((o) => o.callId === third)).toBe(false);
      b.dialer.ready('cy');
      await driveUntil(clock, clock.now() + 3_000);
      const served = b.seen.connected.find((o) => o.callId === first);
      expect(served?.agentId).toBe('cy');
      expect(b.seen.connected.some((o) => o.callId === third)).toBe(false);
      expect(served?.waitMs).toBeGreaterThanOrEqual(clock.now() - 3_000 - firstAt);
      expect([...a.seen.errors, ...b.seen.errors]).toEqual([]);
    });
  }

  it('a do-not-call request made by the agent on node b is honoured everywhere: the shared store and every node’s DNC list', async () => {
    const { a, b, login, store, clock } = await pool();
    login(b.dialer, 'bo');
    await driveUntil(clock, START + 3_000);
    const callId = call(a.trunk, CUSTOMER);
    await driveUntil(clock, clock.now() + 2_000);
    expect(b.seen.connected[0]).toMatchObject({ callId, agentId: 'bo', caller: { kind: 'returned' } });
    const dnc: unknown[] = [];
    a.dialer.on('inbound.dnc', (e) => dnc.push(e));
    await b.dialer.inbound?.requestDnc(callId);
    await driveUntil(clock, clock.now() + 1_000);
    expect(dnc).toMatchObject([{ callId, contacts: [{ campaignId: 'k1', contactId: 'c1' }] }]);
    // what every node reads: the contact is retired as `dnc`, so no node's campaign dials it
    expect((await store.getContact('k1', 'c1'))?.state).toBe('dnc');
    // and every node's own internal DNC list has the number (a contact imported later is refused there too)
    expect(a.seen.dncNumbers).toEqual([CUSTOMER]);
    expect(b.seen.dncNumbers).toEqual([CUSTOMER]);
    expect([...a.seen.errors, ...b.seen.errors]).toEqual([]);
  });

  it('one view of the queue: a freed agent on node b takes the oldest caller across the pool (on node a) before its own node’s newer one', async () => {
    const { a, b, login, clock } = await pool();
    login(b.dialer, 'bo');
    await driveUntil(clock, START + 3_000);
    const busy = call(b.trunk, undefined); // bo's own node's caller: bo is on it
    await driveUntil(clock, clock.now() + 1_000);
    expect(b.seen.connected.map((o) => o.callId)).toEqual([busy]);
    const older = call(a.trunk, undefined); // waits on a
    await driveUntil(clock, clock.now() + 2_000);
    const newer = call(b.trunk, undefined); // waits on b, after `older`
    await driveUntil(clock, clock.now() + 2_000);
    expect(a.dialer.inbound?.status().queues[0]?.waiting).toBe(1);
    expect(b.dialer.inbound?.status().queues[0]?.waiting).toBe(1);
    // bo finishes: a's older caller first, then b's own
    await b.dialer.hangup(busy);
    await driveUntil(clock, clock.now() + 500);
    await b.dialer.disposition(busy, 'SERVICE');
    await driveUntil(clock, clock.now() + 2_000);
    expect(b.seen.connected.map((o) => o.callId)).toEqual([busy, older]);
    await b.dialer.hangup(older);
    await driveUntil(clock, clock.now() + 500);
    await b.dialer.disposition(older, 'SERVICE');
    await driveUntil(clock, clock.now() + 2_000);
    expect(b.seen.connected.map((o) => o.callId)).toEqual([busy, older, newer]);
    expect([...a.seen.errors, ...b.seen.errors]).toEqual([]);
  });

  it('the node holding the call dies: the agent on node b is released within the lease TTL (its liveness lease lapsed)', async () => {
    const { a, b, login, clock } = await pool();
    login(b.dialer, 'bo');
    const states: string[] = [];
    b.dialer.on('agentStateChanged', (e) => states.push(e.to));
    await driveUntil(clock, START + 3_000);
    const callId = call(a.trunk, undefined);
    await driveUntil(clock, clock.now() + 2_000);
    expect(b.seen.connected.map((o) => o.callId)).toEqual([callId]);
    await a.dialer.close(); // a stops: no heartbeat, no inbox
    const diedAt = clock.now();
    await driveUntil(clock, diedAt + TTL / 2);
    expect(states.at(-1)).toBe('on-call'); // not before its lease lapsed
    await driveUntil(clock, diedAt + TTL + TTL / 3 + 1);
    expect(b.seen.ended).toEqual([callId]);
    expect(states.slice(-2)).toEqual(['wrap-up', 'ready']);
    expect(b.dialer.inbound?.has(callId)).toBe(false);
    expect(b.seen.errors).toEqual([]);
  });
});
