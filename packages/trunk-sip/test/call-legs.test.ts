import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CallLegInfo, type CallLegOptions, type CallLegs, seededRandom, systemClock, type TrunkEvent } from '@paceline/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSipTrunk, decodeG711, encodeG711, type SipTrunk } from '../src/index';
import { openRtpSink, type RtpSink, rtpPacket } from './support/rtp-sink';
import { type SippPeer, sippAvailable, startSipp } from './support/sipp';
import { isPartOf, writeTalkWav } from './support/talk';

const haveSipp = sippAvailable();
if (!haveSipp && process.env.CI === 'true') throw new Error('trunk-sip call-leg tests need sipp under CI: apt-get install sip-tester');
if (!haveSipp) console.warn('trunk-sip: sipp missing; skipping the call-leg relay tests (apt-get install sip-tester)');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A media plane made of plain UDP sockets, standing in for the mediasoup bridge: each leg
 * records what the trunk relays into it and can send the caller's audio back.
 */
function socketLegs(codec: 'PCMU' | 'PCMA', openDelayMs = 0) {
  const opened: { callId: string; options: CallLegOptions | undefined }[] = [];
  const closed: string[] = [];
  const sinks = new Map<string, RtpSink>();
  const legs: CallLegs & { fail?: boolean } = {
    async openCallLeg(callId, options) {
      opened.push({ callId, options });
      if (openDelayMs) await sleep(openDelayMs);
      if (legs.fail) throw new Error('media plane down');
      const sink = await openRtpSink();
      sinks.set(callId, sink);
      const info: CallLegInfo = {
        callId,
        ip: '203.0.113.10',
        localIp: '127.0.0.1',
        port: sink.port,
        codec,
        payloadType: codec === 'PCMU' ? 0 : 8,
      };
      return info;
    },
    async closeCallLeg(callId) {
      closed.push(callId);
      await sinks.get(callId)?.close();
      sinks.delete(callId);
    },
  };
  return { legs, opened, closed, sinks };
}

