import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../support/chromium';
import { type FloorHarness, floorHarness, MANAGER, shot, VIEWER } from './floor-harness';

const haveChromium = chromiumAvailable('dashboard floor browser test (agents)');

describe.skipIf(!haveChromium)('the supervisor floor in headless Chromium: agents, coaching, a viewer', () => {
  let browser: Browser;
  let day: FloorHarness;

  beforeAll(async () => {
    // Monday 09:00 in New York, inside the calling window: a minute of virtual time per 40 ms.
    day = await floorHarness({
      id: 'floor-day',
      startAt: Date.UTC(2026, 10, 23, 14, 0),
      stepMs: 60_000,
      untilMs: 4 * 3_600_000,
      agents: 10,
    });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await day?.close();
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
      (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-agent')))).sort(),
    );
    // Sorting by calls, descending: the first row has the most calls.
    await page.locator('[data-sort="calls"]').click();
    await page.locator('[data-sort="calls"]').click();
    await expect.poll(() => page.locator('th[aria-sort="descending"] [data-sort="calls"]').count()).toBe(1);
    const calls = (await page.locator('.agents-table tbody td[data-col="5"]').allTextContents()).map(Number);
    expect(calls).toEqual([...calls].sort((a, b) => b - a));
    // Every agent named "name (id)" in the table; no supervise buttons without a supervision board.
    const links = await page.locator('.agents-table tbody tr[data-agent] a').allTextContents();
    expect(links.every((t) => /^Agent \d+ \(.+\)$/.test(t))).toBe(true);
    expect(await page.locator('.agents-table button[data-supervise]').count()).toBe(0);
    await shot(page, 'agents-view.png');

    // Click through to the busiest agent's day: its calls and its timeline.
    // The table is live (rows re-sort as calls end): click the row of that agent, not "the first row".
    const busiest = await rows.first().getAttribute('data-agent');
    await page.locator(`.agents-table tbody tr[data-agent="${busiest}"] a`).click();
    await expect.poll(() => page.url()).toContain(`#agent/${busiest}`);
    await expect.poll(() => page.locator('#agent-day .calls-table tbody tr').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('#agent-day .timeline-table tbody tr').count()).toBeGreaterThan(1);
    // Named "name (id)": the shifts' names (Agent 1 … Agent 10), as the engine reported them.
    const busiestName = day.monitor.floor.agents.rows().find((r) => r.agentId === busiest)?.agentName;
    expect(busiestName).toMatch(/^Agent \d+$/);
    expect(await page.locator('#agent-day [data-d="title"]').textContent()).toContain(`Agent ${busiestName} (${busiest})`);
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
});
