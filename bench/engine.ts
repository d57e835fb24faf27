/**
 * `pnpm bench:engine` — the engine on real time with trunk-sim: throughput (dials per second)
 * and the answer → agent-connect decision latency (from the trunk's `analysed` event to the
 * dialer's `connected`). Prints a table and writes bench/results/engine.json.
 *
 *   --seconds N   wall seconds per run (default 10)
 *   --agents N    simulated agents (default 100)
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { seededRandom, silentLogger, systemClock } from '@paceline/core';
import { createDialer, createMemoryStore } from '@paceline/engine';
import { simulateAgents } from '@paceline/sim';
import { basicOutcomeModel, createSimTrunk } from '@paceline/trunk-sim';
import { percentile, printTable } from './support/table';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { seconds: { type: 'string' }, agents: { type: 'string' } } });
const seconds = Number(values.seconds ?? 10);
const agentCount = Number(values.agents ?? 100);
if (!(seconds > 0) || !(agentCount > 0)) throw new Error('bench:engine: --seconds and --agents must be positive numbers');

interface EngineRun {
  store: string;
  processes: number;
  dialsPerSecond: number;
  connectLatencyMs: { p50: number; p99: number };
}

async function runMemory(): Promise<EngineRun> {
  const clock = systemClock();
  const random = seededRandom(11);
  // Calls that resolve in well under a second, so the engine, not the trunk, is the limit.
  const trunk = createSimTrunk({
    clock,
    random: random.split('trunk'),
    model: basicOutcomeModel({
      human: 0.5,
      machine: 0.1,
      busy: 0.2,
      failed: 0.05,
      invalid: 0.05,
      answerDelayMeanMs: 150,
      failureDelayMeanMs: 80,
      analysisMs: 50,
      amdFalseMachine: 0,
      amdFalseHuman: 0,
      patienceMeanMs: 60_000,
    }),
  });
  const dialer = createDialer({
    trunk,
    media: trunk.media,
    clock,
    random: random.split('engine'),
    store: createMemoryStore(),
    logger: silentLogger,
    tickIntervalMs: 50,
  });
  const campaignId = 'bench-engine';
  await dialer.addCampaign({
    id: campaignId,
    name: 'engine bench',
    goal: 'sales',
    dialMode: 'progressive',
    complianceProfile: 'us-federal',
    callerId: '+12125550100',
    homeTimeZone: 'UTC',
    // the bench dials round the clock: widen nothing, just make every contact's zone open now
    recycle: { busy: { retryAfterMs: 3_600_000 } },
  });
  const contacts = Array.from({ length: 200_000 }, (_, i) => ({
    id: `c${i}`,
    phones: [{ number: `+1212${String(2_000_000 + i).padStart(7, '0')}` }],
    // a zone where the bench's wall time is inside the calling window
    timeZones: [openZoneNow(clock.now())],
  }));
  await dialer.addContacts(campaignId, contacts);

  const analysedAt = new Map<string, number>();
  const latencies: number[] = [];
  trunk.onEvent((e) => {
    if (e.type === 'analysed' && e.result === 'human') analysedAt.set(e.callId, performance.now());
  });
  dialer.on('connected', (offer) => {
    const t0 = analysedAt.get(offer.callId);
    if (t0 !== undefined) latencies.push(performance.now() - t0);
  });
  let dials = 0;
  dialer.on('dialed', () => dials++);
  const now = clock.now();
  simulateAgents(
    dialer,
    clock,
    random.split('agents'),
    Array.from({ length: agentCount }, (_, i) => ({
      id: `a${i}`,
      name: `A${i}`,
      campaignIds: [campaignId],
      loginAt: now,
      logoutAt: now + 3_600_000,
    })),
    { talkMs: () => 200, wrapMs: () => 20, disposition: () => ({ code: 'NOT_INTERESTED' }) },
  );
  await dialer.start(campaignId);
  await new Promise((r) => setTimeout(r, 1_000)); // warm-up
  const dialsBefore = dials;
  latencies.length = 0;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1_000));
  const elapsedS = (performance.now() - t0) / 1_000;
  const measuredDials = dials - dialsBefore;
  await dialer.close();
  return {
    store: 'memory',
    processes: 1,
    dialsPerSecond: round(measuredDials / elapsedS),
    connectLatencyMs: { p50: round(percentile(latencies, 0.5), 3), p99: round(percentile(latencies, 0.99), 3) },
  };
}

/** An IANA zone whose local time at `now` is 12:00–13:00, so every dial is inside any calling window. */
function openZoneNow(now: number): string {
  const hourUtc = new Date(now).getUTCHours();
  const offset = ((12 - hourUtc + 36) % 24) - 12; // −12 … +11
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

const round = (x: number, digits = 1) => Number(x.toFixed(digits));

const runs = [await runMemory()];
printTable(
  `Engine (real time, trunk-sim, ${agentCount} agents, ${seconds} s per run)`,
  ['store', 'processes', 'dials/s', 'connect p50 ms', 'connect p99 ms'],
  runs.map((r) => [r.store, r.processes, r.dialsPerSecond, r.connectLatencyMs.p50, r.connectLatencyMs.p99]),
);
writeFileSync(join(here, 'results', 'engine.json'), `${JSON.stringify({ runs }, null, 2)}\n`);
console.log('wrote bench/results/engine.json');
