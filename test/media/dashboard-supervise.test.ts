import type { DashboardAuditEvent } from '@paceline/dashboard';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentDesk } from '../../examples/agent-desk/server';
import { mediasoupWorkerBin } from '../../packages/media-mediasoup/test/support/mediasoup-worker';
import { sippAvailable } from '../../packages/trunk-sip/test/support/sipp';
import { shot } from '../dashboard/floor-harness';
import { chromiumAvailable } from '../support/chromium';
import { until } from './support/browser-media';
import { type SupervisedCall, startSupervisedCall } from './support/supervised-call';

const bin = mediasoupWorkerBin();
const haveChromium = chromiumAvailable('dashboard supervise test');
const haveSipp = sippAvailable();
if (!haveSipp && process.env.CI === 'true') throw new Error('dashboard supervise test: sipp not found (apt-get install sip-tester)');

const MANAGER = 'desk-manager-token-0123456789';
const VIEWER = 'desk-viewer-token-0123456789';

type DeskWindow = { desk: { inboundPackets(): Promise<number>; coachPackets(): Promise<number> } };
type MediaWindow = { PacelineSupervisorMedia: { packetsFrom(source: 'caller' | 'agent'): Promise<number> } };

/**
 * The dashboard's own Listen / Whisper / Barge buttons, end to end: SIPp calls the agent desk
 * page (the agent, in one headless Chromium), the dashboard (mounted by the agent-desk example
 * with the shared supervisor media module) runs in another. A viewer sees the agent on the call
 * but no buttons, and the server refuses a viewer's join. A manager clicks Listen on the agent's
 * row: the page opens its WebRTC session and the caller's and the agent's audio arrive; Whisper
 * reaches the agent's page; Leave ends it. Each join, change and leave is in the dashboard's
 * audit and the media plane's. (Who hears what in each mode, tone by tone, is
 * test/media/supervision.test.ts.)
 */
