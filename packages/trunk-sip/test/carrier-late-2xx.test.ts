import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@paceline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness } from './support/harness';
import { carrier, type SippPeer, scenarioFrom, sippAvailable, startTracedSipp } from './support/sipp';

// RFC 3261 13.2.2.4 / RFC 6026: a 2xx to an INVITE of ours that comes after the INVITE's client
// transaction is gone (it outlives its call by 64·T1 = 6.4 s in this harness) is still ACKed
// and its dialog ended with BYE: the callee answering long after our CANCEL, a fork answering
// after another fork's 487, a fork answering after we hung up on the first. Each SIPp peer
// fails its call when no ACK comes within 5 s of its 200 (it retransmits the 200 meanwhile).

const haveSipp = sippAvailable();
if (!haveSipp && process.env.CI === 'true') throw new Error('trunk-sip tests need sipp under CI: run .ci/setup as root');

/** Longer than 64·T1 (6.4 s with the harness's T1 = 100 ms): the INVITE transaction is gone by then. */
const AFTER_LINGER_MS = 8_000;

let dir = '';
const peers: { stop(): Promise<void> }[] = [];

async function sipp(scenario: string, lateMs: number, onTestFailed: (handler: () => void) => void): Promise<SippPeer> {
  const name = scenario.replace(/\.xml$/, '');
  const peer = await startTracedSipp(onTestFailed, scenarioFrom(join('late', scenario), { late_ms: lateMs }, dir), dir, name);
  peers.push(peer);
  return peer;
}

describe.skipIf(!haveSipp).concurrent('trunk-sip: a 2xx after the INVITE transaction is gone', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trunk-sip-late-'));
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    if (!process.env.KEEP_HELD) rmSync(dir, { recursive: true, force: true });
  });

  it('ACKs (to its Contact, via its Record-Routes) and BYEs a 200 OK that comes 8 s after our CANCEL was taken', async ({
    onTestFailed,
  }) => {
    const peer = await sipp('late-200-after-cancel.xml', AFTER_LINGER_MS, onTestFailed);
    const h = await harness({ trunks: [carrier('slow-answer', peer)] });
    const id = await h.call('+14155550001');
    await h.until(() => h.at(id, 'ringing') !== undefined, 5_000);
    await h.trunk.hangup(id);
    expect(h.ended(id)).toMatchObject({ outcome: 'no-answer', cause: 'cancelled' });
    expect(await peer.exited).toBe(0);
    await h.clean();
  });

  it('ACKs and BYEs a terse fork 200 OK (compact headers, no Contact) that follows another fork’s 487', async ({ onTestFailed }) => {
    const peer = await sipp('fork-200-after-487.xml', 300, onTestFailed);
    const h = await harness({ trunks: [carrier('forking', peer)] });
    const id = await h.call('+14155550001');
    await h.until(() => h.at(id, 'ringing') !== undefined, 5_000);
    await h.trunk.hangup(id);
    expect(h.ended(id)).toMatchObject({ outcome: 'no-answer', cause: 'cancelled' });
    expect(await peer.exited).toBe(0);
    await h.clean();
  });

  it('ACKs and BYEs a second fork’s 200 OK that comes 8 s after we hung up on the first', async ({ onTestFailed }) => {
    const peer = await sipp('fork-200-after-bye.xml', AFTER_LINGER_MS, onTestFailed);
    const h = await harness({ trunks: [carrier('forking', peer)] });
    const id = await h.call('+14155550001');
    await h.until(() => h.at(id, 'answered') !== undefined || h.ended(id) !== undefined, 5_000);
    await h.trunk.hangup(id);
    expect(h.ended(id)).toMatchObject({ cause: 'hangup' });
    expect(await peer.exited).toBe(0);
    await h.clean();
  });

  it('drops a 2xx for a Call-ID we never sent (no ACK, no BYE) and logs it by its Call-ID only', async () => {
    const peer = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => peer.bind(0, '127.0.0.1', resolve));
    const received: string[] = [];
    peer.on('message', (data) => received.push(data.toString('utf8')));
    const logged: { fields: Record<string, unknown>; message: string }[] = [];
    const record = (fields: unknown, message?: unknown) => {
      logged.push({ fields: fields as Record<string, unknown>, message: String(message ?? '') });
    };
    const logger: Logger = {
      trace: () => undefined,
      debug: () => undefined,
      info: record,
      warn: record,
      error: record,
      fatal: record,
      child: () => logger,
    };
    const h = await harness({ trunks: [carrier('stranger', peer.address())], logger });
    const trunkPort = h.trunk.stats().trunks[0]?.localPort ?? 0;
    const send = (text: string) =>
      new Promise<void>((resolve) => peer.send(text.replaceAll('\n', '\r\n'), trunkPort, '127.0.0.1', () => resolve()));
    const port = peer.address().port;
    await send(
      `SIP/2.0 200 OK\nVia: SIP/2.0/UDP 127.0.0.1:${trunkPort};branch=z9hG4bKnever1\nFrom: <sip:+14155550100@127.0.0.1>;tag=nottag\nTo: <sip:+14155550177@127.0.0.1>;tag=theirs\nCall-ID: never-sent-1\nCSeq: 1 INVITE\nContact: <sip:x@127.0.0.1:${port}>\nContent-Length: 0\n\n`,
    );
    // An OPTIONS after it: UDP on the loopback keeps order, so the first answer we see is to the OPTIONS if the 2xx got none.
    await send(
      `OPTIONS sip:127.0.0.1:${trunkPort} SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bKping1\nFrom: <sip:ping@127.0.0.1>;tag=p1\nTo: <sip:127.0.0.1>\nCall-ID: ping-1\nCSeq: 1 OPTIONS\nMax-Forwards: 70\nContent-Length: 0\n\n`,
    );
    await h.until(() => received.length > 0, 5_000);
    expect(received[0]).toMatch(/^SIP\/2\.0 200 OK[\s\S]*CSeq: 1 OPTIONS/);
    const entry = logged.find((l) => /2xx to no INVITE of ours/.test(l.message));
    expect(entry?.fields).toEqual({ sipCallId: 'never-sent-1', status: 200 });
    expect(JSON.stringify(logged)).not.toMatch(/415555/);
    await h.clean();
    await new Promise<void>((resolve) => peer.close(() => resolve()));
  });
});
