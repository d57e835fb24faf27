import { readFile } from 'node:fs/promises';
import { PacelineError } from '@paceline/core';
import { decodeG711 } from './g711';

/** 8 kHz mono audio as 16-bit linear samples. */
export interface Audio8k {
  readonly samples: Int16Array;
  /** Always 8000. */
  readonly sampleRate: 8000;
}

const FORMAT_PCM = 1;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;

/**
 * Read a WAV file of 8 kHz mono audio: 16-bit PCM, A-law or µ-law. Anything else is refused
 * with a hint to convert it (`sox in.wav -r 8000 -c 1 -b 16 out.wav`).
 */
export async function readWav8k(path: string): Promise<Audio8k> {
  return parseWav8k(await readFile(path), path);
}

/** Parse WAV bytes; `name` only labels errors. */
export function parseWav8k(data: Buffer, name: string): Audio8k {
  const bad = (why: string) =>
    new PacelineError('E_INVALID_CONFIG', `${name}: ${why}; convert it with: sox in.wav -r 8000 -c 1 -b 16 out.wav`, { path: name });
  if (data.length < 12 || data.toString('ascii', 0, 4) !== 'RIFF' || data.toString('ascii', 8, 12) !== 'WAVE')
    throw bad('not a RIFF/WAVE file');
  let format = -1;
  let channels = 0;
  let rate = 0;
  let bits = 0;
  let offset = 12;
  while (offset + 8 <= data.length) {
    const id = data.toString('ascii', offset, offset + 4);
    const size = data.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = data.readUInt16LE(body);
      channels = data.readUInt16LE(body + 2);
      rate = data.readUInt32LE(body + 4);
      bits = data.readUInt16LE(body + 14);
      if (format === 0xfffe && size >= 26) format = data.readUInt16LE(body + 24); // WAVE_FORMAT_EXTENSIBLE sub-format
    } else if (id === 'data') {
      if (channels !== 1 || rate !== 8000) throw bad(`expected 8000 Hz mono, got ${rate} Hz with ${channels} channels`);
      const bytes = new Uint8Array(data.subarray(body, Math.min(body + size, data.length)));
      if (format === FORMAT_PCM && bits === 16) {
        const samples = new Int16Array(Math.floor(bytes.length / 2));
        for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(body + 2 * i);
        return { samples, sampleRate: 8000 };
      }
      if (format === FORMAT_MULAW) return { samples: decodeG711('PCMU', bytes), sampleRate: 8000 };
      if (format === FORMAT_ALAW) return { samples: decodeG711('PCMA', bytes), sampleRate: 8000 };
      throw bad(`unsupported encoding (format ${format}, ${bits} bits)`);
    }
    offset = body + size + (size % 2);
  }
  throw bad('no data chunk');
}
