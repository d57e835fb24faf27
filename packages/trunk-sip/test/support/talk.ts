import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addNoise, sequence, writeWav } from './corpus';

/**
 * A person picking up for an agent, as SIPp's `talk.xml` plays it (looped): a short "hello"
 * (600 ms of a voiced tone), then quiet line noise well below the AMD voice threshold, so
 * AMD says `human` about 1.3 s after the answer. Synthetic and seeded: no espeak-ng needed.
 * Writes `talk.wav` (µ-law) into `dir` and returns the bytes SIPp plays from it, so a test
 * can tell the caller's own frames wherever they arrive: SIPp 3.6's `rtp_stream` sends the
 * file as it is, its 44-byte header in the first packet of every loop included, so this is
 * the whole file, twice (a packet can span the end of one loop and the start of the next).
 */
export function writeTalkWav(dir: string): Uint8Array {
  const hello = Int16Array.from({ length: 600 * 8 }, (_, i) =>
    Math.round(7_000 * Math.sin((2 * Math.PI * 300 * i) / 8000) * (0.6 + 0.4 * Math.sin(i / 250))),
  );
  const samples = addNoise(sequence([300, hello, 3_100]), 30, 11);
  const path = join(dir, 'talk.wav');
  writeWav(path, samples, 'mulaw');
  const file = readFileSync(path);
  return new Uint8Array(Buffer.concat([file, file]));
}

/** Whether `payload` is a stretch of `audio` (what the caller plays), at any offset. */
export function isPartOf(audio: Uint8Array, payload: Uint8Array): boolean {
  return Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength).indexOf(Buffer.from(payload)) >= 0;
}
