import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallLegInfo, CallLegOptions, CallLegs, TrunkEvent } from '@paceline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SipTrunkOptions } from '../src/index';
import { callerPort, type SippCaller, startCaller } from './support/caller';
import { type Harness, harness } from './support/harness';
import { openRtpSink, type RtpSink, rtpPacket } from './support/rtp-sink';
import { scenarioFrom, sippAvailable } from './support/sipp';
import { isPartOf, writeTalkWav } from './support/talk';

// Inbound calls with SIPp as the caller (the carrier's UAC), on real time: what the engine
// hears, when, what the caller got, and that no call, transaction, dialog or socket is left.

const haveSipp = sippAvailable();
if (!haveSipp && process.env.CI === 'true') throw new Error('trunk-sip inbound tests need sipp under CI: apt-get install sip-tester');

const LINE = '+14155550100'; // a campaign's caller ID
const SERVICE = '+14155550200'; // a service line
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const now = () => Date.now();
type Incoming = Extract<TrunkEvent, { type: 'incoming' }>;

let dir = '';
let talk: Uint8Array;
const callers: SippCaller[] = [];
const sinks: RtpSink[] = [];

/** A media plane of UDP sockets (standing in for the mediasoup bridge), one per leg. */
function socketLegs() {
  const opened = new Map<string, { options: CallLegOptions | undefined; sink: RtpSink }>();
  const closed: string[] = [];
  const legs: CallLegs = {
    async openCallLeg(callId, options) {
      const sink = await openRtpSink();
      sinks.push(sink);
      opened.set(callId, { options, sink });
      const info: CallLegInfo = { callId, ip: '127.0.0.1', port: sink.port, codec: 'PCMA', payloadType: 8 };
      return info;
    },
    async closeCallLeg(callId) {
      closed.push(callId);
    },
  };
  return { legs, opened, closed };
}

/** A trunk taking inbound calls to LINE and SERVICE from a carrier at `port` (where the caller runs). */
async function inboundTrunk(extra: Partial<SipTrunkOptions> = {}) {
  const port = await callerPort();
  const h = await harness({ trunks: [{ id: 'carrier', host: '127.0.0.1', port }], rtpSource: 'sdp-address', ...extra });
  h.trunk.acceptInbound([LINE, SERVICE]);
  const sipPort = h.trunk.stats().trunks[0]?.localPort ?? 0;
  const dial = async (scenario: string, values: Record<string, string | number>, from = port) => {
    const caller = await startCaller(scenarioFrom(scenario, values, dir), dir, from, sipPort);
    callers.push(caller);
    return caller;
  };
  const incoming = () => h.events.filter((e): e is Incoming => e.type === 'incoming');
  const nextIncoming = async (count = 1) => {
    await h.until(() => incoming().length >= count, 5_000);
    return incoming()[count - 1] as Incoming;
  };
  return { h, dial, incoming, nextIncoming };
}

const talkValues = (ear: RtpSink, over: Record<string, string | number> = {}) => ({
  to: LINE,
  from_user: '+14155550199',
  pai: '+14155550177',
  privacy: 'none',
  rtp_sink: ear.port,
  talk_ms: 20_000,
  ...over,
});

async function ear(): Promise<RtpSink> {
  const sink = await openRtpSink();
  sinks.push(sink);
  return sink;
}

