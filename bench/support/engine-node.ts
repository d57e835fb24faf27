/**
 * One engine process of `pnpm bench:engine`: a real-time dialer with trunk-sim and simulated
 * agents on one campaign, on the in-memory store, on Redis or on a Redis Cluster (store + pacing
 * lease). The parent
 * (bench/engine.ts) starts one or two of these; each prepares its campaign, prints
 * `{"ready":true}`, waits for a line on stdin, then runs `--warmup` + `--seconds` and prints its
 * result as one JSON line: dials counted over the measured seconds, the process's CPU time over
 * them, and every connect latency.
 *
 *   node --import tsx --conditions=@paceline/source bench/support/engine-node.ts \
 *     --store memory|redis|redis-cluster [--redis-url URL | cluster://host:port,…] --node ID --campaign ID \
 *     --agents N --contacts N --seconds S
 */
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { type Logger, type Store, seededRandom, silentLogger, systemClock } from '@paceline/core';
import { createDialer, createMemoryStore, type DialerOptions } from '@paceline/engine';
import { simulateAgents } from '@paceline/sim';
import { createRedisLease, createRedisStore } from '@paceline/store-redis';
import { basicOutcomeModel, createSimTrunk } from '@paceline/trunk-sim';
import { Cluster, Redis } from 'ioredis';
import { middayZone } from '../../test/support/midday-zone';

/** What one engine process reports to the parent. */
export interface EngineNodeResult {
  readonly node: string;
  readonly dials: number;
  readonly seconds: number;
  /** CPU time (user + system) this process used over the measured seconds, ms. */
  readonly cpuMs: number;
  /** Hopper claims the engine handed back unused because the store took over 1 s to answer (an overloaded store). */
  readonly staleClaims: number;
  /** Trunk `analysed` (human) → dialer `connected`, ms, for every connect in the measured window. */
  readonly connectLatenciesMs: number[];
}

const { values } = parseArgs({
  options: {
    store: { type: 'string' },
    'redis-url': { type: 'string' },
    node: { type: 'string' },
    campaign: { type: 'string' },
    agents: { type: 'string' },
    contacts: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string', default: '1' },
  },
});
const storeKind = values.store;
const nodeId = values.node ?? 'n1';
const campaignId = values.campaign ?? 'bench-engine';
const agentCount = Number(values.agents);
const contactCount = Number(values.contacts);
const seconds = Number(values.seconds);
const warmupS = Number(values.warmup);
if (storeKind !== 'memory' && storeKind !== 'redis' && storeKind !== 'redis-cluster') {
  throw new Error('engine-node: --store must be memory, redis or redis-cluster');
}
if (storeKind !== 'memory' && !values['redis-url']) throw new Error(`engine-node: --redis-url is required with --store ${storeKind}`);

const clock = systemClock();
const random = seededRandom(nodeId.length * 7 + campaignId.length);
// Calls that resolve in well under a second, so the engine, not the trunk, is the limit. The
// outcomes sum to 1: no call rings out to the no-answer timeout (that would hold lines for
// 25 s and make the first half-minute of a run a transient).
const trunk = createSimTrunk({
  clock,
  random: random.split('trunk'),
  model: basicOutcomeModel({
    human: 0.5,
    machine: 0.1,
    busy: 0.2,
    failed: 0.1,
    invalid: 0.1,
    answerDelayMeanMs: 150,
    failureDelayMeanMs: 80,
    analysisMs: 50,
    amdFalseMachine: 0,
    amdFalseHuman: 0,
    patienceMeanMs: 60_000,
  }),
});

