import { fastifyCookie } from '@fastify/cookie';
import { fastifyHelmet } from '@fastify/helmet';
import { fastifyRateLimit } from '@fastify/rate-limit';
import type { Clock } from '@paceline/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DashboardPrincipal, DashboardRole, DashboardSessions } from './dashboard-sessions';

/** The session cookie's name. */
export const SESSION_COOKIE = 'paceline_session';
/** Header every write must carry (a cross-site form cannot send it). */
export const WRITE_HEADER = 'x-paceline-dashboard';

/** One line of the dashboard's audit trail: who did what, when, and what came of it. */
export interface DashboardAuditEvent {
  /** When, epoch ms of the dashboard's clock. */
  readonly at: number;
  /** Who: role, how signed in, the session's fingerprint (never the id or a token), and the client address. */
  readonly who: {
    readonly role: DashboardRole | 'anonymous';
    readonly via: 'session' | 'bearer' | 'none';
    readonly id: string;
    readonly ip: string;
  };
  /** What: the route, e.g. `POST /api/campaigns/:id/pause`. */
  readonly action: string;
  /** The campaign acted on, when the route names one. */
  readonly campaignId?: string;
  /** HTTP status of the answer. */
  readonly status: number;
  /** `ok` (2xx), `refused` (401/403/429), `failed` (anything else). */
  readonly outcome: 'ok' | 'refused' | 'failed';
}

/** How {@link registerDashboardAuth} guards a dashboard's routes. */
export interface DashboardAuthOptions {
  readonly sessions: DashboardSessions;
  readonly clock: Clock;
  /** The dashboard's path prefix (`''` at the root): the cookie's Path. */
  readonly base: string;
  /** `true` always sets `Secure`; `'auto'` when the request came over TLS (`request.protocol`, which honours `trustProxy`). */
  readonly secureCookies: boolean | 'auto';
  /** Token exchanges (`?token=`) per client address per window. */
  readonly loginRateLimit: { readonly max: number; readonly timeWindowMs: number };
  /** Bearer-authenticated requests per client address per window (scripts; bounds token guessing). */
  readonly bearerRateLimit: { readonly max: number; readonly timeWindowMs: number };
  readonly onAudit: (event: DashboardAuditEvent) => void;
}

/** The CSP of every dashboard response: only its own scripts and styles, never framed. */
const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    styleSrc: ["'self'"],
    scriptSrc: ["'self'"],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
  },
};

function tooMany(what: string) {
  return (_request: FastifyRequest, context: { after: string }) =>
    Object.assign(new Error(`too many ${what} from this address; try again in ${context.after}`), { statusCode: 429 });
}

function problem(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json').send({ error: message });
}

/**
 * Guard every route of the dashboard's scope (call it first in the plugin; new routes get
 * the same guard without doing anything):
 * - security headers on every response, 401s included (`@fastify/helmet`: CSP with
 *   `frame-ancestors 'none'`, `nosniff`, `Referrer-Policy: no-referrer`, HSTS, …);
 * - a request is signed in by its session cookie, or by `Authorization: Bearer <token>`; a
 *   `GET …?token=<token>` is a login: the token is exchanged once for a session (random id,
 *   `HttpOnly`, `SameSite=Strict`, `Secure` over TLS, `Max-Age`) and the browser is
 *   redirected (303) to the same URL without the token; logins are rate-limited
 *   (`@fastify/rate-limit`);
 * - a malformed, unknown or expired cookie is a 401, never a 500;
 * - roles: every route that is not a GET needs `manager` (and the write header); so does a GET
 *   route with `config: { dashboardRole: 'manager' }`; a write open to viewers (sign-out) says
 *   `config: { dashboardRole: 'viewer' }`;
 * - every write, allowed or refused, becomes a {@link DashboardAuditEvent}.
 * Returns the principal of a request (for routes that need to know who asks).
 */
