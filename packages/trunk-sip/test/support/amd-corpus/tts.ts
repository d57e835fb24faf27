import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWav8k } from '../../../src/index';

/** A speech synthesiser Debian ships, and one of its voices. */
export interface TtsVoice {
  readonly engine: 'espeak-ng' | 'flite' | 'festival';
  /** espeak-ng: `-v` value (language+variant); flite: `-voice` name; festival: ignored (kal_diphone). */
  readonly voice: string;
}

function has(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Which engines are installed here (espeak-ng and sox are required; flite and festival are optional extras). */
export function availableEngines(): readonly TtsVoice['engine'][] {
  const engines: TtsVoice['engine'][] = [];
  if (has('espeak-ng', ['--version'])) engines.push('espeak-ng');
  // `flite --version` exits 1 (flite 2.2), so ask for its voice list instead: until v4 of the
  // corpus this check failed and the corpus silently had no flite voices.
  if (has('flite', ['-lv'])) engines.push('flite');
  if (has('text2wave', ['-h'])) engines.push('festival');
  return engines;
}

/** True when sox and espeak-ng are installed (the corpus needs both). */
export function amdCorpusToolsAvailable(): boolean {
  return has('sox', ['--version']) && has('espeak-ng', ['--version']);
}

/**
 * Synthesise `text` and bring it to the telephone band: 8 kHz, 16-bit mono, 300–3 400 Hz.
 * `rate` scales speed (1 = the engine's normal). Leading and trailing silence is trimmed.
 */
export function synthesise(dir: string, voice: TtsVoice, text: string, rate: number): Int16Array {
  mkdirSync(dir, { recursive: true });
  const raw = join(dir, 'tts.wav');
  const out = join(dir, 'tts-8k.wav');
  if (voice.engine === 'espeak-ng') {
    execFileSync('espeak-ng', ['-v', voice.voice, '-s', String(Math.round(165 * rate)), '-w', raw, text]);
  } else if (voice.engine === 'flite') {
    execFileSync('flite', ['-voice', voice.voice, '--setf', `duration_stretch=${(1 / rate).toFixed(2)}`, '-t', text, '-o', raw]);
  } else {
    execFileSync('text2wave', ['-o', raw], { input: text });
  }
  execFileSync('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', out, 'sinc', '300-3400', 'norm', '-3']);
  return trim(parseWav8k(readFileSync(out), out).samples);
}

function trim(samples: Int16Array): Int16Array {
  let start = 0;
  let end = samples.length;
  while (start < end && Math.abs(samples[start] ?? 0) < 300) start++;
  while (end > start && Math.abs(samples[end - 1] ?? 0) < 300) end--;
  return samples.slice(start, end);
}
