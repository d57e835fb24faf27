import dgram from 'node:dgram';

/** One RTP packet as a test saw it arrive. */
export interface SeenRtp {
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly marker: boolean;
  readonly payload: Uint8Array;
  readonly from: { readonly address: string; readonly port: number };
}

/** A UDP socket on 127.0.0.1 that keeps every RTP packet it receives (RTCP is left out). */
export interface RtpSink {
  readonly port: number;
  readonly packets: SeenRtp[];
  send(to: { ip: string; port: number }, packet: Uint8Array): void;
  close(): Promise<void>;
}

/** Opens an {@link RtpSink}. */
export async function openRtpSink(): Promise<RtpSink> {
  const socket = dgram.createSocket('udp4');
  const packets: SeenRtp[] = [];
  socket.on('message', (m, from) => {
    const payloadType = (m[1] ?? 0) & 0x7f;
    if (m.length <= 12 || (m[0] ?? 0) >> 6 !== 2 || (payloadType >= 72 && payloadType <= 76)) return;
    packets.push({
      payloadType,
      sequenceNumber: m.readUInt16BE(2),
      timestamp: m.readUInt32BE(4),
      ssrc: m.readUInt32BE(8),
      marker: ((m[1] ?? 0) & 0x80) !== 0,
      payload: new Uint8Array(m.subarray(payloadOffset(m))),
      from: { address: from.address, port: from.port },
    });
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    packets,
    send: (to, packet) => socket.send(packet, to.port, to.ip),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** Where the payload starts: after the CSRCs and the header extension, if any (RFC 3550 5.1, 5.3.1). */
function payloadOffset(m: Buffer): number {
  let offset = 12 + 4 * ((m[0] ?? 0) & 0x0f);
  if (((m[0] ?? 0) & 0x10) !== 0 && m.length >= offset + 4) offset += 4 + 4 * m.readUInt16BE(offset + 2);
  return offset;
}

/** A 12-byte RTP header (RFC 3550 5.1) and `payload`. */
export function rtpPacket(
  h: { payloadType: number; sequenceNumber: number; timestamp: number; ssrc: number },
  payload: Uint8Array,
): Buffer {
  const packet = Buffer.alloc(12 + payload.length);
  packet[0] = 0x80;
  packet[1] = h.payloadType & 0x7f;
  packet.writeUInt16BE(h.sequenceNumber & 0xffff, 2);
  packet.writeUInt32BE(h.timestamp >>> 0, 4);
  packet.writeUInt32BE(h.ssrc >>> 0, 8);
  packet.set(payload, 12);
  return packet;
}