export async function registerDashboardAuth(
  app: FastifyInstance,
  options: DashboardAuthOptions,
): Promise<(request: FastifyRequest) => DashboardPrincipal | undefined> {
  const { sessions } = options;
  const principals = new WeakMap<FastifyRequest, DashboardPrincipal>();
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  const loginLimiter = app.rateLimit({
    max: options.loginRateLimit.max,
    timeWindow: options.loginRateLimit.timeWindowMs,
    errorResponseBuilder: tooMany('login attempts'),
  });
  const bearerLimiter = app.rateLimit({
    max: options.bearerRateLimit.max,
    timeWindow: options.bearerRateLimit.timeWindowMs,
    errorResponseBuilder: tooMany('token-authenticated requests'),
  });
  const cookiePath = options.base || '/';
  const secure = (request: FastifyRequest) => (options.secureCookies === 'auto' ? request.protocol === 'https' : options.secureCookies);

  app.addHook('onRequest', async (request, reply) => {
    const auth = request.headers.authorization;
    let principal: DashboardPrincipal | undefined;
    if (auth !== undefined) {
      await bearerLimiter.call(app, request, reply);
      const role = auth.startsWith('Bearer ') ? sessions.roleOfToken(auth.slice(7)) : undefined;
      if (role === undefined) return unauthorised(reply, 'the Authorization header does not carry a valid dashboard token');
      principal = { role, via: 'bearer', id: `bearer:${role}` };
    } else {
      const query = request.query as Record<string, unknown> | undefined;
      if (query !== undefined && 'token' in query && request.method === 'GET') return login(request, reply, query.token);
      const session = sessions.lookup(request.cookies[SESSION_COOKIE]);
      if (session === 'invalid') {
        reply.clearCookie(SESSION_COOKIE, { path: cookiePath });
        return unauthorised(reply, 'the dashboard session is not valid (expired or signed out): open the dashboard link again');
      }
      if (session === undefined) return unauthorised(reply, 'the dashboard needs its access token: open the link with ?token=<token> once');
      principal = { role: session.role, via: 'session', id: session.fingerprint };
    }
    principals.set(request, principal);
    const write = request.method !== 'GET' && request.method !== 'HEAD';
    const declared = (request.routeOptions.config as { dashboardRole?: DashboardRole } | undefined)?.dashboardRole;
    const needs = declared ?? (write ? 'manager' : undefined);
    if (needs === 'manager' && principal.role !== 'manager')
      return problem(reply, 403, 'this needs the manager role; the viewer role is read only');
    if (write && request.headers[WRITE_HEADER] !== '1') return problem(reply, 403, `writes need the ${WRITE_HEADER}: 1 header`);
  });

  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    const principal = principals.get(request);
    const status = reply.statusCode;
    const campaignId = (request.params as { id?: unknown } | undefined)?.id;
    options.onAudit({
      at: options.clock.now(),
      who: principal ? { ...principal, ip: request.ip } : { role: 'anonymous', via: 'none', id: '-', ip: request.ip },
      action: `${request.method} ${(request.routeOptions.url ?? request.url.split('?')[0] ?? '').slice(options.base.length) || '/'}`,
      ...(typeof campaignId === 'string' ? { campaignId } : {}),
      status,
      outcome: status < 300 ? 'ok' : status === 401 || status === 403 || status === 429 ? 'refused' : 'failed',
    });
  });

  async function login(request: FastifyRequest, reply: FastifyReply, token: unknown): Promise<FastifyReply> {
    await loginLimiter.call(app, request, reply);
    const role = sessions.roleOfToken(typeof token === 'string' ? token : undefined);
    if (role === undefined) return unauthorised(reply, 'that dashboard token is not valid');
    const id = sessions.open(role);
    reply.setCookie(SESSION_COOKIE, id, {
      path: cookiePath,
      httpOnly: true,
      sameSite: 'strict',
      secure: secure(request),
      maxAge: Math.floor(sessions.maxAgeMs / 1_000),
    });
    // The same page without the token: it leaves the address bar, history and any Referer.
    const url = new URL(request.url, 'http://dashboard.invalid');
    url.searchParams.delete('token');
    const path = `/${url.pathname.replace(/^\/+/, '')}`;
    return reply.code(303).header('cache-control', 'no-store').redirect(`${path}${url.search}`, 303);
  }

  function unauthorised(reply: FastifyReply, message: string): FastifyReply {
    reply.header('www-authenticate', 'Bearer');
    return problem(reply, 401, message);
  }

  return (request) => principals.get(request);
}
