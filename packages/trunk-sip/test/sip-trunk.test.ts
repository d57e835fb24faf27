import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom, systemClock, type TrunkEvent } from '@paceline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTrunkConformance } from '../../../test/conformance/trunk';
import { createSipTrunk, type SipTrunk, type SipTrunkConfig } from '../src/index';
import { callerPort, type SippCaller, startCaller } from './support/caller';
import { addNoise, beep, corpusToolsAvailable, sequence, speak, writeWav } from './support/corpus';
import { recordInviteSends } from './support/harness';
import { type SippPeer, scenarioFrom, sippAvailable, startSipp } from './support/sipp';

const haveSipp = sippAvailable() && corpusToolsAvailable();
if (!haveSipp && process.env.CI === 'true') throw new Error('trunk-sip tests need sipp, espeak-ng and sox under CI: run .ci/setup as root');
if (!haveSipp)
  console.warn('trunk-sip: sipp, espeak-ng or sox missing; skipping the SIPp tests (apt-get install sip-tester espeak-ng sox)');

const numbers = { human: '+14155550001', machine: '+14155550002', busy: '+14155550003', noAnswer: '+14155550004', invalid: '+14155550005' };
const clock = systemClock();
let dir = '';
const peers = new Map<string, SippPeer>();

async function peer(scenario: string): Promise<SippPeer> {
  const existing = peers.get(scenario);
  if (existing) return existing;
  const started = await startSipp(`${scenario}.xml`, dir);
  peers.set(scenario, started);
  return started;
}

/** A trunk config that sends numbers starting with `prefix` to the SIPp running `scenario`. */
async function route(scenario: string, prefix: string, extra: Partial<SipTrunkConfig> = {}): Promise<SipTrunkConfig> {
  return { id: scenario, host: '127.0.0.1', port: (await peer(scenario)).port, prefixes: [prefix], ...extra };
}

async function makeTrunk(trunks: SipTrunkConfig[]): Promise<SipTrunk> {
  return createSipTrunk({
    trunks,
    clock,
    random: seededRandom(7),
    messages: { 'safe-harbour': join(dir, 'safe-harbour.wav') },
    sipTimers: { t1Ms: 200 },
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe.skipIf(!haveSipp)('trunk-sip against SIPp', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trunk-sip-'));
    const voice = 'en-us';
    writeWav(join(dir, 'human.wav'), addNoise(sequence([300, speak(dir, 'Hello?', voice, 170), 4_000]), 60, 1), 'mulaw');
    const greeting = speak(dir, 'Hello, you have reached the voicemail of John Smith. Please leave a message after the tone.', voice, 170);
    writeWav(join(dir, 'machine.wav'), addNoise(sequence([300, greeting, 400, beep(), 2_000]), 60, 2), 'mulaw');
    writeWav(join(dir, 'safe-harbour.wav'), speak(dir, 'Sorry, all agents are busy.', voice, 200));
  });
  afterAll(async () => {
    await Promise.all([...peers.values()].map((p) => p.stop()));
    peers.clear();
  });

  describeTrunkConformance('trunk-sip (SIPp, real time)', async () => {
    // Inbound: a SIPp caller per dial, from the port a carrier entry names (it routes no outbound number).
    const inboundPort = await callerPort();
    const trunk = await makeTrunk([
      await route('human', numbers.human),
      await route('machine', numbers.machine),
      await route('busy', numbers.busy),
      await route('no-answer', numbers.noAnswer),
      await route('reject-404', numbers.invalid),
      { id: 'inbound', host: '127.0.0.1', port: inboundPort, prefixes: ['+999'] },
    ]);
    const callers: SippCaller[] = [];
    const inbound = {
      accepted: '+14155550100',
      other: '+14155550300',
      dial: async (call: { to: string; from?: string; patienceMs: number; talkMs: number }) => {
        const values = {
          to: call.to,
          from_user: call.from ?? 'anonymous',
          privacy: call.from === undefined ? 'id' : 'none',
          patience_ms: call.patienceMs,
          talk_ms: call.talkMs,
        };
        const target = trunk.stats().trunks.find((t) => t.id === 'inbound')?.localPort ?? 0;
        callers.push(await startCaller(scenarioFrom('inbound-caller.xml', values, dir), dir, inboundPort, target));
      },
    };
    const cleanup = async () => {
      await Promise.all(callers.map((c) => c.stop()));
    };
    // issue-17: at the default (people-first) point the voicemail number is connected as a person by 2.3 s and revised.
    return { trunk, numbers: { ...numbers, revisedMachine: numbers.machine }, callerId: '+14155550100', advance: sleep, inbound, cleanup };
  });
});

