// The dashboard's live-update streams under a flood, on loopback: `connections` SSE clients of
// which `silent` never read a byte, while an API client measures GET /api/campaigns. Shared by
// test/dashboard/sse-flood.test.ts (boundedness; it prints the numbers).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseCampaign, systemClock, VirtualClock } from '@paceline/core';
import { type CampaignMonitor, type DashboardDialer, dashboardPlugin } from '@paceline/dashboard';
import type { CampaignStatus, DialerEvents } from '@paceline/engine';
import Fastify from 'fastify';

const TOKEN = 'flood-manager-token-0123456789';
const CLIENTS = join(import.meta.dirname, 'sse-clients.mjs');

/** What a flood did. */
export interface SseFloodResult {
  readonly connections: number;
  readonly silent: number;
  /** Streams the server answered 200. */
  readonly accepted: number;
  /** Clients the server dropped as slow (its own count). */
  readonly droppedSlow: number;
  /** Reading clients still connected at the end. */
  readonly readersConnected: number;
  /** Bytes the reading clients received, in all. */
  readonly bytesRead: number;
  /** RSS before the streams opened and its peak during the flood, bytes. */
  readonly rssBefore: number;
  readonly rssPeak: number;
  /** GET /api/campaigns latencies during the flood, ms, sorted. */
  readonly apiLatenciesMs: readonly number[];
  readonly snapshotBytes: number;
}

function fakeDialer(campaigns: number): DashboardDialer {
  const status = (campaignId: string): CampaignStatus =>
    ({
      campaignId,
      state: 'running',
      contacts: { ready: 500, queued: 10, dialing: 5, waiting: 40, callback: 3, done: 400, dnc: 2 },
      penetration: 0.4,
      agents: { 'logged-out': 0, ready: 3, reserved: 1, 'on-call': 12, 'wrap-up': 2, 'not-ready': 1 },
      callsInFlight: 30,
      liveAnswers: 900,
      abandoned: 12,
      abandonRate: 0.013,
      dials: 4_000,
      sales: 80,
      lastDecision: { at: 0, launch: 4, reason: 'predictive: 3 agents free in 8 s; abandon 1.3% of a 3% target; 30 calls in flight' },
    }) as unknown as CampaignStatus;
  return {
    on:
      <K extends keyof DialerEvents>(_e: K, _l: (...args: DialerEvents[K]) => void) =>
      () => {},
    status: async (id: string) => status(id),
    abandonCounts: async () => ({ liveAnswers: 900, abandoned: 12 }),
    start: async () => {},
    pause: async () => {},
    resume: async () => {},
    stop: async () => {},
    updatePacing: async () => {
      throw new Error('not in the flood');
    },
  } as unknown as DashboardDialer & { campaigns: number } & { n: typeof campaigns };
}

/** Run the flood for `durationMs` (real time) and report. */
export async function runSseFlood(options: {
  connections: number;
  silent: number;
  durationMs: number;
  campaigns?: number;
  updateEveryMs?: number;
  /** Fill each campaign's chart history first: large frames, which fill a silent client's kernel buffers fast. */
  fullHistory?: boolean;
  /** End as soon as the server has dropped every silent client (event-driven), `durationMs` at most. */
  untilSilentDropped?: boolean;
}): Promise<SseFloodResult> {
  const campaigns = Array.from({ length: options.campaigns ?? 2 }, (_, i) =>
    parseCampaign({
      id: `flood-${i}`,
      name: `Flood campaign ${i}`,
      goal: 'retention',
      dialMode: 'predictive',
      complianceProfile: 'us-federal',
      callerId: '+12125550100',
      homeTimeZone: 'America/New_York',
    }),
  );
  const clock = new VirtualClock(Date.UTC(2026, 0, 5, 14));
  let monitor: CampaignMonitor | undefined;
  const app = Fastify();
  await app.register(dashboardPlugin, {
    prefix: '/dashboard',
    dialer: fakeDialer(campaigns.length),
    campaigns,
    token: TOKEN,
    clock,
    ticker: systemClock(),
    updateEveryMs: options.updateEveryMs ?? 150,
    historyEveryMs: 60_000,
    loginRateLimit: { max: 1_000, timeWindowMs: 60_000 },
    streams: { perSession: options.connections, total: options.connections, maxBufferedBytes: 1024 * 1024, maxSkippedFrames: 10 },
    onAudit: () => {},
    onReady: (m) => {
      monitor = m;
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}/dashboard`;
  const login = await fetch(`${base}/?token=${TOKEN}`, { redirect: 'manual' });
  const cookie = String(login.headers.get('set-cookie')).split(';')[0] as string;
  // With fullHistory, fill the chart history (240 points per campaign): large frames, which fill a silent client's kernel buffers fast.
  for (let i = 0; i < (options.fullHistory ? 240 : 0); i++) {
    // issue-24: the server records a point a minute by itself; wait for each to be taken.
    clock.advance(60_000);
    await monitor?.floor.sample();
  }
  const snapshotBytes = (await (await fetch(`${base}/api/campaigns`, { headers: { cookie } })).arrayBuffer()).byteLength;
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sample = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 50);
  // The clients run in their own process: the RSS measured here is the server's alone.
  const clients = spawn(
    process.execPath,
    [CLIENTS, String(port), '/dashboard/events', cookie, String(options.connections), String(options.silent)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  // Each line the clients print, in order (a readline iterator would close on the first return).
  const received: Array<Record<string, number>> = [];
  let wake: (() => void) | undefined;
  createInterface({ input: clients.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    received.push(JSON.parse(line) as Record<string, number>);
    wake?.();
  });
  let exited = false;
  clients.on('exit', () => {
    exited = true;
    wake?.();
  });
  const next = async (): Promise<Record<string, number>> => {
    while (received.length === 0) {
      if (exited) throw new Error('the SSE clients exited early');
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    return received.shift() as Record<string, number>;
  };
  try {
    const { ready: accepted = 0 } = await next();
    // The API while the streams run.
    const latencies: number[] = [];
    const until = Date.now() + options.durationMs;
    while (Date.now() < until) {
      // Event-driven end for the slow-client run: as soon as the server has dropped every silent client.
      if (options.untilSilentDropped && latencies.length % 10 === 0 && (await streams(base, cookie)).dropped >= options.silent) break;
      const t0 = performance.now();
      const answer = await fetch(`${base}/api/campaigns`, { headers: { cookie } });
      await answer.arrayBuffer();
      latencies.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    clearInterval(sample);
    const { dropped } = await streams(base, cookie);
    clients.kill('SIGTERM');
    const { bytesRead = 0, readersConnected = 0 } = await next();
    return {
      connections: options.connections,
      silent: options.silent,
      accepted,
      droppedSlow: dropped,
      readersConnected,
      bytesRead,
      rssBefore,
      rssPeak,
      apiLatenciesMs: latencies.sort((a, b) => a - b),
      snapshotBytes,
    };
  } finally {
    clearInterval(sample);
    clients.kill('SIGKILL');
    await app.close();
  }

  /** The server's own counts: streams open, slow clients it dropped. */
  async function streams(url: string, c: string): Promise<{ open: number; dropped: number }> {
    const answer = await fetch(`${url}/api/streams`, { headers: { cookie: c } });
    return (await answer.json()) as { open: number; dropped: number };
  }
}

/** The p-th percentile (0–100) of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
