import { type Campaign, type Clock, PacelineError } from '@paceline/core';
import { type FloorAlertEvent, FloorMonitor, type QualityStore, type SupervisionBoard, type TrunkHealth } from '@paceline/engine';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CampaignMonitor, type DashboardDialer, type FulfilmentStatus } from './campaign-monitor';
import { chartJsSource } from './chart-source';
import { type DashboardAuditEvent, registerDashboardAuth, SESSION_COOKIE } from './dashboard-auth';
import { DASHBOARD_CSS } from './dashboard-css';
import { DashboardSessions, type DashboardTokens } from './dashboard-sessions';
import { EventStream, type EventStreamLimits } from './event-stream';
import { registerFloorRoutes } from './floor-routes';
import { FLOOR_JS } from './floor-script';
import { INBOUND_PANEL_JS, inboundStatusOf } from './inbound-panel'; // issue-23
import { type ListImporter, registerListUploadRoutes } from './list-upload-routes';
import { DASHBOARD_JS, dashboardPage } from './page';
import { SUPERVISE_JS } from './supervise-script';
import { registerSupervisionRoutes } from './supervision-routes'; // issue-24

/** Options of {@link dashboardPlugin}. */
export interface DashboardOptions {
  /** The dialer whose campaigns the dashboard shows and controls. */
  readonly dialer: DashboardDialer;
  /** Campaigns to show (as `dialer.addCampaign` returned them); more with the returned handle's `track`. */
  readonly campaigns: readonly Campaign[];
  /** A `manager` access token (at least 16 characters): the same as `tokens: { manager: token }`. */
  readonly token?: string;
  /** One access token per role (`viewer` read only, `manager` controls, uploads and settings); each at least 16 characters. */
  readonly tokens?: DashboardTokens;
  /** The clock the live updates are timed on (core's `systemClock()` in production); sessions expire on it too. */
  readonly clock: Clock;
  /**
   * The clock that times the pushes to the page (default `clock`). A dashboard over a
   * simulation on virtual time passes the system clock here and the virtual one as `clock`.
   */
  readonly ticker?: Clock;
  /** How often the page gets fresh numbers, ms of `ticker` time (default 1000). */
  readonly updateEveryMs?: number;
  /** How often a point is added to the abandon chart, ms of `clock` time (default 60 000). */
  readonly historyEveryMs?: number;
  /** Fulfilment figures when a fulfilment desk is attached; absent hides the panel. */
  readonly fulfilment?: () => FulfilmentStatus | Promise<FulfilmentStatus>;
  /** Import an uploaded list (CSV or XLSX, streamed) into a campaign; absent hides the upload form (the routes answer 501). */
  readonly importList?: ListImporter;
  /** Page title (escaped). Default "Paceline — campaigns". */
  readonly title?: string;
  /** Called with the monitor once mounted (to `track` campaigns added later). */
  readonly onReady?: (monitor: CampaignMonitor) => void;
  /** How long a session lasts, ms of `clock` time (default 8 hours): the cookie's `Max-Age`. */
  readonly sessionMaxAgeMs?: number;
  /** Sessions held at once (default 10 000; the oldest is signed out first). */
  readonly maxSessions?: number;
  /** `Secure` cookies: `'auto'` (default) when the request came over TLS, as fastify's `request.protocol` says (set `trustProxy` behind a TLS proxy). */
  readonly secureCookies?: boolean | 'auto';
  /** Logins (`?token=`) per client address (default 10 per minute). */
  readonly loginRateLimit?: { readonly max: number; readonly timeWindowMs: number };
  /** Bearer-token requests per client address (default 600 per minute). */
  readonly bearerRateLimit?: { readonly max: number; readonly timeWindowMs: number };
  /** Live-update streams: per session (default 4), in all (default 1 000), bytes queued before a slow client is dropped (default 1 MiB), snapshots it may skip in a row (default 10). */
  readonly streams?: Partial<EventStreamLimits>;
  /**
   * Receives one audit event per control action (start, pause, resume, stop, pacing, uploads —
   * every write, allowed or refused). Default: the request logger at `info` (`{ audit }`).
   */
  readonly onAudit?: (event: DashboardAuditEvent) => void;
  /** issue-24: listen, whisper and barge (`SupervisionBoard` of @paceline/engine); absent, the supervision routes answer 501. */
  readonly supervision?: SupervisionBoard;
  /**
   * The supervisor's WebRTC media client for the page's listen / whisper / barge buttons: a
   * same-origin script URL the host serves (CSP: `script-src 'self'`) that sets
   * `window.PacelineSupervisorMedia = { open(): Promise<{ supervisorId }> }` — e.g. the agent-desk
   * example's `supervisor-media.js`, the bundle of its shared supervisor media module.
   */
  readonly supervisionMedia?: { readonly script: string };
  /** issue-24: the floor to show (agents, why, history, alerts, coaching); default one made, started and closed here. */
  readonly floor?: FloorMonitor;
  /** issue-24: the trunks' breakers now, for the "breaker open" alert (trunk-sip's `() => trunk.stats().trunks` fits). */
  readonly trunkHealth?: () => readonly TrunkHealth[];
  /** issue-24: inbound calls of a campaign in the last hour, for the "inbound above forecast" alert. */
  readonly inboundLastHour?: (campaignId: string) => number;
  /** issue-24: where coaching scores and scoring forms are kept (default in memory). */
  readonly quality?: QualityStore;
  /** issue-24: a call's recording (URL or id), linked from its score. */
  readonly recordingOf?: (callId: string) => string | undefined;
  /** issue-24: receives every alert raised or cleared. Default: the server log at `warn` / `info`. */
  readonly onAlert?: (event: FloorAlertEvent) => void;
}

