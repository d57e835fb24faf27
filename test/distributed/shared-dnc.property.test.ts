// dnc-shared — compliance invariant, property-tested on a real redis-server: whatever the
// interleaving of do-not-call additions and dials on several engine nodes sharing the store, no
// node dials a number whose addition (on any node) had completed before the dial was asked for.
// Each node has its own connection, compliance gate and frozen virtual clock (no periodic sync
// runs: only the read before each dial decision can keep a node from dialling).
import { VirtualClock } from '@paceline/core';
import { createComplianceGate, type Dialer } from '@paceline/engine';
import { createSimTrunk, scriptedOutcomeModel } from '@paceline/trunk-sim';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { newYorkContact, progressiveCampaign } from '../support/campaign';
import { describeWithRedis, type RedisServer } from '../support/redis-server';
import { createNodeDialer } from './node-dialer';

const START = Date.UTC(2026, 10, 23, 15, 0); // Monday 10:00 in New York
const PHONES = Array.from({ length: 5 }, (_, i) => `+1212555${String(7200 + i)}`);
const NODES = 3;
/** Ready agents per node: more than the dials a run can ask of one node (calls never end: the clock is frozen). */
const AGENTS = 40;

interface Node {
  readonly dialer: Dialer;
  /** contactId → what the node did with it. */
  readonly outcome: Map<string, 'dialed' | 'refused'>;
  readonly waiters: Map<string, () => void>;
  readonly errors: unknown[];
  close(): Promise<void>;
}

async function startNode(server: RedisServer, tenant: string, index: number): Promise<Node> {
  const clock = new VirtualClock(START);
  const { dialer, close } = createNodeDialer({
    url: server.url,
    nodeId: `n${index}`,
    tenant,
    pooled: false,
    sharedQueue: false,
    clock,
    seed: index + 1,
    trunk: (clock, random) =>
      createSimTrunk({ clock, random, model: scriptedOutcomeModel({}, { outcome: 'human', resolveAfterMs: 1_000 }) }),
    compliance: createComplianceGate(),
    leaseTtlMs: 10_000,
    tickIntervalMs: 1_000, // the dialer's default
  });
  const node: Node = { dialer, outcome: new Map(), waiters: new Map(), errors: [], close };
  const settled = (contactId: string, what: 'dialed' | 'refused') => {
    node.outcome.set(contactId, what);
    node.waiters.get(contactId)?.();
  };
  dialer.on('dialed', (e) => settled(e.attempt.contactId, 'dialed'));
  dialer.on('complianceRefused', (e) => settled(e.contactId, 'refused'));
  dialer.on('error', (e) => node.errors.push(e));
  const campaignId = `k${index}`;
  await dialer.addCampaign(progressiveCampaign(campaignId, { callerId: `+1212555010${index}` }));
  for (let i = 0; i < AGENTS; i++) {
    dialer.loginAgent({ id: `n${index}-a${i}`, name: 'agent' }, [campaignId]);
    dialer.ready(`n${index}-a${i}`);
  }
  // A call that never ends (the clock is frozen) keeps the campaign running when every other contact is refused.
  await dialer.addContacts(campaignId, [newYorkContact('in-flight', `+1212555730${index}`)]);
  const first = new Promise<void>((resolve) => node.waiters.set('in-flight', resolve));
  await dialer.start(campaignId);
  clock.advanceTo(START + 1); // the first tick (a timer): leadership taken, the call placed
  await first;
  return node;
}

/** Ask `node` to dial `phone` (a new contact in its campaign) and wait until it dialled or refused it. */
async function dial(node: Node, campaignId: string, contactId: string, phone: string): Promise<'dialed' | 'refused'> {
  const done = new Promise<void>((resolve, reject) => {
    node.waiters.set(contactId, resolve);
    setTimeout(() => reject(new Error(`node did not dial or refuse ${contactId} within 10 s`)), 10_000);
  });
  await node.dialer.addContacts(campaignId, [newYorkContact(contactId, phone)]);
  await done;
  return node.outcome.get(contactId) as 'dialed' | 'refused';
}

describeWithRedis('the shared do-not-call list under any interleaving (dnc-shared, property)', (server) => {
  let tenants = 0;
  it('no node dials a number whose DNC addition completed before the dial was asked for', async () => {
    const op = fc.record({
      kind: fc.constantFrom('add', 'dial', 'dial'),
      node: fc.integer({ min: 0, max: NODES - 1 }),
      phone: fc.integer({ min: 0, max: PHONES.length - 1 }),
      delayMs: fc.integer({ min: 0, max: 4 }),
    });
    const rounds = fc.array(fc.array(op, { minLength: 1, maxLength: 5 }), { minLength: 2, maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(rounds, async (plan) => {
        const tenant = `prop${++tenants}`;
        const nodes = await Promise.all(Array.from({ length: NODES }, (_, i) => startNode(server(), tenant, i)));
        // A logical clock over this process's events: when each addition completed, when each dial was asked for.
        let now = 0;
        const addedAt = new Map<string, number>();
        const dials: { phone: string; askedAt: number; outcome: 'dialed' | 'refused'; node: number }[] = [];
        let contacts = 0;
        try {
          for (const round of plan) {
            await Promise.all(
              round.map(async (o) => {
                await new Promise((resolve) => setTimeout(resolve, o.delayMs));
                const node = nodes[o.node] as Node;
                const phone = PHONES[o.phone] as string;
                if (o.kind === 'add') {
                  await node.dialer.addDoNotCall(phone, { reason: 'asked', source: `node ${o.node}` });
                  if (!addedAt.has(phone)) addedAt.set(phone, ++now);
                } else {
                  const askedAt = ++now;
                  const outcome = await dial(node, `k${o.node}`, `c${++contacts}`, phone);
                  dials.push({ phone, askedAt, outcome, node: o.node });
                }
              }),
            );
          }
          // Per dial: a number added before the dial was asked for is refused, on every node.
          for (const d of dials) {
            const added = addedAt.get(d.phone);
            if (added !== undefined && added < d.askedAt)
              expect(d.outcome, `node ${d.node} asked at ${d.askedAt}, added at ${added}`).toBe('refused');
          }
          // And numbers never added are dialled (the check can fail the other way).
          for (const d of dials) if (!addedAt.has(d.phone)) expect(d.outcome).toBe('dialed');
          for (const phone of addedAt.keys()) expect((await nodes[0]?.dialer.findDoNotCall(phone))?.length).toBe(1);
          expect(nodes.flatMap((n) => n.errors)).toEqual([]);
        } finally {
          for (const n of nodes) await n.close();
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
