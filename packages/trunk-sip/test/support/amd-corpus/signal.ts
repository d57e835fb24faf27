import type { Random } from '@paceline/core';
import { decodeG711, encodeG711 } from '../../../src/index';

/** Float buffers at 8 kHz, 16-bit scale; converted to Int16 at the end. */
export type Signal = Float64Array;

/** Standard normal from a seeded stream (Box–Muller). */
export function gaussian(random: Random): number {
  const u = Math.max(1e-12, random.next());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

/** RMS of a signal (or a part of it). */
export function rms(signal: ArrayLike<number>, from = 0, to = signal.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (signal[i] ?? 0) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/** dBFS (RMS relative to a full-scale sine's RMS would add 3 dB; we use full-scale amplitude 32 768). */
export function dbfsToRms(dbfs: number): number {
  return 32_768 * 10 ** (dbfs / 20);
}

/** White Gaussian noise of RMS 1. */
export function whiteNoise(random: Random, length: number): Signal {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = gaussian(random);
  return out;
}

/** Pink (1/f) noise of RMS 1: Paul Kellet's refined filter on white noise. */
export function pinkNoise(random: Random, length: number): Signal {
  const out = new Float64Array(length);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  let b4 = 0;
  let b5 = 0;
  let b6 = 0;
  for (let i = 0; i < length; i++) {
    const w = gaussian(random);
    b0 = 0.99886 * b0 + w * 0.0555179;
    b1 = 0.99332 * b1 + w * 0.0750759;
    b2 = 0.969 * b2 + w * 0.153852;
    b3 = 0.8665 * b3 + w * 0.3104856;
    b4 = 0.55 * b4 + w * 0.5329522;
    b5 = -0.7616 * b5 - w * 0.016898;
    out[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
  }
  return normalise(out);
}

/**
 * Street noise of RMS 1: low-frequency traffic rumble (brown noise) whose level swells as
 * vehicles pass (every 2–6 s), with broadband tyre hiss on the swells and the odd horn.
 */
export function streetNoise(random: Random, length: number): Signal {
  const out = new Float64Array(length);
  let brown = 0;
  let swell = 0.3;
  let target = 0.3;
  let nextChange = 0;
  let horn = 0;
  let hornPhase = 0;
  for (let i = 0; i < length; i++) {
    if (i >= nextChange) {
      target = 0.2 + random.next() * 1.2;
      nextChange = i + 16_000 + random.int(32_000);
      if (random.next() < 0.15) horn = 2_400 + random.int(2_400);
    }
    swell += (target - swell) * 0.0002;
    brown = 0.995 * brown + gaussian(random) * 0.1;
    let x = (brown * 3 + gaussian(random) * 0.25 * swell) * swell;
    if (horn > 0) {
      // A car horn: two detuned tones near 400 Hz with harmonics, not a clean beep.
      hornPhase += (2 * Math.PI * 415) / 8000;
      x += 0.8 * (Math.sign(Math.sin(hornPhase)) * 0.6 + Math.sin(hornPhase * 1.26));
      horn--;
    }
    out[i] = x;
  }
  return normalise(out);
}

/**
 * Mains hum of RMS 1: a 50 or 60 Hz fundamental with odd harmonics up to about 1 kHz (a buzzing
 * line or a cheap handset near a transformer), slowly wandering in level, over a little hiss.
 * Its harmonics sit in the speech band above the voice gate's 250 Hz high-pass.
 */
export function humNoise(random: Random, length: number): Signal {
  const mains = random.next() < 0.5 ? 50 : 60;
  const harmonics = [1, 3, 5, 7, 9, 11, 13, 15, 17].map((k) => ({ hz: mains * k, gain: 1 / k ** 0.7, phase: random.next() * 2 * Math.PI }));
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const wander = 1 + 0.15 * Math.sin((2 * Math.PI * 0.3 * i) / 8000);
    let x = 0;
    for (const h of harmonics) x += h.gain * Math.sin((2 * Math.PI * h.hz * i) / 8000 + h.phase);
    out[i] = x * wander + gaussian(random) * 0.05;
  }
  return normalise(out);
}

/** Scale to RMS 1. */
export function normalise(signal: Signal): Signal {
  const r = rms(signal) || 1;
  for (let i = 0; i < signal.length; i++) signal[i] = (signal[i] ?? 0) / r;
  return signal;
}

/** A tone (the voicemail beep), amplitude in 16-bit units, with 5 ms ramps. */
export function tone(ms: number, frequency: number, amplitude: number): Signal {
  const n = Math.round(ms * 8);
  const ramp = 40;
  return Float64Array.from({ length: n }, (_, i) => {
    const edge = Math.min(1, i / ramp, (n - 1 - i) / ramp);
    return amplitude * edge * Math.sin((2 * Math.PI * frequency * i) / 8000);
  });
}

/** Round to 16-bit with clipping. */
export function toInt16(signal: Signal): Int16Array {
  const out = new Int16Array(signal.length);
  for (let i = 0; i < signal.length; i++) out[i] = Math.max(-32_768, Math.min(32_767, Math.round(signal[i] ?? 0)));
  return out;
}

/** The channel a call's audio crossed: a G.711 codec (or none) and lost 20 ms packets. */
export interface Channel {
  readonly codec: 'PCMU' | 'PCMA' | 'none';
  /** Fraction of 20 ms packets lost (filled with silence, as a receiver without concealment does). */
  readonly packetLoss: number;
}

/** Pass audio through the channel: G.711 round trip, then packet loss. */
export function transmit(samples: Int16Array, channel: Channel, random: Random): Int16Array {
  const coded = channel.codec === 'none' ? samples.slice() : decodeG711(channel.codec, encodeG711(channel.codec, samples));
  if (channel.packetLoss > 0) {
    for (let start = 0; start < coded.length; start += 160) {
      if (random.next() < channel.packetLoss) coded.fill(0, start, Math.min(coded.length, start + 160));
    }
  }
  return coded;
}
