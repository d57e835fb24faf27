/**
 * The "upload under load" run of `pnpm bench:lists`, in its own process (so its RSS is its
 * own): a 200-agent campaign dials on trunk-sim in real time; after a quiet baseline window, a
 * 500,000-row list is uploaded into the same dialer the way the dashboard's upload route does
 * it (the bytes streamed in 64 kB chunks into `importContacts`, contacts handed to
 * `dialer.addContacts` batch by batch). Measures the event-loop delay (p99, max), the answer →
 * agent-connect latency and the RSS growth, in the baseline window and during the upload, and
 * prints them as one JSON line.
 *
 *   node --import tsx --conditions=@paceline/source bench/support/lists-upload-node.ts --rows 500000 --agents 200
 *
 * `--stalls` also prints the upload's ten longest main-thread slices (≥ 20 ms of CPU) to stderr,
 * each with the garbage collections that ran inside it: a slice with no collection is the
 * program's own synchronous work (that is how the index rehashes were found).
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { seededRandom, silentLogger, systemClock } from '@paceline/core';
import { createDialer, createMemoryStore } from '@paceline/engine';
import { importContacts } from '@paceline/lists';
import { simulateAgents } from '@paceline/sim';
import { createRedisStore } from '@paceline/store-redis';
import { createSimTrunk } from '@paceline/trunk-sim';
import { Redis } from 'ioredis';
import { middayZone } from '../../test/support/midday-zone';
import { startRedisServer } from '../../test/support/redis-process';
import { listsOutcomeModel } from './lists-outcome-model';
import { percentile } from './table';

/** What the run reports. */
export interface UploadUnderLoadResult {
  readonly rows: number;
  readonly agents: number;
  readonly uploadSeconds: number;
  readonly imported: number;
  readonly rejected: number;
  readonly baseline: WindowStats;
  readonly upload: WindowStats;
  /** Peak RSS during the upload minus RSS at its start, MB. */
  readonly rssGrowthMb: number;
  /**
   * Live heap after the upload minus before it, after a full collection, MB (when run with
   * `--expose-gc`): what the dialer keeps — the 500k contacts in its in-memory store — as
   * against the garbage the peak RSS also holds.
   */
  readonly retainedHeapGrowthMb?: number;
}

interface WindowStats {
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /**
   * The longest stretch of CPU the main thread spent between two 1 ms ticks of a timer (so:
   * the longest synchronous slice, garbage-collection pauses included, plus at most a tick),
   * ms; and its p99. CPU time, not wall time: a loaded machine that takes the core away
   * stretches the loop delay but not this (Linux: the thread's own scheduler statistics;
   * elsewhere the whole process's CPU, an upper bound).
   */
  readonly sliceCpuMaxMs: number;
  readonly sliceCpuP99Ms: number;
  readonly connectP99Ms: number;
  readonly connects: number;
  readonly dials: number;
}

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '500000' },
    agents: { type: 'string', default: '200' },
    baseline: { type: 'string', default: '5' },
    store: { type: 'string', default: 'memory' },
    /** Also print the upload's ten longest main-thread slices, each with the collections inside it, to stderr. */
    stalls: { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
const agentCount = Number(values.agents);
const baselineS = Number(values.baseline);

const clock = systemClock();
const random = seededRandom(18);
const trunk = createSimTrunk({
  clock,
  random: random.split('trunk'),
  model: listsOutcomeModel(),
});
// memory: the embedded store keeps every contact on this process's heap; redis: a real
// redis-server (started here) keeps them, as a distributed deployment does.
const redisServer = values.store === 'redis' ? await startRedisServer() : undefined;
const redis = redisServer ? new Redis(redisServer.url) : undefined;
const dialer = createDialer({
  trunk,
  media: trunk.media,
  clock,
  random: random.split('engine'),
  store: redis ? createRedisStore({ redis, tenant: 'bench-lists' }) : createMemoryStore(),
  logger: silentLogger,
  tickIntervalMs: 50,
});
dialer.on('error', (e) => process.stderr.write(`lists-upload: ${e.where}: ${String(e.error)}\n`));
const campaignId = 'upload-under-load';
await dialer.addCampaign({
  id: campaignId,
  name: 'upload under load',
  goal: 'sales',
  dialMode: 'progressive',
  complianceProfile: 'us-federal',
  callerId: '+12125550100',
  homeTimeZone: 'UTC',
  recycle: { busy: { retryAfterMs: 3_600_000 } },
});
const zone = middayZone(clock.now());
await dialer.addContacts(
  campaignId,
  Array.from({ length: 20_000 }, (_, k) => ({ id: `seed${k}`, phones: [{ number: `+1312${String(2_000_000 + k)}` }], timeZones: [zone] })),
);

/** The uploaded file: a list as agencies send it (semicolons, CRLF, extensions, some bad rows), made before measuring. */
function uploadFile(count: number): Buffer[] {
  const chunks: Buffer[] = [];
  let lines: string[] = ['Customer ID;First Name;Phone;Zip;Time Zone'];
  for (let i = 0; i < count; i++) {
    const n = String(2_000_000 + (i % 8_000_000)).padStart(7, '0');
    const phone =
      i % 50 === 0 ? `(415) ${n.slice(0, 3)}-${n.slice(3)} ext. ${i % 90}` : i % 97 === 0 ? 'n/a' : `415-${n.slice(0, 3)}-${n.slice(3)}`;
    lines.push(`U${i};Ann ${i % 100};${phone};94105;${zone}`);
    if (lines.length === 5_000) {
      chunks.push(Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1'));
      lines = [];
    }
  }
  if (lines.length > 0) chunks.push(Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1'));
  const whole = Buffer.concat(chunks);
  const out: Buffer[] = [];
  for (let at = 0; at < whole.length; at += 65_536) out.push(whole.subarray(at, at + 65_536));
  return out;
}
const file = uploadFile(rows);

// Measurement.
const analysedAt = new Map<string, number>();
let connects: number[] = [];
let dials = 0;
trunk.onEvent((e) => {
  if (e.type === 'analysed' && e.result === 'human') analysedAt.set(e.callId, performance.now());
});
dialer.on('connected', (offer) => {
  const t0 = analysedAt.get(offer.callId);
  analysedAt.delete(offer.callId);
  if (t0 !== undefined) connects.push(performance.now() - t0);
});
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
  { talkMs: () => 2_000, wrapMs: () => 200, disposition: () => ({ code: 'NOT_INTERESTED' }) },
);
await dialer.start(campaignId);
// A real timer: the system clock's timers do not keep the process alive.
const sleep = (ms: number) => delay(ms);
await sleep(2_000); // warm-up

async function measure(work: () => Promise<void>): Promise<WindowStats & { peakRss: number }> {
  connects = [];
  dials = 0;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  const slices: number[] = [];
  let cpuAt = mainThreadCpuMs();
  let wallAt = performance.now();
  longSlices = [];
  const slicer = setInterval(() => {
    const at = mainThreadCpuMs();
    const wall = performance.now();
    slices.push(at - cpuAt);
    if (at - cpuAt >= 20) longSlices.push({ from: wallAt, to: wall, cpuMs: at - cpuAt });
    cpuAt = at;
    wallAt = wall;
  }, 1);
  loop.enable();
  await work();
  loop.disable();
  clearInterval(sampler);
  clearInterval(slicer);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  return {
    loopDelayP99Ms: round(loop.percentile(99) / 1e6),
    loopDelayMaxMs: round(loop.max / 1e6),
    sliceCpuMaxMs: round(slices.reduce((a, b) => Math.max(a, b), 0)),
    sliceCpuP99Ms: round(percentile(slices, 0.99)),
    connectP99Ms: round(percentile(connects, 0.99)),
    connects: connects.length,
    dials,
    peakRss,
  };
}

/**
 * CPU milliseconds of this (the main) thread: Linux's per-thread scheduler statistics, which
 * neither the garbage collector's helper threads nor time spent waiting for a core count in;
 * elsewhere the whole process's CPU (`process.cpuUsage`), an upper bound.
 */
function mainThreadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
  } catch {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1000;
  }
}

