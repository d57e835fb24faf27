import { parse, write } from 'sdp-transform';
import { codecOfPayloadType, type G711Codec } from './g711';

/** RFC 4733: the dynamic payload type we offer for DTMF events. */
export const TELEPHONE_EVENT_PT = 101;

/** RFC 3264 5.1 / 8.4: which way media flows, from the describing side's view. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** Where the far end wants RTP and in which codec. */
export interface RemoteMedia {
  readonly address: string;
  readonly port: number;
  readonly codec: G711Codec;
  /** The stream's direction (`sendrecv` when the SDP says none). */
  readonly direction?: MediaDirection;
}

/**
 * The SDP offer: one audio stream with PCMU, PCMA and telephone-event (RFC 3264 5, RFC 4733 7.1.1).
 * `sessionId` must be numeric and unique per call.
 */
export function buildOffer(address: string, rtpPort: number, sessionId: number): string {
  return audioSession(address, rtpPort, sessionId, {
    payloads: `0 8 ${TELEPHONE_EVENT_PT}`,
    rtp: [
      { payload: 0, codec: 'PCMU', rate: 8000 },
      { payload: 8, codec: 'PCMA', rate: 8000 },
      { payload: TELEPHONE_EVENT_PT, codec: 'telephone-event', rate: 8000 },
    ],
    fmtp: [{ payload: TELEPHONE_EVENT_PT, config: '0-16' }],
  });
}

/** Read the answer (RFC 3264 6): the first audio stream, its address and first G.711 codec. */
export function parseAnswer(sdp: string): RemoteMedia | undefined {
  const session = parse(sdp);
  const audio = session.media.find((m) => m.type === 'audio' && m.port > 0);
  if (!audio) return undefined;
  const address = audio.connection?.ip ?? session.connection?.ip;
  if (!address) return undefined;
  const payloads = String(audio.payloads ?? '')
    .split(/\s+/)
    .map(Number);
  const codec = payloads.map(codecOfPayloadType).find((c) => c !== undefined);
  if (!codec) return undefined;
  const direction = audio.direction ?? session.direction ?? 'sendrecv';
  return { address, port: audio.port, codec, direction };
}

/** RFC 3264 6.1: the direction we answer to an offered one (their sendonly is our recvonly). */
export function answerDirection(offered: MediaDirection | undefined): MediaDirection {
  if (offered === 'sendonly') return 'recvonly';
  if (offered === 'recvonly') return 'sendonly';
  return offered ?? 'sendrecv';
}

/** RFC 2543 / RFC 3264 8.4: `c=IN IP4 0.0.0.0` is the old way to put a call on hold; no one sends from there. */
export function isHoldAddress(address: string): boolean {
  return address === '0.0.0.0';
}

/**
 * A later description of our side of an established call (RFC 3264 8: the answer to a
 * re-INVITE or UPDATE offer, or a new offer in a 2xx to an offerless re-INVITE): the same
 * session id, `version` incremented by the caller, one audio stream in `codec` (or, with no
 * codec chosen yet, our whole offer) and `direction`.
 */
export function describeAgain(
  address: string,
  rtpPort: number,
  sessionId: number,
  version: number,
  codec: G711Codec | undefined,
  direction: MediaDirection,
): string {
  const payloads = codec === undefined ? [0, 8] : [codec === 'PCMU' ? 0 : 8];
  return write({
    version: 0,
    origin: { username: 'paceline', sessionId, sessionVersion: version, netType: 'IN', ipVer: 4, address },
    name: 'paceline',
    connection: { version: 4, ip: address },
    timing: { start: 0, stop: 0 },
    media: [
      {
        type: 'audio',
        port: rtpPort,
        protocol: 'RTP/AVP',
        payloads: payloads.join(' '),
        rtp: payloads.map((payload) => ({ payload, codec: payload === 0 ? 'PCMU' : 'PCMA', rate: 8000 })),
        fmtp: [],
        ptime: 20,
        direction,
      },
    ],
  });
}

/**
 * The SDP answer to an inbound offer (RFC 3264 6): one audio stream with the G.711 codec
 * chosen from the offer (its first, read by {@link parseAnswer}), on our RTP port. DTMF
 * events are not answered (the offer's telephone-event is declined by omission).
 */
export function buildAnswer(address: string, rtpPort: number, sessionId: number, codec: G711Codec): string {
  const payload = codec === 'PCMU' ? 0 : 8;
  return audioSession(address, rtpPort, sessionId, {
    payloads: String(payload),
    rtp: [{ payload, codec, rate: 8000 }],
    fmtp: [],
  });
}

type AudioMedia = Pick<MediaDescription, 'payloads' | 'rtp' | 'fmtp'>;
type MediaDescription = Parameters<typeof write>[0]['media'][number];

/** One session with one send-receive audio stream in 20 ms packets on `rtpPort`. */
function audioSession(address: string, rtpPort: number, sessionId: number, audio: AudioMedia): string {
  return write({
    version: 0,
    origin: { username: 'paceline', sessionId, sessionVersion: 1, netType: 'IN', ipVer: 4, address },
    name: 'paceline',
    connection: { version: 4, ip: address },
    timing: { start: 0, stop: 0 },
    media: [{ type: 'audio', port: rtpPort, protocol: 'RTP/AVP', ...audio, ptime: 20, direction: 'sendrecv' }],
  });
}
