import dgram from 'node:dgram';
import type { Clock, Random, TimerHandle } from '@paceline/core';
import { RtpHeader, RtpPacket } from 'werift-rtp';
import { codecOfPayloadType, decodeG711, encodeG711, PAYLOAD_TYPES } from './g711';
import type { RemoteMedia } from './sdp';

/** 20 ms of 8 kHz audio: the packetisation we offer (`a=ptime:20`). */
const FRAME_SAMPLES = 160;
const FRAME_MS = 20;

/**
 * One call's RTP stream (RFC 3550): receives the callee's G.711 audio and hands it on decoded,
 * and sends audio paced at 20 ms frames on the injected Clock.
 */
export class RtpSession {
  readonly #clock: Clock;
  readonly #socket: dgram.Socket;
  readonly #onAudio: (samples: Int16Array) => void;
  readonly #ssrc: number;
  #sequence: number;
  #timestamp: number;
  #remote: RemoteMedia | undefined;
  #playTimer: TimerHandle | undefined;
  #playDone: (() => void) | undefined;
  #closed = false;
  #port = 0;

  private constructor(socket: dgram.Socket, clock: Clock, random: Random, onAudio: (samples: Int16Array) => void) {
    this.#socket = socket;
    this.#clock = clock;
    this.#onAudio = onAudio;
    this.#ssrc = random.int(0x1_0000_0000);
    this.#sequence = random.int(0x1_0000);
    this.#timestamp = random.int(0x1_0000_0000);
  }

  /** Open an RTP socket on an ephemeral port of `bindAddress`. */
  static async open(bindAddress: string, clock: Clock, random: Random, onAudio: (samples: Int16Array) => void): Promise<RtpSession> {
    const socket = dgram.createSocket('udp4');
    const session = new RtpSession(socket, clock, random, onAudio);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, bindAddress, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', () => {}); // a lost datagram is not an error worth ending the call for
    socket.on('message', (data) => session.#receive(data));
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

  /** Where to send, from the SDP answer. */
  setRemote(remote: RemoteMedia): void {
    this.#remote = remote;
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

  /** Close the socket; a pending playback resolves. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopPlaying();
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  #send(remote: RemoteMedia, samples: Int16Array, marker: boolean): void {
    const payload = Buffer.from(encodeG711(remote.codec, samples));
    const header = new RtpHeader({
      payloadType: PAYLOAD_TYPES[remote.codec],
      sequenceNumber: this.#sequence,
      timestamp: this.#timestamp,
      ssrc: this.#ssrc,
      marker,
    });
    // RFC 3550 5.1: sequence numbers and timestamps wrap.
    this.#sequence = (this.#sequence + 1) & 0xffff;
    this.#timestamp = (this.#timestamp + FRAME_SAMPLES) >>> 0;
    this.#socket.send(new RtpPacket(header, payload).serialize(), remote.port, remote.address);
  }

  #receive(data: Buffer): void {
    if (this.#closed || data.length < 12) return;
    let packet: RtpPacket;
    try {
      packet = RtpPacket.deSerialize(data);
    } catch {
      return;
    }
    const codec = codecOfPayloadType(packet.header.payloadType);
    if (!codec) return; // comfort noise, telephone-event, RTCP on the same port: not audio for AMD
    this.#onAudio(decodeG711(codec, new Uint8Array(packet.payload)));
  }

  #stopPlaying(): void {
    if (this.#playTimer) this.#clock.clearTimer(this.#playTimer);
    this.#playTimer = undefined;
    const done = this.#playDone;
    this.#playDone = undefined;
    done?.();
  }
}
