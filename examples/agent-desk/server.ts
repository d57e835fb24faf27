import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Clock, type MediaBridge, seededRandom, silentLogger, systemClock, type TimerHandle, type Trunk } from '@paceline/core';
import { type DashboardAuditEvent, type DashboardTokens, dashboardPlugin } from '@paceline/dashboard';
import { createDialer, type Dialer, SupervisionBoard } from '@paceline/engine';
import { createMediasoupBridge, type MediasoupBridge } from '@paceline/media-mediasoup';
import { AcceptanceModel, createOnConnect, parseOfferCatalog, parseScript } from '@paceline/scripting';
import { createSimTrunk } from '@paceline/trunk-sim';
import { createSipTrunk } from '@paceline/trunk-sip';
import { build } from 'esbuild';
import Fastify from 'fastify';
import type { types as ms } from 'mediasoup';
import { startCustomerPhone } from './customer-phone';
import { type SupervisorSignalling, supervisorSignalling } from './supervisor-signalling';

/** Options of {@link startAgentDesk}. */
export interface AgentDeskOptions {
  /** HTTP port; 0 picks a free one. Default 3100. */
  readonly port?: number;
  /** Customers to call. Default 20. */
  readonly contacts?: number;
  /**
   * Call the customers through this SIP trunk (a carrier, or SIPp in the tests): the trunk
   * relays each answered call's RTP into its mediasoup leg (docs/media.md). Absent: a
   * simulated trunk where every call is a live answer and a tone plays the customer.
   */
  readonly sip?: { readonly host: string; readonly port: number; readonly transport?: 'udp' | 'tcp' };
  /**
   * Mount the campaign dashboard at `/dashboard/` (open `/dashboard/?token=…`), with listen /
   * whisper / barge buttons on the agents view joining over WebRTC through this server's
   * supervisor signalling (`/supervisor-media.js`, the shared supervisor media module).
   */
  readonly dashboard?: { readonly tokens: DashboardTokens; readonly onAudit?: (event: DashboardAuditEvent) => void };
}

/** A running agent desk: the page, the signalling API, the engine and the media bridge. */
export interface AgentDesk {
  readonly url: string;
  readonly dialer: Dialer;
  readonly bridge: MediasoupBridge;
  /** The supervisor page's signalling (`/supervisor`): live calls and the supervision audit trail. */
  readonly supervisors: SupervisorSignalling;
  close(): Promise<void>;
}

/** Real timers, but a clock that reads Monday 15:00 in New York, so the calling window is open whenever the example runs. */
function officeHoursClock(): Clock {
  const real = systemClock();
  const offset = Date.UTC(2026, 10, 23, 20, 0) - real.now();
  return {
    now: () => real.now() + offset,
    setTimer: (ms, cb) => real.setTimer(ms, cb),
    clearTimer: (h: TimerHandle) => real.clearTimer(h),
  };
}

const script = parseScript({
  id: 'save-desk',
  name: 'Save desk',
  start: 'greet',
  steps: [
    { id: 'greet', kind: 'say', text: 'Hello {{firstName}}, thank you for {{profile.tenureMonths}} months with us.', next: 'save' },
    {
      id: 'save',
      kind: 'offer',
      text: 'We can offer you {{offer.name}}.',
      category: 'retention',
      onAccept: 'saved',
      onDecline: 'lost',
      onNone: 'lost',
    },
    { id: 'saved', kind: 'end', text: 'Glad you are staying!', disposition: 'SAVED' },
    { id: 'lost', kind: 'end', text: 'Sorry to see you go.', disposition: 'NOT_INTERESTED' },
  ],
});
const catalog = parseOfferCatalog({
  offers: [
    {
      id: 'discount-20',
      name: '20% off for a year',
      kind: 'retention',
      reasons: ['price'],
      marginMinor: 20_000,
      pitch: 'Same plan, less.',
    },
    { id: 'loyalty-upgrade', name: 'Loyalty upgrade', kind: 'retention', marginMinor: 15_000 },
    { id: 'home-fibre', name: 'Home fibre bundle', kind: 'cross-sell', marginMinor: 40_000 },
  ],
});

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/**
 * Start the agent desk: the engine on a SIP trunk (`options.sip`) or a simulated one, the
 * mediasoup bridge (each answered call's leg carries the customer's RTP), and a page where
 * an agent logs in, goes ready, hears the customer, talks and sets the disposition.
 * `MEDIASOUP_WORKER_BIN` must be set before this module loads mediasoup.
 */
