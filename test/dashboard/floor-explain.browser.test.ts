import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../support/chromium';
import { type FloorHarness, floorHarness, MANAGER, shot } from './floor-harness';

const haveChromium = chromiumAvailable('dashboard floor browser test (why and alerts)');

describe.skipIf(!haveChromium)('the supervisor floor in headless Chromium: why not dialling, alerts', () => {
  let browser: Browser;
  let day: FloorHarness;
  let early: FloorHarness;

  beforeAll(async () => {
    [day, early] = await Promise.all([
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

  it('raises alerts as a banner: staff below plan, volume above forecast, a trunk breaker open — and clears them', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
    await page.goto(`${day.base}/?token=${MANAGER}`);
    const card = page.locator('section.campaign[data-campaign="floor-day"]');
    day.trunks[0] = { id: 'carrier-a', breaker: 'open' };
    await card.locator('.plan-form input[name="agents"]').fill('20');
    await card.locator('.plan-form input[name="outboundPerHour"]').fill('5');
    await card.locator('.plan-form button[type="submit"]').click();
    const banner = page.locator('#alerts');
    await expect
      .poll(() => banner.locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-kind')).sort()), { timeout: 20_000 })
      .toEqual(['outbound-above-forecast', 'staff-below-plan', 'trunk-breaker-open']);
    expect(await banner.textContent()).toContain('more than 20% below the plan of 20');
    expect(await banner.textContent()).toContain('Trunk carrier-a: its circuit breaker is open');
    await shot(page, 'alerts.png');
    // Back to plan: the alerts clear.
    day.trunks[0] = { id: 'carrier-a', breaker: 'closed' };
    await card.locator('.plan-form input[name="agents"]').fill('10');
    await card.locator('.plan-form input[name="outboundPerHour"]').fill('100000');
    await card.locator('.plan-form button[type="submit"]').click();
    await expect.poll(() => banner.isVisible(), { timeout: 20_000 }).toBe(false);
    await page.close();
  });
});
