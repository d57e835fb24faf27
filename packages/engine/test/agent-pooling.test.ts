import { ContactState, PacelineError, seededRandom, VirtualClock } from '@paceline/core';
import { basicOutcomeModel, createSimTrunk } from '@paceline/trunk-sim';
import { describe, expect, it } from 'vitest';
import {
  type CallOffer,
  type CampaignPacer,
  createDialer,
  createMemoryAgentPool,
  createMemoryJobQueue,
  createMemoryLease,
  createMemoryStore,
} from '../src/index';
import { simulateAgents } from './support/agents';
import { testCampaign } from './support/campaign';
import { driveUntil } from './support/drive';
import { testProgressivePacer } from './support/seams';
import { testDialer } from './support/test-dialer';

const START = Date.UTC(2026, 10, 23, 15, 0);
const MIN = 60_000;
const TTL = 6_000;
const MODEL = basicOutcomeModel({
  human: 0.7,
  machine: 0,
  busy: 0.3,
  failed: 0,
  invalid: 0,
  answerDelayMeanMs: 3_000,
  failureDelayMeanMs: 2_000,
  analysisMs: 500,
  amdFalseMachine: 0,
  amdFalseHuman: 0,
  patienceMeanMs: 600_000,
});

/**
 * Two engine nodes on one campaign, sharing the store, the lease, the agent pool and the job
 * queue (one process, one virtual clock). Node a leads; agents are logged in to both. The
 * leader paces for all of them and hands live answers to b's agents through the pool.
 */
function cluster(contacts: number, campaign: Record<string, unknown> = {}, createPacer: () => CampaignPacer = testProgressivePacer) {
  const clock = new VirtualClock(START);
  const store = createMemoryStore();
  const lease = createMemoryLease();
  const agentPool = createMemoryAgentPool();
  const queue = createMemoryJobQueue({ clock, random: seededRandom(3) });
  const node = (name: string, seed: number) => {
    const trunk = createSimTrunk({ clock, random: seededRandom(seed), model: MODEL });
    const dialer = testDialer({
      store,
      trunk,
      clock,
      nodeId: name,
      queue,
      agentPool,
      createPacer,
      leadership: { lease, ttlMs: TTL },
    }).dialer;
    const offers: Array<CallOffer & { at: number }> = [];
    const dispositioned: Array<{ callId: string; at: number }> = [];
    const errors: unknown[] = [];
    dialer.on('connected', (offer) => offers.push({ ...offer, at: clock.now() }));
    dialer.on('dispositioned', (e) => dispositioned.push({ callId: e.callId, at: clock.now() }));
    dialer.on('error', (e) => errors.push(e));
    return { name, dialer, offers, dispositioned, errors };
  };
  const a = node('a', 1);
  const b = node('b', 2);
  const setUp = async () => {
    await a.dialer.addCampaign(testCampaign('k1', { recycle: { busy: { retryAfterMs: 10 * MIN } }, ...campaign }));
    await a.dialer.addContacts(
      'k1',
      Array.from({ length: contacts }, (_, i) => ({ id: `c${i}`, phones: [{ number: `+1415555${1000 + i}` }] })),
    );
    // b learns the campaign before it starts: it never sees it running, and still serves it.
    await b.dialer.recover();
    await a.dialer.start('k1');
  };
  const login = (n: typeof a, id: string) => {
    n.dialer.loginAgent({ id, name: id }, ['k1']);
    n.dialer.ready(id);
  };
  return { clock, store, a, b, setUp, login };
}

