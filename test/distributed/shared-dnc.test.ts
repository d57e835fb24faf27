// dnc-shared: the do-not-call list is kept in the store and read before every dial decision, so
// a request taken on one engine node stops every node — one started afterwards, and one that
// never got a message about it — from dialling the number. Engines in this process, each with
// its own ioredis connection, compliance gate (DncBook) and frozen virtual clock (no periodic
// sync fires unless a test advances it), on a real redis-server.
import { type ContactState, VirtualClock } from '@paceline/core';
import { createComplianceGate, type Dialer, type DialerEvents } from '@paceline/engine';
import { createRedisStore } from '@paceline/store-redis';
import { createSimTrunk, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { newYorkContact, progressiveCampaign } from '../support/campaign';
import { describeWithRedis, type RedisServer } from '../support/redis-server';
import { createNodeDialer } from './node-dialer';

const START = Date.UTC(2026, 10, 23, 15, 0); // Monday 10:00 in New York
const MIN = 60_000;
const CALLER = '+12125557001';
const other = (i: number) => `+1212555${String(7100 + i)}`;

/** Let promise chains and Redis round trips settle. */
async function settle(rounds = 6): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setTimeout(resolve, 2));
}

/**
 * Wait (real time, at most 20 s) until `done()`, moving the node's virtual clock on by `stepMs`
 * between looks (0: never — what happens then needs no timer). Event-driven, not a fixed time:
 * under load Redis may take a while to answer.
 */
async function until(clock: VirtualClock, done: () => boolean, stepMs: number, what: string): Promise<void> {
  const give = Date.now() + 20_000;
  while (!done()) {
    if (Date.now() > give) throw new Error(`timed out waiting for ${what}`);
    if (stepMs > 0) clock.advanceTo(clock.now() + stepMs);
    await settle(2);
  }
}

interface DncNode {
  readonly name: string;
  readonly dialer: Dialer;
  readonly clock: VirtualClock;
  readonly trunk: ReturnType<typeof createSimTrunk>;
  readonly dialed: DialerEvents['dialed'][0][];
  readonly refused: DialerEvents['complianceRefused'][0][];
  readonly errors: unknown[];
  close(): Promise<void>;
}

/** One engine node on the shared Redis (its own connection, gate, clock), distributed mode (a lease). */
function dncNode(server: RedisServer, tenant: string, name: string, options: { inbound?: boolean } = {}): DncNode {
  const clock = new VirtualClock(START);
  const { dialer, trunk, close } = createNodeDialer({
    url: server.url,
    nodeId: name,
    tenant,
    pooled: false,
    sharedQueue: false,
    clock,
    seed: name.length + 7,
    trunk: (clock, random) =>
      createSimTrunk({
        clock,
        random,
        model: scriptedOutcomeModel({}, { outcome: 'human', ringingAfterMs: 200, resolveAfterMs: 1_000, analysisAfterMs: 300 }),
      }),
    compliance: createComplianceGate(),
    leaseTtlMs: 10_000,
    tickIntervalMs: MIN,
    ...(options.inbound ? { inbound: { queues: [{ id: 'service', skills: [] }] } } : {}),
  });
  const node: DncNode = { name, dialer, clock, trunk, dialed: [], refused: [], errors: [], close };
  dialer.on('dialed', (e) => node.dialed.push(e));
  dialer.on('complianceRefused', (e) => node.refused.push(e));
  dialer.on('error', (e) => node.errors.push(e));
  return node;
}

/** A progressive campaign of `id` with the contacts' numbers (New York). */
async function campaignOn(node: DncNode, id: string, phones: readonly string[], callerId = '+12125550100'): Promise<void> {
  await node.dialer.addCampaign(progressiveCampaign(id, { callerId }));
  await node.dialer.addContacts(
    id,
    phones.map((number, i) => newYorkContact(`${id}-c${i}`, number)),
  );
}

/** Log in `n` ready agents of `campaignId` on `node`. */
function readyAgents(node: DncNode, campaignId: string, n: number): void {
  for (let i = 0; i < n; i++) {
    const id = `${node.name}-agent-${i}`;
    node.dialer.loginAgent({ id, name: id }, [campaignId]);
    node.dialer.ready(id);
  }
}

