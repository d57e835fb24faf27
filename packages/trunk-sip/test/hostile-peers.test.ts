import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Random, seededRandom } from '@paceline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeG711 } from '../src/index';
import { addNoise, corpusToolsAvailable, sequence, speak, writeWav } from './support/corpus';
import { type Harness, harness } from './support/harness';
import { type SippPeer, sippAvailable, startSipp } from './support/sipp';

// Whoever can reach our ports: RTP from anyone but the negotiated peer must not reach the
// answering-machine detector, SIP from anyone but the carrier must not be read, and no datagram,
// however malformed, may end a call, throw into the host or grow memory.

const haveSipp = sippAvailable() && corpusToolsAvailable();
if (!haveSipp && process.env.CI === 'true') throw new Error('trunk-sip tests need sipp, espeak-ng and sox under CI: run .ci/setup as root');

let dir = '';
let greeting: Int16Array = new Int16Array(0);
const peers: SippPeer[] = [];
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A UDP socket on `address` (127.0.0.2 is another host as far as the trunk can tell). */
async function socketOn(address: string): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  socket.on('error', () => {});
  return socket;
}

/** RTP frames (PCMU, 20 ms) of `samples` from `ssrc`. */
function rtpFrames(samples: Int16Array, ssrc: number): Buffer[] {
  const frames: Buffer[] = [];
  for (let n = 0; n * 160 < samples.length; n++) {
    const header = Buffer.alloc(12);
    header[0] = 0x80;
    header[1] = 0;
    header.writeUInt16BE(n & 0xffff, 2);
    header.writeUInt32BE((n * 160) >>> 0, 4);
    header.writeUInt32BE(ssrc >>> 0, 8);
    frames.push(Buffer.concat([header, Buffer.from(encodeG711('PCMU', samples.subarray(n * 160, (n + 1) * 160)))]));
  }
  return frames;
}

/** Send `frames` every 20 ms from `socket` to our RTP port until `stop()`. */
function stream(socket: dgram.Socket, port: number, frames: Buffer[]): { stop: () => void } {
  let n = 0;
  const timer = setInterval(() => socket.send(frames[n++ % frames.length] as Buffer, port, '127.0.0.1'), 20);
  return { stop: () => clearInterval(timer) };
}

async function answeredCall(h: Harness, scenarioPeer: SippPeer): Promise<{ id: string; rtpPort: number; sipPort: number }> {
  const pending = h.call('+14155550001');
  await h.until(() => (h.trunk.stats().calls[0]?.rtpPort ?? 0) > 0, 10_000);
  const rtpPort = h.trunk.stats().calls[0]?.rtpPort ?? 0;
  const sipPort = h.trunk.stats().trunks[0]?.localPort ?? 0;
  const id = await pending;
  expect(scenarioPeer.port).toBeGreaterThan(0);
  return { id, rtpPort, sipPort };
}

describe.skipIf(!haveSipp)('trunk-sip against hostile peers', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trunk-sip-hostile-'));
    writeWav(join(dir, 'human.wav'), addNoise(sequence([300, speak(dir, 'Hello?', 'en-us', 170), 6_000]), 60, 1), 'mulaw');
    greeting = sequence([
      speak(dir, 'Hello, you have reached the voicemail of John Smith. I am not available to take your call right now.', 'en-us', 170),
      2_000,
    ]);
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('ignores RTP from a foreign address or port during analysis: a voicemail greeting injected there cannot make a person a machine', async () => {
    const carrier = await startSipp('human.xml', dir, 1);
    peers.push(carrier);
    const h = await harness({ trunks: [{ id: 'carrier', host: '127.0.0.1', port: carrier.port }] });
    const foreignHost = await socketOn('127.0.0.2');
    const foreignPort = await socketOn('127.0.0.1'); // the carrier's address, not its negotiated port
    const pending = answeredCall(h, carrier);
    await h.until(() => (h.trunk.stats().calls[0]?.rtpPort ?? 0) > 0, 10_000);
    const rtpPort = h.trunk.stats().calls[0]?.rtpPort ?? 0;
    const injected = [stream(foreignHost, rtpPort, rtpFrames(greeting, 0x1234)), stream(foreignPort, rtpPort, rtpFrames(greeting, 0x5678))];
    const { id } = await pending;
    await h.until(() => h.of(id).some((e) => e.type === 'analysed'), 8_000);
    for (const s of injected) s.stop();
    expect(h.of(id).find((e) => e.type === 'analysed')).toMatchObject({ result: 'human' });
    expect(h.trunk.stats().droppedRtp).toBeGreaterThan(50);
    await h.trunk.hangup(id);
    expect(await carrier.exited).toBe(0);
    foreignHost.close();
    foreignPort.close();
    await h.clean();
  });

  it('survives 10,000 random and malformed SIP datagrams and RTP packets during a live call: it completes normally, memory stays flat', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const carrier = await startSipp('human.xml', dir, 1);
    peers.push(carrier);
    const h = await harness({ trunks: [{ id: 'carrier', host: '127.0.0.1', port: carrier.port }] });
    const { id, rtpPort, sipPort } = await answeredCall(h, carrier);
    await h.until(() => h.of(id).some((e) => e.type === 'analysed'), 8_000);
    const fromCarrier = await socketOn('127.0.0.1'); // read by the parser: the carrier's address
    const fromStranger = await socketOn('127.0.0.2'); // dropped unread
    const random = seededRandom(16);
    const send = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const kind = random.int(10);
        if (kind < 5) fromCarrier.send(malformedSip(random, i), sipPort, '127.0.0.1');
        else if (kind < 6) fromStranger.send(malformedSip(random, i), sipPort, '127.0.0.1');
        else fromCarrier.send(malformedRtp(random), rtpPort, '127.0.0.1');
        if (i % 50 === 49) await sleep(2); // keep within the socket buffers: every datagram should arrive
      }
    };
    await send(2_000); // warm up parsers and caches
    gc();
    const before = process.memoryUsage().heapUsed;
    await send(8_000);
    await sleep(200);
    gc();
    const grownMb = (process.memoryUsage().heapUsed - before) / 1e6;
    expect(grownMb).toBeLessThan(8);
    const stats = h.trunk.stats();
    expect(stats.droppedSip).toBeGreaterThan(500); // the stranger's datagrams
    expect(stats.callsInFlight).toBe(1); // nothing ended or hijacked the call
    await h.trunk.hangup(id);
    expect(h.of(id).map((e) => e.type)).toEqual(['ringing', 'answered', 'analysed', 'ended']);
    expect(h.ended(id)).toMatchObject({ outcome: 'human', cause: 'hangup' });
    expect(await carrier.exited).toBe(0); // SIPp saw our BYE and answered it
    expect(h.events.every((e) => e.callId === id)).toBe(true); // no event for a made-up call
    fromCarrier.close();
    fromStranger.close();
    await h.clean();
  }, 60_000);
});

