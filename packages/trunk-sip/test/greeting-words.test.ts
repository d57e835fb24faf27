import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@paceline/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AmdDetector,
  type AmdRevision,
  DEFAULT_MACHINE_PHRASES,
  detectAnsweringMachineWithWords,
  type GreetingTranscriber,
  GreetingWords,
  MachinePhraseMatcher,
  normaliseWords,
} from '../src/index';
import { dbfsToRms, pinkNoise, toInt16 } from './support/amd-corpus/signal';
import { synthesise } from './support/amd-corpus/tts';

describe('voicemail phrases in a transcript', () => {
  const matcher = new MachinePhraseMatcher();

  it('normalises case, punctuation and contractions', () => {
    expect(normaliseWords("Hi! You've reached Sam's VOICE MAIL — I can't take your call.")).toBe(
      'hi you have reached sams voicemail i cannot take your call',
    );
  });

  it.each([
    ['Hey, did it, babe? Leave my message.', 'leave a message'],
    ['Please leave your message after the tone.', 'leave your message'],
    ["Sorry, I can't take your call right now.", 'cannot take your call'],
    ['You have reached the voice mail of John Smith.', 'voicemail'],
    ['The person you are calling is not avaliable.', 'not available'],
    ['Speak after the beep', 'after the beep'],
    ['Please leave your method after the code.', 'after the tone'],
    ["We'll get back to you as soon as we can.", 'get back to you'],
    ['Your mail box is full', 'mailbox'],
  ])('finds a phrase despite ASR slips: %s', (transcript, phrase) => {
    expect(matcher.match(transcript)?.phrase).toBe(phrase);
  });

  it.each([
    'Sorry, can I call you back?',
    'Good afternoon, Smith and Partners, Rebecca speaking, how can I help?',
    'Hi, can I take a message? She is not here at the moment.',
    'Yeah, hi, I am available now, what did you want?',
    'Hello, yes, I got your message earlier, go ahead.',
    'Hello, is that the delivery? Just leave it at the door.',
    'Hello, you have reached the accounts department, this is Mark.',
    'Hello? Hello? Anyone there?',
    '',
  ])('finds nothing in what people say: %s', (transcript) => {
    expect(matcher.match(transcript)).toBeUndefined();
  });

  it('matches whole words only and short phrases exactly', () => {
    const strict = new MachinePhraseMatcher({ phrases: ['beep'], maxEditRatio: 0.5 });
    expect(strict.match('keep it')).toBeUndefined();
    expect(strict.match('after the beep')?.heard).toBe('beep');
    expect(new MachinePhraseMatcher({ maxEditRatio: 0 }).match('leave my message')).toBeUndefined();
  });

  it('refuses bad settings with E_INVALID_CONFIG naming the field', () => {
    expect(() => new MachinePhraseMatcher({ maxEditRatio: 0.9 })).toThrow(/amdWords\.maxEditRatio/);
    expect(() => new MachinePhraseMatcher({ phrases: ['leave a message', '?!'] })).toThrow(/amdWords\.phrases\[1\]/);
    expect(() => new GreetingWords(says(''), { endSilenceMs: 50 })).toThrow(/amdWords\.endSilenceMs/);
    expect(DEFAULT_MACHINE_PHRASES.every((p) => normaliseWords(p) === p)).toBe(true);
  });
});

/** A transcriber that says `text` and counts its calls. */
function says(text: string): GreetingTranscriber & { calls: number; heardMs: number[] } {
  const fake = {
    calls: 0,
    heardMs: [] as number[],
    transcribe: async (samples: Int16Array) => {
      fake.calls++;
      fake.heardMs.push(samples.length / 8);
      return { text, computeMs: 700 };
    },
  };
  return fake;
}

