import { type JobQueue, seededRandom, VirtualClock } from '@paceline/core';
import { type SimCallPlan, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { describe, expect, it } from 'vitest';
import { type CallOffer, createMemoryAgentPool, createMemoryJobQueue, createMemoryLease, createMemoryStore } from '../src/index';
import { simulateAgents } from './support/agents';
import { testCampaign } from './support/campaign';
import { driveUntil } from './support/drive';
import { START, testContacts, testDialer, testNumber } from './support/test-dialer';

const TTL = 6_000;
const TALK_MS = 60_000;
const person: SimCallPlan = { outcome: 'human', ringingAfterMs: 500, resolveAfterMs: 2_000, analysisAfterMs: 500 };
/** Connected as a person, found out by a beep 3 s after the analysis. */
const lateBeep: SimCallPlan = { ...person, outcome: 'machine', detected: 'human', revisedAfterMs: 3_000 };
const CONTACTS = 8;

/**
 * issue-17: two nodes (one process, one virtual clock) sharing store, lease, pool and queue.
 * Node a leads (its one agent, ana, talks a minute); bo on node b takes the other live answers.
 * Every contact is a machine revised after it was connected. `drop` loses every pool message
 * `revised` on the way (the loss the heartbeat's store check covers).
 */
async function twoNodes(drop: boolean) {
  const clock = new VirtualClock(START);
  const store = createMemoryStore();
  const lease = createMemoryLease();
  const agentPool = createMemoryAgentPool();
  const shared = createMemoryJobQueue({ clock, random: seededRandom(3) });
  const lost: string[] = [];
  const queue: JobQueue = {
    enqueue: async (name, payload, options) => {
      const message = payload as { type?: string; callId?: string };
      if (drop && message.type === 'revised') {
        lost.push(message.callId ?? '');
        return 'lost';
      }
      return shared.enqueue(name, payload, options);
    },
    process: (name, handler) => shared.process(name, handler),
    deadLetters: (name) => shared.deadLetters(name),
    replay: (name, id) => shared.replay(name, id),
    close: () => shared.close(),
  };
  const model = scriptedOutcomeModel(Object.fromEntries(Array.from({ length: CONTACTS }, (_, i) => [testNumber(i), lateBeep])), person);
  const node = (nodeId: string, seed: number) => {
    const { dialer } = testDialer({ store, clock, model, trunkSeed: seed, nodeId, queue, agentPool, leadership: { lease, ttlMs: TTL } });
    const offers: CallOffer[] = simulateAgents(dialer, clock, {
      talkMs: () => TALK_MS,
      wrapMs: () => 1_000,
      disposition: () => ({ code: 'SAVED' }),
    });
    const revised: { callId: string; agentId?: string; at: number }[] = [];
    const states: { agentId: string; to: string; reason?: string; at: number }[] = [];
    const errors: unknown[] = [];
    dialer.on('revised', (e) => revised.push(e));
    dialer.on('agentStateChanged', (e) =>
      states.push({ agentId: e.agentId, to: e.to, at: e.at, ...(e.reason ? { reason: e.reason } : {}) }),
    );
    dialer.on('error', (e) => errors.push(e));
    return { dialer, offers, revised, states, errors };
  };
  const a = node('a', 1);
  const b = node('b', 2);
  await a.dialer.addCampaign(testCampaign('k1', { machineHandling: 'hangup', maxAttempts: 1 }));
  await a.dialer.addContacts('k1', testContacts(CONTACTS));
  await b.dialer.recover();
  await a.dialer.start('k1');
  a.dialer.loginAgent({ id: 'ana', name: 'ana' }, ['k1']);
  a.dialer.ready('ana');
  await driveUntil(clock, START + 1_000);
  b.dialer.loginAgent({ id: 'bo', name: 'bo' }, ['k1']);
  b.dialer.ready('bo');
  await driveUntil(clock, START + 30 * 60_000);
  return { store, a, b, lost };
}

describe('issue-17: a revised call whose agent is on another node', () => {
  it('frees the agent on its node at the revision; the machine is counted once, on the leader', async () => {
    const { a, b, store } = await twoNodes(false);
    expect(b.offers.length).toBeGreaterThan(1);
    for (const offer of b.offers) {
      const onA = a.revised.find((r) => r.callId === offer.callId);
      expect(onA, offer.callId).toMatchObject({ agentId: 'bo' });
      expect(
        b.revised.find((r) => r.callId === offer.callId),
        offer.callId,
      ).toMatchObject({ agentId: 'bo', at: onA?.at });
      const after = b.states.filter((s) => s.agentId === 'bo' && s.at >= (onA?.at ?? 0)).slice(0, 2);
      expect(after, offer.callId).toEqual([
        { agentId: 'bo', to: 'wrap-up', reason: 'answering machine', at: onA?.at },
        { agentId: 'bo', to: 'ready', at: onA?.at },
      ]);
      expect((await store.getAttempt(offer.callId))?.dispositionCode, offer.callId).toBeUndefined();
    }
    // every contact was connected once; bo took all of its calls within one talk time (it never talked a minute to a machine)
    expect(a.offers.length + b.offers.length).toBe(CONTACTS);
    const boOnCall = b.states.filter((s) => s.agentId === 'bo' && s.to === 'on-call');
    expect(boOnCall).toHaveLength(b.offers.length);
    expect(boOnCall.at(-1)?.at ?? Number.POSITIVE_INFINITY).toBeLessThan(START + TALK_MS);
    expect(a.dialer.amdCalibration.report('k1').machinesConnectedAsPeople).toBe(a.revised.length);
    expect(b.dialer.amdCalibration.report('k1').machinesConnectedAsPeople).toBe(0);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('a lost `revised` message does not leave the agent on the call: the heartbeat finds the call ended in the store', async () => {
    const { b, lost, store } = await twoNodes(true);
    expect(lost.length).toBeGreaterThan(1);
    for (const callId of lost) {
      const attempt = await store.getAttempt(callId);
      expect(attempt?.amd, callId).toBe('machine');
      const endedAt = attempt?.endedAt ?? Number.POSITIVE_INFINITY;
      const freed = b.states.filter((s) => s.agentId === 'bo' && s.at >= endedAt).slice(0, 2);
      expect(
        freed.map((s) => [s.to, s.reason]),
        callId,
      ).toEqual([
        ['wrap-up', 'answering machine'],
        ['ready', undefined],
      ]);
      // within a heartbeat (a third of the TTL) of the call's end, not after the minute's talk
      expect((freed[1]?.at ?? Number.POSITIVE_INFINITY) - endedAt, callId).toBeLessThanOrEqual(TTL / 3 + 1);
      expect(attempt?.dispositionCode, callId).toBeUndefined();
    }
    expect(b.revised.map((r) => r.callId).sort()).toEqual([...lost].sort());
    expect(b.errors).toEqual([]);
  });
});
