import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom, systemClock } from '@paceline/core';
import { type DashboardDialer, dashboardPlugin } from '@paceline/dashboard';
import type { FloorAlertEvent } from '@paceline/engine';
import { createSipTrunk, type SipTrunk } from '@paceline/trunk-sip';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SippPeer, scenarioFrom, sippAvailable, startSipp } from '../../packages/trunk-sip/test/support/sipp';
import { chromiumAvailable, launchChromium } from '../support/chromium';
import { shot } from './floor-harness';

// The "trunk breaker open" alert against a real trunk: trunk-sip pointed at a SIPp carrier that
// answers every INVITE 503 (no Retry-After: each one a failure towards the breaker). After the
// breaker's threshold of failures in a row it opens; the dashboard's floor raises the alert as an
// event, lists it at GET /api/alerts and shows it in the banner.

const haveSipp = sippAvailable();
if (!haveSipp && process.env.CI === 'true') throw new Error('the trunk-breaker alert test needs sipp: run .ci/setup as root');
const haveChromium = chromiumAvailable('trunk breaker alert banner');
const MANAGER = 'breaker-manager-token-0123456789';

/** A dialer with no campaigns: the alert under test is the trunk's, not a campaign's. */
const idleDialer = {
  on: () => () => {},
  status: async () => {
    throw new Error('no campaigns here');
  },
  abandonCounts: async () => ({ liveAnswers: 0, abandoned: 0 }),
  start: async () => {},
  pause: async () => {},
  resume: async () => {},
  stop: async () => {},
  updatePacing: async () => {
    throw new Error('no campaigns here');
  },
} as unknown as DashboardDialer;

describe.skipIf(!haveSipp)('the floor alerts when a real SIP trunk’s breaker opens', () => {
  let dir = '';
  let carrier: SippPeer;
  let trunk: SipTrunk;
  let app: FastifyInstance;
  let base = '';
  let browser: Browser | undefined;
  const alerts: FloorAlertEvent[] = [];
  const waiters: Array<() => void> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'breaker-alert-'));
    carrier = await startSipp(scenarioFrom('reject-code.xml', { code: 503 }, dir), dir);
    trunk = await createSipTrunk({
      clock: systemClock(),
      random: seededRandom(24),
      sipTimers: { t1Ms: 100 },
      trunks: [{ id: 'carrier-503', host: '127.0.0.1', port: carrier.port }],
      breaker: { failureThreshold: 3, openMs: 60_000 },
    });
    app = Fastify();
    await app.register(dashboardPlugin, {
      prefix: '/dashboard',
      dialer: idleDialer,
      campaigns: [],
      tokens: { manager: MANAGER },
      clock: systemClock(),
      historyEveryMs: 1_000,
      updateEveryMs: 250,
      trunkHealth: () => trunk.stats().trunks,
      onAlert: (event) => {
        alerts.push(event);
        for (const wake of waiters.splice(0)) wake();
      },
    });
    base = `${await app.listen({ port: 0, host: '127.0.0.1' })}/dashboard`;
    if (haveChromium) browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await trunk?.close();
    await carrier?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Resolves when an alert event matching `match` has arrived (event-driven, bounded by the test's timeout). */
  const alertWhere = async (match: (e: FloorAlertEvent) => boolean): Promise<FloorAlertEvent> => {
    for (;;) {
      const found = alerts.find(match);
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };

  it('raises trunk-breaker-open after the carrier’s 503s, lists it at /api/alerts and in the banner', async () => {
    expect(trunk.stats().trunks).toMatchObject([{ id: 'carrier-503', breaker: 'closed', available: true }]);
    // Three INVITEs answered 503: each originate is refused (retryable) and counts against the trunk.
    for (let i = 1; i <= 3; i++) {
      const refused = await trunk
        .originate({ callId: `b${i}`, campaignId: 'c', to: `+1415555000${i}`, callerId: '+14155550100', ringTimeoutMs: 15_000 })
        .then(() => undefined)
        .catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'E_TRUNK_UNAVAILABLE', cause: { retryable: true } });
      if (i < 3) expect(alerts.filter((e) => e.alert.kind === 'trunk-breaker-open')).toEqual([]);
    }
    expect(trunk.stats().trunks[0]).toMatchObject({ breaker: 'open', available: false });

    const raised = await alertWhere((e) => e.type === 'raised' && e.alert.kind === 'trunk-breaker-open');
    expect(raised.alert).toMatchObject({ id: 'trunk-breaker-open:carrier-503', trunkId: 'carrier-503', severity: 'critical' });
    expect(raised.alert.message).toContain('Trunk carrier-503: its circuit breaker is open');
    expect(alerts.filter((e) => e.alert.kind === 'trunk-breaker-open')).toHaveLength(1); // raised once, not per sample

    const res = await fetch(`${base}/api/alerts`, { headers: { authorization: `Bearer ${MANAGER}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { alerts: Array<{ id: string; kind: string }> };
    expect(body.alerts.map((a) => a.id)).toEqual(['trunk-breaker-open:carrier-503']);

    if (browser) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 500 } });
      await page.goto(`${base}/?token=${MANAGER}`);
      const item = page.locator('#alerts li[data-kind="trunk-breaker-open"]');
      await item.waitFor({ state: 'visible', timeout: 15_000 });
      expect(await item.textContent()).toContain('carrier-503');
      await shot(page, 'trunk-breaker-alert.png');
      await page.close();
    }
  }, 45_000);
});
