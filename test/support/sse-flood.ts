// The dashboard's live-update streams under a flood, on loopback: `connections` SSE clients of
// which `silent` never read a byte, while an API client measures GET /api/campaigns. Shared by
// test/dashboard/sse-flood.test.ts (boundedness; it prints the numbers).
import { connect, type Socket } from 'node:net';
import { parseCampaign, systemClock, VirtualClock } from '@paceline/core';
import { type DashboardDialer, dashboardPlugin } from '@paceline/dashboard';
import type { CampaignStatus, DialerEvents } from '@paceline/engine';
import Fastify from 'fastify';

const TOKEN = 'flood-manager-token-0123456789';

/** What a flood did. */
export interface SseFloodResult {
  readonly connections: number;
  readonly silent: number;
  /** Streams the server answered 200. */
  readonly accepted: number;
  /** Silent clients the server dropped as slow. */
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
  /** Status of one stream past the total cap. */
  readonly overCapStatus: number;
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
    status: async (id) => status(id),
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

/** Open a raw SSE stream with `cookie`; resolves with the socket and the status once the head arrived. */
function openStream(
  port: number,
  path: string,
  cookie: string,
  read: boolean,
  onBytes: (n: number) => void,
): Promise<{ socket: Socket; status: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let head = '';
    let resolved = false;
    socket.on('error', (error) => (resolved ? undefined : reject(error)));
    socket.on('connect', () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nAccept: text/event-stream\r\n\r\n`),
    );
    const onData = (chunk: Buffer) => {
      onBytes(chunk.length);
      if (resolved) return;
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      resolved = true;
      const status = Number(head.slice(9, 12));
      if (!read && status === 200) {
        // A client that never reads again: the kernel buffers fill, then the server's writes back up.
        socket.off('data', onData);
        socket.pause();
      }
      resolve({ socket, status });
    };
    socket.on('data', onData);
  });
}

/** Run the flood for `durationMs` (real time) and report. */
export async function runSseFlood(options: {
  connections: number;
  silent: number;
  durationMs: number;
  campaigns?: number;
  updateEveryMs?: number;
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
  const app = Fastify();
  await app.register(dashboardPlugin, {
    prefix: '/dashboard',
    dialer: fakeDialer(campaigns.length),
    campaigns,
    token: TOKEN,
    clock,
    ticker: systemClock(),
    updateEveryMs: options.updateEveryMs ?? 150,
    historyEveryMs: 1,
    loginRateLimit: { max: 1_000, timeWindowMs: 60_000 },
    streams: { perSession: options.connections, total: options.connections, maxBufferedBytes: options.maxBufferedBytes ?? 64 * 1024 },
    onAudit: () => {},
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}/dashboard`;
  const login = await fetch(`${base}/?token=${TOKEN}`, { redirect: 'manual' });
  const cookie = String(login.headers.get('set-cookie')).split(';')[0] as string;
  // Fill the chart history (240 points per campaign), so each snapshot is a realistic, large frame.
  for (let i = 0; i < 240; i++) {
    clock.advance(60_000);
    await fetch(`${base}/api/campaigns`, { headers: { cookie } });
  }
  const snapshotBytes = (await (await fetch(`${base}/api/campaigns`, { headers: { cookie } })).arrayBuffer()).byteLength;
  const sockets: Socket[] = [];
  let bytesRead = 0;
  try {
    globalThis.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sample = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 50);
    const silentSockets: Socket[] = [];
    const readers: Socket[] = [];
    let accepted = 0;
    for (let i = 0; i < options.connections; i++) {
      const silent = i % Math.round(options.connections / options.silent) === 0 && silentSockets.length < options.silent;
      const { socket, status } = await openStream(port, '/dashboard/events', cookie, !silent, (n) => {
        bytesRead += n;
      });
      sockets.push(socket);
      if (status === 200) accepted++;
      (silent ? silentSockets : readers).push(socket);
    }
    const over = await openStream(port, '/dashboard/events', cookie, true, () => {});
    sockets.push(over.socket);
    // The API while the streams run.
    const latencies: number[] = [];
    const until = Date.now() + options.durationMs;
    while (Date.now() < until) {
      const t0 = performance.now();
      const answer = await fetch(`${base}/api/campaigns`, { headers: { cookie } });
      await answer.arrayBuffer();
      latencies.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    clearInterval(sample);
    const droppedSlow = silentSockets.filter((s) => s.destroyed || s.readableEnded || s.closed).length;
    // A paused socket does not see the FIN until it reads: count what the server closed from its side.
    const serverDropped = accepted - (await streamsOpen(base, cookie));
    return {
      connections: options.connections,
      silent: silentSockets.length,
      accepted,
      droppedSlow: Math.max(droppedSlow, serverDropped),
      readersConnected: readers.filter((s) => !s.destroyed && !s.closed).length,
      bytesRead,
      rssBefore,
      rssPeak,
      apiLatenciesMs: latencies.sort((a, b) => a - b),
      overCapStatus: over.status,
      snapshotBytes,
    };
  } finally {
    for (const socket of sockets) socket.destroy();
    await app.close();
  }

  async function streamsOpen(url: string, c: string): Promise<number> {
    const answer = await fetch(`${url}/api/streams`, { headers: { cookie: c } });
    return answer.ok ? ((await answer.json()) as { open: number }).open : Number.NaN;
  }
}

/** The p-th percentile (0–100) of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
