// issue-17 f2: forced phrase scoring with the real model (Moonshine tiny from @usefulsensors/moonshine-js).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FORCED_PHRASES, DEFAULT_FORCED_SLOWDOWNS, GreetingWords } from '@paceline/trunk-sip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slowDown } from '../../trunk-sip/src/amd/greeting-words';
import { MoonshineTranscriber } from '../src/index';

describe('MoonshineTranscriber.scorePhrases (forced scoring of key phrases, the real model)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amd-forced-'));
  let transcriber: MoonshineTranscriber;
  const minMargin = new GreetingWords({ transcribe: async () => ({ text: '' }) }).minForcedMargin;
  beforeAll(async () => {
    transcriber = await MoonshineTranscriber.load({ beams: 1 });
  });
  afterAll(async () => {
    await transcriber?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** espeak-ng in `voice` at `wordsPerMinute`, telephone band, 8 kHz 16-bit (`law`: a G.711 round trip). */
  function telephone(voice: string, text: string, wordsPerMinute = 175, law: 'u-law' | 'signed' = 'u-law'): Int16Array {
    execFileSync('espeak-ng', ['-v', voice, '-s', String(wordsPerMinute), '-w', join(dir, 'a.wav'), text]);
    execFileSync('sox', [join(dir, 'a.wav'), '-r', '8000', '-e', law, join(dir, 'b.wav'), 'sinc', '300-3400']);
    execFileSync('sox', [join(dir, 'b.wav'), '-e', 'signed', '-b', '16', '-t', 'raw', join(dir, 'c.raw')]);
    const bytes = readFileSync(join(dir, 'c.raw'));
    return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  }

  it('finds "leave a message" in a greeting the tiny model usually mishears, and not in a person offering to take one', async () => {
    // The old corpus's hard case (its voice and speed), re-synthesised without noise. The tiny
    // model's greedy reading of it usually holds no phrase, but not always (one clean-clone CI run
    // out of two read it right; the cause was not found). So the reading is not asserted; the
    // forced score is, and a reading that holds the phrase scores it at margin 0 anyway.
    const machine = await transcriber.scorePhrases(
      telephone('en-us+f2', 'Hey, it is Dave, leave a message.', 150, 'signed'),
      DEFAULT_FORCED_PHRASES,
    );
    const leave = machine.scores.find((s) => s.phrase === 'leave a message');
    expect(leave?.margin).toBeGreaterThanOrEqual(minMargin);
    expect(leave?.logProb).toBeLessThan(0);
    expect(machine.computeMs).toBeGreaterThan(0);

    const person = await transcriber.scorePhrases(telephone('en-gb', 'Hi, can I take a message? She is not here.'), DEFAULT_FORCED_PHRASES);
    expect(person.scores.map((s) => s.phrase)).toEqual([...DEFAULT_FORCED_PHRASES]);
    for (const s of person.scores) expect(s.margin, s.phrase).toBeLessThan(minMargin);
  });

  // issue-17 old: the default also scores the greeting slowed (lowered); people must stay people there too.
  it('keeps people offering to take or mentioning a message below the margin at the default slowed rates', async () => {
    expect(DEFAULT_FORCED_SLOWDOWNS.length).toBeGreaterThan(0);
    const people = [
      telephone('en-gb', 'Hi, can I take a message? She is not here.'),
      telephone('en-us+f2', 'Hello? Did you get my message?', 150),
    ];
    for (const [i, person] of people.entries()) {
      for (const rate of DEFAULT_FORCED_SLOWDOWNS) {
        const scored = await transcriber.scorePhrases(slowDown(person, rate), DEFAULT_FORCED_PHRASES);
        for (const s of scored.scores) expect(s.margin, `person ${i} at ${rate}×: ${s.phrase}`).toBeLessThan(minMargin);
      }
    }
  });

  it('scores nothing in audio too short to hold words', async () => {
    const scored = await transcriber.scorePhrases(new Int16Array(1_000), ['leave a message']);
    expect(scored.scores).toEqual([
      { phrase: 'leave a message', logProb: -Infinity, worstWordLogProb: -Infinity, atWord: 0, margin: -Infinity },
    ]);
  });
});
