import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PacelineError } from '@paceline/core';

/** The longest stretch of a call's audio kept for listen-back, from the answer (ms). */
export const LISTEN_BACK_MS = 12_000;
const SAMPLES_PER_MS = 8;

interface Heard {
  readonly chunks: Int16Array[];
  samples: number;
  /** A reviewer will listen: write the audio when the call ends. */
  keep?: { resolve: (path: string) => void; reject: (error: unknown) => void };
}

/**
 * The recording tap AMD calibration listens back through (issue 17): the first
 * {@link LISTEN_BACK_MS} of each answered call's decoded audio — what the detector heard — held
 * in memory while the call is up. A call the engine samples (`keep`) is written at its end as an
 * 8 kHz 16-bit WAV under `dir`, named by call id (no number, no name); the others are dropped.
 */
export class ListenBack {
  readonly #calls = new Map<string, Heard>();

  constructor(readonly dir: string | undefined) {}

  /** Audio of an answered call, in order. */
  heard(callId: string, samples: Int16Array): void {
    if (this.dir === undefined) return;
    let heard = this.#calls.get(callId);
    if (!heard) {
      heard = { chunks: [], samples: 0 };
      this.#calls.set(callId, heard);
    }
    const room = LISTEN_BACK_MS * SAMPLES_PER_MS - heard.samples;
    if (room <= 0) return;
    const chunk = samples.length <= room ? samples.slice() : samples.slice(0, room);
    heard.chunks.push(chunk);
    heard.samples += chunk.length;
  }

  /** Keep the call's audio: resolves with the WAV's path once the call has ended and it is written. */
  keep(callId: string): Promise<string> {
    if (this.dir === undefined) {
      return Promise.reject(
        new PacelineError('E_INVALID_CONFIG', 'keepAnalysisAudio: set SipTrunkOptions.listenBackDir to keep audio for listen-back'),
      );
    }
    const heard = this.#calls.get(callId);
    if (!heard) return Promise.reject(new PacelineError('E_NOT_FOUND', `keepAnalysisAudio: no audio of call ${callId} in progress`));
    if (heard.keep) return Promise.reject(new PacelineError('E_CONFLICT', `keepAnalysisAudio: call ${callId} is already kept`));
    return new Promise<string>((resolve, reject) => {
      heard.keep = { resolve, reject };
    });
  }

  /** The call ended: write its audio if kept, drop it either way. */
  ended(callId: string): void {
    const heard = this.#calls.get(callId);
    this.#calls.delete(callId);
    const keep = heard?.keep;
    if (!heard || !keep || this.dir === undefined) return;
    const path = join(this.dir, `${callId.replace(/[^A-Za-z0-9_.-]/g, '_')}.wav`);
    const dir = this.dir;
    mkdir(dir, { recursive: true })
      .then(() => writeFile(path, wav(heard.chunks, heard.samples)))
      .then(() => keep.resolve(path), keep.reject);
  }

  /** Calls whose audio is held (for stats and tests). */
  get held(): number {
    return this.#calls.size;
  }
}

/** 8 kHz mono 16-bit PCM WAV of `chunks`. */
function wav(chunks: readonly Int16Array[], samples: number): Buffer {
  const data = Buffer.alloc(samples * 2);
  let at = 0;
  for (const chunk of chunks) {
    for (const s of chunk) {
      data.writeInt16LE(s, at);
      at += 2;
    }
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8_000, 24);
  header.writeUInt32LE(16_000, 28); // bytes per second
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