const METHODS = ['INVITE', 'BYE', 'CANCEL', 'ACK', 'OPTIONS', 'NOTIFY', 'REFER', 'INFO', 'UPDATE', 'PRACK', 'X\u0000Y'];

/** A SIP-looking datagram broken in one of many ways (seeded, so a failure replays). */
function malformedSip(random: Random, n: number): Buffer {
  const pick = <T>(items: readonly T[]): T => items[random.int(items.length)] as T;
  const status = pick(['100', '180', '200', '486', '503', '999', '0', 'abc', '2000']);
  const first = random.int(2) === 0 ? `SIP/2.0 ${status} Whatever` : `${pick(METHODS)} sip:+1415555${n}@127.0.0.1 SIP/2.0`;
  const headers = [
    `Via: SIP/2.0/UDP 127.0.0.1:${1 + random.int(65_535)};branch=z9hG4bK${random.int(1e9)}`,
    `From: <sip:+14155550100@127.0.0.1>;tag=${random.int(1e9)}`,
    `To: <sip:+14155550001@127.0.0.1>${random.int(2) === 0 ? `;tag=${random.int(1e9)}` : ''}`,
    `Call-ID: ${random.int(3) === 0 ? `pl1-fuzz-${n}` : `${random.int(1e9)}@fuzz`}`,
    `CSeq: ${pick(['1', '-1', '99999999999', 'x'])} ${pick(METHODS)}`,
    `Contact: <sip:fuzz@127.0.0.1:${random.int(70_000)}>`,
    `Content-Length: ${pick(['0', '10', '-5', '999999', 'NaN', ''])}`,
  ];
  const mutation = random.int(9);
  if (mutation === 0) headers.splice(random.int(headers.length), 1); // a mandatory header missing
  if (mutation === 1) headers.push(`X-Long: ${'A'.repeat(random.int(20_000))}`);
  if (mutation === 2) headers.push('Via: SIP/2.0/UDP [::1:bad;branch=');
  if (mutation === 3) headers.push(`Subject: a\rInjected: b\nTo: <sip:evil@x>`);
  if (mutation === 4) headers.push(`Route: ${'<sip:a@b>,'.repeat(500)}`);
  let text = `${first}\r\n${headers.join('\r\n')}\r\n\r\n${random.int(2) === 0 ? 'v=0\r\nm=audio 0 RTP/AVP 0\r\n' : ''}`;
  if (mutation === 5) text = text.slice(0, random.int(text.length)); // truncated
  const data = Buffer.from(text, 'utf8');
  if (mutation === 6) for (let i = 0; i < 8; i++) data[random.int(data.length)] = random.int(256); // bit rot
  if (mutation === 7) return Buffer.from(Array.from({ length: random.int(1_400) }, () => random.int(256))); // noise
  if (mutation === 8) return Buffer.alloc(random.int(3)); // empty or nearly
  return data;
}

/** An RTP-looking packet broken in one of many ways: wrong version, CSRC/extension/padding lies, odd payload types, short. */
function malformedRtp(random: Random): Buffer {
  const length = random.int(400);
  const packet = Buffer.from(Array.from({ length }, () => random.int(256)));
  if (length >= 2 && random.int(2) === 0) {
    packet[0] = 0x80 | random.int(0x40); // version 2 with random P, X and CSRC count
    packet[1] = random.int(2) === 0 ? random.int(256) : ([0, 8, 13, 101, 200][random.int(5)] as number);
  }
  return packet;
}
