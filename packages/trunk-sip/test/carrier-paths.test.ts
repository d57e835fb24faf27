import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNoise, corpusToolsAvailable, sequence, speak, writeWav } from './support/corpus';
import { harness, invitesIn, recordInviteSends } from './support/harness';
import { carrier, type SippPeer, scenarioFrom, sippAvailable, startSipp } from './support/sipp';

// Every RFC 3261 path a carrier can take, each against its own SIPp (or a real socket for the
// dead and broken trunks), all in parallel on real time: the outcome, when it came, and that no
// call, transaction, dialog or socket is left behind.

const haveSipp = sippAvailable() && corpusToolsAvailable();
if (!haveSipp && process.env.CI === 'true') throw new Error('trunk-sip tests need sipp, espeak-ng and sox under CI: run .ci/setup as root');

let dir = '';
const peers: SippPeer[] = [];
const sockets: { close(): void }[] = [];
const now = () => Date.now();

async function sipp(scenario: string, maxCalls?: number, extra: string[] = []): Promise<SippPeer> {
  const peer = await startSipp(scenario, dir, maxCalls, extra);
  peers.push(peer);
  return peer;
}

describe.skipIf(!haveSipp).concurrent('trunk-sip: every carrier path ends once, on time, and leaks nothing', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trunk-sip-paths-'));
    writeWav(join(dir, 'human.wav'), addNoise(sequence([300, speak(dir, 'Hello?', 'en-us', 170), 4_000]), 60, 1), 'mulaw');
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    for (const s of sockets) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('maps every 4xx/6xx final response (after a 100 Trying) to one outcome, without counting against the trunk', async () => {
    const table = [
      [404, 'invalid-number'],
      [410, 'invalid-number'],
      [484, 'invalid-number'],
      [480, 'no-answer'],
      [486, 'busy'],
      [403, 'failed'],
      [488, 'failed'],
      [600, 'busy'],
      [603, 'busy'],
      [604, 'invalid-number'],
    ] as const;
    const trunks = await Promise.all(
      table.map(async ([code]) =>
        carrier(`c${code}`, await sipp(scenarioFrom('reject-code.xml', { code }, dir), 1), { prefixes: [`+1415555${code}`] }),
      ),
    );
    const h = await harness({ trunks, breaker: { failureThreshold: 1 } });
    const sent = now();
    const ids = await Promise.all(table.map(([code]) => h.call(`+1415555${code}0`)));
    await h.until(() => ids.every((id) => h.ended(id)), 5_000);
    for (const [i, [code, outcome]] of table.entries()) {
      const id = ids[i] as string;
      expect(h.of(id).map((e) => e.type)).toEqual(['ended']);
      expect(h.ended(id)).toMatchObject({ outcome, cause: `sip:${code}` });
      expect((h.ended(id)?.at ?? 0) - sent).toBeLessThan(3_000);
    }
    // The number's fault, not the trunk's: every breaker still closed (threshold 1).
    expect(h.trunk.stats().trunks.every((t) => t.breaker === 'closed' && t.available)).toBe(true);
    await h.clean();
  });

  it('treats 5xx after a 100 Trying as the trunk failing: originate refuses (retryable), a 500 does not take the trunk out, a 503 with Retry-After does', async () => {
    const h = await harness({
      trunks: [
        carrier('t500', await sipp(scenarioFrom('reject-code.xml', { code: 500 }, dir), 1), { prefixes: ['+1415555500'] }),
        carrier('t502', await sipp(scenarioFrom('reject-code.xml', { code: 502 }, dir), 1), { prefixes: ['+1415555502'] }),
        carrier('t503', await sipp(scenarioFrom('reject-code-retry.xml', { code: 503, retry: 3 }, dir), 1), { prefixes: ['+1415555503'] }),
      ],
    });
    const results = await Promise.all(['+14155555000', '+14155555020', '+14155555030'].map((to) => h.call(to).catch((e: unknown) => e)));
    for (const result of results) expect(result).toMatchObject({ code: 'E_TRUNK_UNAVAILABLE', cause: { retryable: true } });
    const trunks = h.trunk.stats().trunks;
    expect(trunks.find((t) => t.id === 't500')?.available).toBe(true); // one failure of three, no Retry-After
    expect(trunks.find((t) => t.id === 't502')?.available).toBe(true);
    expect(trunks.find((t) => t.id === 't503')?.available).toBe(false);
    const again = await h.call('+14155555030').catch((e: unknown) => e);
    expect((again as { cause: { retryAfterMs: number } }).cause.retryAfterMs).toBeGreaterThan(2_000);
    expect(h.events).toEqual([]); // refused calls report nothing: not an attempt
    await h.clean();
  });

  it('ends a 100-Trying-then-silence call failed (timer-c) at the set-up cap, counts it against the trunk and drops the INVITE', async () => {
    const peer = await sipp('trying-then-silence.xml', 1);
    const h = await harness({
      trunks: [carrier('silent', peer)],
      maxSetupMs: 20_000,
      breaker: { failureThreshold: 1 },
      acceptWaitMs: 1_000,
    });
    const sent = now();
    const id = await h.call('+14155550001');
    expect(now() - sent).toBeGreaterThanOrEqual(900); // a 100 Trying does not settle originate
    await h.until(() => h.ended(id) !== undefined, 30_000);
    expect(h.ended(id)).toMatchObject({ outcome: 'failed', cause: 'trunk-unavailable:timer-c' });
    expect((h.ended(id)?.at ?? 0) - sent).toBeGreaterThanOrEqual(20_000);
    expect(h.trunk.stats().trunks[0]?.breaker).toBe('open');
    await h.clean(9_000); // RFC 3261 9.1: the INVITE is over 64·T1 after the CANCEL
  }, 45_000);

  it('counts the 15 s of ringing from the first 180, not from the INVITE, and cleans up a CANCEL nobody answers', async () => {
    const peer = await sipp('ring-then-silence.xml', 1);
    const h = await harness({ trunks: [carrier('ringer', peer)] });
    const sent = now();
    const id = await h.call('+14155550001');
    await h.until(() => h.ended(id) !== undefined, 30_000);
    const ringing = h.at(id, 'ringing') ?? 0;
    const ended = h.ended(id);
    expect(ringing - sent).toBeGreaterThanOrEqual(1_900); // the post-dial delay
    expect((ended?.at ?? 0) - ringing).toBeGreaterThanOrEqual(15_000);
    expect((ended?.at ?? 0) - ringing).toBeLessThan(15_000 + 4_000 + 1_000); // ring time, then the CANCEL grace
    expect(ended).toMatchObject({ outcome: 'no-answer', cause: 'ring-timeout' });
    expect(h.of(id).map((e) => e.type)).toEqual(['ringing', 'ended']);
    await h.clean(9_000); // Timer F drops the CANCEL, 64·T1 the INVITE
  }, 45_000);

  it('ACKs and BYEs a 2xx without an SDP answer and ends it failed, never answered', async () => {
    const peer = await sipp('answer-no-sdp.xml', 1);
    const h = await harness({ trunks: [carrier('no-sdp', peer)] });
    const id = await h.call('+14155550001');
    await h.until(() => h.ended(id) !== undefined, 10_000);
    expect(h.of(id).map((e) => e.type)).toEqual(['ringing', 'ended']);
    expect(h.ended(id)).toMatchObject({ outcome: 'failed', cause: 'sdp:no-usable-answer' });
    expect(await peer.exited).toBe(0); // SIPp got the ACK and the BYE
    await h.clean();
  });

  it('follows one 302 to an E.164 Contact on the same trunk, and fails with the code once the budget is spent', async () => {
    const follows = await sipp('redirect.xml', 2);
    const refuses = await sipp('redirect.xml', 1);
    const h = await harness({ trunks: [carrier('redirecting', follows, { prefixes: ['+1415'] })] });
    const h0 = await harness({ trunks: [carrier('no-redirects', refuses)], maxRedirects: 0 });
    const [followed, refused] = await Promise.all([h.call('+14155550001'), h0.call('+14155550001')]);
    await h.until(() => h.ended(followed) !== undefined, 10_000);
    await h0.until(() => h0.ended(refused) !== undefined, 10_000);
    expect(h.ended(followed)).toMatchObject({ outcome: 'busy', cause: 'sip:486' }); // the second INVITE went to +14155550009
    expect(h0.ended(refused)).toMatchObject({ outcome: 'failed', cause: 'sip:302' });
    expect(await follows.exited).toBe(0);
    expect(await refuses.exited).toBe(0);
    await Promise.all([h.clean(), h0.clean()]);
  });

  it('fails a dead trunk over to the next at Timer B (64·T1) and counts the timeout against it', async () => {
    const dead = dgram.createSocket('udp4'); // a carrier that takes packets and never answers
    await new Promise<void>((resolve) => dead.bind(0, '127.0.0.1', resolve));
    sockets.push(dead);
    const live = await sipp('human.xml', 1);
    const h = await harness({
      trunks: [{ id: 'dead', host: '127.0.0.1', port: dead.address().port }, carrier('live', live)],
      breaker: { failureThreshold: 1 },
    });
    const sent = now();
    const id = await h.call('+14155550001');
    await h.until(() => h.at(id, 'answered') !== undefined, 12_000);
    expect((h.at(id, 'answered') ?? 0) - sent).toBeGreaterThanOrEqual(6_400); // Timer B = 64 × 100 ms
    expect(h.trunk.stats().trunks.find((t) => t.id === 'dead')?.breaker).toBe('open');
    await h.trunk.hangup(id);
    expect(h.of(id).map((e) => e.type)).toEqual(['ringing', 'answered', 'ended']);
    expect(h.ended(id)).toMatchObject({ outcome: 'human', cause: 'hangup' });
    await h.clean();
  });

  it('treats a transport error (TCP connection refused) as the trunk failing: originate refuses, retryable', async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const h = await harness({ trunks: [{ id: 'tcp', host: '127.0.0.1', port, transport: 'tcp' }], breaker: { failureThreshold: 1 } });
    await new Promise<void>((resolve) => server.close(() => resolve())); // the carrier goes away
    const error = await h.call('+14155550001').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_TRUNK_UNAVAILABLE', cause: { retryable: true } });
    expect(h.trunk.stats().trunks[0]?.breaker).toBe('open');
    await h.clean();
  });

  it('drops a BYE nobody answers at Timer F; the call ended at our hang-up', async () => {
    const peer = await sipp('bye-unanswered.xml', 1);
    const h = await harness({ trunks: [carrier('deaf', peer)] });
    const id = await h.call('+14155550001');
    await h.until(() => h.at(id, 'answered') !== undefined, 10_000);
    await h.trunk.hangup(id);
    expect(h.ended(id)).toMatchObject({ outcome: 'human', cause: 'hangup' });
    expect(h.trunk.stats().transactions).toBeGreaterThan(0); // the BYE is still being retransmitted
    await h.clean(9_000);
  });

  it('honours a Retry-After for INVITEs already queued behind the calls-per-second limit (re-checked before sending)', async () => {
    const trace = join(dir, 'retry-after-queue.log');
    const peer = await sipp(scenarioFrom('reject-code-retry.xml', { code: 503, retry: 5 }, dir), undefined, [
      '-trace_msg',
      '-message_file',
      trace,
    ]);
    const h = await harness({ trunks: [carrier('busy-carrier', peer, { callsPerSecond: 2 })] });
    const results = await Promise.all([1, 2, 3].map(() => h.call('+14155550001').catch((e: unknown) => e)));
    for (const result of results) expect(result).toMatchObject({ code: 'E_TRUNK_UNAVAILABLE', cause: { retryable: true } });
    expect((results[2] as { cause: { retryAfterMs: number } }).cause.retryAfterMs).toBeGreaterThan(3_500);
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // the queue's slots pass
    expect(invitesIn(trace)).toHaveLength(1);
    await h.clean();
  });

  it('lets exactly one trial call through a half-open breaker', async () => {
    const trace = join(dir, 'half-open.log');
    const peer = await sipp(scenarioFrom('reject-code.xml', { code: 500 }, dir), undefined, ['-trace_msg', '-message_file', trace]);
    const h = await harness({ trunks: [carrier('flaky', peer)], breaker: { failureThreshold: 1, openMs: 1_500 } });
    await expect(h.call('+14155550001')).rejects.toMatchObject({ code: 'E_TRUNK_UNAVAILABLE' });
    await expect(h.call('+14155550001')).rejects.toMatchObject({ code: 'E_TRUNK_UNAVAILABLE' }); // open: not sent
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect(h.trunk.stats().trunks[0]?.breaker).toBe('half-open');
    const trials = await Promise.all([1, 2, 3].map(() => h.call('+14155550001').catch((e: unknown) => e)));
    for (const result of trials) expect(result).toMatchObject({ code: 'E_TRUNK_UNAVAILABLE' });
    expect(invitesIn(trace)).toHaveLength(2); // the first call and one trial
    expect(h.trunk.stats().trunks[0]?.breaker).toBe('open'); // the trial failed
    await h.clean();
  });

  it('holds a 50-call burst to the calls-per-second limit in every one-second window, measured at send time', async () => {
    const trace = join(dir, 'burst.log');
    const peer = await sipp(scenarioFrom('reject-code.xml', { code: 486 }, dir), 50, ['-trace_msg', '-message_file', trace]);
    const h = await harness({ trunks: [carrier('paced', peer, { callsPerSecond: 10 })] });
    const sentAt = recordInviteSends(h.trunk.stats().trunks[0]?.localPort ?? 0);
    try {
      const ids = await Promise.all(Array.from({ length: 50 }, () => h.call('+14155550001')));
      await h.until(() => ids.every((id) => h.ended(id)), 10_000);
      expect(ids.every((id) => h.ended(id)?.outcome === 'busy')).toBe(true);
    } finally {
      sentAt.stop();
    }
    const times = [...sentAt.times.values()].sort((a, b) => a - b);
    expect(times).toHaveLength(50);
    for (const start of times) expect(times.filter((t) => t >= start && t < start + 1_000).length).toBeLessThanOrEqual(10);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(4_900);
    expect(invitesIn(trace)).toHaveLength(50); // and every one reached the carrier
    expect(await peer.exited).toBe(0);
    await h.clean();
  });

  it('answers an inbound INVITE with a clean 480 and leaves no transaction', async () => {
    const h = await harness({ trunks: [{ id: 'home', host: '127.0.0.1', port: 5 }] });
    const port = h.trunk.stats().trunks[0]?.localPort ?? 0;
    const caller = await sipp('inbound-invite.xml', 1, [`127.0.0.1:${port}`]);
    expect(await caller.exited).toBe(0);
    await h.clean(9_000); // RFC 3261 17.2.1: the server transaction ends T4 (5 s) after the ACK
  });
});
