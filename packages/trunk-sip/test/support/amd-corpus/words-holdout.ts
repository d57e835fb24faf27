import { seededRandom } from '@paceline/core';
import { type AmdCaseSpec, type AmdCorpusCase, AmdCorpusRenderer } from './generate';
import type { Channel } from './signal';
import { availableEngines, type TtsVoice } from './tts';

/**
 * A second held-out set for the greeting-words stage (issue 17): greetings worded unlike the
 * corpus's and unlike the phrase list's examples, written before any result was seen and never
 * used to choose a phrase or a threshold. Machines have no beep (the words must find them);
 * people include the risky ones (a message mentioned, "call you back", "available", "take a
 * message"). Voices the main corpus does not use: other espeak-ng variants and flite's kal16.
 */
export const WORDS_HOLDOUT_MACHINES: readonly string[] = [
  'Hello, you have reached Tom and Anna. We cannot get to the phone right now, please leave a short message.',
  'Your call has been forwarded to an automatic voice message system. The person you called is not available.',
  'Hi, it is Priya. Sorry I missed you, leave your details and I will get back to you.',
  'This is the voicemail box of Gary Holt. Please state your name and number after the beep.',
  'Thanks for calling Bright Smile Dentistry. We are closed for the weekend. Please leave a message and we will return your call on Monday.',
  'The subscriber cannot be reached at the moment. Please try again later or leave a message.',
  'Hey, Marcus here. Cannot talk now, leave a message.',
  'Hi, you have reached Linda. I am not able to answer, so please leave me a voicemail.',
  'Good day, this is Doctor Owens. I am unavailable right now. Kindly leave a message after the tone.',
  'You have reached the sales line. All our staff are busy. Please leave your name and phone number.',
  'Hello, I am away from my desk. Drop me a note and I will ring you back.',
  'Please record your message when you hear the tone.',
];

/** People's greetings for the same set, several close to a machine's words on purpose. */
export const WORDS_HOLDOUT_PEOPLE: readonly string[] = [
  'Hello, Dave here, sorry I am in a meeting, can I call you back?',
  'Yes, hello, who is speaking please?',
  'Hi, it is Laura, I cannot really talk now, what is it?',
  'Good morning, Harbour View Hotel, reception, how may I help you?',
  'Hello? Sorry, the line is bad, can you hear me?',
  'Hi, this is Jack, I am driving, make it quick.',
  'Afternoon, Westfield Motors, service desk, Claire speaking.',
  'Hello, yes, I got your message earlier, go ahead.',
  'Hello, is that the delivery? Just leave it at the door.',
  'Yeah, hi, I am available now, what did you want?',
  'Hello, Mason Accounting, you have reached Kate, how can I help?',
  'Hi, can I take a message? She is not here at the moment.',
];

const VOICES: readonly TtsVoice[] = [
  { engine: 'espeak-ng', voice: 'en-gb-x-gbclan+f4' },
  { engine: 'espeak-ng', voice: 'en-gb-x-gbcwmd+m2' },
  { engine: 'espeak-ng', voice: 'en-us+m5' },
  { engine: 'espeak-ng', voice: 'en-gb+f5' },
  { engine: 'espeak-ng', voice: 'en-us+Andy' },
  { engine: 'flite', voice: 'kal16' },
];

/** How a hold-out set of greetings is rendered (see {@link holdoutSpecs}). */
export interface HoldoutSet {
  /** Case names start with it. */
  readonly name: string;
  /** The first case's seed is `firstSeed + 1`. */
  readonly firstSeed: number;
  readonly machines: readonly string[];
  readonly people: readonly string[];
  /** The class the machines are reported under. */
  readonly machineCls: AmdCaseSpec['cls'];
  readonly voices: readonly TtsVoice[];
  /** Added to the people's voice index (1: a person never gets the voice of the machine with the same index). */
  readonly peopleVoiceShift: number;
}

/**
 * Two renderings of every greeting of `set` (two voices, noise and channel drawn from a seed),
 * all held out: silence, the greeting, then silence (people wait longer), 10–25 dB SNR of white,
 * pink, babble or street noise, G.711 µ-law or A-law or none, 1–3% packet loss on half.
 */
export function holdoutSpecs(set: HoldoutSet): AmdCaseSpec[] {
  const voices = set.voices.filter((v) => availableEngines().includes(v.engine));
  const specs: AmdCaseSpec[] = [];
  let seed = set.firstSeed;
  for (const [truth, texts] of [
    ['machine', set.machines],
    ['human', set.people],
  ] as const) {
    for (const [t, text] of texts.entries()) {
      for (let take = 0; take < 2; take++) {
        seed++;
        const random = seededRandom(seed);
        const voice = voices[(t * 2 + take + (truth === 'human' ? set.peopleVoiceShift : 0)) % voices.length] as TtsVoice;
        const parts: AmdCaseSpec['parts'][number][] = [{ silenceMs: Math.round(200 + random.next() * 1_000) }, { say: text, voice }];
        parts.push({ silenceMs: Math.round(truth === 'human' ? 2_000 + random.next() * 2_000 : 1_500 + random.next() * 1_500) });
        const codecRoll = random.next();
        const channel: Channel = {
          codec: codecRoll < 0.2 ? 'none' : codecRoll < 0.6 ? 'PCMU' : 'PCMA',
          packetLoss: random.next() < 0.5 ? 0.01 + random.next() * 0.02 : 0,
        };
        const kind = (['white', 'pink', 'babble', 'street'] as const)[random.int(4)] ?? 'pink';
        specs.push({
          name: `${set.name}-${truth}-${String(t).padStart(2, '0')}-${take}`,
          cls: truth === 'human' ? 'human-long-greeting' : set.machineCls,
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

/** Render `specs` (a few seconds of TTS; not cached). */
export function renderHoldout(specs: readonly AmdCaseSpec[]): AmdCorpusCase[] {
  const renderer = new AmdCorpusRenderer();
  try {
    return specs.map((spec) => renderer.render(spec));
  } finally {
    renderer.close();
  }
}

/** Two renderings of every greeting (two voices, noise and channel drawn from a seed): 48 cases. */
export function wordsHoldoutSpecs(): AmdCaseSpec[] {
  return holdoutSpecs({
    name: 'words',
    firstSeed: 91_000,
    machines: WORDS_HOLDOUT_MACHINES,
    people: WORDS_HOLDOUT_PEOPLE,
    machineCls: 'machine-long',
    voices: VOICES,
    peopleVoiceShift: 0,
  });
}

/** Render the words hold-out set (a few seconds of TTS; not cached). */
export function loadWordsHoldout(): AmdCorpusCase[] {
  return renderHoldout(wordsHoldoutSpecs());
}
