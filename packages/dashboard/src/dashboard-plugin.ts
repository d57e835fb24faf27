import { timingSafeEqual } from 'node:crypto';
import { type Campaign, type Clock, PacelineError } from '@paceline/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CampaignMonitor, type CampaignSnapshot, type DashboardDialer, type FulfilmentStatus } from './campaign-monitor';
import { chartJsSource } from './chart-source';
import { type ListImporter, registerListUploadRoutes } from './list-upload-routes'; // issue-18
import { DASHBOARD_CSS, DASHBOARD_JS, dashboardPage } from './page';

/** Options of {@link dashboardPlugin}. */
export interface DashboardOptions {
  /** The dialer whose campaigns the dashboard shows and controls. */
  readonly dialer: DashboardDialer;
  /** Campaigns to show (as `dialer.addCampaign` returned them); more with the returned handle's `track`. */
  readonly campaigns: readonly Campaign[];
  /** The access token the host configured; every route answers 401 without it. At least 16 characters. */
  readonly token: string;
  /** The clock the live updates are timed on (core's `systemClock()` in production). */
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
}

const COOKIE = 'paceline_dashboard';

function sameToken(given: string | undefined, expected: Buffer): boolean {
  if (given === undefined) return false;
  const g = Buffer.from(given);
  if (g.length !== expected.length) {
    // timingSafeEqual needs equal lengths; comparing the token with itself keeps the timing flat.
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(g, expected);
}

function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

function problem(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json').send({ error: message });
}

/**
 * The campaign-manager dashboard as a fastify plugin. Mount it in the host's server:
 *
 * ```ts
 * await app.register(dashboardPlugin, { prefix: '/dashboard', dialer, campaigns: [campaign], token, clock: systemClock() });
 * ```
 *
 * Routes (under the prefix): `GET /` the page, `GET /events` server-sent events with every
 * campaign's snapshot, `GET /api/campaigns`, `POST /api/campaigns/:id/{start,pause,resume,stop}`,
 * `POST /api/campaigns/:id/pacing` `{ abandonTarget?, maxLinesPerAgent? }`,
 * `POST /api/campaigns/:id/lists/preview` and `POST /api/campaigns/:id/lists` (the file as the
 * body, streamed; see `registerListUploadRoutes`). Every route needs the token:
 * `Authorization: Bearer <token>`, or `?token=` once (the page then keeps it in an
 * HttpOnly, SameSite=Strict cookie). Writes also need the `x-paceline-dashboard: 1` header,
 * which a cross-site form cannot send. Not wrapped in fastify-plugin on purpose: its
 * hooks and the list body parser stay inside the prefix.
 */
export async function dashboardPlugin(app: FastifyInstance, options: DashboardOptions): Promise<void> {
  if (typeof options.token !== 'string' || options.token.length < 16) {
    throw new PacelineError('E_INVALID_CONFIG', 'dashboard.token: expected an access token of at least 16 characters');
  }
  const expected = Buffer.from(options.token);
  const clock = options.clock;
  const ticker = options.ticker ?? clock;
  const monitor = new CampaignMonitor({
    dialer: options.dialer,
    clock,
    campaigns: options.campaigns,
    ...(options.fulfilment ? { fulfilment: options.fulfilment } : {}),
    ...(options.historyEveryMs !== undefined ? { historyEveryMs: options.historyEveryMs } : {}),
  });
  options.onReady?.(monitor);
  const updateEveryMs = options.updateEveryMs ?? 1_000;
  const base = app.prefix.replace(/\/$/, '');

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const auth = request.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const query = (request.query as Record<string, string | undefined> | undefined)?.token;
    if (sameToken(bearer, expected) || sameToken(cookieToken(request.headers.cookie), expected)) {
      if (request.method !== 'GET' && request.headers['x-paceline-dashboard'] !== '1') {
        return problem(reply, 403, 'writes need the x-paceline-dashboard: 1 header');
      }
      return;
    }
    if (request.method === 'GET' && sameToken(query, expected)) {
      reply.header('set-cookie', `${COOKIE}=${encodeURIComponent(options.token)}; Path=${base || '/'}; HttpOnly; SameSite=Strict`);
      return;
    }
    reply.header('www-authenticate', 'Bearer');
    return problem(reply, 401, 'the dashboard needs its access token (Authorization: Bearer <token> or ?token=<token>)');
  });
  app.addHook('onClose', async () => monitor.close());

  const page = dashboardPage({ title: options.title ?? 'Paceline — campaigns', base, uploads: options.importList !== undefined });
  app.get('/', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header(
        'content-security-policy',
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'",
      )
      .send(page),
  );
  app.get('/assets/chart.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(chartJsSource()));
  app.get('/assets/dashboard.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(DASHBOARD_JS));
  app.get('/assets/dashboard.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(DASHBOARD_CSS));
  app.get('/api/campaigns', async () => ({ campaigns: await monitor.snapshot() }));

  app.get('/events', (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    let closed = false;
    let timer: ReturnType<Clock['setTimer']> | undefined;
    const send = (campaigns: CampaignSnapshot[]) => {
      if (!closed) res.write(`event: snapshot\ndata: ${JSON.stringify({ campaigns })}\n\n`);
    };
    // Re-armed one-shot timer on the injected clock (packages never use raw timers).
    const loop = () => {
      monitor
        .snapshot()
        .then(send)
        .catch((error: unknown) => request.log.error({ err: error }, 'dashboard snapshot failed'))
        .finally(() => {
          if (!closed) timer = ticker.setTimer(updateEveryMs, loop);
        });
    };
    const offState = options.dialer.on('campaignStateChanged', () => {
      void monitor.snapshot().then(send, () => {});
    });
    request.raw.on('close', () => {
      closed = true;
      offState();
      if (timer !== undefined) ticker.clearTimer(timer);
    });
    loop();
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
  // issue-18: list preview and upload routes (list-upload-routes.ts).
  registerListUploadRoutes(app, { importList: options.importList, known });
}
