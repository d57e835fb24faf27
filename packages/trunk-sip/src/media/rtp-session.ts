import dgram from 'node:dgram';
import type { Clock, Random, TimerHandle } from '@paceline/core';
import { RtpHeader, RtpPacket } from 'werift-rtp';
import type { RtpSourcePolicy } from '../sip-trunk-options';
import { codecOfPayloadType, decodeG711, encodeG711, type G711Codec, PAYLOAD_TYPES, transcodeG711 } from './g711';
import { RtpRestamper, type RtpSourceStamp } from './rtp-restamper';
import type { RemoteMedia } from './sdp';

/** 20 ms of 8 kHz audio: the packetisation we offer (`a=ptime:20`). */
const FRAME_SAMPLES = 160;
const FRAME_MS = 20;

/** A received G.711 packet, as handed to a relay (see {@link RtpSession.relayTo}). */
export interface ReceivedRtp {
  readonly header: RtpSourceStamp & { readonly marker: boolean };
  readonly codec: G711Codec;
  readonly payload: Uint8Array;
}

/**
 * A datagram as G.711 audio, or undefined for anything else: too short or malformed, RTCP on
 * the same port (RFC 5761), comfort noise, telephone-events.
 */
export function readG711Packet(data: Buffer): ReceivedRtp | undefined {
  // RFC 3550 5.1: version 2 and a payload after the fixed header; anything else is not our audio.
  if (data.length <= 12 || (data[0] ?? 0) >> 6 !== 2) return undefined;
  let packet: RtpPacket;
  try {
    packet = RtpPacket.deSerialize(data);
  } catch {
    return undefined;
  }
  const codec = codecOfPayloadType(packet.header.payloadType);
  return codec ? { header: packet.header, codec, payload: new Uint8Array(packet.payload) } : undefined;
}

/**
 * `packet`, relayed into a stream of ours: in `codec` (transcoded when the sender used the
 * other G.711 law), under `out`'s SSRC and continuous numbering, keeping the sender's
 * talkspurt starts marked. The datagram to send.
 */
export function restampedPacket(out: RtpRestamper, packet: ReceivedRtp, codec: G711Codec): Buffer {
  const payload = transcodeG711(packet.codec, codec, packet.payload);
  const stamp = out.relay(packet.header, payload.length);
  const marker = stamp.marker || packet.header.marker;
  const header = new RtpHeader({ payloadType: PAYLOAD_TYPES[codec], ssrc: out.ssrc, ...stamp, marker });
  return new RtpPacket(header, Buffer.from(payload)).serialize();
}

/**
 * One call's RTP stream (RFC 3550): receives the callee's G.711 audio and hands it on decoded
 * (and, when a relay is set, as packets), and sends audio paced at 20 ms frames on the
 * injected Clock, or relayed from elsewhere (the media bridge) under the session's own SSRC.
 */
export class RtpSession {
  readonly #clock: Clock;
  readonly #socket: dgram.Socket;
  readonly #onAudio: (samples: Int16Array) => void;
  readonly #out: RtpRestamper;
  #relay: ((packet: ReceivedRtp) => void) | undefined;
  #remote: RemoteMedia | undefined;
  readonly #policy: RtpSourcePolicy;
  /** The one source (address, port, SSRC) accepted once locked (`sdp-address`, `latch`). */
  #locked: { readonly address: string; readonly port: number; readonly ssrc: number } | undefined;
  #dropped = 0;
  #playTimer: TimerHandle | undefined;
  #playDone: (() => void) | undefined;
  #closed = false;
  #port = 0;

  private constructor(socket: dgram.Socket, clock: Clock, random: Random, policy: RtpSourcePolicy, onAudio: (samples: Int16Array) => void) {
    this.#socket = socket;
    this.#policy = policy;
    this.#clock = clock;
    this.#onAudio = onAudio;
    this.#out = new RtpRestamper(random.int(0x1_0000_0000), random.int(0x1_0000), random.int(0x1_0000_0000));
  }

