import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GreetingTranscript, MoonshineTranscriber } from '@paceline/amd-words';
import { type Clock, seededRandom, silentLogger, systemClock } from '@paceline/core';
import { createDialer, type DialerEvents } from '@paceline/engine';
import { createSipTrunk, GreetingWords } from '@paceline/trunk-sip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNoise, corpusToolsAvailable, sequence, speak, writeWav } from '../../packages/trunk-sip/test/support/corpus';
import { sippAvailable, startSipp } from '../../packages/trunk-sip/test/support/sipp';

// issue-17 worker: the greeting-words stage (SipTrunkOptions.amdWords) on real SIP calls. A SIPp
// UAS answers the dialer's INVITE and streams a µ-law greeting as RTP (rtp_stream); the trunk's
// detector hears it, the real Moonshine model transcribes it in its worker thread, and the engine
// carries out the campaign's machine handling. Real time, real SIP, real model.

const haveTools = sippAvailable() && corpusToolsAvailable();
if (!haveTools && process.env.CI === 'true') throw new Error('the amdWords SIPp e2e test needs sipp, espeak-ng and sox under CI');

/** Real timers on a clock that reads Monday 15:00 in New York (the calling window is open). */
function officeHoursClock(): Clock {
  const real = systemClock();
  const offset = Date.UTC(2026, 10, 23, 20, 0) - real.now();
  return { now: () => real.now() + offset, setTimer: (ms, cb) => real.setTimer(ms, cb), clearTimer: (h) => real.clearTimer(h) };
}

