import { systemClock, VirtualClock } from '@paceline/core';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { type DashboardAuditEvent, dashboardPlugin } from '../src/index';
import { campaign, fakeDialer, TOKEN } from './support/fake-dialer';

const VIEWER = 'viewer-token-of-16-chars';
const HTTPS = { 'x-forwarded-proto': 'https' };

async function mount(dialer = fakeDialer(), extra: Partial<Parameters<typeof dashboardPlugin>[1]> = {}) {
  const clock = new VirtualClock(0);
  const audit: DashboardAuditEvent[] = [];
  const app = Fastify({ trustProxy: true });
  await app.register(dashboardPlugin, {
    prefix: '/dash',
    dialer,
    campaigns: [campaign],
    tokens: { manager: TOKEN, viewer: VIEWER },
    clock,
    onAudit: (e) => audit.push(e),
    ...extra,
  });
  return { app, dialer, clock, audit };
}

/** Log in with `?token=` and return the session cookie (`name=value`). */
async function login(app: Awaited<ReturnType<typeof mount>>['app'], token: string): Promise<string> {
  const answer = await app.inject({ url: `/dash/?token=${token}` });
  expect(answer.statusCode).toBe(303);
  return String(answer.headers['set-cookie']).split(';')[0] as string;
}

const WRITE = { 'x-paceline-dashboard': '1' };