let redis: Redis | Cluster | undefined;
let store: Store;
let leadership: DialerOptions['leadership'];
if (storeKind === 'redis-cluster') {
  const nodes = (values['redis-url'] as string)
    .replace(/^cluster:\/\//, '')
    .split(',')
    .map((hostPort) => ({ host: hostPort.split(':')[0] as string, port: Number(hostPort.split(':')[1]) }));
  redis = new Cluster(nodes);
  store = createRedisStore({ redis, tenant: 'bench' });
  leadership = { lease: createRedisLease({ redis, tenant: 'bench' }), ttlMs: 10_000 };
} else if (storeKind === 'redis') {
  redis = new Redis(values['redis-url'] as string);
  store = createRedisStore({ redis, tenant: 'bench' });
  leadership = { lease: createRedisLease({ redis, tenant: 'bench' }), ttlMs: 10_000 };
} else {
  store = createMemoryStore();
}
// Counts the engine's "stale hopper claim" warnings: the sign of a store too slow to dial on.
let staleClaims = 0;
const logger: Logger = {
  ...silentLogger,
  warn: (...args: unknown[]) => {
    if (args.some((a) => typeof a === 'string' && a.includes('stale'))) staleClaims++;
  },
  child: () => logger,
};
const dialer = createDialer({
  trunk,
  media: trunk.media,
  clock,
  random: random.split('engine'),
  store,
  logger,
  nodeId,
  tickIntervalMs: 50,
  ...(leadership ? { leadership } : {}),
});
dialer.on('error', (e) => process.stderr.write(`engine-node ${nodeId}: ${e.where}: ${String(e.error)}\n`));

await dialer.addCampaign({
  id: campaignId,
  name: `engine bench ${campaignId}`,
  goal: 'sales',
  dialMode: 'progressive',
  complianceProfile: 'us-federal',
  callerId: '+12125550100',
  homeTimeZone: 'UTC',
  recycle: { busy: { retryAfterMs: 3_600_000 } },
});
const zone = middayZone(clock.now());
const area = 200 + (campaignId.length % 10) * 10 + nodeId.length;
for (let from = 0; from < contactCount; from += 10_000) {
  const batch = Array.from({ length: Math.min(10_000, contactCount - from) }, (_, k) => ({
    id: `c${from + k}`,
    phones: [{ number: `+1${area}${String(2_000_000 + from + k).padStart(7, '0')}` }],
    timeZones: [zone],
  }));
  await dialer.addContacts(campaignId, batch);
}

const analysedAt = new Map<string, number>();
let measuring = false;
const latencies: number[] = [];
trunk.onEvent((e) => {
  if (e.type === 'analysed' && e.result === 'human') analysedAt.set(e.callId, performance.now());
});
dialer.on('connected', (offer) => {
  const t0 = analysedAt.get(offer.callId);
  analysedAt.delete(offer.callId);
  if (measuring && t0 !== undefined) latencies.push(performance.now() - t0);
});
let dials = 0;
dialer.on('dialed', () => dials++);

process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
await once(process.stdin, 'data'); // the parent starts every node at once

const now = clock.now();
simulateAgents(
  dialer,
  clock,
  random.split('agents'),
  Array.from({ length: agentCount }, (_, i) => ({
    id: `${nodeId}-a${i}`,
    name: `${nodeId} A${i}`,
    campaignIds: [campaignId],
    loginAt: now,
    logoutAt: now + 3_600_000,
  })),
  { talkMs: () => 200, wrapMs: () => 20, disposition: () => ({ code: 'NOT_INTERESTED' }) },
);
await dialer.start(campaignId);
await new Promise((r) => setTimeout(r, warmupS * 1_000));
const dialsBefore = dials;
measuring = true;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
await new Promise((r) => setTimeout(r, seconds * 1_000));
const cpu = process.cpuUsage(cpu0);
const elapsedS = (performance.now() - t0) / 1_000;
const result: EngineNodeResult = {
  node: nodeId,
  dials: dials - dialsBefore,
  seconds: elapsedS,
  cpuMs: (cpu.user + cpu.system) / 1_000,
  staleClaims,
  connectLatenciesMs: latencies,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
await dialer.close();
redis?.disconnect();
process.exit(0);
