import { createSocket, type Socket } from 'node:dgram';
import { buildRtpPacket, linearToUlaw } from '../../src/index';

/** A caller's phone in tests: sends a 440 Hz tone as PCMU RTP (20 ms frames) from a real UDP socket and counts what comes back. */
export interface RtpPhone {
  readonly socket: Socket;
  readonly port: number;
  sent: number;
  received: number;
  start(to: { ip: string; port: number }, ssrc: number): void;
  stop(): void;
  close(): void;
}

/** Opens an {@link RtpPhone} on 127.0.0.1. */
export async function openRtpPhone(): Promise<RtpPhone> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  const phone: RtpPhone = {
    socket,
    port: socket.address().port,
    sent: 0,
    received: 0,
    start(to, ssrc) {
      let n = 0;
      timer = setInterval(() => {
        const payload = new Uint8Array(160);
        for (let i = 0; i < 160; i++) payload[i] = linearToUlaw(8000 * Math.sin((2 * Math.PI * 440 * (n * 160 + i)) / 8000));
        socket.send(buildRtpPacket({ payloadType: 0, sequenceNumber: n, timestamp: n * 160, ssrc }, payload), to.port, to.ip);
        n++;
        phone.sent++;
      }, 20);
    },
    stop() {
      if (timer) clearInterval(timer);
    },
    close() {
      phone.stop();
      socket.close();
    },
  };
  socket.on('message', (m) => {
    const pt = (m[1] ?? 0) & 0x7f;
    if (m.length > 12 && !(pt >= 72 && pt <= 76)) phone.received++;
  });
  return phone;
}

/** A UDP socket that counts RTP packets (the agent's or a recorder's end in tests). */
export async function openRtpCounter(): Promise<{ port: number; count: () => number; close: () => void }> {
  const socket = createSocket('udp4');
  let count = 0;
  socket.on('message', (m) => {
    const pt = (m[1] ?? 0) & 0x7f;
    if (m.length > 12 && !(pt >= 72 && pt <= 76)) count++;
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return { port: socket.address().port, count: () => count, close: () => socket.close() };
}
