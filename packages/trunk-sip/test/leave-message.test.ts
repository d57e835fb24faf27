import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom, systemClock, type TrunkEvent } from '@paceline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListenBack } from '../src/amd/listen-back';
import { createSipTrunk } from '../src/index';
import { addNoise, beep, corpusToolsAvailable, sequence, speak, writeWav } from './support/corpus';
import { type SippPeer, sippAvailable, startSipp } from './support/sipp';

const haveSipp = sippAvailable() && corpusToolsAvailable();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('issue-17: listen-back capture (unit)', () => {
  it('keeps the first 12 s of a sampled call as a WAV named by call id, drops the others, refuses without a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'listen-back-'));
    try {
      const tap = new ListenBack(dir);
      for (let i = 0; i < 800; i++) tap.heard('kept-1', new Int16Array(160).fill(i % 100)); // 16 s
      tap.heard('dropped-1', new Int16Array(160));
      const kept = tap.keep('kept-1');
      tap.ended('dropped-1');
      tap.ended('kept-1');
      const path = await kept;
      expect(path).toBe(join(dir, 'kept-1.wav'));
      const wav = readFileSync(path);
      expect(wav.subarray(0, 4).toString()).toBe('RIFF');
      expect(wav.length).toBe(44 + 12_000 * 8 * 2); // capped at 12 s of 8 kHz 16-bit
      expect(tap.held).toBe(0);
      await expect(tap.keep('dropped-1')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
      await expect(new ListenBack(undefined).keep('x')).rejects.toMatchObject({ code: 'E_INVALID_CONFIG' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!haveSipp)('issue-17: leave a message after the beep (SIPp voicemail, real time)', () => {
  let dir = '';
  let peer: SippPeer | undefined;
  let beepEndsAtMs = 0;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leave-message-'));
    const greeting = speak(
      dir,
      'Hi, you have reached the voicemail of Dana Price at Northside Plumbing and Heating. I am out on a job or on the other line right now. Please leave your name, your number and a short message after the tone, and I will call you back.',
      'en-us',
      175,
    );
    // SIPp streams machine.wav from the answer: 300 ms, the greeting, 400 ms, a 600 ms beep, then silence.
    const audio = sequence([300, greeting, 400, beep(600, 850), 6_000]);
    beepEndsAtMs = (300 * 8 + greeting.length + 400 * 8 + 600 * 8) / 8;
    writeWav(join(dir, 'machine.wav'), addNoise(audio, 58, 3), 'mulaw');
    writeWav(join(dir, 'vm.wav'), speak(dir, 'This is Paceline calling about your order.', 'en-us', 180));
    peer = await startSipp('machine.xml', dir);
  }, 60_000);
  afterAll(async () => {
    await peer?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects the machine as a person, revises it, and plays the message only after the beep ends; the analysis audio is kept', async () => {
    const clock = systemClock();
    const beeps: number[] = [];
    const trunk = await createSipTrunk({
      trunks: [{ id: 'vm', host: '127.0.0.1', port: peer?.port ?? 0 }],
      clock,
      random: seededRandom(17),
      messages: { 'machine-message': join(dir, 'vm.wav') },
      listenBackDir: join(dir, 'listen-back'),
      onBeep: (_callId, at) => beeps.push(at),
    });
    const events: TrunkEvent[] = [];
    trunk.onEvent((e) => events.push(e));
    try {
      const callId = 'vm-1';
      await trunk.originate({ callId, campaignId: 'c', to: '+14155550777', callerId: '+14155550100', ringTimeoutMs: 15_000 });
      const waitFor = async (type: TrunkEvent['type'], maxMs: number) => {
        for (let waited = 0; !events.some((e) => e.type === type) && waited < maxMs; waited += 50) await sleep(50);
        const event = events.find((e) => e.type === type);
        if (!event) throw new Error(`no ${type} within ${maxMs} ms: ${events.map((e) => e.type).join(', ')}`);
        return event;
      };
      const answered = await waitFor('answered', 10_000);
      const analysed = await waitFor('analysed', 10_000);
      expect(analysed).toMatchObject({ result: 'human' }); // people first: connected by the deadline
      const kept = trunk.keepAnalysisAudio(callId);
      const revised = await waitFor('revised', 15_000);
      // revised on the greeting (long-greeting), seconds before the beep: a message played at once would talk over it
      expect(revised).toMatchObject({ reason: 'long-greeting' });
      expect(revised.at).toBeLessThan(answered.at + beepEndsAtMs - 2_000);
      // The engine's machine handling: the message, as soon as the revision arrives; the trunk waits for the beep.
      const message = readFileSync(join(dir, 'vm.wav')).length; // bytes, 16-bit at 8 kHz after a 44-byte header
      const messageMs = (message - 44) / 16;
      await trunk.playMessage(callId, 'machine-message');
      const finishedAt = clock.now();
      const startedAt = finishedAt - messageMs;
      expect(beeps).toHaveLength(1);
      const beepAt = beeps[0] ?? 0;
      // The beep the trunk heard ends where the recording puts it (RTP from SIPp starts at the answer).
      expect(Math.abs(beepAt - (answered.at + beepEndsAtMs))).toBeLessThan(600);
      // The message started after the beep ended (20 ms frames, timers under load), and promptly.
      expect(startedAt).toBeGreaterThanOrEqual(beepAt - 40);
      expect(startedAt - beepAt).toBeLessThan(1_500);
      await trunk.hangup(callId);
      expect((await waitFor('ended', 5_000)) as { outcome: string }).toMatchObject({ outcome: 'machine' });
      const wav = readFileSync(await kept);
      const keptMs = (wav.length - 44) / 16;
      // what analysis heard from the answer: the first 12 s of this 14 s greeting (the listen-back cap)
      expect(keptMs).toBeGreaterThan(beepEndsAtMs - 12_000 > 0 ? 11_000 : beepEndsAtMs - 1_000);
      expect(keptMs).toBeLessThanOrEqual(12_000);
    } finally {
      await trunk.close();
    }
  }, 60_000);
});
