import { writeFileSync } from 'node:fs';
import { g711Decode } from '../../../packages/media-mediasoup/src/index';

/**
 * A voice-like test tone for Chromium's fake microphone (`--use-file-for-fake-audio-capture`):
 * `hz` in bursts (300 ms on, 100 ms off, amplitude wobbling) so the browser's noise
 * suppression treats it as speech, 16-bit PCM mono at 48 kHz, 2 s (Chromium loops it).
 */
export function writeToneWav(path: string, hz: number): void {
  const rate = 48_000;
  const samples = new Int16Array(rate * 2);
  for (let i = 0; i < samples.length; i++) {
    const t = i / rate;
    const on = t % 0.4 < 0.3 ? 1 : 0;
    samples[i] = Math.round(on * 9_000 * (0.75 + 0.25 * Math.sin(2 * Math.PI * 3 * t)) * Math.sin(2 * Math.PI * hz * t));
  }
  const data = Buffer.from(samples.buffer);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([header, data]));
}

/**
 * The amplitude of the `hz` component of a frame of 8 kHz samples (Goertzel: 2·|X(hz)|/N),
 * in 16-bit units: about 9 000 for the test tones, whatever else the frame carries, and a few
 * tens where `hz` is absent (G.711 quantisation noise). `hz` a multiple of 50 for 160 samples.
 */
export function toneAmplitude(samples: Int16Array, hz: number): number {
  const w = (2 * Math.PI * hz) / 8_000;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (const x of samples) {
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / samples.length;
}

/** Of the µ-law frames heard, how many carry `hz` at an amplitude of at least `minAmplitude` (16-bit units). */
export function framesWithTone(payloads: readonly Uint8Array[], hz: number, minAmplitude = 1_000): number {
  let count = 0;
  for (const payload of payloads) if (toneAmplitude(g711Decode(payload, 'PCMU'), hz) >= minAmplitude) count++;
  return count;
}

/** The amplitudes of `hz` in each frame (for a failing test's message). */
export function toneProfile(payloads: readonly Uint8Array[], hz: number): number[] {
  return payloads.map((p) => Math.round(toneAmplitude(g711Decode(p, 'PCMU'), hz)));
}