  /** Open an RTP socket on an ephemeral port of `bindAddress`, accepting media as `policy` says. */
  static async open(
    bindAddress: string,
    clock: Clock,
    random: Random,
    policy: RtpSourcePolicy,
    onAudio: (samples: Int16Array) => void,
  ): Promise<RtpSession> {
    const socket = dgram.createSocket('udp4');
    const session = new RtpSession(socket, clock, random, policy, onAudio);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, bindAddress, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', () => {}); // a lost datagram is not an error worth ending the call for
    socket.on('message', (data, from) => session.#receive(data, from));
    session.#port = socket.address().port;
    return session;
  }

  /** The local RTP port (put in the SDP offer). */
  get port(): number {
    return this.#port;
  }

  /** True until {@link close}. */
  get isOpen(): boolean {
    return !this.#closed;
  }

  /** Packets dropped: not from the negotiated (or latched) source, or before any SDP. */
  get droppedPackets(): number {
    return this.#dropped;
  }

  /** Where to send, and whom to hear, from the SDP answer (or a 183's early-media SDP). */
  setRemote(remote: RemoteMedia): void {
    const previous = this.#remote;
    this.#remote = remote;
    // A new media server (a 200 OK after a 183 from elsewhere) is a new source to lock onto.
    if (previous && (previous.address !== remote.address || previous.port !== remote.port)) this.#locked = undefined;
  }

  /** Send `samples` as RTP in real time; resolves when the last frame is sent or the session closes. */
  play(samples: Int16Array): Promise<void> {
    this.#stopPlaying();
    return new Promise<void>((resolve) => {
      this.#playDone = resolve;
      const start = this.#clock.now();
      let frame = 0;
      const tick = () => {
        const remote = this.#remote;
        if (this.#closed || !remote) return this.#stopPlaying();
        const chunk = samples.subarray(frame * FRAME_SAMPLES, (frame + 1) * FRAME_SAMPLES);
        if (chunk.length === 0) return this.#stopPlaying();
        const padded = chunk.length === FRAME_SAMPLES ? chunk : Int16Array.from({ length: FRAME_SAMPLES }, (_, i) => chunk[i] ?? 0);
        this.#send(remote, padded, frame === 0);
        frame++;
        // Schedule against the start time so timer jitter does not accumulate.
        this.#playTimer = this.#clock.setTimer(start + frame * FRAME_MS - this.#clock.now(), tick);
      };
      tick();
    });
  }

  /** Hand every received G.711 packet to `relay` too (undefined: stop); AMD keeps hearing them. */
  relayTo(relay: ((packet: ReceivedRtp) => void) | undefined): void {
    this.#relay = relay;
  }

  /**
   * Send a G.711 packet from elsewhere (the media bridge: the agent's voice, hold audio) to
   * the far end under this session's SSRC, in the codec the far end chose. Dropped while a
   * prompt plays (the safe-harbour message has the line) and before the far end's address
   * is known. Returns whether it was sent.
   */
  sendRelayed(packet: ReceivedRtp): boolean {
    const remote = this.#remote;
    if (this.#closed || !remote || this.#playDone !== undefined) return false;
    const to = this.#target(remote);
    this.#socket.send(restampedPacket(this.#out, packet, remote.codec), to.port, to.address);
    return true;
  }

  /** Close the socket; a pending playback resolves. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopPlaying();
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  /** Where our RTP goes: the SDP's address, or the latched source for symmetric RTP. */
  #target(remote: RemoteMedia): { readonly address: string; readonly port: number } {
    return this.#policy === 'latch' && this.#locked ? this.#locked : remote;
  }

  /**
   * RFC 3550 8.2 leaves source checks to us: only the negotiated peer may feed the call's
   * audio (and the answering-machine detector), never whoever reaches the port.
   */
  #accepts(from: dgram.RemoteInfo, ssrc: number): boolean {
    const remote = this.#remote;
    if (!remote) return false;
    if (this.#policy === 'sdp') return from.address === remote.address && from.port === remote.port;
    if (this.#policy === 'sdp-address' && from.address !== remote.address) return false;
    if (!this.#locked) {
      this.#locked = { address: from.address, port: from.port, ssrc };
      return true;
    }
    return this.#locked.address === from.address && this.#locked.port === from.port && this.#locked.ssrc === ssrc;
  }

  #send(remote: RemoteMedia, samples: Int16Array, marker: boolean): void {
    const payload = Buffer.from(encodeG711(remote.codec, samples));
    const header = new RtpHeader({
      payloadType: PAYLOAD_TYPES[remote.codec],
      ssrc: this.#out.ssrc,
      ...this.#out.own(FRAME_SAMPLES, marker),
    });
    const to = this.#target(remote);
    this.#socket.send(new RtpPacket(header, payload).serialize(), to.port, to.address);
  }

  #receive(data: Buffer, from: dgram.RemoteInfo): void {
    if (this.#closed) return;
    const received = readG711Packet(data);
    if (!received) return;
    if (!this.#accepts(from, received.header.ssrc)) {
      this.#dropped++;
      return;
    }
    const { codec, payload } = received;
    this.#relay?.(received);
    this.#onAudio(decodeG711(codec, payload));
  }

  #stopPlaying(): void {
    if (this.#playTimer) this.#clock.clearTimer(this.#playTimer);
    this.#playTimer = undefined;
    const done = this.#playDone;
    this.#playDone = undefined;
    done?.();
  }
}
