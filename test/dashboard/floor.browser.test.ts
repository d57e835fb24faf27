import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../support/chromium';
import { type FloorHarness, floorHarness, MANAGER, VIEWER } from './floor-harness';

const haveChromium = chromiumAvailable('dashboard floor browser test');
/** Screenshots are kept as test artifacts (gitignored). */
const artifacts = process.env.PACELINE_ARTIFACTS ?? resolve(__dirname, '../artifacts/dashboard');

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, name), fullPage: true });
}

describe.skipIf(!haveChromium)('the supervisor floor in headless Chromium', () => {
  let browser: Browser;
  let day: FloorHarness;
  let early: FloorHarness;

  beforeAll(async () => {
    [day, early] = await Promise.all([
      // Monday 09:00 in New York, inside the calling window: a minute of virtual time per 40 ms.
      floorHarness({ id: 'floor-day', startAt: Date.UTC(2026, 10, 23, 14, 0), stepMs: 60_000, untilMs: 4 * 3_600_000, agents: 10 }),
      // Monday 06:00 in New York: before the 08:00 calling window opens anywhere in the US.
      floorHarness({ id: 'floor-early', startAt: Date.UTC(2026, 10, 23, 11, 0), stepMs: 10_000, untilMs: 30 * 60_000, agents: 6 }),
    ]);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await day?.close();
    await early?.close();
  });

  it('shows every agent live — state and time in it, current call, today’s numbers — sortable, with a click through to the day', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${day.base}/?token=${MANAGER}#agents`);
    const rows = page.locator('.agents-table tbody tr[data-agent]');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(10);
    // Live: the calls column moves as the simulated day goes on, without a reload.
    const totalCalls = async () =>
      (await page.locator('.agents-table tbody td[data-col="5"]').allTextContents()).reduce((a, b) => a + Number(b), 0);
    await expect.poll(totalCalls, { timeout: 20_000 }).toBeGreaterThan(0);
    const first = await totalCalls();
    await expect.poll(totalCalls, { timeout: 20_000 }).toBeGreaterThan(first);
    expect(await page.locator('.agents-table tbody .st').allTextContents()).not.toContain('logged-out');
    // Every row against the engine's own view of the agent.
    const floorRows = day.monitor.floor.agents.rows();
    expect(floorRows.map((r) => r.agentId).sort()).toEqual(
      (await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.agent))).sort(),
    );
    // Sorting by calls, descending: the first row has the most calls.
    await page.locator('[data-sort="calls"]').click();
    await page.locator('[data-sort="calls"]').click();
    await expect.poll(() => page.locator('th[aria-sort="descending"] [data-sort="calls"]').count()).toBe(1);
    const calls = (await page.locator('.agents-table tbody td[data-col="5"]').allTextContents()).map(Number);
    expect(calls).toEqual([...calls].sort((a, b) => b - a));
    await shot(page, 'agents-view.png');

    // Click through to the busiest agent's day: its calls and its timeline.
    const busiest = await rows.first().getAttribute('data-agent');
    await rows.first().locator('a').click();
    expect(page.url()).toContain(`#agent/${busiest}`);
    await expect.poll(() => page.locator('#agent-day .calls-table tbody tr').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('#agent-day .timeline-table tbody tr').count()).toBeGreaterThan(1);
    expect(await page.locator('#agent-day [data-d="title"]').textContent()).toContain(`Agent ${busiest}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('scores a call against the campaign’s form, linked to its recording, and shows it in the agent’s scorecard', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
    await page.goto(`${day.base}/?token=${MANAGER}`);
    const card = page.locator('section.campaign[data-campaign="floor-day"]');
    await card.locator('.form-editor textarea').fill('Greeting, 10\nNeeds discovery, 30\nOffer explained, 40\nCompliance script, 20');
    await card.locator('.form-editor button[type="submit"]').click();
    await expect
      .poll(() => card.locator('[data-list="criteria"] dt').allTextContents())
      .toEqual(['Greeting', 'Needs discovery', 'Offer explained', 'Compliance script']);
    // A bad form is refused with the field named.
    await card.locator('.form-editor textarea').fill('Greeting, heavy');
    await card.locator('.form-editor button[type="submit"]').click();
    await expect.poll(() => card.locator('[data-f="error"]').textContent()).toContain('form.criteria[0].weight');

    const agent = day.monitor.floor.agents.rows().find((r) => r.calls > 0);
    expect(agent).toBeDefined();
    await page.goto(`${day.base}/#agent/${agent?.agentId}`);
    const callRow = page.locator('#agent-day .calls-table tbody tr').last();
    await expect.poll(() => callRow.count(), { timeout: 10_000 }).toBe(1);
    const callId = await callRow.getAttribute('data-call');
    await callRow.locator('button').click();
    const form = page.locator('#agent-day .score-form');
    await expect.poll(() => form.locator('[data-criterion]').count()).toBe(4);
    for (const [i, value] of ['100', '50', '75', '100'].entries()) await form.locator('[data-criterion]').nth(i).fill(value);
    await form.locator('textarea[name="notes"]').fill('Good save; <b>probe</b> needs more open questions');
    await form.locator('button[type="submit"]').click();
    // (10·100 + 30·50 + 40·75 + 20·100) / 100 = 75.
    await expect.poll(() => page.locator('#agent-day .scorecard').textContent(), { timeout: 10_000 }).toContain('75.0 / 100');
    expect(await form.isVisible()).toBe(false);
    const scored = page.locator(`#agent-day .calls-table tbody tr[data-call="${callId}"]`);
    await expect.poll(() => scored.textContent()).toContain('75.0 — Good save; <b>probe</b> needs more open questions');
    expect(await scored.locator('a').getAttribute('href')).toBe(`https://recordings.example.test/${callId}.wav`);
    expect(await page.locator('#agent-day b').count()).toBe(0);
    await shot(page, 'agent-day.png');
    await page.close();
  });

  it('says why nothing is dialled outside the calling window, until when and in which zone, and counts the refusals', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1500 } });
    await page.goto(`${early.base}/?token=${MANAGER}`);
    const card = page.locator('section.campaign[data-campaign="floor-early"]');
    const why = card.locator('[data-f="why"]');
    await expect
      .poll(() => why.textContent(), { timeout: 20_000 })
      .toMatch(/outside the calling window until 0[89]:00 America\/[A-Za-z_]+/);
    expect(await why.getAttribute('data-code')).toBe('outside-window');
    expect(await card.locator('[data-f="state"]').textContent()).toBe('running');
    expect(await card.locator('[data-f="dials"]').textContent()).toBe('0');
    // The refusals card names the reason and counts it, as the engine counted it.
    await expect.poll(() => card.locator('[data-list="refusals"] dt').first().textContent()).toContain('outside the calling window');
    const shown = Number((await card.locator('[data-list="refusals"] dd').first().textContent())?.replace(/,/g, ''));
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(early.monitor.floor.campaignFacts.facts('floor-early').refusalsByReason['outside-window'] ?? 0);
    // KPIs explain themselves.
    expect(await card.locator('dt', { hasText: 'Hopper depth' }).getAttribute('title')).toContain('ready or queued');
    expect(await card.locator('dt', { hasText: 'Working of logged in' }).getAttribute('title')).toContain('of agents logged in');
    expect(await card.locator('[data-f="lawSentence"]').textContent()).toContain('30-day');
    await shot(page, 'why-not-dialling.png');
    await page.close();
  });

  it('gives a viewer the floor but no way to act: no forms, and the server refuses a hand-made write', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${day.base}/?token=${VIEWER}`);
    await expect.poll(() => page.locator('body').getAttribute('data-role')).toBe('viewer');
    const card = page.locator('section.campaign[data-campaign="floor-day"]');
    await expect.poll(() => card.locator('[data-f="why"]').textContent()).not.toBe('');
    for (const selector of ['.plan-form', '.form-editor', '.controls', '.pacing-form'])
      expect(await card.locator(selector).isVisible()).toBe(false);
    await page.goto(`${day.base}/#agents`);
    const agentId = day.monitor.floor.agents.rows()[0]?.agentId ?? '';
    await page.goto(`${day.base}/#agent/${agentId}`);
    await expect.poll(() => page.locator('#agent-day .calls-table tbody tr').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('#agent-day .calls-table button').first().isVisible()).toBe(false);
    expect(await page.locator('#agent-day .breaks-form').isVisible()).toBe(false);
    const answers = await page.evaluate(
      async ({ base, agentId }) => {
        const post = async (path: string, body: unknown) => {
          const res = await fetch(base + path, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'x-paceline-dashboard': '1', 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          return res.status;
        };
        return [
          await post('/api/campaigns/floor-day/plan', { agents: 1 }),
          await post('/api/campaigns/floor-day/scoring-form', { criteria: [{ id: 'a', label: 'A', weight: 1 }] }),
          await post('/api/calls/x/score', { campaignId: 'floor-day', agentId, scores: {} }),
          await post(`/api/agents/${agentId}/breaks`, { breaks: [] }),
        ];
      },
      { base: day.base, agentId },
    );
    expect(answers).toEqual([403, 403, 403, 403]);
    await shot(page, 'viewer-agent-day.png');
    await context.close();
  });

  it('raises alerts as a banner: staff below plan, volume above forecast, a trunk breaker open — and clears them', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
    await page.goto(`${day.base}/?token=${MANAGER}`);
    const card = page.locator('section.campaign[data-campaign="floor-day"]');
    await card.locator('.plan-form input[name="agents"]').fill('20');
    await card.locator('.plan-form input[name="outboundPerHour"]').fill('5');
    await card.locator('.plan-form button[type="submit"]').click();
    day.trunks[0] = { id: 'carrier-a', breaker: 'open' };
    const banner = page.locator('#alerts');
    await expect
      .poll(() => banner.locator('li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.kind).sort()), { timeout: 20_000 })
      .toEqual(['outbound-above-forecast', 'staff-below-plan', 'trunk-breaker-open']);
    expect(await banner.textContent()).toContain('more than 20% below the plan of 20');
    expect(await banner.textContent()).toContain('Trunk carrier-a: its circuit breaker is open');
    await shot(page, 'alerts.png');
    // Back to plan: the alerts clear.
    await card.locator('.plan-form input[name="agents"]').fill('10');
    await card.locator('.plan-form input[name="outboundPerHour"]').fill('100000');
    await card.locator('.plan-form button[type="submit"]').click();
    day.trunks[0] = { id: 'carrier-a', breaker: 'closed' };
    await expect.poll(() => banner.isVisible(), { timeout: 20_000 }).toBe(false);
    await page.close();
  });
});