describe('agents pooled across nodes', () => {
  it('the leader learns the wrap-up time of every agent, pooled ones too', async () => {
    // node a leads (its pacer is the one that decides); b's agents wrap up for 7 s, a's for 3 s
    const wrapMs: number[] = [];
    const recording = (): CampaignPacer => {
      const inner = testProgressivePacer();
      return {
        decide: (o) => inner.decide(o),
        observeOutcome: (o) => inner.observeOutcome(o),
        observeWork: (w) => {
          if (w.wrapMs !== undefined) wrapMs.push(w.wrapMs);
          inner.observeWork(w);
        },
      };
    };
    const { clock, a, b, setUp, login } = cluster(12, {}, recording);
    await setUp();
    simulateAgents(a.dialer, clock, { talkMs: () => 20_000, wrapMs: () => 3_000, disposition: () => ({ code: 'SAVED' }) });
    simulateAgents(b.dialer, clock, { talkMs: () => 20_000, wrapMs: () => 7_000, disposition: () => ({ code: 'SAVED' }) });
    login(a, 'ana');
    await driveUntil(clock, START + 1_000);
    login(b, 'bo');
    await driveUntil(clock, START + 60 * MIN);
    expect(b.offers.length).toBeGreaterThan(0);
    expect(wrapMs.filter((ms) => ms === 3_000)).toHaveLength(a.offers.length);
    // each of bo's calls: the wrap-up plus the messages' hops between the nodes (virtual time: none)
    expect(wrapMs.filter((ms) => ms >= 7_000)).toHaveLength(b.offers.length);
  });

  it('the leader paces for every node’s agents and connects live answers to them; nothing lost, no agent double-booked', async () => {
    const { clock, store, a, b, setUp, login } = cluster(40);
    await setUp();
    for (const n of [a, b])
      simulateAgents(n.dialer, clock, { talkMs: () => 60_000, wrapMs: () => 5_000, disposition: () => ({ code: 'SAVED' }) });
    login(a, 'ana');
    await driveUntil(clock, START + 1_000);
    login(b, 'bo');
    login(b, 'cy');
    await driveUntil(clock, START + 4 * 60 * MIN);

    // b never led, yet its agents took calls — offered by a, under the 2-second rule.
    expect(b.offers.length).toBeGreaterThan(0);
    expect(new Set(b.offers.map((o) => o.agentId))).toEqual(new Set(['bo', 'cy']));
    expect(new Set(a.offers.map((o) => o.agentId))).toEqual(new Set(['ana']));
    for (const o of [...a.offers, ...b.offers]) expect(o.latencyMs).toBeLessThanOrEqual(2_000);

    // Every call went out once through the leader's trunk, and every contact is finished with
    // exactly one disposition in the store.
    expect((await store.getCampaign('k1'))?.state).toBe('completed');
    expect((await store.countContacts('k1')).done).toBe(40);
    for (let i = 0; i < 40; i++) {
      const attempts = await store.listAttempts('k1', `c${i}`);
      expect(attempts.every((x) => x.endedAt !== undefined)).toBe(true);
      expect(
        attempts.filter((x) => x.dispositionCode === 'SAVED'),
        `c${i}`,
      ).toHaveLength(1);
    }
    // The agent's node heard about its dispositions; nothing was reported as an error.
    expect(b.dispositioned).toHaveLength(b.offers.length);
    expect([...a.errors, ...b.errors]).toEqual([]);

    // No agent was ever on two calls at once: an agent's next call comes after the last one's disposition.
    for (const n of [a, b]) {
      const releasedAt = new Map(n.dispositioned.map((d) => [d.callId, d.at]));
      for (const agentId of new Set(n.offers.map((o) => o.agentId))) {
        const mine = n.offers.filter((o) => o.agentId === agentId);
        for (let i = 1; i < mine.length; i++) {
          const previous = releasedAt.get(mine[i - 1]?.callId ?? '');
          expect(previous, `${agentId}'s call ${mine[i - 1]?.callId} was released`).toBeDefined();
          expect(mine[i]?.at ?? 0, agentId).toBeGreaterThanOrEqual(previous ?? Number.POSITIVE_INFINITY);
        }
      }
    }
    await a.dialer.close();
    await b.dialer.close();
  });

  it('a pooled agent who logs out mid-call, or whose node dies, does not lose the call’s disposition', async () => {
    const { clock, store, a, b, setUp, login } = cluster(60);
    await setUp();
    simulateAgents(a.dialer, clock, { talkMs: () => 30_000, wrapMs: () => 5_000, disposition: () => ({ code: 'SAVED' }) });
    login(a, 'ana');
    await driveUntil(clock, START + 1_000);
    login(b, 'bo');
    // bo takes a call and logs out in the middle of it.
    await driveUntil(clock, START + 5 * MIN);
    const offer = b.offers[0];
    if (!offer) throw new Error(`bo took no call: ${JSON.stringify(a.offers.map((o) => o.agentId))}`);
    await b.dialer.logout('bo');
    await driveUntil(clock, clock.now() + 10_000);
    const attempt = await store.getAttempt(offer.callId);
    expect(attempt?.endedAt).toBeDefined();
    expect(attempt?.dispositionCode).toBe('NO_DECISION'); // the engine's disposition when the agent left

    // cy on b takes a call, then b dies (stops: no heartbeat, no inbox). The leader notices
    // within the TTL, ends the call and dispositions it; the campaign carries on with ana.
    login(b, 'cy');
    await driveUntil(clock, clock.now() + 5 * MIN);
    const cyOffer = b.offers.find((o) => o.agentId === 'cy');
    if (!cyOffer) throw new Error('cy took no call');
    await b.dialer.close();
    await driveUntil(clock, clock.now() + TTL + 5_000);
    const cyAttempt = await store.getAttempt(cyOffer.callId);
    expect(cyAttempt?.endedAt).toBeDefined();
    expect(cyAttempt?.dispositionCode).toBe('NO_DECISION');
    await driveUntil(clock, START + 3 * 60 * MIN);
    expect((await store.countContacts('k1')).done).toBe(60);
    expect(await store.listContacts('k1', ContactState.Dialing)).toEqual([]);
    expect(a.errors).toEqual([]);
    await a.dialer.close();
  });

  it('off the campaign’s hours the leader dials nothing, yet still ends a call whose agent’s node died', async () => {
    // The shift is 15:00–15:05 (UTC, the test campaign's home zone); START is 15:00.
    const { clock, store, a, b, setUp, login } = cluster(60, { schedule: { hours: { start: '15:00', end: '15:05' } } });
    await setUp();
    simulateAgents(a.dialer, clock, { talkMs: () => 30_000, wrapMs: () => 5_000, disposition: () => ({ code: 'SAVED' }) });
    simulateAgents(b.dialer, clock, { talkMs: () => 30 * MIN, wrapMs: () => 5_000, disposition: () => ({ code: 'SAVED' }) });
    const dialedAt: number[] = [];
    a.dialer.on('dialed', (e) => dialedAt.push(e.attempt.startedAt));
    login(a, 'ana');
    await driveUntil(clock, START + 1_000);
    login(b, 'cy');
    await driveUntil(clock, START + 6 * MIN);
    // cy is on a call that outlasts the shift; then cy's node dies.
    const live = [];
    for (const o of b.offers) if ((await store.getAttempt(o.callId))?.endedAt === undefined) live.push(o);
    expect(live.map((o) => o.agentId)).toEqual(['cy']);
    const callId = live[0]?.callId ?? '';
    await b.dialer.close();
    await driveUntil(clock, clock.now() + TTL + 5_000);
    const attempt = await store.getAttempt(callId);
    expect(attempt?.endedAt).toBeDefined();
    expect(attempt?.dispositionCode).toBe('NO_DECISION');
    expect(dialedAt.length).toBeGreaterThan(0);
    expect(dialedAt.filter((at) => at >= START + 5 * MIN)).toEqual([]);
    expect(a.errors).toEqual([]);
    await a.dialer.close();
  });

  it('refuses a pool without leadership or without a shared queue', () => {
    const trunk = createSimTrunk({ clock: new VirtualClock(START), random: seededRandom(1), model: MODEL });
    const agentPool = createMemoryAgentPool();
    expect(() => createDialer({ trunk, agentPool })).toThrow(PacelineError);
    expect(() => createDialer({ trunk, agentPool, leadership: { lease: createMemoryLease() } })).toThrow(
      /needs a queue shared by the nodes/,
    );
  });
});
