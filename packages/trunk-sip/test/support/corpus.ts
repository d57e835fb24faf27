import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '@paceline/core';
import { encodeG711, parseWav8k } from '../../src/index';

/** One generated recording: what answered, and its 8 kHz samples. */
export interface CorpusCase {
  readonly name: string;
  readonly truth: 'human' | 'machine';
  readonly samples: Int16Array;
}

const HUMAN_PHRASES = [
  ['Hello?'],
  ['Hello'],
  ['Yes,', 'speaking'],
  ['Hi'],
  ['Yeah?'],
  ['Speaking'],
  ['Hello,', 'yes?'],
  ['Hi,', 'who is this?'],
  ['Hello?', 'Hello?'],
  ['Yes?'],
];
const MACHINE_GREETINGS = [
  'Hi, you have reached Sam. Leave a message.',
  'Hello, you have reached the voicemail of John Smith. Please leave a message after the tone.',
  'The person you are calling is not available. Please leave your message after the tone.',
  'Hi, this is Maria. I cannot take your call right now, but if you leave your name and number I will call you back as soon as I can. Thanks, and have a great day.',
  'Thank you for calling Acme Plumbing. Our office is closed. Our hours are nine to five, Monday to Friday. Please leave a message.',
  'Hey, it is Dave, leave a message.',
];
const VOICES = ['en-us', 'en', 'en-us+f3', 'en+m3', 'en-us+f2'];
const SPEEDS = [150, 175, 195];

/** True when espeak-ng and sox are installed (the corpus needs both). */
export function corpusToolsAvailable(): boolean {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
    execFileSync('sox', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Synthesise `text` with espeak-ng and resample to 8 kHz 16-bit mono with sox. */
export function speak(dir: string, text: string, voice: string, speed: number): Int16Array {
  mkdirSync(dir, { recursive: true });
  const raw = join(dir, 'tts.wav');
  const out = join(dir, 'tts-8k.wav');
  execFileSync('espeak-ng', ['-v', voice, '-s', String(speed), '-w', raw, text]);
  // Telephone band: 300–3400 Hz, 8 kHz.
  execFileSync('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', out, 'sinc', '300-3400']);
  return trimSilence(parseWav8k(readFileSync(out), out).samples);
}

function trimSilence(samples: Int16Array): Int16Array {
  let start = 0;
  let end = samples.length;
  while (start < end && Math.abs(samples[start] ?? 0) < 200) start++;
  while (end > start && Math.abs(samples[end - 1] ?? 0) < 200) end--;
  return samples.subarray(start, end);
}

/** Concatenate pieces of audio and silences (numbers are milliseconds of silence). */
export function sequence(parts: readonly (Int16Array | number)[]): Int16Array {
  const arrays = parts.map((p) => (typeof p === 'number' ? new Int16Array(Math.round(p * 8)) : p));
  const out = new Int16Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

/** Add white noise of the given RMS (16-bit scale), seeded. */
export function addNoise(samples: Int16Array, rms: number, seed: number): Int16Array {
  const random = seededRandom(seed);
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    // Sum of uniforms ≈ Gaussian; variance of (u-0.5)*√12 is 1.
    const n = (random.next() + random.next() + random.next() - 1.5) * 2 * rms;
    out[i] = Math.max(-32768, Math.min(32767, Math.round((samples[i] ?? 0) + n)));
  }
  return out;
}

/** A voicemail beep: 1 kHz for 400 ms. */
export function beep(ms = 400, frequency = 1_000): Int16Array {
  return Int16Array.from({ length: ms * 8 }, (_, i) => Math.round(8_000 * Math.sin((2 * Math.PI * frequency * i) / 8000)));
}

/** Write 8 kHz mono WAV: 16-bit PCM, or µ-law (what SIPp's rtp_stream plays). */
export function writeWav(path: string, samples: Int16Array, encoding: 'pcm16' | 'mulaw' = 'pcm16'): void {
  const data =
    encoding === 'pcm16' ? Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength) : Buffer.from(encodeG711('PCMU', samples));
  const bits = encoding === 'pcm16' ? 16 : 8;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(encoding === 'pcm16' ? 1 : 7, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE((8000 * bits) / 8, 28);
  header.writeUInt16LE(bits / 8, 32);
  header.writeUInt16LE(bits, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([header, data]));
}

/**
 * The AMD corpus: people answering (short phrases, pauses, then waiting) and voicemail
 * greetings of several lengths (some ending in a beep), in several voices, speeds and
 * noise levels. Deterministic for a given tool version.
 */
export function generateCorpus(dir: string): CorpusCase[] {
  const cases: CorpusCase[] = [];
  let seed = 1;
  for (const [p, phrase] of HUMAN_PHRASES.entries()) {
    for (const [v, voice] of VOICES.entries()) {
      const speed = SPEEDS[(p + v) % SPEEDS.length] ?? 175;
      const words = phrase.map((w) => speak(dir, w, voice, speed));
      const initial = 150 + ((p * 7 + v * 13) % 8) * 100;
      const gap = 200 + ((p + v) % 3) * 100;
      const parts: (Int16Array | number)[] = [initial];
      for (const [i, w] of words.entries()) parts.push(...(i > 0 ? [gap, w] : [w]));
      // The person then waits for us to speak (and perhaps says hello again much later).
      parts.push(2_000, speak(dir, 'Hello?', voice, speed), 1_000);
      const noise = [30, 80, 150][seed % 3] ?? 80;
      cases.push({ name: `human-${p}-${voice}`, truth: 'human', samples: addNoise(sequence(parts), noise, seed++) });
    }
  }
  for (const [g, text] of MACHINE_GREETINGS.entries()) {
    for (const [v, voice] of VOICES.entries()) {
      const speed = SPEEDS[(g + v) % SPEEDS.length] ?? 175;
      const greeting = speak(dir, text, voice, speed);
      const initial = 200 + ((g * 5 + v * 3) % 6) * 100;
      const parts: (Int16Array | number)[] = [initial, greeting, 500];
      if ((g + v) % 2 === 0) parts.push(beep(), 1_000);
      const noise = [30, 80, 150][seed % 3] ?? 80;
      cases.push({ name: `machine-${g}-${voice}`, truth: 'machine', samples: addNoise(sequence(parts), noise, seed++) });
    }
  }
  return cases;
}
