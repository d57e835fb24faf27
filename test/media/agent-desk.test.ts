import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentDesk } from '../../examples/agent-desk/server';
import { mediasoupWorkerBin } from '../../packages/media-mediasoup/test/support/mediasoup-worker';
import { chromiumAvailable, launchChromium } from '../support/chromium';

const bin = mediasoupWorkerBin();
const haveChromium = chromiumAvailable('agent-desk browser test');

/**
 * The agent desk end to end in headless Chromium with fake media devices: the page logs in,
 * goes ready, is offered a call, hears the customer's RTP through mediasoup (its own
 * `getStats()` counts inbound audio packets rising) and sets a disposition that reaches the engine.
 */
describe.skipIf(!bin || !haveChromium)('agent desk in a real browser', () => {
  let desk: AgentDesk;
  let browser: Browser;

  beforeAll(async () => {
    const { startAgentDesk } = await import('../../examples/agent-desk/server');
    desk = await startAgentDesk({ port: 0, contacts: 3 });
    browser = await launchChromium([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await desk?.close();
  });

  it('bridges a call to the page, audio flows, and the disposition reaches the engine', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('dialog', (d) => {
      pageErrors.push(d.message());
      void d.dismiss();
    });
    await page.goto(desk.url);
    await page.fill('#agent-id', 'ana');
    await page.click('#login-btn');
    await page.waitForSelector('#desk:not([hidden])', { timeout: 10_000 });
    const offered = new Promise<string>((resolve) => desk.dialer.on('connected', (o) => resolve(o.callId)));
    await page.click('#ready-btn');
    const callId = await offered;
    await page.waitForFunction((id) => (globalThis as never as { desk: { callId: () => string } }).desk.callId() === id, callId, {
      timeout: 10_000,
    });
    await page.waitForSelector('#offers li', { timeout: 10_000 });
    expect(await page.textContent('#contact-name')).toContain('c');

    const inbound = () =>
      page.evaluate(() => (globalThis as never as { desk: { inboundPackets: () => Promise<number> } }).desk.inboundPackets());
    await page.waitForFunction(
      () => (globalThis as never as { desk: { inboundPackets: () => Promise<number> } }).desk.inboundPackets().then((n) => n > 10),
      undefined,
      { timeout: 10_000, polling: 200 },
    );
    const first = await inbound();
    await page.waitForTimeout(1_000);
    const second = await inbound();
    expect(second - first).toBeGreaterThan(30); // 50 packets/s of G.711 while bridged

    const dispositioned = new Promise<{ callId: string; code: string }>((resolve) => desk.dialer.on('dispositioned', (d) => resolve(d)));
    await page.click('#dispositions button[data-code="SAVED"]');
    expect(await dispositioned).toMatchObject({ callId, code: 'SAVED' });
    await page.waitForSelector('#last-disposition:has-text("SAVED")');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
