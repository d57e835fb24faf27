/**
 * One engine "node" for the distributed tests: a real-time dialer on a shared Redis (store and
 * lease), trunk-sim, and simulated agents. Prints one JSON line per event on stdout.
 *   tsx --conditions=@paceline/source engine-node.ts <redis-url> <node-id> <agents> [--create <contacts>] [--pool]
 * A `<redis-url>` of `cluster://host:port,host:port,…` runs on Redis Cluster (BullMQ with a hash-tagged prefix).
 * The nodes share a BullMQ queue (the fulfilment hand-off: even-numbered contacts buy); with
 * --pool they also share their agents (store-redis's agent pool, messages over the queue).
 * issue-17: with --revised every odd-numbered contact is a machine that call analysis connects as
 * a person and revises 1.5 s later (a late beep), on a campaign that hangs up on machines;
 * --talk <ms> sets the agents' talk time (default 1.5 s).
 */
import type { DispositionData } from '@paceline/engine';
import { simulateAgents } from '@paceline/sim';
import { basicOutcomeModel, createSimTrunk, type SimCallPlan, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { progressiveCampaign } from '../support/campaign';
import { middayZone } from '../support/midday-zone';
import { createNodeDialer } from './node-dialer';

const [url, nodeId, agentsArg] = process.argv.slice(2);
const createIndex = process.argv.indexOf('--create');
const contactCount = createIndex > 0 ? Number(process.argv[createIndex + 1]) : 0;
const pooled = process.argv.includes('--pool');
const revisedMachines = process.argv.includes('--revised');
const talkIndex = process.argv.indexOf('--talk');
const talkMs = talkIndex > 0 ? Number(process.argv[talkIndex + 1]) : 1_500;
const phoneOf = (i: number) => `+1212555${String(3000 + i)}`;

// dnc-shared: the node's Redis, store, lease, pool, queue, clock, random and tick come from one builder.
const { dialer, clock, random, say } = createNodeDialer({
  url: url as string,
  nodeId: nodeId as string,
  pooled,
  trunk: (clock, random) =>
    createSimTrunk({
      clock,
      random,
      model: revisedMachines
        ? lateBeepModel()
        : basicOutcomeModel({
            human: 0.8,
            machine: 0,
            busy: 0.2,
            failed: 0,
            invalid: 0,
            answerDelayMeanMs: 800,
            failureDelayMeanMs: 300,
            analysisMs: 200,
            amdFalseMachine: 0,
            amdFalseHuman: 0,
            patienceMeanMs: 60_000,
          }),
    }),
});

/** issue-17: odd-numbered contacts are machines connected as people and revised 1.5 s after the analysis. */
function lateBeepModel() {
  const person: SimCallPlan = { outcome: 'human', ringingAfterMs: 300, resolveAfterMs: 800, analysisAfterMs: 200 };
  const lateBeep: SimCallPlan = { ...person, outcome: 'machine', detected: 'human', revisedAfterMs: 1_500 };
  return scriptedOutcomeModel(
    Object.fromEntries(Array.from({ length: 200 }, (_, i) => [phoneOf(i), i % 2 === 1 ? lateBeep : person])),
    person,
  );
}
dialer.on('dialed', (e) => say({ type: 'dialed', contact: e.attempt.contactId, attempt: e.attempt.id, at: e.attempt.startedAt }));
dialer.on('dispositioned', (e) =>
  say({ type: 'dispositioned', contact: e.attempt.contactId, attempt: e.callId, code: e.code, at: clock.now() }),
);
dialer.on('connected', (e) => say({ type: 'connected', agent: e.agentId, attempt: e.callId, at: clock.now(), latency: e.latencyMs }));
dialer.on('leadershipChanged', (e) => say({ type: 'leadership', leader: e.leader, at: e.at, reconciled: e.reconciled ?? 0 }));
dialer.on('campaignStateChanged', (e) => {
  if (e.to === 'completed' && revisedMachines) {
    const report = dialer.amdCalibration.report('dist');
    say({ type: 'amd', machinesConnectedAsPeople: report.machinesConnectedAsPeople });
  }
  say({ type: 'campaign', state: e.to });
});
dialer.on('revised', (e) => say({ type: 'revised', attempt: e.callId, agent: e.agentId, code: e.handling, at: e.at }));
dialer.on('agentStateChanged', (e) => say({ type: 'agentState', agent: e.agentId, state: e.to, reason: e.reason, at: e.at }));
dialer.on('storeAvailability', (e) => say({ type: 'store', state: e.available ? 'available' : 'unavailable', at: e.at }));
dialer.on('error', (e) => say({ type: 'error', where: e.where, message: String((e.error as Error)?.message ?? e.error) }));

const ORDER: NonNullable<DispositionData['order']> = {
  items: [{ sku: 'PLAN-PLUS', name: 'Plus plan', quantity: 1, unitPriceMinor: 1_999 }],
  currency: 'USD',
  fulfilment: { kind: 'delivery', address: { line1: '1 Main St', city: 'New York', postalCode: '10001', country: 'US' } },
  payment: 'on-delivery',
};

const zone = middayZone(clock.now());

if (contactCount > 0) {
  await dialer.addCampaign(
    progressiveCampaign('dist', {
      name: 'distributed',
      homeTimeZone: 'UTC',
      // a revised machine is done after its one attempt, so the campaign completes
      ...(revisedMachines ? { machineHandling: 'hangup' as const, maxAttempts: 1 } : {}),
      recycle: { busy: { retryAfterMs: 1_000 }, failed: { retryAfterMs: 8_000 } },
    }),
  );
  await dialer.addContacts(
    'dist',
    Array.from({ length: contactCount }, (_, i) => ({
      id: `c${i}`,
      phones: [{ number: phoneOf(i) }],
      timeZones: [zone],
    })),
  );
  await dialer.start('dist');
} else {
  await dialer.recover();
}
const now = clock.now();
simulateAgents(
  dialer,
  clock,
  random.split('agents'),
  Array.from({ length: Number(agentsArg) }, (_, i) => ({
    id: `${nodeId}-agent-${i}`,
    name: `${nodeId} ${i}`,
    campaignIds: ['dist'],
    loginAt: now,
    logoutAt: now + 3_600_000,
  })),
  {
    talkMs: () => talkMs,
    wrapMs: () => 300,
    disposition: (offer) => (Number(offer.contact.id.slice(1)) % 2 === 0 ? { code: 'SALE', data: { order: ORDER } } : { code: 'SAVED' }),
  },
);
say({ type: 'ready' });
