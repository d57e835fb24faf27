import { createSocket } from 'node:dgram';
import { buildRtpPacket, linearToUlaw } from '@paceline/media-mediasoup';

/**
 * The simulated customer's phone: the simulated trunk carries no audio, so for each answered
 * call the example sends a voice-like tone as PCMU RTP into the call's leg, as a carrier would.
 */
export async function startCustomerPhone(to: { ip: string; port: number }, ssrc: number): Promise<{ stop: () => void }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  let n = 0;
  const timer = setInterval(() => {
    const payload = new Uint8Array(160);
    for (let i = 0; i < 160; i++) {
      const t = (n * 160 + i) / 8_000;
      // A 220 Hz "voice" that rises and falls twice a second, so the agent hears something alive.
      payload[i] = linearToUlaw(6_000 * Math.sin(2 * Math.PI * 220 * t) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 2 * t)));
    }
    socket.send(buildRtpPacket({ payloadType: 0, sequenceNumber: n, timestamp: n * 160, ssrc, marker: n === 0 }, payload), to.port, to.ip);
    n++;
  }, 20);
  return {
    stop: () => {
      clearInterval(timer);
      socket.close();
    },
  };
}