const dir = mkdtempSync(join(tmpdir(), 'amd-words-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `speech` at `atMs` over quiet pink noise, `totalMs` long. */
function call(totalMs: number, parts: readonly [number, string][]): Int16Array {
  const out = Float64Array.from(pinkNoise(seededRandom(3), totalMs * 8), (x) => x * dbfsToRms(-60));
  for (const [atMs, text] of parts) {
    const speech = synthesise(dir, { engine: 'espeak-ng', voice: 'en-us' }, text, 1);
    for (let i = 0; i < speech.length && atMs * 8 + i < out.length; i++)
      out[atMs * 8 + i] = (out[atMs * 8 + i] ?? 0) + (speech[i] ?? 0) * 0.5;
  }
  return toInt16(out);
}

describe('the greeting-words stage in the detector', () => {
  it('revises a short beep-less greeting called a person to a machine when a phrase is heard, timed at its end plus the compute', async () => {
    const audio = call(6_000, [[300, 'Hey, it is Dave, leave a message.']]);
    const transcriber = says('Hey, did it, babe? Leave my message.');
    const run = await detectAnsweringMachineWithWords(audio, new GreetingWords(transcriber));
    expect(run.result).toBe('human');
    expect(run.finalResult).toBe('machine');
    expect(run.revision).toMatchObject({ reason: 'greeting-words', phrase: 'leave a message' });
    // The greeting only (plus pre-roll and 200 ms after), not the silence that ended it.
    expect(transcriber.heardMs[0]).toBeLessThan(3_500);
    expect(run.revision?.atMs).toBeGreaterThan(300 + 2_000);
    expect(run.revision?.atMs).toBeLessThan(6_000);
  });

  it("searches the recogniser's other readings too (n-best), and reports them", async () => {
    const audio = call(6_000, [[300, 'Hey, it is Dave, leave a message.']]);
    const nBest: GreetingTranscriber = {
      transcribe: async () => ({ text: 'Hey, did it seem? leave my marriage.', alternatives: ['Hey, did it seem? leave my message.'] }),
    };
    const run = await detectAnsweringMachineWithWords(audio, new GreetingWords(nBest));
    expect(run.revision).toMatchObject({ reason: 'greeting-words', phrase: 'leave a message' });
    expect(run.words?.alternatives).toEqual(['Hey, did it seem? leave my message.']);
  });

  it('leaves a person a person when the words hold no machine phrase', async () => {
    const audio = call(6_000, [[400, 'Sorry, can I call you back?']]);
    const run = await detectAnsweringMachineWithWords(audio, new GreetingWords(says('Sorry, can I call you back?')));
    expect(run).toMatchObject({ result: 'human', finalResult: 'human', revision: undefined });
    expect(run.words?.machine).toBe(false);
  });

  it('hears a greeting that opens like a person whole (the pause does not end it for the words)', async () => {
    const audio = call(9_000, [
      [300, 'Hello?'],
      [2_000, 'This is Jo, leave a message.'],
    ]);
    const transcriber = says('Hello? This is Jo, leave a message.');
    const run = await detectAnsweringMachineWithWords(audio, new GreetingWords(transcriber));
    expect(transcriber.calls).toBe(1);
    expect(transcriber.heardMs[0]).toBeGreaterThan(2_500);
    expect(run.finalResult).toBe('machine');
  });

  it('never transcribes a call the cadence already called a machine, and never turns a machine into a person', async () => {
    const long = call(14_000, [
      [
        300,
        'Hello, you have reached the voicemail of John Smith. I am not able to take your call right now, but if you leave your name and number I will get back to you.',
      ],
    ]);
    const transcriber = says('Hello, how can I help?');
    const run = await detectAnsweringMachineWithWords(long, new GreetingWords(transcriber), { humanDeadlineMs: 0 });
    expect(run.result).toBe('machine');
    expect(transcriber.calls).toBe(0);
  });

  it('keeps the cadence decision when the transcriber fails, and reports the failure', async () => {
    const errors: unknown[] = [];
    const revisions: AmdRevision[] = [];
    const failing: GreetingTranscriber = { transcribe: () => Promise.reject(new Error('model gone')) };
    const detector = new AmdDetector(
      {},
      { onWordsError: (e) => errors.push(e), onRevised: (r) => revisions.push(r) },
      undefined,
      new GreetingWords(failing),
    );
    detector.push(call(6_000, [[300, 'Please leave a message.']]));
    expect(await detector.endOfAudio()).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(revisions).toEqual([]);
    expect(detector.finalResult).toBe('human');
  });
});
