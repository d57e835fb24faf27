import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Random, seededRandom } from '@paceline/core';
import {
  type Channel,
  dbfsToRms,
  humNoise,
  normalise,
  pinkNoise,
  rms,
  type Signal,
  streetNoise,
  toInt16,
  tone,
  transmit,
  whiteNoise,
} from './signal';
import {
  BABBLE_TEXTS,
  ENGLISH_VOICES,
  HUMAN_LONG,
  HUMAN_SHORT,
  MACHINE_FOREIGN,
  MACHINE_HUMAN_LIKE,
  MACHINE_LONG,
  MACHINE_SHORT,
} from './texts';
import { availableEngines, synthesise, type TtsVoice } from './tts';

/** Bump when the generated audio changes: it keys the on-disk cache. */
export const AMD_CORPUS_VERSION = 4;

/** The failing classes of issue 17, each a row of the bench's table. */
export const AMD_CLASSES = {
  'human-short': 36,
  'human-long-greeting': 30,
  'human-steady-noise': 30,
  'human-pink-35dbfs': 20,
  'human-babble': 26,
  'human-street': 26,
  'machine-long': 34,
  'machine-short': 28,
  'machine-human-like': 24,
  'machine-foreign': 30,
  'machine-late-start': 24,
  'machine-noisy': 20,
} as const;

/** A class name of the corpus. */
export type AmdClass = keyof typeof AMD_CLASSES;

type Part =
  | { readonly say: string; readonly voice: TtsVoice }
  | { readonly silenceMs: number }
  | { readonly beepMs: number; readonly hz: number };
type NoiseKind = 'white' | 'pink' | 'babble' | 'street' | 'hum';

/** What one case is made of, drawn from its seed without synthesising anything. */
export interface AmdCaseSpec {
  readonly name: string;
  readonly cls: AmdClass;
  readonly truth: 'human' | 'machine';
  /** `tune`: the detector's settings may be chosen on it; `held-out`: report only. */
  readonly split: 'tune' | 'held-out';
  readonly parts: readonly Part[];
  /** Speech level, dBFS RMS over the voiced parts. */
  readonly speechDbfs: number;
  /** Noise under the whole call: by SNR against the speech, or at an absolute level. */
  readonly noise: { readonly kind: NoiseKind } & ({ readonly snrDb: number } | { readonly dbfs: number });
  /** A gain step (dB) at some time (ms), as when a carrier's level control kicks in. */
  readonly levelStep: { readonly atMs: number; readonly db: number } | undefined;
  readonly channel: Channel;
  readonly seed: number;
}

/** A rendered case: its audio (8 kHz) and when things happen in it. */
export interface AmdCorpusCase extends AmdCaseSpec {
  readonly samples: Int16Array;
  /** When the first speech starts and the first greeting (first spoken part) ends, ms. */
  readonly speechStartMs: number;
  readonly greetingEndMs: number;
  /** When the beep starts, if there is one. */
  readonly beepAtMs: number | undefined;
}

const pick = <T>(random: Random, items: readonly T[]): T => items[random.int(items.length)] as T;
const between = (random: Random, lo: number, hi: number): number => lo + random.next() * (hi - lo);

function englishVoices(engines: readonly string[]): TtsVoice[] {
  return ENGLISH_VOICES.filter((v) => engines.includes(v.engine));
}

function beepPart(random: Random): Part {
  return { beepMs: Math.round(between(random, 120, 1_000)), hz: Math.round(between(random, 400, 2_000)) };
}

