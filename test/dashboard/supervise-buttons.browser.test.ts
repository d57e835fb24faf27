import { parseCampaign, systemClock } from '@paceline/core';
import { type DashboardAuditEvent, dashboardPlugin } from '@paceline/dashboard';
import { SupervisionBoard } from '@paceline/engine';
import type { EngineSimulation } from '@paceline/sim';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingSupervisor } from '../../packages/dashboard/test/support/recording-supervisor';
import { chromiumAvailable, launchChromium } from '../support/chromium';
import { MANAGER, retentionDay, shot, VIEWER } from './floor-harness';

const haveChromium = chromiumAvailable('dashboard supervise buttons test');

/**
 * The supervise buttons over a live simulated floor, without a media plane: the simulation runs
 * to mid-morning and stops there (virtual time frozen), so agents stay on their calls while the
 * pages are driven. A viewer gets no buttons; a manager's click reaches the supervision route
 * and the media port with that call; both are audited.
 */
describe.skipIf(!haveChromium)('the dashboard’s supervise buttons in headless Chromium (route level)', () => {
  let browser: Browser;
  let sim: EngineSimulation;
  let app: FastifyInstance;
  let base = '';
  const supervisor = recordingSupervisor();
  const audit: DashboardAuditEvent[] = [];

  beforeAll(async () => {
    const startAt = Date.UTC(2026, 10, 23, 14, 0);
    const day = await retentionDay({ id: 'supervise-day', seed: 5, startAt, customers: 400, agents: 4 });
    sim = day.sim;
    const { campaignInput } = day;
    app = Fastify();
    await app.register(dashboardPlugin, {
      prefix: '/dashboard',
      dialer: sim.dialer,
      campaigns: [parseCampaign(campaignInput)],
      tokens: { manager: MANAGER, viewer: VIEWER },
      clock: sim.clock,
      ticker: systemClock(),
      updateEveryMs: 250,
      supervision: new SupervisionBoard({ dialer: sim.dialer, supervisor, clock: sim.clock }),
      onAudit: (e) => audit.push(e),
    });
    base = `${await app.listen({ port: 0, host: '127.0.0.1' })}/dashboard`;
    // Run to the first minute with an agent on a call, then hold virtual time there.
    for (let t = startAt + 60_000; t < startAt + 2 * 3_600_000; t += 60_000) {
      await sim.runUntil(t);
      if ((await sim.dialer.status(campaignInput.id)).agents['on-call'] > 0) break;
    }
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await sim?.close();
  });

  it('shows no buttons to a viewer; a manager’s Listen reaches the route and the media port, audited', async () => {
    const viewer = await browser.newPage({ viewport: { width: 1400, height: 600 } });
    await viewer.goto(`${base}/?token=${VIEWER}#agents`);
    const onCall = viewer.locator('.agents-table tr[data-state="on-call"]');
    await onCall.first().waitFor({ timeout: 15_000 });
    await viewer.evaluate(() => (globalThis as never as { PacelineSupervise: { ready: Promise<void> } }).PacelineSupervise.ready);
    expect(await viewer.locator('.agents-table button[data-supervise]').count()).toBe(0);
    await viewer.close();

    const manager = await browser.newPage({ viewport: { width: 1400, height: 600 } });
    await manager.goto(`${base}/?token=${MANAGER}#agents`);
    const row = manager.locator('.agents-table tr[data-state="on-call"]').first();
    await row.locator('button[data-supervise="listen"]').waitFor({ timeout: 15_000 });
    const agentId = (await row.getAttribute('data-agent')) ?? '';
    await row.locator('button[data-supervise="listen"]').click();
    await manager.locator('#supervising:has-text("Listening to")').waitFor({ timeout: 10_000 });
    const asked = supervisor.asked[0] ?? '';
    expect(asked).toMatch(/^supervise \S+ dashboard-[0-9a-f]{12} listen$/);
    const joinedCall = asked.split(' ')[1];
    const rows = (await manager.evaluate(async () => (await fetch('/dashboard/api/agents')).json())) as {
      agents: Array<{ agentId: string; callId?: string }>;
    };
    expect(rows.agents.find((r) => r.agentId === agentId)?.callId).toBe(joinedCall);
    await shot(manager, 'supervise-buttons.png');
    const pressed = audit.filter((a) => a.action.includes('/api/supervision/')).map((a) => `${a.who.role} ${a.action} ${a.status}`);
    expect(pressed).toEqual(['manager POST /api/supervision/calls/:callId/join 200']);
    await manager.close();
  }, 60_000);
});
