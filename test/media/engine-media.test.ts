import { type Clock, type MediaBridge, seededRandom, silentLogger, systemClock } from '@paceline/core';
import { type CallOffer, createDialer } from '@paceline/engine';
import { createMediasoupBridge } from '@paceline/media-mediasoup';
import { createSimTrunk } from '@paceline/trunk-sim';
import { describe, expect, it } from 'vitest';
import { mediasoupWorkerBin } from '../../packages/media-mediasoup/test/support/mediasoup-worker';
import { openRtpCounter, openRtpPhone } from '../../packages/media-mediasoup/test/support/rtp-sender';

const bin = mediasoupWorkerBin();

/** Real timers on a clock that reads Monday 15:00 in New York (the calling window is open). */
function officeHoursClock(): Clock {
  const real = systemClock();
  const offset = Date.UTC(2026, 10, 23, 20, 0) - real.now();
  return { now: () => real.now() + offset, setTimer: (ms, cb) => real.setTimer(ms, cb), clearTimer: (h) => real.clearTimer(h) };
}

describe.skipIf(!bin)('engine + mediasoup bridge', () => {
  it("a live answer's PCMU RTP reaches the agent the engine connects, within the 2-second rule", async () => {
    const mediasoup = await import('mediasoup');
    const worker = await mediasoup.createWorker({ logLevel: 'error' });
    const clock = officeHoursClock();
    const bridge = await createMediasoupBridge({ worker, clock, mediasoupVersion: mediasoup.version });
    const trunk = createSimTrunk({
      clock,
      random: seededRandom(1),
      model: { plan: () => ({ outcome: 'human', ringingAfterMs: 100, resolveAfterMs: 300, analysisAfterMs: 400 }) },
    });
    const media: MediaBridge = {
      connect: async (callId, agentId) => {
        await trunk.media.connect(callId, agentId);
        await bridge.connect(callId, agentId);
      },
      disconnect: (callId) => bridge.disconnect(callId),
      close: () => bridge.close(),
    };
    const dialer = createDialer({ trunk, media, clock, random: seededRandom(2), logger: silentLogger, tickIntervalMs: 100 });
    // The carrier's side: on answer, the trunk opens the leg and the callee's phone streams PCMU into it.
    const phone = await openRtpPhone();
    dialer.on('answered', ({ callId }) => {
      void bridge.openCallLeg(callId).then((leg) => phone.start(leg, 0xcafe));
    });
    dialer.on('ended', ({ callId }) => void bridge.disconnect(callId));
    const agentEnd = await openRtpCounter();
    await bridge.openAgent('ana', { plainRtp: { ip: '127.0.0.1', port: agentEnd.port } });

    await dialer.addCampaign({
      id: 'camp',
      name: 'Camp',
      goal: 'retention',
      dialMode: 'progressive',
      complianceProfile: 'us-federal',
      callerId: '+12125550100',
      homeTimeZone: 'America/New_York',
    });
    await dialer.addContacts('camp', [{ id: 'c1', phones: [{ number: '+12125550123' }], state: 'NY' }]);
    const connected = new Promise<CallOffer>((resolve) => dialer.on('connected', resolve));
    dialer.loginAgent({ id: 'ana', name: 'Ana' }, ['camp']);
    dialer.ready('ana');
    await dialer.start('camp');
    const offer = await connected;
    expect(offer.latencyMs).toBeLessThan(2_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const count = agentEnd.count();
    expect(count).toBeGreaterThan(40);
    await dialer.disposition(offer.callId, 'SAVED');
    await new Promise((r) => setTimeout(r, 100));
    expect(bridge.stats()).toMatchObject({ legs: 0, bridges: 0 });
    phone.close();
    agentEnd.close();
    await dialer.close();
    await bridge.close();
    worker.close();
  }, 30_000);
});