/** The specs of every case: cheap, deterministic, no audio. */
export function amdCorpusSpecs(engines: readonly TtsVoice['engine'][] = availableEngines()): AmdCaseSpec[] {
  const voices = englishVoices(engines);
  const specs: AmdCaseSpec[] = [];
  let seed = 17_000;
  for (const [cls, count] of Object.entries(AMD_CLASSES) as [AmdClass, number][]) {
    for (let i = 0; i < count; i++) {
      seed++;
      const random = seededRandom(seed);
      // Cycle voices so both halves hear every engine.
      const voice = voices[(i + cls.length) % voices.length] as TtsVoice;
      const truth = cls.startsWith('human') ? 'human' : 'machine';
      const parts: Part[] = [];
      let noise: AmdCaseSpec['noise'] = { kind: 'white', snrDb: between(random, 35, 50) };
      if (truth === 'human') {
        parts.push({ silenceMs: Math.round(between(random, 100, 1_200)) });
        const text = cls === 'human-long-greeting' ? pick(random, HUMAN_LONG) : pick(random, HUMAN_SHORT);
        parts.push({ say: text, voice });
        // The person waits for us to speak, and may say hello again.
        parts.push({ silenceMs: Math.round(between(random, 2_000, 4_000)) });
        if (random.next() < 0.5) parts.push({ say: pick(random, ['Hello?', 'Hello? Anyone there?', 'Hello?']), voice }, { silenceMs: 800 });
        if (cls === 'human-steady-noise') noise = { kind: pick(random, ['white', 'pink', 'hum'] as const), snrDb: between(random, 10, 25) };
        if (cls === 'human-pink-35dbfs') noise = { kind: 'pink', dbfs: -35 };
        if (cls === 'human-babble') noise = { kind: 'babble', snrDb: between(random, 10, 25) };
        if (cls === 'human-street') noise = { kind: 'street', snrDb: between(random, 10, 25) };
      } else {
        const late = cls === 'machine-late-start';
        parts.push({ silenceMs: Math.round(late ? between(random, 2_000, 3_000) : between(random, 200, 1_500)) });
        if (cls === 'machine-short') parts.push({ say: pick(random, MACHINE_SHORT), voice });
        else if (cls === 'machine-human-like') {
          const [opener, rest] = pick(random, MACHINE_HUMAN_LIKE);
          parts.push({ say: opener, voice }, { silenceMs: Math.round(between(random, 900, 2_000)) }, { say: rest, voice });
        } else if (cls === 'machine-foreign') {
          const [language, text] = pick(random, MACHINE_FOREIGN);
          const variant = pick(random, ['', '+f3', '+m3', '+f2', '+m1']);
          parts.push({ say: text, voice: { engine: 'espeak-ng', voice: `${language}${variant}` } });
        } else parts.push({ say: pick(random, MACHINE_LONG), voice });
        const beepChance = cls === 'machine-short' || cls === 'machine-human-like' ? 0.9 : 0.8;
        parts.push({ silenceMs: Math.round(between(random, 150, 1_200)) });
        if (random.next() < beepChance) parts.push(beepPart(random));
        parts.push({ silenceMs: Math.round(between(random, 1_500, 3_000)) });
        if (cls === 'machine-noisy')
          noise = { kind: pick(random, ['pink', 'babble', 'street', 'white', 'hum'] as const), snrDb: between(random, 10, 25) };
        else if (random.next() < 0.3) noise = { kind: 'pink', snrDb: between(random, 20, 30) };
      }
      const codecRoll = random.next();
      const channel: Channel = {
        codec: codecRoll < 0.2 ? 'none' : codecRoll < 0.6 ? 'PCMU' : 'PCMA',
        packetLoss: random.next() < 0.5 ? between(random, 0.01, 0.03) : 0,
      };
      const levelStep =
        random.next() < 0.25 ? { atMs: Math.round(between(random, 500, 4_000)), db: pick(random, [-10, -6, 6, 8]) } : undefined;
      specs.push({
        name: `${cls}-${String(i).padStart(2, '0')}`,
        cls,
        truth,
        split: i % 2 === 0 ? 'tune' : 'held-out',
        parts,
        speechDbfs: between(random, -30, -14),
        noise,
        levelStep,
        channel,
        seed,
      });
    }
  }
  return specs;
}

/** Renders specs to audio; holds the babble bed and the scratch directory for TTS. */
export class AmdCorpusRenderer {
  readonly #dir = mkdtempSync(join(tmpdir(), 'amd-corpus-'));
  readonly #speech = new Map<string, Int16Array>();
  #babble: Signal | undefined;

