import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentDesk } from '../../examples/agent-desk/server';
import { mediasoupWorkerBin } from '../../packages/media-mediasoup/test/support/mediasoup-worker';
import { openRtpSink, type RtpSink } from '../../packages/trunk-sip/test/support/rtp-sink';
import { type SippPeer, sippAvailable, startSipp } from '../../packages/trunk-sip/test/support/sipp';
import { writeTalkWav } from '../../packages/trunk-sip/test/support/talk';
import { chromiumAvailable, launchChromium } from '../support/chromium';

const bin = mediasoupWorkerBin();
const haveChromium = chromiumAvailable('agent-desk browser test');
const haveSipp = sippAvailable();
if (!haveSipp && process.env.CI === 'true') throw new Error('agent-desk browser test: sipp not found (apt-get install sip-tester)');
if (!haveSipp) console.warn('agent-desk browser test skipped: sipp not found (apt-get install sip-tester)');

/**
 * The agent desk end to end in headless Chromium with fake media devices, on the SIP trunk
 * with SIPp as the carrier: the page logs in and goes ready, the engine dials, SIPp answers
 * and plays PCMU towards the trunk, the trunk relays it into the call's mediasoup leg, the
 * page hears it (its own `getStats()` counts inbound audio packets rising), the page's
 * microphone reaches the caller (RTP arrives where SIPp's SDP answer asked for it), and the
 * disposition set on the page reaches the engine.
 */
describe.skipIf(!bin || !haveChromium || !haveSipp)('agent desk in a real browser, SIPp calling in', () => {
  let desk: AgentDesk;
  let browser: Browser;
  let sipp: SippPeer;
  let carrierEar: RtpSink;
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'agent-desk-'));
    writeTalkWav(dir);
    carrierEar = await openRtpSink();
    sipp = await startSipp('talk.xml', dir, undefined, ['-set', 'rtp_sink', String(carrierEar.port)]);
    const { startAgentDesk } = await import('../../examples/agent-desk/server');
    desk = await startAgentDesk({ port: 0, contacts: 1, sip: { host: '127.0.0.1', port: sipp.port } });
    browser = await launchChromium([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await desk?.close();
    await sipp?.stop();
    await carrierEar?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('bridges a call from SIPp to the page, audio flows both ways, and the disposition reaches the engine', async () => {
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
    const earFirst = carrierEar.packets.length;
    await page.waitForTimeout(1_000);
    const second = await inbound();
    expect(second - first).toBeGreaterThan(30); // 50 packets/s of G.711 while bridged
    // The agent's fake microphone, through mediasoup and the trunk's relay, to the caller.
    const toCaller = carrierEar.packets.slice(earFirst);
    expect(toCaller.length).toBeGreaterThan(30);
    expect(new Set(toCaller.map((p) => p.payloadType))).toEqual(new Set([0]));
    expect(new Set(toCaller.map((p) => p.ssrc)).size).toBe(1);

    const dispositioned = new Promise<{ callId: string; code: string }>((resolve) => desk.dialer.on('dispositioned', (d) => resolve(d)));
    await page.click('#dispositions button[data-code="SAVED"]');
    expect(await dispositioned).toMatchObject({ callId, code: 'SAVED' });
    await page.waitForSelector('#last-disposition:has-text("SAVED")');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