describe.skipIf(!haveTools)('amdWords on a real SIP call (SIPp UAS, Moonshine tiny, engine machine handling)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amd-words-sipp-'));
  let transcriber: MoonshineTranscriber;
  /** Every transcription the stage asked for, as it finishes. */
  const transcripts: GreetingTranscript[] = [];
  let transcribed: () => void = () => undefined;

  beforeAll(async () => {
    transcriber = await MoonshineTranscriber.load();
  }, 60_000);
  afterAll(async () => {
    await transcriber?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The stage over the real transcriber, telling the test when each transcription is done. */
  function words(): GreetingWords {
    return new GreetingWords({
      transcribe: async (samples) => {
        const transcript = await transcriber.transcribe(samples);
        transcripts.push(transcript);
        transcribed();
        return transcript;
      },
    });
  }

  /** One outbound call from a progressive campaign (machines: hang up) to a SIPp UAS playing `greeting`. */
  async function callAnsweredBy(scenario: 'machine.xml' | 'human.xml', greeting: Int16Array, run: (ctx: CallContext) => Promise<void>) {
    const callDir = mkdtempSync(join(dir, 'call-'));
    // SIPp streams the file from its 200 OK; padded with silence so it outlasts the call.
    writeWav(join(callDir, scenario.replace('.xml', '.wav')), addNoise(sequence([greeting, 20_000]), 60, 17), 'mulaw');
    const peer = await startSipp(scenario, callDir, 1);
    const clock = officeHoursClock();
    const trunk = await createSipTrunk({
      trunks: [{ id: 'carrier', host: '127.0.0.1', port: peer.port }],
      clock,
      random: seededRandom(17),
      sipTimers: { t1Ms: 200 },
      amdWords: words(),
    });
    const dialer = createDialer({ trunk, clock, random: seededRandom(18), logger: silentLogger, tickIntervalMs: 100 });
    const events = new Map<keyof DialerEvents, unknown[]>();
    const waiters: (() => void)[] = [];
    /** Every `name` event so far. */
    const seen = <K extends keyof DialerEvents>(name: K) => (events.get(name) ?? []) as DialerEvents[K][0][];
    for (const name of ['analysed', 'connected', 'revised', 'ended', 'error'] as const) {
      dialer.on(name, ((event: unknown) => {
        events.set(name, [...(events.get(name) ?? []), event]);
        for (const wake of waiters.splice(0)) wake();
      }) as never);
    }
    /** The first `name` event, waiting for it (woken by each event) up to `maxMs`. */
    const first = async <K extends keyof DialerEvents>(name: K, maxMs: number): Promise<DialerEvents[K][0]> => {
      const deadline = Date.now() + maxMs;
      while (seen(name).length === 0) {
        if (Date.now() > deadline) throw new Error(`no ${name} within ${maxMs} ms; saw ${[...events.keys()].join(', ')}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return seen(name)[0] as DialerEvents[K][0];
    };
    try {
      await dialer.addCampaign({
        id: 'camp',
        name: 'Camp',
        goal: 'retention',
        dialMode: 'progressive',
        machineHandling: 'hangup',
        complianceProfile: 'us-federal',
        callerId: '+12125550100',
        homeTimeZone: 'America/New_York',
      });
      await dialer.addContacts('camp', [{ id: 'c1', phones: [{ number: '+12125550123' }], state: 'NY' }]);
      dialer.loginAgent({ id: 'ana', name: 'Ana' }, ['camp']);
      dialer.ready('ana');
      await dialer.start('camp');
      await run({ first, seen, dialer, sippExited: peer.exited });
    } finally {
      await dialer.close();
      await trunk.close();
      await peer.stop();
    }
  }

  interface CallContext {
    readonly first: <K extends keyof DialerEvents>(name: K, maxMs: number) => Promise<DialerEvents[K][0]>;
    readonly seen: <K extends keyof DialerEvents>(name: K) => DialerEvents[K][0][];
    readonly dialer: ReturnType<typeof createDialer>;
    readonly sippExited: Promise<number | null>;
  }

  it('a machine that opens like a person ("Hello?" … "This is Jo, leave a message.") is connected, then revised by its words and hung up', async () => {
    const voice = 'en-us';
    const greeting = sequence([300, speak(dir, 'Hello?', voice, 170), 1_200, speak(dir, 'This is Jo, leave a message.', voice, 170)]);
    transcripts.length = 0;
    await callAnsweredBy('machine.xml', greeting, async ({ first, seen, sippExited }) => {
      // The cadence alone takes the short opener and its pause for a person: connected at once.
      expect(await first('analysed', 10_000)).toMatchObject({ result: 'human' });
      const offer = await first('connected', 5_000);
      expect(offer.agentId).toBe('ana');
      // The words stage hears the whole greeting and revises the call; the campaign hangs up on machines.
      const revised = await first('revised', 30_000);
      expect(revised, JSON.stringify(transcripts)).toMatchObject({
        callId: offer.callId,
        reason: 'greeting-words',
        handling: 'hangup',
        agentId: 'ana',
      });
      const ended = await first('ended', 10_000);
      expect(ended).toMatchObject({ callId: offer.callId, outcome: 'machine' });
      expect(await sippExited).toBe(0); // SIPp got our BYE and answered it: the call really was hung up
      expect(transcripts).toHaveLength(1);
      expect(transcripts[0]?.text.toLowerCase()).toMatch(/leave/);
      expect(seen('error')).toEqual([]);
    });
  }, 60_000);

  it('a person ("Hello? Yes, speaking.") is transcribed and stays a person with the agent', async () => {
    const voice = 'en-us';
    const greeting = sequence([300, speak(dir, 'Hello?', voice, 170), 400, speak(dir, 'Yes, speaking.', voice, 170)]);
    transcripts.length = 0;
    const heard = new Promise<void>((resolve) => {
      transcribed = resolve;
    });
    await callAnsweredBy('human.xml', greeting, async ({ first, seen, dialer, sippExited }) => {
      expect(await first('analysed', 10_000)).toMatchObject({ result: 'human' });
      const offer = await first('connected', 5_000);
      // The words stage has transcribed the person's greeting (bounded, so a failure still reaches `finally` and stops SIPp).
      await Promise.race([
        heard,
        new Promise((_, reject) => setTimeout(() => reject(new Error('the greeting was not transcribed within 30 s')), 30_000).unref()),
      ]);
      expect(transcripts).toHaveLength(1);
      expect(transcripts[0]?.text.toLowerCase()).toMatch(/speaking|hello/);
      // Give a revision, were one coming, a moment to surface after the verdict.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(seen('revised')).toEqual([]);
      await dialer.disposition(offer.callId, 'SAVED');
      const ended = await first('ended', 10_000);
      expect(ended.outcome).not.toBe('machine');
      expect(await sippExited).toBe(0);
      expect(seen('error')).toEqual([]);
    });
  }, 60_000);
});