describeWithRedis('the shared do-not-call list on a real redis-server (dnc-shared)', (server) => {
  let tenants = 0;
  const nodes: DncNode[] = [];
  const node = (tenant: string, name: string, options?: { inbound?: boolean }) => {
    const n = dncNode(server(), tenant, name, options);
    nodes.push(n);
    return n;
  };
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close().catch(() => {});
  });

  it('an inbound DNC request on node a: node b, started afterwards, never dials the number in any campaign', async () => {
    const tenant = `dnc${++tenants}`;
    const a = node(tenant, 'a', { inbound: true });
    // a has a campaign whose caller ID the customer calls back; its agent takes the call.
    await campaignOn(a, 'k-a', [other(0)], '+12125550100');
    a.dialer.loginAgent({ id: 'ana', name: 'Ana' }, ['k-a']);
    a.dialer.ready('ana');
    const connected: string[] = [];
    a.dialer.on('inbound.connected', (o) => connected.push(o.callId));
    const callId = a.trunk.dialIn({ from: CALLER, to: '+12125550100', patienceMs: 10 * MIN, handleMs: 5 * MIN }) as string;
    await until(a.clock, () => connected.length > 0, 100, 'the inbound call to reach Ana');
    expect(connected).toEqual([callId]);
    await a.dialer.inbound?.requestDnc(callId);
    await a.dialer.disposition(callId, 'SAVED');
    expect((await a.dialer.findDoNotCall(CALLER)).map((e) => e.campaignId ?? 'internal')).toEqual(['internal']);

    // b starts afterwards: a fresh process (its own empty DncBook), never told of the request.
    const b = node(tenant, 'b');
    await campaignOn(b, 'k-b', [CALLER, other(1), other(2), other(3)], '+12125550101');
    readyAgents(b, 'k-b', 4);
    await b.dialer.start('k-b');
    b.clock.advanceTo(START + 1); // the first tick (a timer); the launches need no other
    await until(b.clock, () => b.dialed.length + b.refused.length >= 4, 0, "b's four launches");

    expect(b.dialed.map((d) => d.attempt.phone).sort()).toEqual([other(1), other(2), other(3)]);
    const refusal = b.refused.find((r) => r.contactId === 'k-b-c0');
    expect(refusal?.reasons).toContain('dnc-internal');
    const state: ContactState | undefined = (
      await createRedisStore({ redis: new Redis(server().port, server().host), tenant }).getContact('k-b', 'k-b-c0')
    )?.state;
    expect(state).toBe('dnc');
    expect([...a.errors, ...b.errors]).toEqual([]);
  }, 60_000);

  it("an agent's DNC disposition on node a: node b, running and loaded before it and sent no message, never dials the number", async () => {
    const tenant = `dnc${++tenants}`;
    const a = node(tenant, 'a');
    const b = node(tenant, 'b');
    // b is running with the number in its list, its agents not ready yet; its list is loaded (empty).
    await campaignOn(b, 'k-b', [CALLER, other(1), other(2)], '+12125550101');
    await b.dialer.recover();
    await b.dialer.start('k-b');
    await settle();
    expect(b.dialed).toEqual([]);

    // a dials the same number in its own campaign; the customer says "do not call me".
    await campaignOn(a, 'k-a', [CALLER], '+12125550100');
    const dispositioned: string[] = [];
    a.dialer.on('connected', (e) => {
      void a.dialer.hangup(e.callId);
    });
    a.dialer.on('agentStateChanged', (e) => {
      if (e.to === 'wrap-up' && a.dialed[0]) void a.dialer.disposition(a.dialed[0].attempt.id, 'DNC');
    });
    a.dialer.on('dispositioned', (e) => dispositioned.push(e.code));
    readyAgents(a, 'k-a', 1);
    await a.dialer.start('k-a');
    await until(a.clock, () => dispositioned.length > 0, 100, "a's DNC disposition");
    expect(a.dialed.map((d) => d.attempt.phone)).toEqual([CALLER]);
    expect(dispositioned).toEqual(['DNC']);

    // b's clock has not moved: no periodic sync ran, no message came. Its agents get ready now.
    readyAgents(b, 'k-b', 3);
    await until(b.clock, () => b.dialed.length + b.refused.length >= 3, 0, "b's three launches");
    expect(b.dialed.map((d) => d.attempt.phone).sort()).toEqual([other(1), other(2)]);
    expect(b.refused.find((r) => r.contactId === 'k-b-c0')?.reasons).toContain('dnc-internal');
    expect([...a.errors, ...b.errors]).toEqual([]);
  }, 60_000);

  it('a node restarted on the same store loads the list before its first dial', async () => {
    const tenant = `dnc${++tenants}`;
    const a = node(tenant, 'a');
    await a.dialer.addDoNotCall(CALLER, { reason: 'asked by email', source: 'web preference centre' });
    await a.dialer.addDoNotCall(other(5), { reason: 'campaign list', source: 'host', campaignId: 'k-b' });
    await a.close();
    nodes.splice(nodes.indexOf(a), 1);

    const b = node(tenant, 'a'); // the same node id, a new process: nothing in memory
    await campaignOn(b, 'k-b', [CALLER, other(5), other(6)], '+12125550101');
    await campaignOn(b, 'k-c', [other(5)], '+12125550102');
    readyAgents(b, 'k-b', 3);
    for (let i = 0; i < 1; i++) {
      b.dialer.loginAgent({ id: `c-agent-${i}`, name: 'c' }, ['k-c']);
      b.dialer.ready(`c-agent-${i}`);
    }
    await b.dialer.start('k-b');
    await b.dialer.start('k-c');
    b.clock.advanceTo(START + 1); // the first ticks (timers); the launches need no other
    await until(b.clock, () => b.dialed.length + b.refused.length >= 4, 0, "b's four launches");
    // The internal entry blocks every campaign; the campaign entry only k-b.
    expect(b.dialed.filter((d) => d.campaignId === 'k-b').map((d) => d.attempt.phone)).toEqual([other(6)]);
    expect(b.dialed.filter((d) => d.campaignId === 'k-c').map((d) => d.attempt.phone)).toEqual([other(5)]);
    expect(b.refused.find((r) => r.contactId === 'k-b-c1')?.reasons).toContain('dnc-campaign');
    expect(b.errors).toEqual([]);
  }, 60_000);
});
