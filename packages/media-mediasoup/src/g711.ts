import { readFileSync } from 'node:fs';
import { PacelineError } from '@paceline/core';
import * as alawmulawModule from 'alawmulaw';
import type { types as ms } from 'mediasoup';

// alawmulaw ships a UMD bundle: Node's ESM loader exposes it as `default`, bundlers as named exports.
const codecs = ((alawmulawModule as unknown as { default?: typeof alawmulawModule }).default ?? alawmulawModule) as typeof alawmulawModule;
const { alaw, mulaw } = codecs;

/** G.711 variant carried on the call leg (RFC 3551 static payload types 0 and 8). */
export type G711Codec = 'PCMU' | 'PCMA';

/** RTP payload type of a G.711 variant. */
export function g711PayloadType(codec: G711Codec): number {
  return codec === 'PCMU' ? 0 : 8;
}

/** ITU-T G.711 µ-law of one 16-bit linear sample (alawmulaw, as in @paceline/trunk-sip). */
export function linearToUlaw(sample: number): number {
  return mulaw.encodeSample(toInt16(sample)) & 0xff; // alawmulaw returns the complement unmasked
}

/** ITU-T G.711 A-law of one 16-bit linear sample (alawmulaw, as in @paceline/trunk-sip). */
export function linearToAlaw(sample: number): number {
  return alaw.encodeSample(toInt16(sample)) & 0xff;
}

function toInt16(sample: number): number {
  return Math.max(-32_768, Math.min(32_767, Math.round(sample)));
}

/**
 * The G.711 payload of an 8 kHz mono WAV file (16-bit PCM, µ-law or A-law), in `codec`.
 * Throws `E_INVALID_CONFIG` naming the file when it is anything else.
 */
export function wavToG711(wav: Uint8Array, codec: G711Codec, name = 'wav'): Uint8Array {
  const buf = Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength);
  const bad = (why: string) =>
    new PacelineError('E_INVALID_CONFIG', `${name}: ${why}; expected an 8 kHz mono WAV (16-bit PCM, µ-law or A-law)`);
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE')
    throw bad('not a RIFF/WAVE file');
  let format = -1;
  let bits = 0;
  let data: Buffer | undefined;
  for (let at = 12; at + 8 <= buf.length; ) {
    const id = buf.toString('ascii', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      format = buf.readUInt16LE(body);
      const channels = buf.readUInt16LE(body + 2);
      const rate = buf.readUInt32LE(body + 4);
      bits = buf.readUInt16LE(body + 14);
      if (channels !== 1 || rate !== 8_000) throw bad(`${channels} channel(s) at ${rate} Hz`);
    } else if (id === 'data') {
      data = buf.subarray(body, Math.min(buf.length, body + size));
    }
    at = body + size + (size % 2);
  }
  if (!data) throw bad('no data chunk');
  const same = (codec === 'PCMU' && format === 7) || (codec === 'PCMA' && format === 6);
  if (same) return new Uint8Array(data);
  if (format !== 1 || bits !== 16) throw bad(`format ${format} with ${bits} bits`);
  const samples = new Int16Array(data.length >> 1);
  for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(i * 2);
  return codec === 'PCMU' ? mulaw.encode(samples) : alaw.encode(samples);
}

/** Loads a message given as a WAV path or as ready G.711 bytes. */
export function loadMessage(source: string | Uint8Array, codec: G711Codec, name: string): Uint8Array {
  return typeof source === 'string' ? wavToG711(readFileSync(source), codec, `${name} (${source})`) : source;
}

/** 16-bit linear samples of a G.711 payload (one sample per byte; alawmulaw). */
export function g711Decode(payload: Uint8Array, codec: G711Codec): Int16Array {
  return codec === 'PCMU' ? mulaw.decode(payload) : alaw.decode(payload);
}

/** The G.711 payload of 16-bit linear samples (alawmulaw). */
export function g711Encode(samples: Int16Array, codec: G711Codec): Uint8Array {
  return codec === 'PCMU' ? mulaw.encode(samples) : alaw.encode(samples);
}

/** RTP capabilities of a G.711-only endpoint (a trunk leg, the mixer): the one codec, no header extensions. */
export function g711Capabilities(codec: G711Codec): ms.RtpCapabilities {
  const pt = g711PayloadType(codec);
  return {
    codecs: [{ kind: 'audio', mimeType: `audio/${codec}`, clockRate: 8_000, channels: 1, preferredPayloadType: pt, rtcpFeedback: [] }],
    headerExtensions: [],
  };
}

/** RTP parameters of a G.711 stream with `ssrc` (what a leg or the mixer produces). */
export function g711RtpParameters(codec: G711Codec, ssrc: number): ms.RtpParameters {
  return {
    codecs: [{ mimeType: `audio/${codec}`, clockRate: 8_000, channels: 1, payloadType: g711PayloadType(codec), rtcpFeedback: [] }],
    encodings: [{ ssrc }],
  };
}