export async function startAgentDesk(options: AgentDeskOptions = {}): Promise<AgentDesk> {
  const mediasoup = await import('mediasoup');
  const worker = await mediasoup.createWorker({ logLevel: 'warn', rtcMinPort: 40_000, rtcMaxPort: 49_999 });
  const clock = officeHoursClock();
  const random = seededRandom(7);
  const bridge = await createMediasoupBridge({ worker, clock, mediasoupVersion: mediasoup.version, listenIp: '127.0.0.1' });
  const { trunk, media, simulated } = options.sip ? await sipSide(options.sip) : simSide();

  /** A carrier over SIP: the trunk opens each answered call's leg on the bridge and relays the RTP both ways. */
  async function sipSide(sip: NonNullable<AgentDeskOptions['sip']>) {
    const trunk: Trunk = await createSipTrunk({
      clock,
      random: random.split('trunk'),
      trunks: [{ id: 'carrier', host: sip.host, port: sip.port, transport: sip.transport ?? 'udp' }],
      callLegs: bridge,
      // SIPp's talk.xml (the demo's carrier) sends from its media port but asks for our RTP elsewhere.
      rtpSource: 'sdp-address',
      logger: silentLogger,
    });
    return { trunk, media: bridge as MediaBridge, simulated: false };
  }

  /** Every call a live answer; the example plays the customer into the call's leg as a carrier would. */
  function simSide() {
    const trunk = createSimTrunk({
      clock,
      random: random.split('trunk'),
      model: { plan: () => ({ outcome: 'human', ringingAfterMs: 300, resolveAfterMs: 1_200, analysisAfterMs: 600 }) },
    });
    // The simulated far end must hear that an agent took the call (its patience stops), and the bridge carries the audio.
    const media: MediaBridge = {
      connect: async (callId, agentId) => {
        await trunk.media.connect(callId, agentId);
        await bridge.connect(callId, agentId);
      },
      disconnect: (callId) => bridge.disconnect(callId),
      close: () => bridge.close(),
    };
    return { trunk, media, simulated: true };
  }

  const model = new AcceptanceModel();
  const dialer = createDialer({
    trunk,
    media,
    clock,
    random: random.split('engine'),
    logger: silentLogger,
    tickIntervalMs: 500,
    scripting: {
      hooks: {
        onConnect: createOnConnect({
          loadProfile: (contact) => ({
            customerId: contact.id,
            firstName: contact.firstName ?? 'there',
            tenureMonths: 40,
            monthlySpendMinor: 5_500,
            productsHeld: ['mobile-l'],
            lifecycleStage: 'cancelling',
            churnRisk: 0.7,
            valueTier: 'gold',
            cancellationReason: 'price',
          }),
          script,
          catalog,
          model,
        }),
      },
      fallbackScript: script,
    },
  });
  const phones = new Map<string, { stop: () => void }>();
  if (simulated) {
    let ssrc = 0x1000;
    // The simulated trunk carries no audio: open the call's leg when it is answered and let the "customer" talk into it.
    dialer.on('answered', ({ callId }) => {
      void bridge.openCallLeg(callId).then(async (leg) => phones.set(callId, await startCustomerPhone(leg, ++ssrc)));
    });
    // The engine disconnects the calls it connected; this also closes the legs of calls it did not.
    dialer.on('ended', ({ callId }) => {
      phones.get(callId)?.stop();
      phones.delete(callId);
      void bridge.disconnect(callId);
    });
  }

  const campaign = await dialer.addCampaign({
    id: 'retention',
    name: 'Retention',
    goal: 'retention',
    dialMode: 'progressive',
    complianceProfile: 'us-federal',
    callerId: '+12125550100',
    homeTimeZone: 'America/New_York',
    scriptId: 'save-desk',
  });
  const names = ['Ana', 'Ben', 'Carla', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana'];
  await dialer.addContacts(
    'retention',
    Array.from({ length: options.contacts ?? 20 }, (_, i) => ({
      id: `c${i + 1}`,
      firstName: names[i % names.length],
      phones: [{ number: `+1212555${String(1000 + i).padStart(4, '0')}` }],
      state: 'NY',
    })),
  );
  await dialer.start('retention');

  // Browser code, bundled once at start.
  const here = fileURLToPath(new URL('.', import.meta.url));
  const bundle = await build({
    entryPoints: [`${here}desk.ts`, `${here}supervisor.ts`],
    outdir: `${here}dist`,
    bundle: true,
    format: 'esm',
    write: false,
    platform: 'browser',
    target: 'chrome110',
    logLevel: 'silent',
  });
  // The dashboard loads its media client as a classic script (its CSP: same origin only).
  const mediaBundle = await build({
    entryPoints: [`${here}supervisor-media-global.ts`],
    bundle: true,
    format: 'iife',
    write: false,
    platform: 'browser',
    target: 'chrome110',
    logLevel: 'silent',
  });
  const supervisorMediaJs = mediaBundle.outputFiles[0]?.text ?? '';
  const bundled = (name: string) => bundle.outputFiles.find((f) => f.path.endsWith(`${name}.js`))?.text ?? '';
  const deskJs = bundled('desk');
  const supervisorJs = bundled('supervisor');
  const html = readFileSync(`${here}index.html`, 'utf8');
  const supervisorHtml = readFileSync(`${here}supervisor.html`, 'utf8');

  // Server → page: one event stream per agent.
  const streams = new Map<string, ServerResponse>();
  const push = (agentId: string, event: string, data: unknown) =>
    streams.get(agentId)?.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  dialer.on('connected', (offer) => push(offer.agentId, 'offer', offer));
  dialer.on('scriptReady', (s) => push(s.agentId, 'script', s));
  dialer.on('ended', (e) => e.attempt.agentId && push(e.attempt.agentId, 'ended', { callId: e.callId, outcome: e.outcome }));
  dialer.on('dispositioned', (d) => d.attempt.agentId && push(d.attempt.agentId, 'dispositioned', { callId: d.callId, code: d.code }));
  dialer.on('agentStateChanged', (a) => push(a.agentId, 'agentState', { state: a.to }));
  bridge.on('bridged', (b) => push(b.agentId, 'bridged', b));
  bridge.on('unbridged', (b) => push(b.agentId, 'unbridged', b));
  // A supervisor whispering or barging: the desk plays that voice beside the caller's.
  bridge.on('coached', (c) => push(c.agentId, 'coached', c));
  bridge.on('uncoached', (c) => push(c.agentId, 'uncoached', c));
  const supervisors = supervisorSignalling(bridge);

  // The campaign dashboard (optional): its supervise buttons drive a SupervisionBoard over the
  // bridge's supervision, and its page opens the media session with the shared media module.
  const dashboard = options.dashboard ? Fastify() : undefined;
  if (dashboard && options.dashboard) {
    await dashboard.register(dashboardPlugin, {
      prefix: '/dashboard',
      dialer,
      campaigns: [campaign],
      tokens: options.dashboard.tokens,
      clock,
      supervision: new SupervisionBoard({ dialer, supervisor: bridge.supervision, clock }),
      supervisionMedia: { script: '/supervisor-media.js' },
      ...(options.dashboard.onAudit ? { onAudit: options.dashboard.onAudit } : {}),
    });
    await dashboard.ready();
  }

  const api: Record<string, (body: Record<string, unknown>) => Promise<unknown> | unknown> = {
    ...supervisors.api,
    login: ({ agentId, name }) => {
      dialer.loginAgent({ id: String(agentId), name: String(name ?? agentId) }, ['retention']);
      return { routerRtpCapabilities: bridge.rtpCapabilities };
    },
    session: ({ agentId, rtpCapabilities }) =>
      bridge.openAgent(String(agentId), { rtpCapabilities: rtpCapabilities as ms.RtpCapabilities }),
    'connect-transport': ({ agentId, transportId, dtlsParameters }) =>
      bridge.connectAgentTransport(String(agentId), String(transportId), dtlsParameters as ms.DtlsParameters).then(() => ({})),
    produce: async ({ agentId, rtpParameters }) => ({
      id: await bridge.produceAgentAudio(String(agentId), rtpParameters as ms.RtpParameters),
    }),
    ready: ({ agentId }) => {
      dialer.ready(String(agentId));
      return {};
    },
    hangup: ({ callId }) => dialer.hangup(String(callId)).then(() => ({})),
    disposition: ({ callId, code }) => dialer.disposition(String(callId), String(code)).then(() => ({})),
    logout: async ({ agentId }) => {
      await bridge.closeAgent(String(agentId));
      await dialer.logout(String(agentId));
      return {};
    },
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/') return send(res, 200, html, 'text/html; charset=utf-8');
    if (req.method === 'GET' && url.pathname === '/desk.js') return send(res, 200, deskJs, 'text/javascript');
    if (req.method === 'GET' && url.pathname === '/supervisor') return send(res, 200, supervisorHtml, 'text/html; charset=utf-8');
    if (req.method === 'GET' && url.pathname === '/supervisor.js') return send(res, 200, supervisorJs, 'text/javascript');
    if (req.method === 'GET' && url.pathname === '/supervisor-media.js') return send(res, 200, supervisorMediaJs, 'text/javascript');
    if (dashboard && (url.pathname === '/dashboard' || url.pathname.startsWith('/dashboard/'))) return dashboard.routing(req, res);
    if (req.method === 'GET' && url.pathname === '/api/supervisor-events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      const detach = supervisors.attach(url.searchParams.get('supervisorId') ?? '', res);
      req.on('close', detach);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/events') {
      const agentId = url.searchParams.get('agentId') ?? '';
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.set(agentId, res);
      req.on('close', () => streams.get(agentId) === res && streams.delete(agentId));
      return;
    }
    const handler = req.method === 'POST' && url.pathname.startsWith('/api/') ? api[url.pathname.slice(5)] : undefined;
    if (!handler) return send(res, 404, { error: 'not found' });
    readJson(req)
      .then((body) => handler(body))
      .then((out) => send(res, 200, out ?? {}))
      .catch((error: unknown) => send(res, 400, { error: error instanceof Error ? error.message : String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 3100, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    dialer,
    bridge,
    supervisors,
    close: async () => {
      supervisors.close();
      await dashboard?.close();
      for (const s of streams.values()) s.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const p of phones.values()) p.stop();
      await dialer.close();
      await trunk.close();
      await bridge.close();
      worker.close();
    },
  };
}
