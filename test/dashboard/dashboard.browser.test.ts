import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvListImporter } from '@paceline/cli';
import { parseCampaign, systemClock } from '@paceline/core';
import { dashboardPlugin } from '@paceline/dashboard';
import type { EngineSimulation } from '@paceline/sim';
import Fastify from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../support/chromium';
import { retentionDay } from './floor-harness';

const TOKEN = 'test-token-0123456789abcdef';
const VIEWER = 'viewer-token-0123456789abcdef';
const haveChromium = chromiumAvailable('dashboard browser test');

describe.skipIf(!haveChromium)('the dashboard in headless Chromium, over a live engine simulation', () => {
  const startAt = Date.UTC(2026, 10, 23, 14, 0); // Monday 09:00 in New York
  let sim: EngineSimulation;
  let campaignInput: Awaited<ReturnType<typeof retentionDay>>['campaignInput'];
  let app: ReturnType<typeof Fastify>;
  let browser: Browser;
  let base: string;
  let running = true;
  let driving: Promise<void>;
  const artifacts = process.env.PACELINE_ARTIFACTS ?? mkdtempSync(join(tmpdir(), 'paceline-dashboard-'));

  beforeAll(async () => {
    const day = await retentionDay({
      id: 'retention-live',
      name: 'Retention — live test',
      seed: 11,
      startAt,
      customers: 1_500,
      agents: 10,
    });
    sim = day.sim;
    campaignInput = day.campaignInput;
    app = Fastify();
    await app.register(dashboardPlugin, {
      prefix: '/dashboard',
      dialer: sim.dialer,
      campaigns: [parseCampaign(campaignInput)],
      tokens: { manager: TOKEN, viewer: VIEWER },
      clock: sim.clock,
      ticker: systemClock(),
      updateEveryMs: 250,
      historyEveryMs: 5 * 60_000,
      importList: csvListImporter(sim.dialer, { mapping: { phones: ['phone'], firstName: 'first_name' }, country: 'US' }),
    });
    base = `${await app.listen({ port: 0, host: '127.0.0.1' })}/dashboard`;
    // Virtual time moves 60 s every 40 ms of wall time while the test watches.
    driving = (async () => {
      for (let t = startAt; running && t < startAt + 8 * 3_600_000; t += 60_000) {
        await sim.runUntil(t);
        await new Promise((r) => setTimeout(r, 40));
      }
    })();
    browser = await launchChromium();
  });

  afterAll(async () => {
    running = false;
    await driving;
    await browser?.close();
    await app?.close();
    await sim?.close();
  });

  it('answers 401 on every route without the token', async () => {
    for (const path of ['/', '/events', '/api/campaigns', '/assets/dashboard.js']) {
      expect((await fetch(`${base}${path}`)).status).toBe(401);
    }
    expect((await fetch(`${base}/api/campaigns/retention-live/pause`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong-token-0123456789`)).status).toBe(401);
  });

  it('exchanges the token for a session and drops it from the address bar', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${base}/?token=${TOKEN}`);
    expect(page.url()).toBe(`${base}/`);
    expect(new URL(page.url()).search).toBe('');
    await expect.poll(() => page.locator('[data-f="name"]').first().textContent()).toBe('Retention — live test');
    const [cookie, ...others] = await context.cookies();
    expect(others).toEqual([]);
    expect(cookie).toMatchObject({ name: 'paceline_session', httpOnly: true, sameSite: 'Strict', secure: false, path: '/dashboard' });
    expect(cookie?.value).not.toContain(TOKEN);
    expect(cookie?.expires).toBeGreaterThan(Date.now() / 1_000);
    // Only the first request carried the token; the page, its assets and its stream did not.
    expect(requests.filter((url) => url.includes(TOKEN))).toEqual([`${base}/?token=${TOKEN}`]);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe(''); // HttpOnly: no script can read it
    await context.close();
  });

  it('gives a viewer session the live page but no way to pause', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/?token=${VIEWER}`);
    expect(page.url()).toBe(`${base}/`);
    const card = page.locator('section.campaign[data-campaign="retention-live"]');
    await expect.poll(() => card.locator('[data-f="name"]').textContent()).toBe('Retention — live test');
    await expect.poll(() => page.locator('body').getAttribute('data-role')).toBe('viewer');
    expect(await card.locator('button[data-action="pause"]').isVisible()).toBe(false);
    const before = (await sim.status()).state;
    // Even a hand-made request from the viewer's page (its cookie, the write header) is refused.
    const answer = await page.evaluate(async (url) => {
      const res = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'x-paceline-dashboard': '1' } });
      return { status: res.status, body: (await res.json()) as { error: string } };
    }, `${base}/api/campaigns/retention-live/pause`);
    expect(answer.status).toBe(403);
    expect(answer.body.error).toContain('manager role');
    expect((await sim.status()).state).toBe(before);
    expect(before).not.toBe('paused');
    await context.close();
  });

  it('attaches the upload card even when its script arrives after the campaigns (slow asset)', async () => {
    // CI once saw an upload card whose file input did nothing: list-upload.js came later than
    // the first render, which skipped attaching. The script is held back here on purpose.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.route('**/assets/list-upload.js', async (route) => {
      const response = await route.fetch();
      await new Promise((r) => setTimeout(r, 1_500));
      await route.fulfill({ response });
    });
    await page.goto(`${base}/?token=${TOKEN}`);
    const card = page.locator('section.campaign[data-campaign="retention-live"]');
    await expect.poll(() => card.locator('[data-f="name"]').textContent()).toBe('Retention — live test');
    await card
      .locator('input[type="file"]')
      .setInputFiles({ name: 'slow.csv', mimeType: 'text/csv', buffer: Buffer.from('phone,first_name\n+1 212 555 0100,Ann\n') });
    await expect.poll(() => card.locator('.upload-preview th').allTextContents()).toEqual(['0: phone', '1: first_name']);
    await context.close();
  });

  it('shows live numbers that move, pauses the campaign, changes pacing, uploads a list safely, and takes a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/?token=${TOKEN}`);
    const card = page.locator('section.campaign[data-campaign="retention-live"]');
    await expect.poll(() => card.locator('[data-f="name"]').textContent()).toBe('Retention — live test');
    const dials = card.locator('[data-f="dials"]');
    await expect.poll(async () => Number((await dials.textContent())?.replace(/,/g, '')), { timeout: 15_000 }).toBeGreaterThan(0);
    const first = Number((await dials.textContent())?.replace(/,/g, ''));
    await expect.poll(async () => Number((await dials.textContent())?.replace(/,/g, '')), { timeout: 15_000 }).toBeGreaterThan(first);
    expect(await card.locator('[data-f="state"]').textContent()).toBe('running');
    await expect.poll(async () => card.locator('[data-f="reason"]').textContent()).not.toBe('no decision yet');
    expect(await card.locator('[data-f="rate24h"]').textContent()).toMatch(/^\d+\.\d\d%$/);

    // Let the chart gather a few points, then take the screenshot while it runs.
    await page.waitForTimeout(2_500);
    mkdirSync(artifacts, { recursive: true });
    const shot = join(artifacts, 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`dashboard screenshot: ${shot}`);

    await card.locator('button[data-action="pause"]').click();
    await expect.poll(() => card.locator('[data-f="state"]').textContent()).toBe('paused');
    expect((await sim.status()).state).toBe('paused');
    expect(await card.locator('button[data-action="resume"]').isEnabled()).toBe(true);

    await card.locator('input[name="abandonTarget"]').fill('2');
    await card.locator('.pacing-form button[type="submit"]').click();
    await expect.poll(async () => card.locator('[data-f="target"]').textContent()).toBe('2.0%');

    const csv = 'phone,first_name\n+1 212 555 0177,"<img src=x onerror=""window.__pwned=1"">"\nnot-a-phone,Bob\n';
    await card.locator('input[type="file"]').setInputFiles({ name: 'evil<b>.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    // The preview: how the file reads, its header and first rows, and the mapping prefilled by position.
    await expect.poll(() => card.locator('.upload-preview th').allTextContents()).toEqual(['0: phone', '1: first_name']);
    expect(await card.locator('.upload-preview').textContent()).toContain('Read as CSV, utf-8, delimiter ,');
    expect(await card.locator('.upload-mapping select').first().inputValue()).toBe('0');
    expect(await card.locator('.upload-preview img').count()).toBe(0);
    await card.locator('.upload-form button[type="submit"]').click();
    const report = card.locator('.import-report');
    await expect.poll(() => report.textContent()).toContain('1 imported, 1 rejected of 2 rows');
    expect(await report.locator('td').allTextContents()).toContain('bad-phone');
    expect(await report.locator('td').allTextContents()).toContain(
      'phone: not a phone number ("not-a-phone"): a phone cell holds only the number, with spaces, + - . ( ) and an optional extension such as "ext. 12"',
    );
    expect(await report.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'dashboard-paused.png'), fullPage: true });
  });
});