describe.skipIf(!haveSipp)('trunk-sip relays a call to the media plane (SIPp talk.xml)', () => {
  let dir = '';
  let talk: Uint8Array;
  let sipp: SippPeer;
  let carrierEar: RtpSink; // where SIPp's SDP answer sends the trunk's RTP: what the caller hears
  let trunk: SipTrunk | undefined;
  let events: TrunkEvent[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trunk-sip-legs-'));
    talk = writeTalkWav(dir);
    carrierEar = await openRtpSink();
    sipp = await startSipp('talk.xml', dir, undefined, ['-set', 'rtp_sink', String(carrierEar.port)]);
  });
  afterEach(async () => {
    await trunk?.close();
    trunk = undefined;
  });
  afterAll(async () => {
    await sipp?.stop();
    await carrierEar?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (legs: CallLegs) => {
    trunk = await createSipTrunk({
      trunks: [{ id: 'carrier', host: '127.0.0.1', port: sipp.port }],
      clock: systemClock(),
      random: seededRandom(3),
      callLegs: legs,
      rtpSource: 'sdp-address', // talk.xml sends from its media port and asks for our RTP at the test's ear
      sipTimers: { t1Ms: 200 },
    });
    events = [];
    trunk.onEvent((e) => events.push(e));
    return trunk;
  };
  const until = async (predicate: () => boolean, maxMs = 8_000) => {
    for (let waited = 0; !predicate() && waited < maxMs; waited += 50) await sleep(50);
    expect(predicate()).toBe(true);
  };
  const call = async (t: SipTrunk, callId: string) => {
    await t.originate({ callId, campaignId: 'c', to: '+14155550001', callerId: '+14155550100', ringTimeoutMs: 15_000 });
  };

  it("opens the call's leg on answer, relays SIPp's RTP into it under the announced SSRC, and the leg's RTP to the caller", async () => {
    const { legs, opened, closed, sinks } = socketLegs('PCMU');
    const t = await open(legs);
    await call(t, 'r1');
    await until(() => events.some((e) => e.type === 'analysed'));
    expect(events.find((e) => e.type === 'analysed')).toMatchObject({ result: 'human' });
    // Opened once, when answered (before AMD decided), with our SSRC and relay address.
    expect(opened).toHaveLength(1);
    const options = opened[0]?.options;
    expect(options).toMatchObject({ ssrc: expect.any(Number), remote: { ip: '127.0.0.1', port: expect.any(Number) } });
    const leg = sinks.get('r1');
    if (!leg) throw new Error('no leg');

    // Carrier → leg: SIPp's own frames, one SSRC, consecutive sequence numbers, 160 samples apart
    // (tidy: waits for 41 frames rather than counting them after a fixed sleep: the run of
    // consecutive sequence numbers and timestamps below is what shows a steady 50 packets/s stream).
    await until(() => leg.packets.length > 40);
    const inbound = [...leg.packets];
    expect(inbound.length).toBeGreaterThan(40);
    expect(new Set(inbound.map((p) => p.ssrc))).toEqual(new Set([options?.ssrc]));
    expect(inbound.every((p) => p.payloadType === 0)).toBe(true);
    // What SIPp plays, byte for byte (a loop's last, padded frame may not match).
    expect(inbound.filter((p) => isPartOf(talk, p.payload)).length).toBeGreaterThanOrEqual(inbound.length - 1);
    for (let i = 1; i < inbound.length; i++) {
      expect(((inbound[i]?.sequenceNumber ?? 0) - (inbound[i - 1]?.sequenceNumber ?? 0)) & 0xffff).toBe(1);
      expect(((inbound[i]?.timestamp ?? 0) - (inbound[i - 1]?.timestamp ?? 0)) >>> 0).toBe(160);
    }
    expect(inbound.every((p) => p.from.port === options?.remote?.port)).toBe(true);

    // Leg → carrier: two senders one after the other (hold audio, then the agent's consumer).
    const before = carrierEar.packets.length;
    const voice = (n: number) => new Uint8Array(160).fill(0x10 + (n % 0x60));
    for (let n = 0; n < 20; n++)
      leg.send(
        options?.remote ?? { ip: '', port: 0 },
        rtpPacket({ payloadType: 0, sequenceNumber: 5_000 + n, timestamp: 90_000 + n * 160, ssrc: 0xaaaa }, voice(n)),
      );
    for (let n = 20; n < 40; n++)
      leg.send(
        options?.remote ?? { ip: '', port: 0 },
        rtpPacket({ payloadType: 0, sequenceNumber: 60_000 + n, timestamp: 7 + n * 160, ssrc: 0xbbbb }, voice(n)),
      );
    await until(() => carrierEar.packets.length - before >= 40); // tidy: the default bound (was 2 s)
    const heard = carrierEar.packets.slice(before);
    expect(heard.map((p) => p.payload[0])).toEqual(Array.from({ length: 40 }, (_, n) => 0x10 + (n % 0x60)));
    expect(new Set(heard.map((p) => p.ssrc)).size).toBe(1); // one stream for the carrier across the switch
    for (let i = 1; i < heard.length; i++) {
      expect(((heard[i]?.sequenceNumber ?? 0) - (heard[i - 1]?.sequenceNumber ?? 0)) & 0xffff).toBe(1);
      expect(((heard[i]?.timestamp ?? 0) - (heard[i - 1]?.timestamp ?? 0)) >>> 0).toBe(160);
    }
    expect(heard[20]?.marker).toBe(true); // a new talkspurt where the sender changed

    await t.hangup('r1');
    await until(() => closed.length === 1);
    expect(closed).toEqual(['r1']);
    await t.close();
    expect(t.stats()).toMatchObject({ callsInFlight: 0, openSockets: 0 });
  });

  it('transcodes µ-law ⇄ A-law when the media plane carries PCMA and the carrier chose PCMU', async () => {
    const { legs, sinks } = socketLegs('PCMA');
    const t = await open(legs);
    await call(t, 'r2');
    await until(() => (sinks.get('r2')?.packets.length ?? 0) > 10);
    const leg = sinks.get('r2');
    if (!leg) throw new Error('no leg');
    // Every A-law frame is SIPp's µ-law frame re-encoded (byte by byte, so at any offset).
    const talkAlaw = encodeG711('PCMA', decodeG711('PCMU', talk));
    const frames = leg.packets.slice(0, 10);
    expect(frames.every((p) => p.payloadType === 8)).toBe(true);
    expect(frames.filter((p) => isPartOf(talkAlaw, p.payload)).length).toBeGreaterThanOrEqual(9);

    const before = carrierEar.packets.length;
    const tone = Int16Array.from({ length: 160 }, (_, i) => Math.round(5_000 * Math.sin((2 * Math.PI * 400 * i) / 8000)));
    const relay = leg.packets[0]?.from ?? { address: '', port: 0 };
    leg.send(
      { ip: relay.address, port: relay.port },
      rtpPacket({ payloadType: 8, sequenceNumber: 1, timestamp: 0, ssrc: 9 }, encodeG711('PCMA', tone)),
    );
    await until(() => carrierEar.packets.length > before); // tidy: the default bound (was 2 s)
    const heard = carrierEar.packets[before];
    expect(heard?.payloadType).toBe(0);
    expect(heard?.payload).toEqual(encodeG711('PCMU', decodeG711('PCMA', encodeG711('PCMA', tone))));
    await t.hangup('r2');
  });

  it('says analysed only once the leg is open, closes a leg that opens after the call ended, and goes on without a media plane', async () => {
    // AMD decides about 1.3 s after the answer; this media plane takes 2 s to open a leg.
    const slow = socketLegs('PCMU', 2_000);
    const t = await open(slow.legs);
    const legOpenWhenAnalysed: boolean[] = [];
    t.onEvent((e) => e.type === 'analysed' && legOpenWhenAnalysed.push(slow.sinks.has(e.callId)));
    await call(t, 'r3');
    await until(() => events.some((e) => e.type === 'analysed' && e.callId === 'r3'));
    expect(legOpenWhenAnalysed).toEqual([true]); // the engine may connect the agent at once
    await t.hangup('r3');
    await call(t, 'r5');
    await until(() => events.some((e) => e.type === 'answered' && e.callId === 'r5'));
    await t.hangup('r5'); // while its leg is still opening
    await until(() => slow.closed.length === 2);
    expect(slow.closed).toEqual(['r3', 'r5']);
    expect(slow.sinks.size).toBe(0);
    expect(events.filter((e) => e.callId === 'r5').map((e) => e.type)).toEqual(['ringing', 'answered', 'ended']);
    await t.close();
    expect(t.stats().openSockets).toBe(0);

    const down = socketLegs('PCMU');
    down.legs.fail = true;
    const t2 = await open(down.legs);
    await call(t2, 'r4');
    await until(() => events.some((e) => e.type === 'analysed'));
    await t2.hangup('r4');
    expect(events.find((e) => e.type === 'ended')).toMatchObject({ outcome: 'human', cause: 'hangup' });
    expect(down.closed).toEqual([]);
  });
});
