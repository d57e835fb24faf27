import type { AmdCaseSpec, AmdCorpusCase } from './generate';
import type { TtsVoice } from './tts';
import { holdoutSpecs, renderHoldout } from './words-holdout';

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
  return holdoutSpecs({
    name: 'phrase',
    firstSeed: 93_000,
    machines: PHRASE_HOLDOUT_MACHINES,
    people: PHRASE_HOLDOUT_PEOPLE,
    machineCls: 'machine-short',
    voices: VOICES,
    peopleVoiceShift: 1,
  });
}

/** Render the phrase hold-out set (a few seconds of TTS; not cached). */
export function loadPhraseHoldout(): AmdCorpusCase[] {
  return renderHoldout(phraseHoldoutSpecs());
}
