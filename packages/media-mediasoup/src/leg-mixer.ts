import { createSocket, type Socket } from 'node:dgram';
import type { Clock, Logger, TimerHandle } from '@paceline/core';
import type { types as ms } from 'mediasoup';
import { type G711Codec, g711Capabilities, g711Decode, g711Encode, g711PayloadType, g711RtpParameters } from './g711';
import { buildRtpPacket, parseRtpHeader } from './rtp-packet';

/** G.711 at 8 kHz: 160 samples per 20 ms frame. */
const FRAME_MS = 20;
const FRAME_SAMPLES = 160;
/** A source starts (or restarts after running dry) once it holds this many samples: 40 ms of jitter absorbed. */
const START_SAMPLES = 2 * FRAME_SAMPLES;
/** At most 160 ms queued per source; older samples are dropped so the mix never drifts late. */
const MAX_SAMPLES = 8 * FRAME_SAMPLES;

/** What the mixer needs from the bridge: local plain transports and its pacing. */
export interface LegMixerHost {
  readonly clock: Clock;
  readonly codec: G711Codec;
  readonly logger: Logger;
  /** A plain transport on 127.0.0.1; `comedia` latches onto the first sender. */
  localPlainTransport(comedia: boolean): Promise<ms.PlainTransport>;
  nextSsrc(): number;
}

interface Source {
  readonly consumer: ms.Consumer;
  readonly ssrc: number;
  /** Decoded samples waiting to be mixed. */
  queue: Int16Array;
  started: boolean;
  /** RTP packets received from this source. */
  received: number;
}

/**
 * Sum the next frame of every source (16-bit, clipped). A source that has not started or
 * has run dry adds silence. Pure, for the tests.
 */
export function mixFrame(frames: readonly Int16Array[], samples = FRAME_SAMPLES): Int16Array {
  const sum = new Int32Array(samples);
  for (const frame of frames) for (let i = 0; i < samples && i < frame.length; i++) sum[i] = (sum[i] ?? 0) + (frame[i] ?? 0);
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) out[i] = Math.max(-32_768, Math.min(32_767, sum[i] ?? 0));
  return out;
}

/**
 * What a barged call's caller hears: mediasoup forwards streams but does not mix them, and a
 * trunk leg carries one G.711 stream, so the agent's and the barging supervisors' microphones
 * are consumed into a Node socket (a plain transport "in"), decoded, summed every 20 ms,
 * re-encoded and produced again (a plain transport "out") as one stream the call's leg
 * consumes instead of the agent's microphone. The mix adds ≤ 60 ms (40 ms of jitter buffer).
 */
export class LegMixer {
  /** The producer of the mixed stream (what the call's leg consumes while a supervisor barges). */
  readonly producer: ms.Producer;
  readonly #host: LegMixerHost;
  readonly #in: ms.PlainTransport;
  readonly #out: ms.PlainTransport;
  readonly #socket: Socket;
  readonly #sources = new Map<string, Source>();
  readonly #ssrc: number;
  readonly #startedAt: number;
  #frames = 0;
  #timer: TimerHandle | undefined;
  #closed = false;

  private constructor(
    host: LegMixerHost,
    input: ms.PlainTransport,
    output: ms.PlainTransport,
    socket: Socket,
    producer: ms.Producer,
    ssrc: number,
  ) {
    this.#host = host;
    this.#in = input;
    this.#out = output;
    this.#socket = socket;
    this.producer = producer;
    this.#ssrc = ssrc;
    this.#startedAt = host.clock.now();
    socket.on('message', (packet) => this.#receive(packet));
    socket.on('error', (error) => host.logger.warn({ err: error }, 'media: mixer socket error'));
    this.#schedule();
  }

  /** Open the mixer's transports and socket and start mixing (silence until a source is added). */
  static async open(host: LegMixerHost): Promise<LegMixer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const input = await host.localPlainTransport(false);
    const output = await host.localPlainTransport(true);
    try {
      await input.connect({ ip: '127.0.0.1', port: socket.address().port });
      const ssrc = host.nextSsrc();
      const producer = await output.produce({ kind: 'audio', rtpParameters: g711RtpParameters(host.codec, ssrc) });
      return new LegMixer(host, input, output, socket, producer, ssrc);
    } catch (error) {
      input.close();
      output.close();
      socket.close();
      throw error;
    }
  }