  /** Synthesise (memoised per voice, rate and text). */
  speak(voice: TtsVoice, text: string, rate: number): Int16Array {
    const key = `${voice.engine}|${voice.voice}|${rate}|${text}`;
    let audio = this.#speech.get(key);
    if (!audio) {
      audio = synthesise(this.#dir, voice, text, rate);
      this.#speech.set(key, audio);
    }
    return audio;
  }

  /** Six talkers in a room, summed at random offsets: 40 s, RMS 1. */
  babble(): Signal {
    if (this.#babble) return this.#babble;
    const voices = englishVoices(availableEngines());
    const bed = new Float64Array(40 * 8000);
    const random = seededRandom(4_242);
    for (let talker = 0; talker < 6; talker++) {
      const voice = voices[(talker * 3) % voices.length] as TtsVoice;
      let at = random.int(8_000);
      let line = talker;
      while (at < bed.length) {
        const speech = this.speak(voice, BABBLE_TEXTS[line++ % BABBLE_TEXTS.length] as string, 1);
        const gain = 0.5 + random.next();
        for (let i = 0; i < speech.length && at + i < bed.length; i++) bed[at + i] = (bed[at + i] ?? 0) + (speech[i] ?? 0) * gain;
        at += speech.length + random.int(4_000);
      }
    }
    this.#babble = normalise(bed);
    return this.#babble;
  }

  render(spec: AmdCaseSpec): AmdCorpusCase {
    const random = seededRandom(spec.seed).split('render');
    const rate = between(random, 0.85, 1.2);
    const pieces: Signal[] = [];
    const voiced: [number, number][] = [];
    let length = 0;
    let beepAt: number | undefined;
    for (const part of spec.parts) {
      let piece: Signal;
      if ('say' in part) {
        piece = Float64Array.from(this.speak(part.voice, part.say, rate));
        voiced.push([length, length + piece.length]);
      } else if ('beepMs' in part) {
        beepAt = length;
        piece = tone(part.beepMs, part.hz, 1);
      } else piece = new Float64Array(Math.round(part.silenceMs * 8));
      pieces.push(piece);
      length += piece.length;
    }
    const speech = new Float64Array(length);
    let offset = 0;
    for (const piece of pieces) {
      speech.set(piece, offset);
      offset += piece.length;
    }
    // Level: speech RMS over the voiced parts at speechDbfs; beeps at about the speech's peak level.
    let sum = 0;
    let n = 0;
    for (const [a, b] of voiced) {
      sum += rms(speech, a, b) ** 2 * (b - a);
      n += b - a;
    }
    const speechRms = Math.sqrt(sum / Math.max(1, n)) || 1;
    const target = dbfsToRms(spec.speechDbfs);
    const beepAmplitude = target * 1.4 * 10 ** (between(random, -6, 6) / 20);
    for (let i = 0; i < length; i++) speech[i] = ((speech[i] ?? 0) * target) / speechRms;
    if (beepAt !== undefined) {
      const beep = spec.parts.find((p) => 'beepMs' in p) as { beepMs: number; hz: number };
      speech.set(tone(beep.beepMs, beep.hz, beepAmplitude), beepAt);
    }
    const noiseRms = 'dbfs' in spec.noise ? dbfsToRms(spec.noise.dbfs) : target / 10 ** (spec.noise.snrDb / 20);
    const noise = this.#noise(spec.noise.kind, length, random);
    const mixed = new Float64Array(length);
    const stepAt = spec.levelStep ? spec.levelStep.atMs * 8 : length;
    const stepGain = spec.levelStep ? 10 ** (spec.levelStep.db / 20) : 1;
    for (let i = 0; i < length; i++) mixed[i] = ((speech[i] ?? 0) + (noise[i] ?? 0) * noiseRms) * (i >= stepAt ? stepGain : 1);
    const samples = transmit(toInt16(mixed), spec.channel, random.split('channel'));
    const first = voiced[0] ?? [0, 0];
    return {
      ...spec,
      samples,
      speechStartMs: first[0] / 8,
      greetingEndMs: first[1] / 8,
      beepAtMs: beepAt === undefined ? undefined : beepAt / 8,
    };
  }

  #noise(kind: NoiseKind, length: number, random: Random): Signal {
    if (kind === 'white') return whiteNoise(random, length);
    if (kind === 'pink') return pinkNoise(random, length);
    if (kind === 'street') return streetNoise(random, length);
    if (kind === 'hum') return humNoise(random, length);
    const bed = this.babble();
    const start = random.int(bed.length);
    return Float64Array.from({ length }, (_, i) => bed[(start + i) % bed.length] ?? 0);
  }

  /** Remove the scratch directory. */
  close(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
