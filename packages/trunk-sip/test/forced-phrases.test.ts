// issue-17 f2: forced phrase scoring in the greeting-words stage (fake recognisers; the real model
// is tested in packages/amd-words/test/phrase-scorer.test.ts and measured by `pnpm bench:amd`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@paceline/core';
import { afterAll, describe, expect, it } from 'vitest';
import { slowDown } from '../src/amd/greeting-words';
import {
  DEFAULT_FORCED_PHRASES,
  DEFAULT_FORCED_SLOWDOWNS,
  detectAnsweringMachineWithWords,
  type GreetingTranscriber,
  GreetingWords,
} from '../src/index';
import { dbfsToRms, pinkNoise, toInt16 } from './support/amd-corpus/signal';
import { synthesise } from './support/amd-corpus/tts';

/** A recogniser that hears `text` and, asked about phrases, gives each the margin in `margins` (else −30). */
function recogniser(text: string, margins: Record<string, number>): GreetingTranscriber & { asked: string[][] } {
  const fake = {
    asked: [] as string[][],
    transcribe: async () => ({ text, computeMs: 400 }),
    scorePhrases: async (_samples: Int16Array, phrases: readonly string[]) => {
      fake.asked.push([...phrases]);
      return {
        scores: phrases.map((phrase) => ({ phrase, logProb: (margins[phrase] ?? -30) - 5, margin: margins[phrase] ?? -30 })),
        computeMs: 300,
      };
    },
  };
  return fake;
}