  /** The producers being mixed now. */
  get sources(): string[] {
    return [...this.#sources.keys()];
  }

  /** Mix `producerId` (a microphone) into the stream; idempotent. */
  async add(producerId: string): Promise<void> {
    if (this.#sources.has(producerId) || this.#closed) return;
    const consumer = await this.#in.consume({ producerId, rtpCapabilities: g711Capabilities(this.#host.codec) });
    const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
    if (this.#closed || ssrc === undefined || this.#sources.has(producerId)) {
      consumer.close();
      return;
    }
    this.#sources.set(producerId, { consumer, ssrc, queue: new Int16Array(0), started: false, received: 0 });
  }

  /** RTP packets of `producerId` that reached the mix so far (0 when it is not mixed). */
  receivedFrom(producerId: string): number {
    return this.#sources.get(producerId)?.received ?? 0;
  }

  /** Stop mixing `producerId`. */
  remove(producerId: string): void {
    this.#sources.get(producerId)?.consumer.close();
    this.#sources.delete(producerId);
  }

  /** Stop the timer and close the transports (with their consumers and the producer) and the socket. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) this.#host.clock.clearTimer(this.#timer);
    this.#in.close();
    this.#out.close();
    this.#socket.close();
    this.#sources.clear();
  }

  #receive(packet: Buffer): void {
    const header = parseRtpHeader(packet);
    if (!header || header.payloadType !== g711PayloadType(this.#host.codec)) return;
    const source = [...this.#sources.values()].find((s) => s.ssrc === header.ssrc);
    if (!source) return;
    source.received++;
    const offset = payloadOffset(packet);
    if (offset >= packet.length) return;
    const samples = g711Decode(packet.subarray(offset), this.#host.codec);
    const joined = new Int16Array(source.queue.length + samples.length);
    joined.set(source.queue);
    joined.set(samples, source.queue.length);
    source.queue = joined.length > MAX_SAMPLES ? joined.slice(joined.length - MAX_SAMPLES) : joined;
    if (source.queue.length >= START_SAMPLES) source.started = true;
  }

  #tick(): void {
    const frames: Int16Array[] = [];
    for (const source of this.#sources.values()) {
      if (!source.started) continue;
      if (source.queue.length < FRAME_SAMPLES) {
        source.started = false; // ran dry: wait for the buffer to fill again
        continue;
      }
      frames.push(source.queue.subarray(0, FRAME_SAMPLES));
      source.queue = source.queue.slice(FRAME_SAMPLES);
    }
    const payload = g711Encode(mixFrame(frames), this.#host.codec);
    const n = this.#frames++;
    const packet = buildRtpPacket(
      {
        payloadType: g711PayloadType(this.#host.codec),
        sequenceNumber: n,
        timestamp: n * FRAME_SAMPLES,
        ssrc: this.#ssrc,
        marker: n === 0,
      },
      payload,
    );
    this.#socket.send(packet, this.#out.tuple.localPort, '127.0.0.1');
  }

  #schedule(): void {
    const due = this.#startedAt + (this.#frames + 1) * FRAME_MS;
    this.#timer = this.#host.clock.setTimer(Math.max(0, due - this.#host.clock.now()), () => {
      if (this.#closed) return;
      try {
        this.#tick();
      } catch (error) {
        this.#host.logger.warn({ err: error }, 'media: mixer frame failed');
      }
      this.#schedule();
    });
  }
}

/** Where the payload starts: after the CSRCs and the header extension, if any (RFC 3550 5.1, 5.3.1). */
function payloadOffset(packet: Buffer): number {
  let offset = 12 + 4 * ((packet[0] ?? 0) & 0x0f);
  if (((packet[0] ?? 0) & 0x10) !== 0 && packet.length >= offset + 4) offset += 4 + 4 * packet.readUInt16BE(offset + 2);
  return offset;
}