const HOUR_MS = 3_600_000;

function problem(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json').send({ error: message });
}

/**
 * The campaign-manager dashboard as a fastify plugin. Mount it in the host's server:
 *
 * ```ts
 * await app.register(dashboardPlugin, { prefix: '/dashboard', dialer, campaigns: [campaign], tokens: { viewer, manager }, clock: systemClock() });
 * ```
 *
 * Routes (under the prefix): `GET /` the page, `GET /events` server-sent events with every
 * campaign's snapshot, `GET /api/campaigns`, `GET /api/session`, `POST /logout`,
 * `POST /api/campaigns/:id/{start,pause,resume,stop}`, `POST /api/campaigns/:id/pacing`
 * `{ abandonTarget?, maxLinesPerAgent? }`, `POST /api/campaigns/:id/lists/preview` and
 * `POST /api/campaigns/:id/lists` (the file as the body, streamed; see `registerListUploadRoutes`).
 * Open `…/?token=<token>` once: the token is exchanged for a session cookie and the browser
 * lands on the same URL without it; scripts send `Authorization: Bearer <token>`. Every write
 * needs the manager role and the `x-paceline-dashboard: 1` header. See `registerDashboardAuth`
 * for the guard every route gets, and docs/security.md. Not wrapped in fastify-plugin on
 * purpose: its hooks, headers and the list body parser stay inside the prefix.
 */