describe('dashboardPlugin', () => {
  it('answers 401 on every route without a token, and refuses short, missing or equal tokens', async () => {
    const { app } = await mount();
    for (const url of ['/dash/', '/dash/events', '/dash/api/campaigns', '/dash/assets/chart.js', '/dash/api/session']) {
      const r = await app.inject({ url });
      expect(r.statusCode).toBe(401);
    }
    expect((await app.inject({ method: 'POST', url: '/dash/api/campaigns/c1/pause' })).statusCode).toBe(401);
    for (const options of [{ token: 'short' }, { tokens: {} }, { tokens: { viewer: TOKEN, manager: TOKEN } }]) {
      const bad = Fastify();
      await expect(
        bad.register(dashboardPlugin, { dialer: fakeDialer(), campaigns: [campaign], clock: new VirtualClock(0), ...options }).ready(),
      ).rejects.toThrow(/at least 16 characters|must differ/);
    }
  });

  it('exchanges the token once for a session cookie and redirects to the same URL without it', async () => {
    const { app, clock } = await mount();
    const answer = await app.inject({ url: `/dash/?view=compact&token=${TOKEN}` });
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe('/dash/?view=compact');
    const cookie = String(answer.headers['set-cookie']);
    expect(cookie).toMatch(/^paceline_session=[A-Za-z0-9_-]{43}; Max-Age=28800; Path=\/dash; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(';')[0] as string;
    expect((await app.inject({ url: '/dash/api/campaigns', headers: { cookie: session } })).statusCode).toBe(200);
    // the raw token is no cookie: only a session id is
    expect((await app.inject({ url: '/dash/api/campaigns', headers: { cookie: `paceline_session=${TOKEN}` } })).statusCode).toBe(401);
    // over TLS (a proxy's x-forwarded-proto with trustProxy) the cookie is Secure
    const tls = await app.inject({ url: `/dash/?token=${TOKEN}`, headers: HTTPS });
    expect(String(tls.headers['set-cookie'])).toContain('; Secure');
    // sessions end with their Max-Age
    clock.advance(8 * 3_600_000);
    expect((await app.inject({ url: '/dash/api/campaigns', headers: { cookie: session } })).statusCode).toBe(401);
    // a wrong token is a 401, not a session
    expect((await app.inject({ url: '/dash/?token=wrong-token-0123456789' })).statusCode).toBe(401);
  });

  it('answers a malformed, unknown or legacy cookie with 401, never 500', async () => {
    const { app } = await mount();
    const cookies = [
      'paceline_dashboard=%E0%A4%A',
      `paceline_dashboard=${TOKEN}`,
      'paceline_session=%E0%A4%A',
      'paceline_session=',
      'paceline_session="unterminated',
      `paceline_session=${'A'.repeat(43)}`,
      `paceline_session=${'x'.repeat(5_000)}`,
      ';;;=;=',
      'paceline_session=a; paceline_session=b',
      'paceline_session=\u0000\u0001',
    ];
    for (const cookie of cookies) {
      const answer = await app.inject({ url: '/dash/api/campaigns', headers: { cookie } });
      expect(answer.statusCode, cookie).toBe(401);
    }
  });

  it('sets the security headers on every response, errors included', async () => {
    const { app } = await mount();
    const cookie = await login(app, TOKEN);
    for (const [url, headers] of [
      ['/dash/', { cookie }],
      ['/dash/api/campaigns', { cookie }],
      ['/dash/assets/dashboard.js', { cookie }],
      ['/dash/api/campaigns', {}],
      [`/dash/?token=${TOKEN}`, {}],
    ] as const) {
      const answer = await app.inject({ url, headers });
      expect(answer.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(answer.headers['content-security-policy'], url).toContain("script-src 'self'");
      expect(answer.headers['x-content-type-options'], url).toBe('nosniff');
      expect(answer.headers['referrer-policy'], url).toBe('no-referrer');
      expect(answer.headers['x-frame-options'], url).toBe('SAMEORIGIN');
    }
  });

  it('rate-limits logins: past the limit even the right token is refused', async () => {
    const { app } = await mount(fakeDialer(), { loginRateLimit: { max: 5, timeWindowMs: 60_000 } });
    for (let i = 0; i < 5; i++) expect((await app.inject({ url: `/dash/?token=guess-${i}-0123456789abcdef` })).statusCode).toBe(401);
    const blocked = await app.inject({ url: `/dash/?token=${TOKEN}` });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['set-cookie']).toBeUndefined();
  });

  it('lets a viewer read but not control, and audits every control action (who, what, when)', async () => {
    const { app, dialer, clock, audit } = await mount();
    const viewer = await login(app, VIEWER);
    const manager = await login(app, TOKEN);
    expect((await app.inject({ url: '/dash/api/session', headers: { cookie: viewer } })).json()).toEqual({
      role: 'viewer',
      via: 'session',
    });
    expect((await app.inject({ url: '/dash/api/campaigns', headers: { cookie: viewer } })).statusCode).toBe(200);
    for (const url of [
      '/dash/api/campaigns/c1/pause',
      '/dash/api/campaigns/c1/stop',
      '/dash/api/campaigns/c1/pacing',
      '/dash/api/campaigns/c1/lists',
    ]) {
      expect((await app.inject({ method: 'POST', url, headers: { cookie: viewer, ...WRITE } })).statusCode, url).toBe(403);
    }
    expect(
      (await app.inject({ method: 'POST', url: '/dash/api/campaigns/c1/pause', headers: { authorization: `Bearer ${VIEWER}`, ...WRITE } }))
        .statusCode,
    ).toBe(403);
    expect(dialer.calls).toEqual([]);
    clock.advance(1_000);
    expect(
      (await app.inject({ method: 'POST', url: '/dash/api/campaigns/c1/pause', headers: { cookie: manager, ...WRITE } })).statusCode,
    ).toBe(200);
    expect(dialer.calls).toEqual(['pause']);
    expect(audit).toHaveLength(6);
    expect(audit[0]).toMatchObject({
      at: 0,
      who: { role: 'viewer', via: 'session' },
      action: 'POST /api/campaigns/:id/pause',
      campaignId: 'c1',
      status: 403,
      outcome: 'refused',
    });
    expect(audit[5]).toMatchObject({
      at: 1_000,
      who: { role: 'manager', via: 'session' },
      action: 'POST /api/campaigns/:id/pause',
      campaignId: 'c1',
      status: 200,
      outcome: 'ok',
    });
    expect(audit[5]?.who.id).toMatch(/^[0-9a-f]{12}$/);
    expect(JSON.stringify(audit)).not.toContain(manager.split('=')[1]);
    // a viewer may sign out
    expect((await app.inject({ method: 'POST', url: '/dash/logout', headers: { cookie: viewer, ...WRITE } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/dash/api/campaigns', headers: { cookie: viewer } })).statusCode).toBe(401);
  });

  it('controls the campaign only with the write header, and rejects pacing outside the limits', async () => {
    const { app, dialer } = await mount();
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await app.inject({ method: 'POST', url: '/dash/api/campaigns/c1/pause', headers: auth })).statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: '/dash/api/campaigns/c1/pause', headers: { ...auth, ...WRITE } });
    expect(ok.statusCode).toBe(200);
    expect(dialer.calls).toEqual(['pause']);
    const page = await app.inject({ url: '/dash/api/campaigns', headers: auth });
    expect(page.json().campaigns[0]).toMatchObject({
      campaignId: 'c1',
      name: '<script>alert(1)</script>',
      hopperDepth: 6,
      dialRatio: 1.5,
      held: { reasons: ['registry-stale'], since: 0 },
    });
    const missing = await app.inject({ method: 'POST', url: '/dash/api/campaigns/nope/stop', headers: { ...auth, ...WRITE } });
    expect(missing.statusCode).toBe(404);
    const tooHigh = await app.inject({
      method: 'POST',
      url: '/dash/api/campaigns/c1/pacing',
      headers: { ...auth, ...WRITE },
      payload: { abandonTarget: 0.05 },
    });
    expect(tooHigh.statusCode).toBe(400);
    expect(tooHigh.json().error).toContain('campaign.pacing.abandonTarget');
    const upload = await app.inject({
      method: 'POST',
      url: '/dash/api/campaigns/c1/lists',
      headers: { ...auth, ...WRITE, 'content-type': 'text/csv' },
      payload: 'phone\n1\n',
    });
    expect(upload.statusCode).toBe(501);
    expect((await app.inject({ url: '/dash/api/campaigns', headers: { authorization: 'Bearer wrong-token-0123456789' } })).statusCode).toBe(
      401,
    );
  });

  it('caps live streams per session', async () => {
    const { app } = await mount(fakeDialer(), { streams: { perSession: 2 }, ticker: systemClock() });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const cookie = await login(app, TOKEN);
      const other = await login(app, TOKEN);
      const open = async (c: string) => {
        const controller = new AbortController();
        const response = await fetch(`${address}/dash/events`, { headers: { cookie: c }, signal: controller.signal });
        return { status: response.status, close: () => controller.abort(), response };
      };
      const a = await open(cookie);
      const b = await open(cookie);
      const c = await open(cookie);
      const d = await open(other);
      expect([a.status, b.status, c.status, d.status]).toEqual([200, 200, 429, 200]);
      expect(a.response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      const reader = a.response.body?.getReader();
      const first = new TextDecoder().decode((await reader?.read())?.value);
      expect(first).toContain('event: snapshot');
      for (const s of [a, b, d]) s.close();
    } finally {
      await app.close();
    }
  });
});
