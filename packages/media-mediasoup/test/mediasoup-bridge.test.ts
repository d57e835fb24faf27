import { systemClock } from '@paceline/core';
import type { types as ms } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediasoupBridge, type MediasoupBridge } from '../src/index';
import { mediasoupWorkerBin } from './support/mediasoup-worker';
import { openRtpCounter, openRtpPhone } from './support/rtp-sender';

const bin = mediasoupWorkerBin();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** tidy: wait (real time, bounded) until `condition` holds, rather than counting packets after a fixed sleep. */
async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Counts of mediasoup objects alive in the router, from the worker's own dump (3.12: maps as objects; 3.13+: arrays of entries). */
async function routerCounts(router: ms.Router) {
  const d = (await router.dump()) as unknown as {
    transportIds: string[];
    mapProducerIdConsumerIds: Record<string, string[]> | unknown[];
    mapConsumerIdProducerId: Record<string, string> | unknown[];
  };
  const size = (m: object) => (Array.isArray(m) ? m.length : Object.keys(m).length);
  return {
    transports: d.transportIds.length,
    producers: size(d.mapProducerIdConsumerIds),
    consumers: size(d.mapConsumerIdProducerId),
  };
}

describe.skipIf(!bin)('MediasoupBridge on a real worker', () => {
  let worker: ms.Worker;
  let bridge: MediasoupBridge;
  const tone = new Uint8Array(8_000).fill(0xff); // 1 s of µ-law silence-ish, 50 frames

  beforeAll(async () => {
    const mediasoup = await import('mediasoup');
    worker = await mediasoup.createWorker({ logLevel: 'error' });
    bridge = await createMediasoupBridge({
      worker,
      clock: systemClock(),
      mediasoupVersion: mediasoup.version,
      messages: { 'safe-harbour': tone, hold: tone },
      holdMessageId: 'hold',
    });
  });
  afterAll(async () => {
    await bridge?.close();
    worker?.close();
  });

  it('latches an unknown SSRC, bridges the caller to the agent and plays hold audio after unbridging', async () => {
    const phone = await openRtpPhone();
    const agentEnd = await openRtpCounter();
    await bridge.openAgent('ana', { plainRtp: { ip: '127.0.0.1', port: agentEnd.port } });
    const leg = await bridge.openCallLeg('call-1');
    expect(leg).toMatchObject({ ip: '127.0.0.1', codec: 'PCMU', payloadType: 0 });
    phone.start(leg, 0x1234_5678);
    const bridged: string[] = [];
    bridge.on('bridged', (e) => bridged.push(`${e.callId}→${e.agentId}`));
    await bridge.connect('call-1', 'ana');
    expect(bridged).toEqual(['call-1→ana']);
    await until(() => agentEnd.count() > 15, "16 of the caller's frames at the agent's end");
    expect(agentEnd.count()).toBeGreaterThan(15); // the phone sends 50 frames/s; the first go to the latch hand-over
    const before = phone.received;
    await bridge.unbridge('call-1');
    await until(() => phone.received - before > 8, 'hold audio back to the caller');
    expect(bridge.stats()).toMatchObject({ bridges: 0, playbacks: 1 }); // the hold message loops
    expect(phone.received - before).toBeGreaterThan(8); // hold audio back to the caller
    await bridge.disconnect('call-1');
    phone.close();
    agentEnd.close();
    await bridge.closeAgent('ana');
    expect(bridge.stats()).toEqual({ agents: 0, legs: 0, bridges: 0, playbacks: 0, taps: 0 });
  });

  it('plays the safe-harbour message to an unbridged caller to the end, and taps a call to a recorder', async () => {
    const phone = await openRtpPhone();
    const recorder = await openRtpCounter();
    const leg = await bridge.openCallLeg('call-2', { ssrc: 42, remote: { ip: '127.0.0.1', port: phone.port } });
    phone.start(leg, 42);
    const stopTap = await bridge.tapCall('call-2', { ip: '127.0.0.1', port: recorder.port });
    const startedAt = Date.now();
    await bridge.playToCaller('call-2', 'safe-harbour');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900); // 50 frames × 20 ms
    // tidy: the last frames may still be on their way through the worker when the play resolves
    await until(() => phone.received >= 45 && recorder.count() > 30, 'the message at the phone and the tap at the recorder');
    expect(phone.received).toBeGreaterThanOrEqual(45);
    expect(recorder.count()).toBeGreaterThan(30);
    stopTap();
    await bridge.disconnect('call-2');
    phone.close();
    recorder.close();
    await expect(bridge.playToCaller('call-2', 'safe-harbour')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });

  it('is the CallLegs a relaying trunk uses: local address, and closing a leg twice (engine, trunk, host) is harmless', async () => {
    const leg = await bridge.openCallLeg('legs-1', { ssrc: 7, remote: { ip: '127.0.0.1', port: 9 } });
    expect(leg).toMatchObject({ callId: 'legs-1', ip: '127.0.0.1', localIp: '127.0.0.1', codec: 'PCMU', payloadType: 0 });
    expect(await bridge.openCallLeg('legs-1')).toEqual(leg); // idempotent per call id
    const before = await routerCounts(bridge.router);
    await bridge.closeCallLeg('legs-1');
    await bridge.disconnect('legs-1');
    await bridge.closeCallLeg('never-opened');
    const after = await routerCounts(bridge.router);
    expect(after.transports).toBe(before.transports - 1);
    expect(bridge.stats()).toMatchObject({ legs: 0 });
  });

  it('fails connect within the wait when no RTP arrives, so the engine can abandon in time', async () => {
    const agentEnd = await openRtpCounter();
    await bridge.openAgent('bo', { plainRtp: { ip: '127.0.0.1', port: agentEnd.port } });
    await bridge.openCallLeg('silent');
    await expect(bridge.connect('silent', 'bo')).rejects.toMatchObject({ code: 'E_TRUNK_UNAVAILABLE' });
    await bridge.disconnect('silent');
    await bridge.closeAgent('bo');
    agentEnd.close();
  });

  it('leaks no transport, producer or consumer after 1,000 calls bridged to WebRTC agents and hung up', async () => {
    const mediasoupCaps = bridge.rtpCapabilities; // a browser that supports exactly the router's codec
    await bridge.openAgent('a1', { rtpCapabilities: mediasoupCaps });
    await bridge.openAgent('a2', { rtpCapabilities: mediasoupCaps });
    const baseline = await routerCounts(bridge.router);
    expect(baseline).toEqual({ transports: 4, producers: 0, consumers: 0 });
    const t0 = Date.now();
    for (let i = 0; i < 1_000; i++) {
      const callId = `leak-${i}`;
      await bridge.openCallLeg(callId, { ssrc: 1_000 + i });
      await bridge.connect(callId, i % 2 ? 'a1' : 'a2');
      if (i % 10 === 0) await bridge.transfer(callId, i % 2 ? 'a2' : 'a1');
      await bridge.disconnect(callId);
    }
    const elapsedMs = Date.now() - t0;
    expect(elapsedMs).toBeLessThan(30_000); // ~0.7 s measured: bridging is cheap
    expect(await routerCounts(bridge.router)).toEqual(baseline);
    expect(bridge.stats()).toMatchObject({ legs: 0, bridges: 0, playbacks: 0, taps: 0 });
    await bridge.closeAgent('a1');
    await bridge.closeAgent('a2');
    expect(await routerCounts(bridge.router)).toEqual({ transports: 0, producers: 0, consumers: 0 });
    const dump = (await worker.dump()) as unknown as { routerIds: string[] };
    expect(dump.routerIds).toEqual([bridge.router.id]);
  }, 120_000);
});