export async function dashboardPlugin(app: FastifyInstance, options: DashboardOptions): Promise<void> {
  const tokens: DashboardTokens = options.tokens ?? (options.token !== undefined ? { manager: options.token } : {});
  if (options.tokens !== undefined && options.token !== undefined) {
    throw new PacelineError('E_INVALID_CONFIG', 'dashboard: give either token (a manager token) or tokens, not both');
  }
  const clock = options.clock;
  const ticker = options.ticker ?? clock;
  const sessions = new DashboardSessions({
    tokens,
    clock,
    maxAgeMs: options.sessionMaxAgeMs ?? 8 * HOUR_MS,
    maxSessions: options.maxSessions ?? 10_000,
  });
  const base = app.prefix.replace(/\/$/, '');
  const principalOf = await registerDashboardAuth(app, {
    sessions,
    clock,
    base,
    secureCookies: options.secureCookies ?? 'auto',
    loginRateLimit: options.loginRateLimit ?? { max: 10, timeWindowMs: 60_000 },
    bearerRateLimit: options.bearerRateLimit ?? { max: 600, timeWindowMs: 60_000 },
    onAudit: options.onAudit ?? ((event) => app.log.info({ audit: event }, `dashboard ${event.action}: ${event.outcome}`)),
  });
  const floor =
    options.floor ??
    new FloorMonitor({
      dialer: options.dialer,
      clock,
      everyMs: options.historyEveryMs ?? 60_000,
      ...(options.trunkHealth ? { trunkHealth: options.trunkHealth } : {}),
      ...(options.inboundLastHour ? { inboundLastHour: options.inboundLastHour } : {}),
      ...(options.quality ? { quality: options.quality } : {}),
      ...(options.recordingOf ? { recordingOf: options.recordingOf } : {}),
      onError: (error) => app.log.error({ err: error }, 'dashboard floor sample failed'),
    });
  const monitor = new CampaignMonitor({
    dialer: options.dialer,
    clock,
    campaigns: options.campaigns,
    floor,
    ...(options.fulfilment ? { fulfilment: options.fulfilment } : {}),
  });
  if (!options.floor) floor.start();
  options.onReady?.(monitor);
  const stream = new EventStream({
    limits: { perSession: 4, total: 1_000, maxBufferedBytes: 1024 * 1024, maxSkippedFrames: 10, ...options.streams },
    ticker,
    everyMs: options.updateEveryMs ?? 1_000,
    snapshot: async () => JSON.stringify(await monitor.floorSnapshot()),
    isLive: (owner) => owner.startsWith('bearer:') || sessions.isLive(owner),
    onError: (error) => app.log.error({ err: error }, 'dashboard snapshot failed'),
  });
  const offState = options.dialer.on('campaignStateChanged', () => stream.push());
  const onAlert =
    options.onAlert ??
    ((event: FloorAlertEvent) =>
      event.type === 'raised'
        ? app.log.warn({ alert: event.alert }, `floor alert: ${event.alert.message}`)
        : app.log.info({ alert: event.alert }, `floor alert cleared: ${event.alert.id}`));
  const offAlerts = floor.alerts.on((event) => {
    onAlert(event);
    stream.push();
  });
  app.addHook('onClose', async () => {
    offState();
    offAlerts();
    if (!options.floor) floor.close();
    stream.close();
    monitor.close();
  });

  const page = dashboardPage({
    title: options.title ?? 'Paceline — campaigns',
    base,
    uploads: options.importList !== undefined,
    ...(options.supervisionMedia ? { mediaScript: options.supervisionMedia.script } : {}),
  });
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page));
  app.get('/assets/chart.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(chartJsSource()));
  app.get('/assets/dashboard.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(DASHBOARD_JS));
  app.get('/assets/floor.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(FLOOR_JS));
  app.get('/assets/supervise.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(SUPERVISE_JS));
  app.get('/assets/dashboard.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(DASHBOARD_CSS));
  app.get('/api/campaigns', async () => ({ campaigns: await monitor.snapshot() }));
  app.get('/api/inbound', async () => ({ inbound: inboundStatusOf(options.dialer) ?? null })); // issue-23
  app.get('/assets/inbound.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(INBOUND_PANEL_JS)); // issue-23

  app.get('/api/session', async (request) => {
    const who = principalOf(request);
    return { role: who?.role, via: who?.via };
  });
  // Live-stream counts for operators (and the flood test): open now, slow clients dropped so far.
  app.get('/api/streams', { config: { dashboardRole: 'manager' } }, async () => ({ open: stream.size, dropped: stream.dropped }));
  app.post('/logout', { config: { dashboardRole: 'viewer' } }, async (request, reply) => {
    const id = request.cookies[SESSION_COOKIE];
    if (id !== undefined) sessions.close(id);
    return reply.clearCookie(SESSION_COOKIE, { path: base || '/' }).send({ ok: true });
  });

  app.get('/events', (request, reply) => {
    const who = principalOf(request);
    // Streams are counted per session (per token for bearer clients), so one browser cannot hold them all.
    const owner = who?.via === 'session' ? (request.cookies[SESSION_COOKIE] ?? '') : (who?.id ?? 'unknown');
    const refusal = stream.admit(owner);
    if (refusal)
      return problem(reply, 429, refusal === 'session-limit' ? 'too many live streams for this session' : 'too many live streams');
    reply.hijack();
    const res = reply.raw;
    // Hijacked: helmet's headers were set on the reply, so carry them over to the raw response.
    const headers: Record<string, string | number | readonly string[]> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = value;
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    stream.add(res, owner);
  });

  const known = (request: FastifyRequest, reply: FastifyReply): string | undefined => {
    const id = (request.params as { id: string }).id;
    if (monitor.has(id)) return id;
    problem(reply, 404, `no campaign "${id}" on this dashboard`);
    return undefined;
  };
  const run = async (reply: FastifyReply, work: () => Promise<unknown>) => {
    try {
      await work();
      return reply.send({ ok: true, campaigns: await monitor.snapshot() });
    } catch (error) {
      if (error instanceof PacelineError) return problem(reply, error.code === 'E_NOT_FOUND' ? 404 : 409, error.message);
      throw error;
    }
  };
  for (const action of ['start', 'pause', 'resume', 'stop'] as const) {
    app.post(`/api/campaigns/:id/${action}`, async (request, reply) => {
      const id = known(request, reply);
      if (id === undefined) return reply;
      return run(reply, () => options.dialer[action](id));
    });
  }
  app.post('/api/campaigns/:id/pacing', async (request, reply) => {
    const id = known(request, reply);
    if (id === undefined) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const patch: { abandonTarget?: number; maxLinesPerAgent?: number } = {};
    for (const key of ['abandonTarget', 'maxLinesPerAgent'] as const) {
      const value = body[key];
      if (value === undefined || value === '') continue;
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) return problem(reply, 400, `${key}: expected a number, got ${JSON.stringify(value)}`);
      patch[key] = n;
    }
    try {
      // parseCampaign inside updatePacing enforces the profile's limits (abandon target ≤ 3%, 1–10 lines).
      const campaign = await options.dialer.updatePacing(id, patch);
      monitor.track(campaign);
      return reply.send({ ok: true, campaigns: await monitor.snapshot() });
    } catch (error) {
      if (error instanceof PacelineError) return problem(reply, 400, error.message);
      throw error;
    }
  });
  // List preview and upload routes (list-upload-routes.ts); writes, so the auth hook asks for a manager.
  registerListUploadRoutes(app, { importList: options.importList, known });
  registerSupervisionRoutes(app, { board: options.supervision, principalOf }); // issue-24: writes need the manager role (auth hook)
  // issue-24: agents, an agent's day and scorecard, plans, scoring forms, call scores, alerts (floor-routes.ts).
  registerFloorRoutes(app, { monitor, known, principalOf, onChange: () => stream.push() });
}