describe.skipIf(!bin || !haveChromium || !haveSipp)('the dashboard’s supervise buttons join a live call over WebRTC', () => {
  let call: SupervisedCall | undefined;
  let desk: AgentDesk;
  let agentBrowser: Browser;
  let supervisorBrowser: Browser;
  const dashboardAudit: DashboardAuditEvent[] = [];

  beforeAll(async () => {
    call = await startSupervisedCall('dashboard-supervise-', {
      dashboard: { tokens: { manager: MANAGER, viewer: VIEWER }, onAudit: (e) => dashboardAudit.push(e) },
    });
    ({ desk, agentBrowser, supervisorBrowser } = call);
  }, 60_000);
  afterAll(async () => {
    await call?.close();
  });

  it('shows the buttons to a manager only, joins over WebRTC on a click, and audits each step', async () => {
    const errors: string[] = [];
    const watch = (page: Page) => page.on('pageerror', (e) => errors.push(e.message));
    const agent = await agentBrowser.newPage();
    watch(agent);
    await agent.goto(desk.url);
    await agent.fill('#agent-id', 'ana');
    await agent.fill('#agent-name', 'Ana Lima');
    await agent.click('#login-btn');
    await agent.waitForSelector('#desk:not([hidden])', { timeout: 15_000 });
    const offered = new Promise<string>((resolve) => desk.dialer.on('connected', (o) => resolve(o.callId)));
    await agent.click('#ready-btn');
    const callId = await offered;
    await until(
      () => agent.evaluate(() => (globalThis as never as DeskWindow).desk.inboundPackets()).then((n) => n > 10),
      'the caller at the desk',
    );

    // ── a viewer: the agent on the call, no buttons; the server refuses a join anyway ──
    const viewer = await supervisorBrowser.newPage({ viewport: { width: 1500, height: 700 } });
    watch(viewer);
    await viewer.goto(`${desk.url}dashboard/?token=${VIEWER}#agents`);
    const viewerRow = viewer.locator('.agents-table tr[data-agent="ana"][data-state="on-call"]');
    await viewerRow.waitFor({ timeout: 15_000 });
    // Once the role is known (`ready` resolves after the re-render it triggers), the row is final.
    await viewer.evaluate(() => (globalThis as never as { PacelineSupervise: { ready: Promise<void> } }).PacelineSupervise.ready);
    expect(await viewerRow.locator('button[data-supervise]').count()).toBe(0);
    expect(await viewerRow.locator('td').last().textContent()).toBe('—');
    const refused = await viewer.evaluate(
      async ({ callId: id }) => {
        const res = await fetch(`/dashboard/api/supervision/calls/${id}/join`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-paceline-dashboard': '1' },
          body: JSON.stringify({ supervisorId: 'viewer-tab', mode: 'listen' }),
        });
        return res.status;
      },
      { callId },
    );
    expect(refused).toBe(403);
    await shot(viewer, 'supervise-viewer.png');
    await viewer.close();

    // ── a manager: Listen on the agent's row joins over WebRTC ──
    const manager = await supervisorBrowser.newPage({ viewport: { width: 1500, height: 700 } });
    watch(manager);
    await manager.goto(`${desk.url}dashboard/?token=${MANAGER}#agents`);
    const row = manager.locator('.agents-table tr[data-agent="ana"]');
    await row.locator('button[data-supervise="listen"]').waitFor({ timeout: 15_000 });
    expect(await row.locator('button[data-supervise]').allTextContents()).toEqual(['Listen', 'Whisper', 'Barge']);
    await row.locator('button[data-supervise="listen"]').click();
    await manager.locator('#supervising:has-text("Listening to Ana Lima (ana) on call")').waitFor({ timeout: 15_000 });
    expect(await row.locator('a').first().textContent()).toBe('Ana Lima (ana)'); // the agent's name, with the id
    const heard = () =>
      manager.evaluate(async () => {
        const m = (globalThis as never as MediaWindow).PacelineSupervisorMedia;
        return { caller: await m.packetsFrom('caller'), agent: await m.packetsFrom('agent') };
      });
    await until(() => heard().then((n) => n.caller > 20 && n.agent > 20), 'the caller and the agent at the dashboard page');
    const session = desk.bridge.supervision.sessions().find((s) => s.callId === callId);
    expect(session).toMatchObject({ agentId: 'ana', mode: 'listen' });
    const supervisorId = session?.supervisorId ?? '';
    expect(supervisorId).toMatch(/^dashboard-[0-9a-f]{12}$/);
    expect((await desk.bridge.supervision.streamStats(supervisorId)).toCaller).toBe(0); // the caller never hears a listen
    await shot(manager, 'supervise-listen.png');

    // Whisper on the agent's day page: the agent's page receives the supervisor's voice.
    await manager.goto(`${desk.url}dashboard/#agent/ana`);
    const dayButtons = manager.locator('#agent-day [data-d="supervise"] button[data-supervise]');
    await dayButtons.first().waitFor({ timeout: 15_000 });
    await manager.locator('#agent-day [data-d="supervise"] button[data-supervise="whisper"]').click();
    await manager.locator('#supervising:has-text("Whispering to Ana Lima (ana)")').waitFor({ timeout: 15_000 });
    expect(await manager.locator('#agent-day [data-d="title"]').textContent()).toContain('Agent Ana Lima (ana)');
    await until(
      () => agent.evaluate(() => (globalThis as never as DeskWindow).desk.coachPackets()).then((n) => n > 10),
      'the whisper at the desk',
    );
    expect((await desk.bridge.supervision.streamStats(supervisorId)).toCaller).toBe(0); // nor a whisper
    await shot(manager, 'supervise-day.png');
    await manager.locator('#supervising button[data-supervise-leave]').click();
    await manager.locator('#supervising').waitFor({ state: 'hidden', timeout: 10_000 });
    expect(desk.bridge.supervision.sessions().find((s) => s.callId === callId)).toBeUndefined();

    // Every join, change and leave: the media plane's audit and the dashboard's (who pressed).
    const media = desk.supervisors.audit.filter((a) => a.supervisorId === supervisorId).map((a) => `${a.action} ${a.mode} ${a.callId}`);
    expect(media).toEqual([`join listen ${callId}`, `mode whisper ${callId}`, `leave whisper ${callId}`]);
    const pressed = dashboardAudit
      .filter((a) => a.action.includes('/api/supervision/'))
      .map((a) => `${a.who.role} ${a.action} ${a.status}`);
    expect(pressed).toEqual([
      'viewer POST /api/supervision/calls/:callId/join 403',
      'manager POST /api/supervision/calls/:callId/join 200',
      'manager POST /api/supervision/mode 200',
      'manager POST /api/supervision/leave 200',
    ]);
    expect(errors).toEqual([]);
    await manager.close();
  }, 90_000);
});
