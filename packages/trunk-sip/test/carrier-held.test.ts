import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerPort, startCaller } from './support/caller';
import { addNoise, corpusToolsAvailable, sequence, speak, writeWav } from './support/corpus';
import { harness } from './support/harness';
import { carrier, SCENARIOS, type SippPeer, scenarioFrom, sippAvailable, sippTrace, startTracedSipp } from './support/sipp';

// Carrier behaviours the first corpus (carrier-paths, sip-trunk) did not script, each a real
// SIPp scenario in test/scenarios/held/ (docs/trunks.md, "Held-out carrier corpus"): in-dialog
// refreshes and hold, reliable provisionals, bare provisionals, a 2xx without Contact, OPTIONS
// keepalives, forked answers, a CANCEL crossing the answer, compact headers. Each asserts the
// outcome, SIPp's exit code (0: every message it expected came, as it expected) and no leak.

const haveSipp = sippAvailable() && corpusToolsAvailable();
if (!haveSipp && process.env.CI === 'true') throw new Error('trunk-sip tests need sipp, espeak-ng and sox under CI: run .ci/setup as root');

const HELD = join(SCENARIOS, 'held');
type OnFailed = (handler: () => void) => void;
let dir = '';
const peers: { stop(): Promise<void> }[] = [];

/** Start SIPp on `scenario` (a template when `values` are given); its trace is printed if the test fails. */
async function sipp(onTestFailed: OnFailed, scenario: string, values?: Record<string, string | number>): Promise<SippPeer> {
  const file = values ? scenarioFrom(join('held', scenario), values, dir) : join(HELD, scenario);
  const name = values ? `${scenario}-${Object.values(values).join('-')}` : scenario;
  const peer = await startTracedSipp(onTestFailed, file, dir, name);
  peers.push(peer);
  return peer;
}