describe.skipIf(!haveSipp).concurrent('trunk-sip inbound: SIPp callers reach the engine, and nothing is left', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trunk-sip-inbound-'));
    talk = writeTalkWav(dir);
  });
  afterAll(async () => {
    await Promise.all(callers.map((c) => c.stop()));
    await Promise.all(sinks.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('offers a call (P-Asserted-Identity as the caller), answers with PCMA from the offer, relays RTP both ways, and our BYE ends it', async () => {
    const media = socketLegs();
    const { h, dial, nextIncoming } = await inboundTrunk({ callLegs: media.legs });
    const carrierEar = await ear();
    const dialled = now();
    const caller = await dial('inbound-talk.xml', talkValues(carrierEar));
    const offer = await nextIncoming();
    expect(offer).toMatchObject({ type: 'incoming', from: '+14155550177', to: LINE });
    expect(offer.at - dialled).toBeLessThan(2_000);
    expect(h.trunk.stats().transactions).toBe(1); // the INVITE server transaction, proceeding
    await h.trunk.answer(offer.callId);
    await expect(h.trunk.answer(offer.callId)).rejects.toMatchObject({ code: 'E_CONFLICT' });
    await h.until(() => (media.opened.get(offer.callId)?.sink.packets.length ?? 0) > 25, 5_000);
    const leg = media.opened.get(offer.callId);
    if (!leg) throw new Error('no leg');
    // Caller → leg: SIPp's own frames (PCMA chosen: the offer's first G.711), one SSRC, as announced.
    const heard = [...leg.sink.packets];
    expect(heard.every((p) => p.payloadType === 8 && p.ssrc === leg.options?.ssrc)).toBe(true);
    expect(heard.filter((p) => isPartOf(talk, p.payload)).length).toBeGreaterThanOrEqual(heard.length - 1);
    // Leg → caller: the agent's voice reaches the address of the caller's SDP offer.
    const relay = leg.options?.remote ?? { ip: '', port: 0 };
    const voice = Uint8Array.from({ length: 160 }, (_, i) => (i * 7) & 0xff);
    for (let n = 0; n < 20; n++) {
      leg.sink.send(relay, rtpPacket({ payloadType: 8, sequenceNumber: n, timestamp: n * 160, ssrc: 0x1234 }, voice));
      await sleep(20);
    }
    await h.until(() => carrierEar.packets.length >= 18, 10_000);
    expect(carrierEar.packets.every((p) => p.payloadType === 8 && Buffer.from(p.payload).equals(Buffer.from(voice)))).toBe(true);
    expect(h.trunk.stats().dialogs).toBe(1);
    await h.trunk.hangup(offer.callId);
    expect(h.of(offer.callId).map((e) => e.type)).toEqual(['incoming', 'ended']);
    expect(h.ended(offer.callId)).toMatchObject({ outcome: 'human', cause: 'hangup' });
    expect(await caller.exited).toBe(0); // SIPp got our BYE and answered it
    await h.until(() => media.closed.includes(offer.callId), 10_000);
    await h.clean();
  }, 30_000);

  it('hangs up at once after answering: the BYE follows the ACK, the call ends once', async () => {
    const { h, dial, nextIncoming } = await inboundTrunk();
    const caller = await dial('inbound-talk.xml', talkValues(await ear(), { to: SERVICE }));
    const offer = await nextIncoming();
    await h.trunk.answer(offer.callId);
    await h.trunk.hangup(offer.callId);
    expect(h.of(offer.callId).map((e) => e.type)).toEqual(['incoming', 'ended']);
    expect(h.ended(offer.callId)).toMatchObject({ outcome: 'human', cause: 'hangup' });
    expect(await caller.exited).toBe(0); // SIPp ACKed the 200, then got our BYE
    await h.clean();
  }, 30_000);

  it('ends a call human when the caller hangs up (BYE) after the answer, on time', async () => {
    const { h, dial, nextIncoming } = await inboundTrunk();
    const caller = await dial('inbound-talk.xml', talkValues(await ear(), { talk_ms: 1_500, to: SERVICE }));
    const offer = await nextIncoming();
    const answered = now();
    await h.trunk.answer(offer.callId);
    await h.until(() => h.ended(offer.callId) !== undefined, 5_000);
    const ended = h.ended(offer.callId);
    expect(ended).toMatchObject({ outcome: 'human', cause: 'remote-bye' });
    expect((ended?.at ?? 0) - answered).toBeGreaterThanOrEqual(1_400);
    expect((ended?.at ?? 0) - answered).toBeLessThan(3_500);
    expect(await caller.exited).toBe(0);
    await h.clean();
  }, 30_000);

  it('ends a queued call no-answer when the caller CANCELs: 200 and 487, ACK absorbed', async () => {
    const { h, dial, nextIncoming } = await inboundTrunk();
    const caller = await dial('inbound-cancel.xml', { to: SERVICE, wait_ms: 1_500 });
    const offer = await nextIncoming();
    expect(offer).toMatchObject({ from: '+14155550199', to: SERVICE });
    await h.until(() => h.ended(offer.callId) !== undefined, 5_000);
    const ended = h.ended(offer.callId);
    expect(ended).toMatchObject({ outcome: 'no-answer', cause: 'caller-cancel' });
    expect((ended?.at ?? 0) - offer.at).toBeGreaterThanOrEqual(1_300);
    expect((ended?.at ?? 0) - offer.at).toBeLessThan(3_500);
    expect(await caller.exited).toBe(0);
    await expect(h.trunk.answer(offer.callId)).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    await h.clean(); // Timer I: the 487's transaction absorbs ACKs for T4 (5 s)
  }, 30_000);

  it('rejects with 486, 480 and 603 (busy, unavailable, declined) and reports no end', async () => {
    const { h, dial, nextIncoming } = await inboundTrunk();
    const table = [
      ['busy', 486],
      ['unavailable', 480],
      ['declined', 603],
    ] as const;
    const results: Promise<number | null>[] = [];
    for (const [i, [reason, code]] of table.entries()) {
      const caller = await dial('inbound-reject.xml', { to: LINE, code }, await callerPort());
      const offer = await nextIncoming(i + 1);
      await h.trunk.reject(offer.callId, reason);
      results.push(caller.exited);
      await expect(h.trunk.reject(offer.callId, reason)).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    }
    expect(await Promise.all(results)).toEqual([0, 0, 0]); // each caller got its code
    expect(h.events.filter((e) => e.type === 'ended')).toEqual([]);
    await h.clean();
  }, 30_000);

  it('refuses a call to a number it does not take with a clean 480, offering nothing', async () => {
    const { h, dial, incoming } = await inboundTrunk();
    h.trunk.acceptInbound([SERVICE]); // inbound-invite.xml dials +14155550100
    const caller = await dial('inbound-invite.xml', {});
    expect(await caller.exited).toBe(0);
    expect(incoming()).toEqual([]);
    await h.clean();
  }, 30_000);

  it('offers an anonymous caller (Privacy: id) without a number, and ends it when it hangs up', async () => {
    const { h, dial, nextIncoming } = await inboundTrunk({ messages: { hold: join(dir, 'talk.wav') } });
    const carrierEar = await ear();
    const caller = await dial('inbound-talk.xml', talkValues(carrierEar, { from_user: 'anonymous', privacy: 'id', talk_ms: 1_000 }));
    const offer = await nextIncoming();
    expect(offer).not.toHaveProperty('from');
    expect(offer.to).toBe(LINE);
    await expect(h.trunk.playMessage(offer.callId, 'hold')).rejects.toMatchObject({ code: 'E_CONFLICT' }); // not answered yet
    await h.trunk.answer(offer.callId);
    await expect(h.trunk.playMessage(offer.callId, 'nope')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    const playing = h.trunk.playMessage(offer.callId, 'hold'); // a queue message while the caller waits
    await h.until(() => carrierEar.packets.length > 10, 10_000);
    await h.until(() => h.ended(offer.callId) !== undefined, 5_000);
    expect(h.ended(offer.callId)).toMatchObject({ outcome: 'human', cause: 'remote-bye' });
    await playing; // the playback stops with the call
    expect(await caller.exited).toBe(0);
    await h.clean();
  }, 30_000);
});

export type { Harness };
