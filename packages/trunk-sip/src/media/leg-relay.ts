import dgram from 'node:dgram';
import type { CallLegInfo, CallLegs, Random } from '@paceline/core';
import { RtpRestamper } from './rtp-restamper';
import { type ReceivedRtp, readG711Packet, restampedPacket } from './rtp-session';

/** Options of {@link LegRelay.open}. */
export interface LegRelayOptions {
  readonly callId: string;
  readonly legs: CallLegs;
  /** Local address of the relay socket; the leg sends the caller's audio back here. Not a wildcard. */
  readonly bindAddress: string;
  readonly random: Random;
  /** What the leg sends back (the agent's voice, hold audio), for the carrier. */
  readonly onFromLeg: (packet: ReceivedRtp) => void;
}

/**
 * The trunk's end of a call's media-plane leg (`CallLegs`, e.g. a mediasoup PlainTransport):
 * a UDP socket that sends the carrier's RTP into the leg under one SSRC announced when the
 * leg is opened (so the media plane neither latches nor loses the first packets, and a
 * carrier's SSRC change does not break the stream), in the leg's G.711 variant, and hands
 * what the leg sends back to the call's RTP session.
 */
export class LegRelay {
  /** The leg as the media plane opened it. */
  readonly leg: CallLegInfo;
  readonly #callId: string;
  readonly #legs: CallLegs;
  readonly #socket: dgram.Socket;
  readonly #out: RtpRestamper;
  readonly #to: { readonly ip: string; readonly port: number };
  #closed = false;

  private constructor(o: LegRelayOptions, socket: dgram.Socket, out: RtpRestamper, leg: CallLegInfo) {
    this.#callId = o.callId;
    this.#legs = o.legs;
    this.#socket = socket;
    this.#out = out;
    this.leg = leg;
    this.#to = { ip: leg.localIp ?? leg.ip, port: leg.port };
    socket.on('message', (data, from) => {
      // Only the leg's own port speaks to us, and only its audio is relayed.
      if (this.#closed || from.port !== leg.port) return;
      const received = readG711Packet(data);
      if (received) o.onFromLeg(received);
    });
  }

  /** Bind the relay socket and open the call's leg, telling it our address and SSRC. */
  static async open(o: LegRelayOptions): Promise<LegRelay> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, o.bindAddress, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', () => {}); // a lost datagram is not worth ending the call for
    const out = new RtpRestamper(o.random.int(0x1_0000_0000), o.random.int(0x1_0000), o.random.int(0x1_0000_0000));
    let leg: CallLegInfo;
    try {
      leg = await o.legs.openCallLeg(o.callId, { ssrc: out.ssrc, remote: { ip: o.bindAddress, port: socket.address().port } });
    } catch (error) {
      socket.close();
      throw error;
    }
    return new LegRelay(o, socket, out, leg);
  }

  /** True until {@link close}. */
  get isOpen(): boolean {
    return !this.#closed;
  }

  /** Send one of the carrier's packets into the leg. */
  forward(packet: ReceivedRtp): void {
    if (this.#closed) return;
    this.#socket.send(restampedPacket(this.#out, packet, this.leg.codec), this.#to.port, this.#to.ip);
  }

  /** Close the socket and the leg (the media plane's `closeCallLeg`). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
    await this.#legs.closeCallLeg(this.#callId);
  }
}
