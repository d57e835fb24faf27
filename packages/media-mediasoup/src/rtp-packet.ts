/** The fields of an RTP header (RFC 3550 5.1) the bridge reads or writes. */
export interface RtpHeader {
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly marker?: boolean;
}

/** A 12-byte RTP header (no CSRC, no extension) followed by `payload`. */
export function buildRtpPacket(header: RtpHeader, payload: Uint8Array): Buffer {
  const packet = Buffer.allocUnsafe(12 + payload.length);
  packet[0] = 0x80;
  packet[1] = (header.marker ? 0x80 : 0) | (header.payloadType & 0x7f);
  packet.writeUInt16BE(header.sequenceNumber & 0xffff, 2);
  packet.writeUInt32BE(header.timestamp >>> 0, 4);
  packet.writeUInt32BE(header.ssrc >>> 0, 8);
  packet.set(payload, 12);
  return packet;
}

/** The header of an RTP packet, or undefined for RTCP and anything that is not RTP version 2. */
export function parseRtpHeader(packet: Uint8Array): RtpHeader | undefined {
  if (packet.length < 12 || (packet[0] ?? 0) >> 6 !== 2) return undefined;
  const second = packet[1] ?? 0;
  const payloadType = second & 0x7f;
  // RTCP packet types 200–204 share the first byte layout (RFC 5761 4).
  if (payloadType >= 72 && payloadType <= 76) return undefined;
  const view = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
  return {
    payloadType,
    sequenceNumber: view.readUInt16BE(2),
    timestamp: view.readUInt32BE(4),
    ssrc: view.readUInt32BE(8),
    marker: (second & 0x80) !== 0,
  };
}