describe.skipIf(!haveSipp)('trunk-sip scenarios against SIPp', () => {
  let trunk: SipTrunk | undefined;
  let events: TrunkEvent[] = [];
  let n = 0;
  const extra: SippPeer[] = [];

  beforeAll(() => {
    dir ||= mkdtempSync(join(tmpdir(), 'trunk-sip-'));
    writeWav(join(dir, 'human.wav'), addNoise(sequence([300, speak(dir, 'Hello?', 'en-us', 170), 4_000]), 60, 1), 'mulaw');
  });
  afterAll(async () => {
    await Promise.all([...extra, ...peers.values()].map((p) => p.stop()));
    peers.clear();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (trunks: SipTrunkConfig[]) => {
    trunk = await makeTrunk(trunks);
    events = [];
    trunk.onEvent((e) => events.push(e));
    return trunk;
  };
  const call = async (to: string) => {
    const callId = `s-${++n}`;
    await trunk?.originate({ callId, campaignId: 'c', to, callerId: '+14155550100', ringTimeoutMs: 15_000 });
    return callId;
  };
  const of = (callId: string) => events.filter((e) => e.callId === callId);
  const until = async (predicate: () => boolean, maxMs = 8_000) => {
    for (let waited = 0; !predicate() && waited < maxMs; waited += 50) await sleep(50);
    expect(predicate()).toBe(true);
  };
  const ended = (callId: string) => of(callId).find((e) => e.type === 'ended');
  /** Every call ended, no dialog or INVITE transaction left, and close() frees every socket. */
  const expectClean = async () => {
    const t = trunk;
    if (!t) return;
    await until(() => t.stats().dialogs === 0 && t.stats().pendingInvites === 0 && t.stats().callsInFlight === 0, 5_000);
    await t.close();
    expect(t.stats().openSockets).toBe(0);
    trunk = undefined;
  };

  it('rings (180), is answered, hears a person, and ends on our BYE without leaks', async () => {
    await open([await route('human', '+1')]);
    const id = await call('+14155550001');
    await until(() => of(id).some((e) => e.type === 'analysed'));
    await trunk?.hangup(id);
    expect(of(id).map((e) => e.type)).toEqual(['ringing', 'answered', 'analysed', 'ended']);
    expect(ended(id)).toMatchObject({ outcome: 'human', cause: 'hangup' });
    await expectClean();
  });

  it('maps 183 early media then 486 to busy, and 403 to failed with the code', async () => {
    await open([await route('busy', '+1'), await route('reject-403', '+44')]);
    const busy = await call('+14155550003');
    const refused = await call('+442071234567');
    await until(() => ended(busy) !== undefined && ended(refused) !== undefined);
    expect(of(busy).map((e) => e.type)).toEqual(['ringing', 'ended']);
    expect(ended(busy)).toMatchObject({ outcome: 'busy', cause: 'sip:486' });
    expect(ended(refused)).toMatchObject({ outcome: 'failed', cause: 'sip:403' });
    await expectClean();
  });

  it('backs a trunk off on 503 with Retry-After and fails the call over to the next trunk', async () => {
    await open([await route('reject-503', '+1', { id: 'overloaded' }), await route('human', '+1', { id: 'backup' })]);
    const id = await call('+14155550001');
    await until(() => of(id).some((e) => e.type === 'answered'));
    expect(trunk?.stats().trunks.find((t) => t.id === 'overloaded')?.available).toBe(false);
    await trunk?.hangup(id);
    await expectClean();
  });

  it('refuses originate as retryable E_TRUNK_UNAVAILABLE when every trunk says 503, honouring Retry-After', async () => {
    await open([await route('reject-503', '+1')]);
    const error = await call('+14155550001').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_TRUNK_UNAVAILABLE', cause: { retryable: true } });
    const again = await call('+14155550001').catch((e: unknown) => e);
    expect((again as { cause: { retryAfterMs: number } }).cause.retryAfterMs).toBeGreaterThan(1_000);
    await sleep(2_100); // Retry-After: 2
    expect(trunk?.stats().trunks[0]?.available).toBe(true);
    await expectClean();
  });

  it('answers a 401 digest challenge with the trunk credentials', async () => {
    const auth = await startSipp('auth.xml', dir, 1);
    extra.push(auth);
    await open([{ id: 'auth', host: '127.0.0.1', port: auth.port, username: 'paceline', password: 's3cret' }]);
    const id = await call('+14155550001');
    await until(() => of(id).some((e) => e.type === 'analysed'));
    await trunk?.hangup(id);
    expect(await auth.exited).toBe(0);
    await expectClean();
  });

  it('ends the call when the callee sends BYE mid-call', async () => {
    await open([await route('callee-bye', '+1')]);
    const id = await call('+14155550001');
    await until(() => ended(id) !== undefined);
    expect(ended(id)).toMatchObject({ outcome: 'human', cause: 'remote-bye' });
    await expectClean();
  });

  it('ACKs a 200 OK sent again (UDP retransmission) and completes the call', async () => {
    const trace = join(dir, 'lost-200-messages.log');
    const lost = await startSipp('lost-200.xml', dir, 1, ['-trace_msg', '-message_file', trace]);
    extra.push(lost);
    await open([{ id: 'lost-200', host: '127.0.0.1', port: lost.port }]);
    const id = await call('+14155550001');
    await until(() => of(id).some((e) => e.type === 'answered'));
    await sleep(600);
    await trunk?.hangup(id);
    expect(await lost.exited).toBe(0);
    // RFC 3261 13.2.2.4: every 2xx retransmission gets the ACK again.
    const acks = readFileSync(trace, 'utf8').match(/^ACK sip:/gm) ?? [];
    expect(acks.length).toBeGreaterThanOrEqual(2);
    expect(of(id).filter((e) => e.type === 'answered')).toHaveLength(1);
    await expectClean();
  });

  it('spaces a burst of INVITEs at the calls-per-second limit and refuses calls beyond the channels', async () => {
    await open([await route('no-answer', '+1', { callsPerSecond: 5, maxChannels: 4 })]);
    // Read when each INVITE left our socket: the ringing that comes back carries SIPp's and the event loop's delays too.
    const sentAt = recordInviteSends(trunk?.stats().trunks[0]?.localPort ?? 0);
    let times: number[];
    try {
      const ids = await Promise.all([1, 2, 3, 4].map(() => call('+14155550004')));
      await expect(call('+14155550004')).rejects.toMatchObject({ code: 'E_TRUNK_UNAVAILABLE' });
      const ringingAt = (id: string) => of(id).find((e) => e.type === 'ringing')?.at;
      await until(() => ids.every((id) => ringingAt(id) !== undefined));
      times = [...sentAt.times.values()].sort((a, b) => a - b);
      for (const id of ids) await trunk?.hangup(id);
      expect(ids.map((id) => ended(id)?.outcome)).toEqual(['no-answer', 'no-answer', 'no-answer', 'no-answer']);
    } finally {
      sentAt.stop();
    }
    expect(times).toHaveLength(4);
    // 5 calls per second: INVITEs 201 ms apart (less a little jitter between taking the token and the socket).
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(170);
    await expectClean();
  });
});