describe.skipIf(!haveSipp).concurrent('trunk-sip: held-out carrier behaviours', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trunk-sip-held-'));
    writeWav(join(dir, 'human.wav'), addNoise(sequence([300, speak(dir, 'Hello?', 'en-us', 170), 6_000]), 60, 1), 'mulaw');
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    if (!process.env.KEEP_HELD) rmSync(dir, { recursive: true, force: true });
  });

  it('answers the carrier’s session-refresh re-INVITE and its hold re-INVITE with 200 and an SDP answer; the call stays up until their BYE', async ({
    onTestFailed,
  }) => {
    const peer = await sipp(onTestFailed, 'reinvite-refresh.xml');
    const h = await harness({ trunks: [carrier('refresher', peer)] });
    const id = await h.call('+14155550001');
    await h.until(() => h.ended(id) !== undefined, 12_000);
    expect(h.ended(id)).toMatchObject({ outcome: 'human', cause: 'remote-bye' });
    expect(await peer.exited).toBe(0);
    await h.clean();
  });

  it('refreshes the session itself (re-INVITE every Session-Expires/2) when the carrier makes us the refresher', async ({
    onTestFailed,
  }) => {
    const peer = await sipp(onTestFailed, 'uac-refresher.xml');
    const h = await harness({ trunks: [carrier('lazy-refresher', peer)] });
    const id = await h.call('+14155550001');
    await h.until(() => h.ended(id) !== undefined, 12_000);
    expect(h.ended(id)).toMatchObject({ outcome: 'human', cause: 'remote-bye' });
    expect(await peer.exited).toBe(0);
    await h.clean();
  });

  it('answers an in-dialog UPDATE (RFC 4028 refresh) with 200 and a Contact', async ({ onTestFailed }) => {
    const peer = await sipp(onTestFailed, 'update-refresh.xml');
    const h = await harness({ trunks: [carrier('updater', peer)] });
    const id = await h.call('+14155550001');
    await h.until(() => h.ended(id) !== undefined, 12_000);
    expect(h.ended(id)).toMatchObject({ outcome: 'human', cause: 'remote-bye' });
    expect(await peer.exited).toBe(0);
    await h.clean();
  });

  it('PRACKs a reliable 183 and takes its SDP as the answer when the 200 OK carries none', async ({ onTestFailed }) => {
    const peer = await sipp(onTestFailed, 'prack.xml');
    const h = await harness({ trunks: [carrier('reliable', peer)], breaker: { failureThreshold: 1 } });
    const id = await h.call('+14155550001');
    await h.until(() => h.at(id, 'analysed') !== undefined || h.ended(id) !== undefined, 10_000);
    expect(h.of(id).map((e) => e.type)).toEqual(['ringing', 'answered', 'analysed']);
    expect(h.of(id).find((e) => e.type === 'analysed')).toMatchObject({ result: 'human' }); // the RTP of the 183's SDP was heard
    await h.trunk.hangup(id);
    expect(await peer.exited).toBe(0);
    expect(h.trunk.stats().trunks[0]?.breaker).toBe('closed');
    await h.clean();
  });

  it('sees ringing in a 180 without a To tag and a 183 without a Contact, and starts the ring timer there', async ({ onTestFailed }) => {
    const peer = await sipp(onTestFailed, 'ringing-bare.xml', { answer_ms: 600 });
    const h = await harness({ trunks: [carrier('old-gateway', peer)] });
    const id = await h.call('+14155550001');
    await h.until(() => h.at(id, 'answered') !== undefined || h.ended(id) !== undefined, 10_000);
    expect(h.of(id).map((e) => e.type)).toEqual(['ringing', 'answered']);
    expect((h.at(id, 'answered') ?? 0) - (h.at(id, 'ringing') ?? 0)).toBeGreaterThanOrEqual(500);
    await h.trunk.hangup(id);
    expect(await peer.exited).toBe(0);
    await h.clean();
  });

  it('rings out (ring-timeout, not a trunk failure) when a gateway only ever sends a bare 180', async ({ onTestFailed }) => {
    const peer = await sipp(onTestFailed, 'ringing-bare.xml', { answer_ms: 30_000 });
    const h = await harness({ trunks: [carrier('old-gateway', peer)], breaker: { failureThreshold: 1 }, maxSetupMs: 25_000 });
    const id = await h.call('+14155550001');
    await h.until(() => h.ended(id) !== undefined, 25_000);
    expect(h.ended(id)).toMatchObject({ outcome: 'no-answer', cause: 'ring-timeout' });
    expect(h.trunk.stats().trunks[0]?.breaker).toBe('closed');
    await peer.stop();
    await h.clean(9_000);
  }, 40_000);

  it('ACKs and answers a 200 OK without a Contact; our BYE reaches the carrier', async ({ onTestFailed }) => {
    const peer = await sipp(onTestFailed, 'answer-no-contact.xml');
    const h = await harness({ trunks: [carrier('no-contact', peer)] });
    const id = await h.call('+14155550001');
    await h.until(() => h.at(id, 'analysed') !== undefined || h.ended(id) !== undefined, 10_000);
    expect(h.of(id).map((e) => e.type)).toEqual(['ringing', 'answered', 'analysed']);
    await h.trunk.hangup(id);
    expect(h.ended(id)).toMatchObject({ outcome: 'human', cause: 'hangup' });
    expect(await peer.exited).toBe(0);
    await h.clean();
  });

  it('answers OPTIONS keepalives to our address (no user, or a user not ours) with 200', async () => {
    const port = await callerPort();
    const h = await harness({ trunks: [{ id: 'pinger', host: '127.0.0.1', port }] });
    const caller = await startCaller(join(HELD, 'options-ping.xml'), dir, port, h.trunk.stats().trunks[0]?.localPort ?? 0);
    peers.push(caller);
    expect(await caller.exited).toBe(0);
    await h.clean();
  });

  it('answers a hold re-INVITE on an answered inbound call with 200 and a recvonly answer; the caller then hangs up', async () => {
    const port = await callerPort();
    const h = await harness({ trunks: [{ id: 'inbound', host: '127.0.0.1', port }], rtpSource: 'sdp-address' });
    h.trunk.acceptInbound(['+14155550100']);
    const scenario = scenarioFrom(join('held', 'inbound-reinvite.xml'), { to: '+14155550100' }, dir);
    const caller = await startCaller(scenario, dir, port, h.trunk.stats().trunks[0]?.localPort ?? 0, [
      ...sippTrace(dir, 'inbound-reinvite'),
    ]);
    peers.push(caller);
    await h.until(() => h.events.some((e) => e.type === 'incoming'), 5_000);
    const callId = h.events.find((e) => e.type === 'incoming')?.callId ?? '';
    await h.trunk.answer(callId);
    await h.until(() => h.ended(callId) !== undefined, 8_000);
    expect(h.ended(callId)).toMatchObject({ outcome: 'human', cause: 'remote-bye' });
    expect(await caller.exited).toBe(0);
    await h.clean();
  });

  it('ACKs both answers of a forked INVITE, BYEs the second at once and keeps the first', async ({ onTestFailed }) => {
    const peer = await sipp(onTestFailed, 'fork-2xx.xml');
    const h = await harness({ trunks: [carrier('forking', peer)] });
    const id = await h.call('+14155550001');
    await h.until(() => h.at(id, 'analysed') !== undefined || h.ended(id) !== undefined, 10_000);
    expect(h.of(id).map((e) => e.type)).toEqual(['answered', 'analysed']);
    expect(h.of(id).find((e) => e.type === 'analysed')).toMatchObject({ result: 'human' });
    await h.trunk.hangup(id);
    expect(await peer.exited).toBe(0);
    await h.clean();
  });

  it('ACKs and BYEs a 200 OK that crossed our CANCEL; the call ended cancelled', async ({ onTestFailed }) => {
    const peer = await sipp(onTestFailed, 'cancel-crosses-200.xml');
    const h = await harness({ trunks: [carrier('late-answer', peer)] });
    const id = await h.call('+14155550001');
    await h.until(() => h.at(id, 'ringing') !== undefined, 5_000);
    await h.trunk.hangup(id);
    expect(h.ended(id)).toMatchObject({ outcome: 'no-answer', cause: 'cancelled' });
    expect(await peer.exited).toBe(0);
    await h.clean();
  });

  it('reads compact, oddly cased and spaced headers, and hears the 200 OK’s media address, not the 183’s', async ({ onTestFailed }) => {
    const peer = await sipp(onTestFailed, 'compact-headers.xml');
    const h = await harness({ trunks: [carrier('compact', peer)] });
    const id = await h.call('+14155550001');
    await h.until(() => h.at(id, 'analysed') !== undefined || h.ended(id) !== undefined, 10_000);
    expect(h.of(id).map((e) => e.type)).toEqual(['ringing', 'answered', 'analysed']);
    expect(h.of(id).find((e) => e.type === 'analysed')).toMatchObject({ result: 'human' });
    await h.trunk.hangup(id);
    expect(await peer.exited).toBe(0);
    await h.clean();
  });
});
