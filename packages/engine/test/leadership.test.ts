import { ContactState, type Lease, type Store, seededRandom, VirtualClock } from '@paceline/core';
import { createSimTrunk, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { describe, expect, it } from 'vitest';
import { createMemoryLease, createMemoryStore } from '../src/index';
import { simulateAgents } from './support/agents';
import { testCampaign } from './support/campaign';
import { settle } from './support/drive';
import { testDialer } from './support/test-dialer';

const START = Date.UTC(2026, 10, 23, 15, 0);
const MIN = 60_000;
const TTL = 10_000;

const MODEL = scriptedOutcomeModel({}, { outcome: 'human', ringingAfterMs: 500, resolveAfterMs: 20_000, analysisAfterMs: 1_000 });

/** One engine "process" on the shared store and lease, with its own virtual clock (so it can be frozen: a crash). */
function engineNode(name: string, store: Store, lease: Lease) {
  const clock = new VirtualClock(START);
  const trunk = createSimTrunk({ clock, random: seededRandom(name.length), model: MODEL });
  const dialer = testDialer({
    store,
    trunk,
    clock,
    nodeId: name,
    leadership: { lease, ttlMs: TTL },
  }).dialer;
  const dials: Array<{ contact: string; campaign: string; at: number }> = [];
  dialer.on('dialed', (e) => dials.push({ contact: e.attempt.contactId, campaign: e.campaignId, at: e.attempt.startedAt }));
  simulateAgents(dialer, clock, { talkMs: () => 30_000, wrapMs: () => 5_000, disposition: () => ({ code: 'SAVED' }) });
  return { clock, dialer, dials };
}
type EngineNode = ReturnType<typeof engineNode>;

/** Advance the nodes' clocks together in 250 ms steps. */
async function step(nodes: EngineNode[], until: number): Promise<void> {
  for (let t = nodes[0]?.clock.now() ?? START; t < until; t += 250) {
    for (const n of nodes) {
      n.clock.advanceTo(t + 250);
      await settle();
    }
  }
}

const campaign = (id: string) => testCampaign(id, { recycle: { failed: { retryAfterMs: 20 * MIN } } });

/**
 * Two engine "processes" sharing one store and one lease, each on its own virtual clock (so
 * one can be frozen: a crash). Only the lease holder dials the campaign; when it dies, the
 * other takes over within the lease TTL and reconciles the dead node's calls.
 */
describe('per-campaign pacing leadership', () => {
  it('lets only the leader dial, and fails over within the lease TTL without redialling early', async () => {
    const store = createMemoryStore();
    const lease = createMemoryLease();
    const node = (name: string) => engineNode(name, store, lease);
    const a = node('a');
    const b = node('b');
    await a.dialer.addCampaign(campaign('k1'));
    await a.dialer.addContacts(
      'k1',
      Array.from({ length: 12 }, (_, i) => ({ id: `c${i}`, phones: [{ number: `+1415555${1000 + i}` }] })),
    );
    await a.dialer.start('k1');
    await b.dialer.recover(); // b learns the running campaign from the store and stands by
    for (const n of [a, b]) {
      const id = n === a ? 'ana' : 'bo';
      n.dialer.loginAgent({ id, name: id }, ['k1']);
      n.dialer.ready(id);
    }

    // Both alive: advance the two clocks together.
    await step([a, b], START + 2 * MIN);
    expect(a.dials.length).toBeGreaterThan(0);
    expect(b.dials).toEqual([]);
    const inFlight = (await store.listContacts('k1', ContactState.Dialing)).map((r) => r.contact.id);
    expect(inFlight.length).toBeGreaterThan(0);

    // a crashes: its clock stops; b carries on alone.
    const crashedAt = b.clock.now();
    const takeover: number[] = [];
    b.dialer.on('leadershipChanged', (e) => e.leader && takeover.push(e.at));
    await step([b], START + 60 * MIN);
    expect(takeover).toHaveLength(1);
    expect((takeover[0] as number) - crashedAt).toBeLessThanOrEqual(TTL + 1_000);
    expect(b.dials.length).toBeGreaterThan(0);
    for (const id of inFlight) {
      // the dead node's calls were reconciled as failed, and redialled only after their retry time
      const [first] = await store.listAttempts('k1', id);
      expect(first?.outcome).toBe('failed');
      for (const d of b.dials.filter((x) => x.contact === id)) expect(d.at).toBeGreaterThanOrEqual(crashedAt + 20 * MIN);
    }
    // every contact is finished: nothing lost, no disposition missing
    const counts = await store.countContacts('k1');
    expect(counts.done).toBe(12);
    for (let i = 0; i < 12; i++) {
      const attempts = await store.listAttempts('k1', `c${i}`);
      expect(attempts.filter((x) => x.dispositionCode === 'SAVED')).toHaveLength(1);
    }
    await b.dialer.close();
  }, 60_000);

  it('leads each campaign where its agents are, and hands a campaign over when its agents leave', async () => {
    const store = createMemoryStore();
    const lease = createMemoryLease();
    const a = engineNode('a', store, lease);
    const b = engineNode('b', store, lease);
    for (const id of ['k1', 'k2']) {
      await a.dialer.addCampaign(campaign(id));
      await a.dialer.addContacts(
        id,
        Array.from({ length: 40 }, (_, i) => ({ id: `${id}-c${i}`, phones: [{ number: `+1415${id === 'k1' ? 555 : 556}${1000 + i}` }] })),
      );
      await a.dialer.start(id);
    }
    await b.dialer.recover();
    const leads = (n: EngineNode) => {
      const led = new Set<string>();
      n.dialer.on('leadershipChanged', (e) => (e.leader ? led.add(e.campaignId) : led.delete(e.campaignId)));
      return led;
    };
    const ledByA = leads(a);
    const ledByB = leads(b);
    // a's agents work k1 only, b's work k1 and k2.
    a.dialer.loginAgent({ id: 'ana', name: 'ana' }, ['k1']);
    a.dialer.ready('ana');
    await step([a, b], START + 10_000);
    b.dialer.loginAgent({ id: 'bo', name: 'bo' }, ['k1', 'k2']);
    b.dialer.ready('bo');
    await step([a, b], START + 5 * MIN);
    expect([...ledByA]).toEqual(['k1']); // a never stood for k2: no agent of k2 there
    expect([...ledByB]).toEqual(['k2']);
    expect(new Set(a.dials.map((d) => d.campaign))).toEqual(new Set(['k1']));
    expect(new Set(b.dials.map((d) => d.campaign))).toEqual(new Set(['k2']));

    // ana logs out: once a's last k1 call is done, a releases k1 and b, whose agent works k1 too, takes it.
    await a.dialer.logout('ana');
    const handedAt = a.clock.now();
    await step([a, b], START + 10 * MIN);
    expect(ledByA.size).toBe(0);
    expect([...ledByB].sort()).toEqual(['k1', 'k2']);
    expect(b.dials.some((d) => d.campaign === 'k1' && d.at > handedAt)).toBe(true);
    await a.dialer.close();
    await b.dialer.close();
  }, 60_000);
});
