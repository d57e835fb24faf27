import * as alawmulawModule from 'alawmulaw';

// alawmulaw ships a UMD bundle: Node's ESM loader exposes it as `default`, bundlers as named exports.
const codecs = ((alawmulawModule as unknown as { default?: typeof alawmulawModule }).default ?? alawmulawModule) as typeof alawmulawModule;
const { alaw, mulaw } = codecs;

/** The G.711 codecs we offer, by RTP static payload type (RFC 3551 Table 4). */
export type G711Codec = 'PCMU' | 'PCMA';

/** RFC 3551 Table 4: PCMU is payload type 0, PCMA 8. */
export const PAYLOAD_TYPES: Readonly<Record<G711Codec, number>> = { PCMU: 0, PCMA: 8 };

/** Decode G.711 bytes to 16-bit linear PCM. */
export function decodeG711(codec: G711Codec, payload: Uint8Array): Int16Array {
  return codec === 'PCMU' ? mulaw.decode(payload) : alaw.decode(payload);
}

/** Encode 16-bit linear PCM to G.711 bytes. */
export function encodeG711(codec: G711Codec, samples: Int16Array): Uint8Array {
  return codec === 'PCMU' ? mulaw.encode(samples) : alaw.encode(samples);
}

/** The codec for an RTP payload type, if it is one of ours. */
export function codecOfPayloadType(payloadType: number): G711Codec | undefined {
  return payloadType === 0 ? 'PCMU' : payloadType === 8 ? 'PCMA' : undefined;
}

/** Re-encode G.711 bytes from one law to the other (a no-op copy when they are the same). */
export function transcodeG711(from: G711Codec, to: G711Codec, payload: Uint8Array): Uint8Array {
  return from === to ? payload : encodeG711(to, decodeG711(from, payload));
}
