import { RtpPacket, RtpHeader as WeriftRtpHeader } from 'werift-rtp';

/** The fields of an RTP header (RFC 3550 5.1) the bridge reads or writes. */
export interface RtpHeader {
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly marker?: boolean;
}

/** A 12-byte RTP header (no CSRC, no extension) followed by `payload` (werift-rtp, as in @paceline/trunk-sip). */
export function buildRtpPacket(header: RtpHeader, payload: Uint8Array): Buffer {
  const fixed = new WeriftRtpHeader({
    payloadType: header.payloadType & 0x7f,
    sequenceNumber: header.sequenceNumber & 0xffff,
    timestamp: header.timestamp >>> 0,
    ssrc: header.ssrc >>> 0,
    marker: header.marker ?? false,
  });
  return new RtpPacket(fixed, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)).serialize();
}

/** The header of an RTP packet, or undefined for RTCP and anything that is not RTP version 2. */
export function parseRtpHeader(packet: Uint8Array): RtpHeader | undefined {
  if (packet.length < 12 || (packet[0] ?? 0) >> 6 !== 2) return undefined;
  // RTCP packet types 200–204 share the first byte layout (RFC 5761 4).
  const payloadType = (packet[1] ?? 0) & 0x7f;
  if (payloadType >= 72 && payloadType <= 76) return undefined;
  let header: WeriftRtpHeader;
  try {
    header = RtpPacket.deSerialize(Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength)).header;
  } catch {
    return undefined; // CSRC count or extension length past the end
  }
  return {
    payloadType: header.payloadType,
    sequenceNumber: header.sequenceNumber,
    timestamp: header.timestamp,
    ssrc: header.ssrc,
    marker: header.marker,
  };
}
