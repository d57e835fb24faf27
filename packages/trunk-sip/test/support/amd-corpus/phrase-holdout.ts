import { seededRandom } from '@paceline/core';
import { type AmdCaseSpec, type AmdCorpusCase, AmdCorpusRenderer } from './generate';
import type { Channel } from './signal';
import { availableEngines, type TtsVoice } from './tts';

/**
 * issue-17 f2: a third held-out set, for forced phrase scoring (the words stage asking the model
 * "does this audio say 'leave a message'?"). Written before any result of that scoring was seen
 * and never used to choose a phrase or its margin. Machines: short, casual greetings whose key
 * phrase is most of the speech (the class the tiny model mishears: "leave my marriage").
 * People: answers that say a message, leaving, a voicemail or a beep, so forced scoring of "leave
 * a message" / "after the beep" has something close to latch onto. Voices neither the corpus nor
 * the words hold-out set uses.
 */
export const PHRASE_HOLDOUT_MACHINES: readonly string[] = [
  'Yo, this is Kenny. Leave a message.',
  'Hi, Ruth and Colin here. Leave a message after the beep.',
  'It is Sam. You know what to do after the tone.',
  'Hello. Please leave your message after the tone. Thank you.',
  'Hey, Jo here, well, not really. Leave a message.',
  'Hi, you have got Mike. Leave your message and I will call back.',
  'Alright, it is Dev. Leave me a message.',
  'Good evening, the Patel household, leave a message after the beep.',
];

/** People for the same set, close to the key phrases on purpose. */
export const PHRASE_HOLDOUT_PEOPLE: readonly string[] = [
  'Hello? Oh, hi, I left you a message yesterday.',
  'Yes, sorry, I missed the message, who is this?',
  'Hi, is this about the voicemail I left?',
  'Hello, can you leave it with reception?',
  'Yeah, hi, I am leaving in a minute, be quick.',
  'Hello, did you get my message?',
  'Sorry, the oven beeped, hello?',
  'Hello, Jenny speaking, do you want me to pass on a message?',
];

const VOICES: readonly TtsVoice[] = [
  { engine: 'espeak-ng', voice: 'en-gb-scotland+f3' },
  { engine: 'espeak-ng', voice: 'en-029+m4' },
  { engine: 'espeak-ng', voice: 'en-us-nyc+f1' },
  { engine: 'espeak-ng', voice: 'en-gb-x-rp+m6' },
  { engine: 'espeak-ng', voice: 'en+f5' },
  { engine: 'flite', voice: 'kal16' },
];

/** Two renderings of every greeting (two voices, noise and channel drawn from a seed): 32 cases. */
export function phraseHoldoutSpecs(): AmdCaseSpec[] {
  const voices = VOICES.filter((v) => availableEngines().includes(v.engine));
  const specs: AmdCaseSpec[] = [];
  let seed = 93_000;
  for (const [truth, texts] of [
    ['machine', PHRASE_HOLDOUT_MACHINES],
    ['human', PHRASE_HOLDOUT_PEOPLE],
  ] as const) {
    for (const [t, text] of texts.entries()) {
      for (let take = 0; take < 2; take++) {
        seed++;
        const random = seededRandom(seed);
        const voice = voices[(t * 2 + take + (truth === 'human' ? 1 : 0)) % voices.length] as TtsVoice;
        const parts: AmdCaseSpec['parts'][number][] = [{ silenceMs: Math.round(200 + random.next() * 1_000) }, { say: text, voice }];
        parts.push({ silenceMs: Math.round(truth === 'human' ? 2_000 + random.next() * 2_000 : 1_500 + random.next() * 1_500) });
        const codecRoll = random.next();
        const channel: Channel = {
          codec: codecRoll < 0.2 ? 'none' : codecRoll < 0.6 ? 'PCMU' : 'PCMA',
          packetLoss: random.next() < 0.5 ? 0.01 + random.next() * 0.02 : 0,
        };
        const kind = (['white', 'pink', 'babble', 'street'] as const)[random.int(4)] ?? 'pink';
        specs.push({
          name: `phrase-${truth}-${String(t).padStart(2, '0')}-${take}`,
          cls: truth === 'human' ? 'human-long-greeting' : 'machine-short',
          truth,
          split: 'held-out',
          parts,
          speechDbfs: -30 + random.next() * 16,
          noise: { kind, snrDb: 10 + random.next() * 15 },
          levelStep: undefined,
          channel,
          seed,
        });
      }
    }
  }
  return specs;
}

/** Render the phrase hold-out set (a few seconds of TTS; not cached). */
export function loadPhraseHoldout(): AmdCorpusCase[] {
  const renderer = new AmdCorpusRenderer();
  try {
    return phraseHoldoutSpecs().map((spec) => renderer.render(spec));
  } finally {
    renderer.close();
  }
}