const dir = mkdtempSync(join(tmpdir(), 'amd-forced-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `text` spoken at 300 ms over quiet pink noise, 6 s in all: the cadence calls it a person. */
function shortGreeting(text: string): Int16Array {
  const out = Float64Array.from(pinkNoise(seededRandom(5), 6_000 * 8), (x) => x * dbfsToRms(-60));
  const speech = synthesise(dir, { engine: 'espeak-ng', voice: 'en-us' }, text, 1);
  for (let i = 0; i < speech.length; i++) out[2_400 + i] = (out[2_400 + i] ?? 0) + (speech[i] ?? 0) * 0.5;
  return toInt16(out);
}

describe('forced phrase scoring (the key phrase misheard by the recogniser)', () => {
  const machine = shortGreeting('Hey, it is Dave, leave a message.');

  it('revises a person to a machine when no reading holds a phrase but the recogniser finds a key phrase likely', async () => {
    const fake = recogniser('Hey, did his name snee my marriage?', { 'leave a message': -3.5, 'after the tone': -20 });
    const run = await detectAnsweringMachineWithWords(machine, new GreetingWords(fake));
    expect(run.result).toBe('human');
    expect(run.revision).toMatchObject({ reason: 'greeting-words', phrase: 'leave a message' });
    expect(run.words?.match?.forced).toEqual({ logProb: -8.5, margin: -3.5 });
    // Asked of the greeting as heard and, by default, slowed 1.2× (issue-17 old).
    expect(DEFAULT_FORCED_SLOWDOWNS).toEqual([1.2]);
    expect(fake.asked).toEqual([[...DEFAULT_FORCED_PHRASES], [...DEFAULT_FORCED_PHRASES]]);
    // The forced scorings' compute is counted in the revision's time (greeting end + 2 s + 400 + 2 × 300 ms).
    expect(run.words?.computeMs).toBe(1_000);
  });

  it.each([
    ['Hi, can I take a message?', { 'leave a message': -10.6 }],
    ['Hello, yes, I got your message earlier.', { 'leave your message': -7.2, 'leave a message': -6.01 }],
    ['Sorry, the oven beeped, hello?', { 'after the beep': -12 }],
  ])('leaves a person a person when every key phrase scores below the margin: %s', async (text, margins) => {
    const run = await detectAnsweringMachineWithWords(shortGreeting(text), new GreetingWords(recogniser(text, margins)));
    expect(run).toMatchObject({ result: 'human', finalResult: 'human', revision: undefined });
    expect(run.words?.machine).toBe(false);
  });

  it('asks nothing when a reading already holds a phrase, and nothing with forcedPhrases []', async () => {
    const heard = recogniser('Hey, it is Dave, leave my message.', { 'leave a message': 0 });
    const run = await detectAnsweringMachineWithWords(machine, new GreetingWords(heard));
    expect(run.words?.match?.phrase).toBe('leave a message');
    expect(run.words?.match?.forced).toBeUndefined();
    expect(heard.asked).toEqual([]);
    const off = recogniser('Hey, did his name snee my marriage?', { 'leave a message': 0 });
    const offRun = await detectAnsweringMachineWithWords(machine, new GreetingWords(off, { forcedPhrases: [] }));
    expect(offRun.finalResult).toBe('human');
    expect(off.asked).toEqual([]);
  });

  // issue-17 old: a transcription that timed out (a hung worker) is no evidence: never a machine.
  it('asks nothing and leaves the person a person when the transcription timed out', async () => {
    const hung = recogniser('', { 'leave a message': 0 });
    const words = new GreetingWords({
      ...hung, // its scorePhrases records what it is asked in hung.asked
      transcribe: async () => ({ text: '', alternatives: [], computeMs: 20_000, timedOut: true }),
    });
    const run = await detectAnsweringMachineWithWords(machine, words);
    expect(run).toMatchObject({ result: 'human', finalResult: 'human', revision: undefined });
    expect(run.words?.machine).toBe(false);
    expect(hung.asked).toEqual([]);
  });

  it('takes the threshold from minForcedMargin and picks the best-scoring phrase', () => {
    const words = new GreetingWords(recogniser('', {}), { minForcedMargin: -2 });
    const scores = [
      { phrase: 'leave a message', logProb: -9, margin: -3 },
      { phrase: 'after the tone', logProb: -4, margin: -1 },
      { phrase: 'after the beep', logProb: -5, margin: -1.5 },
    ];
    expect(words.forcedMatch(scores)?.phrase).toBe('after the tone');
    expect(words.forcedMatch(scores.slice(0, 1))).toBeUndefined();
    expect(words.forcedMatch(scores.slice(0, 1), -3)?.phrase).toBe('leave a message');
  });

  it('with forcedSlowdowns, also scores the greeting played slower and keeps the best margin', async () => {
    const heard: number[] = [];
    const fake: GreetingTranscriber = {
      transcribe: async () => ({ text: 'Hey, did his name snee my marriage?' }),
      // Finds the phrase only in the slowed audio (longer than the original).
      scorePhrases: async (samples, phrases) => {
        heard.push(samples.length);
        const slowed = heard.length > 1;
        return { scores: phrases.map((phrase) => ({ phrase, logProb: -10, margin: slowed && phrase === 'leave a message' ? -4 : -10 })) };
      },
    };
    const run = await detectAnsweringMachineWithWords(machine, new GreetingWords(fake, { forcedSlowdowns: [1.15] }));
    expect(heard).toHaveLength(2);
    expect((heard[1] as number) / (heard[0] as number)).toBeCloseTo(1.15, 2);
    expect(run.revision).toMatchObject({ reason: 'greeting-words', phrase: 'leave a message' });
    heard.length = 0;
    const plain = await detectAnsweringMachineWithWords(machine, new GreetingWords(fake, { forcedSlowdowns: [] }));
    expect(heard).toHaveLength(1);
    expect(plain.finalResult).toBe('human');
    // The default (issue-17 old) scores the greeting slowed 1.2× too, and finds the phrase there.
    heard.length = 0;
    const byDefault = await detectAnsweringMachineWithWords(machine, new GreetingWords(fake));
    expect(heard).toHaveLength(2);
    expect((heard[1] as number) / (heard[0] as number)).toBeCloseTo(1.2, 2);
    expect(byDefault.revision).toMatchObject({ reason: 'greeting-words', phrase: 'leave a message' });
  });

  it('slowDown lowers a tone by the rate and keeps its level', () => {
    const tone = Int16Array.from({ length: 8_000 }, (_, i) => Math.round(8_000 * Math.sin((2 * Math.PI * 230 * i) / 8_000)));
    const slow = slowDown(tone, 1.15);
    expect(slow.length).toBe(9_200);
    // Count rising zero crossings over the whole signal: 230 Hz over 1 s becomes 200 Hz over 1.15 s.
    let crossings = 0;
    for (let i = 1; i < slow.length; i++) if ((slow[i - 1] as number) < 0 && (slow[i] as number) >= 0) crossings++;
    expect(crossings / (slow.length / 8_000)).toBeCloseTo(200, -1);
    expect(Math.max(...slow)).toBeGreaterThan(7_900);
  });

  it('refuses bad settings with E_INVALID_CONFIG naming the field', () => {
    expect(() => new GreetingWords(recogniser('', {}), { forcedSlowdowns: [1.15, 3] })).toThrow(/amdWords\.forcedSlowdowns\[1\]/);
    expect(() => new GreetingWords(recogniser('', {}), { minForcedMargin: Number.NaN })).toThrow(/amdWords\.minForcedMargin/);
    expect(() => new GreetingWords(recogniser('', {}), { forcedPhrases: ['after the tone', '...'] })).toThrow(
      /amdWords\.forcedPhrases\[1\]/,
    );
  });
});