/** `--stalls`: the collections of the run (from, duration, kind) and the slices of ≥ 20 ms main-thread CPU of the last window. */
const collections: { from: number; ms: number; kind: string }[] = [];
let longSlices: { from: number; to: number; cpuMs: number }[] = [];
const GC_KINDS: Record<number, string> = {
  1: 'scavenge',
  2: 'minor-mark-sweep',
  4: 'mark-compact',
  8: 'incremental-marking',
  16: 'weak-callbacks',
};
if (values.stalls)
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
      collections.push({ from: e.startTime, ms: e.duration, kind: GC_KINDS[kind] ?? String(kind) });
    }
  }).observe({ entryTypes: ['gc'] });

/** `--stalls`: the upload's longest main-thread slices, and what the collector did in each (GC wall ms by kind). */
function reportStalls(): void {
  const top = [...longSlices].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 10);
  for (const slice of top) {
    const inside = collections.filter((c) => c.from + c.ms > slice.from && c.from < slice.to);
    const gc = inside.map((c) => `${c.kind} ${round(c.ms)} ms`).join(', ') || 'no collection';
    process.stderr.write(`stall: ${round(slice.cpuMs)} ms CPU (${round(slice.to - slice.from)} ms wall): ${gc}\n`);
  }
}

const baseline = await measure(() => sleep(baselineS * 1000));
const collect = (globalThis as { gc?: () => void }).gc;
collect?.();
const heapBefore = process.memoryUsage().heapUsed;
const rssBefore = process.memoryUsage.rss();
let imported = 0;
let rejected = 0;
let uploadSeconds = 0;
const upload = await measure(async () => {
  const t0 = performance.now();
  // The bytes arrive as a request body does: a chunk per turn of the event loop.
  async function* body(): AsyncIterable<Uint8Array> {
    for (const chunk of file) {
      yield chunk;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  const { report } = await importContacts(body(), {
    mapping: { id: 'customer id', firstName: 'first name', phones: ['phone'], postalCode: 'zip', timeZone: 'time zone' },
    defaultCountry: 'US',
    listId: 'upload',
    campaignId,
    onContacts: async (contacts) => {
      // As the dashboard's upload route does: the importer's fresh contacts are handed over.
      const result = await dialer.addContacts(campaignId, contacts, { handOver: true });
      imported += result.added;
    },
  });
  rejected = report.rejected.length;
  uploadSeconds = (performance.now() - t0) / 1000;
});
await dialer.stop(campaignId);
if (values.stalls) reportStalls();
collect?.();
const heapAfter = process.memoryUsage().heapUsed;

const { peakRss: _b, ...baselineStats } = baseline;
const { peakRss, ...uploadStats } = upload;
const result: UploadUnderLoadResult = {
  rows,
  agents: agentCount,
  uploadSeconds: round(uploadSeconds),
  imported,
  rejected,
  baseline: baselineStats,
  upload: uploadStats,
  rssGrowthMb: round((peakRss - rssBefore) / 1024 / 1024),
  ...(collect ? { retainedHeapGrowthMb: round((heapAfter - heapBefore) / 1024 / 1024) } : {}),
};
process.stdout.write(`${JSON.stringify({ ...result, store: values.store })}\n`);
redis?.disconnect();
await redisServer?.stop();
process.exit(0);

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
