import { createSocket, type Socket } from 'node:dgram';
import {
  type CallLegs,
  type Clock,
  type Logger,
  type MediaBridge,
  type MediaPlayOptions,
  PacelineError,
  silentLogger,
  type TimerHandle,
  TypedEmitter,
} from '@paceline/core';
import type { types as ms } from 'mediasoup';
import type { CallLegInfo, CallLegOptions, MediasoupBridgeOptions, RtpAddress } from './bridge-options';
import { type G711Codec, g711Capabilities, g711PayloadType, g711RtpParameters, loadMessage } from './g711';
import { buildRtpPacket, parseRtpHeader } from './rtp-packet';
import { type AgentSessionOptions, type AgentSessionParams, type MediasoupBridgeEvents, NO_TRANSPORT } from './signalling';
import { CallSupervision, consumerParams, type SupervisedCall, transportParams } from './supervision';
import {
  isWildcard,
  type MediasoupApi,
  mediasoupApi,
  plainTransportOptions,
  tupleLocalAddress,
  webRtcTransportOptions,
} from './transport-options';

/** G.711 at 8 kHz: 160 samples (bytes) per 20 ms RTP frame. */
const FRAME_MS = 20;
const FRAME_BYTES = 160;

interface Bridge {
  readonly agentId: string;
  readonly toAgent: ms.Consumer;
  toCaller?: ms.Consumer;
}

interface Playback {
  readonly transport: ms.PlainTransport;
  readonly socket: Socket;
  timer?: TimerHandle;
  readonly finish: () => void;
}

interface Leg {
  readonly info: CallLegInfo;
  readonly remote?: RtpAddress;
  transport?: ms.PlainTransport;
  producer?: ms.Producer;
  latch?: Socket;
  readonly ready: Promise<void>;
  readonly markReady: (error?: Error) => void;
  bridge?: Bridge;
  playback?: Playback;
  readonly taps: Set<ms.PlainTransport>;
  closed: boolean;
}

interface AgentSession {
  readonly agentId: string;
  readonly caps: ms.RtpCapabilities;
  readonly send?: ms.WebRtcTransport;
  readonly recv: ms.WebRtcTransport | ms.PlainTransport;
  mic?: ms.Producer;
  callId?: string;
}

/** Counts of what the bridge holds (a leak check after many calls reads zeros here and in `router.dump()`). */
export interface MediasoupBridgeStats {
  readonly agents: number;
  readonly legs: number;
  readonly bridges: number;
  readonly playbacks: number;
  readonly taps: number;
}

/**
 * The `MediaBridge` on mediasoup: a PlainTransport per call leg carries the trunk's G.711
 * RTP, two WebRtcTransports per agent carry it to and from the browser, and `connect`
 * bridges them (mediasoup forwards G.711 to WebRTC without transcoding). It is also the
 * `CallLegs` a trunk that carries RTP itself (`@paceline/trunk-sip`) relays each call into.
 * Make one with {@link createMediasoupBridge}.
 */
export class MediasoupBridge implements MediaBridge, CallLegs {
  /** The router every transport lives on (for `dump()` and for hosts that add their own). */
  readonly router: ms.Router;
  /** Listen, whisper and barge: a supervisor's browser joins an agent's live call (see `supervision.ts`). */
  readonly supervision: CallSupervision;
  readonly #o: MediasoupBridgeOptions;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #codec: G711Codec;
  readonly #pt: number;
  readonly #listenIp: string;
  readonly #api: MediasoupApi;
  readonly #messages = new Map<string, Uint8Array>();
  readonly #legs = new Map<string, Leg>();
  readonly #agents = new Map<string, AgentSession>();
  readonly #events: TypedEmitter<MediasoupBridgeEvents>;
  #ssrcSeq = 0x50_00_00_00;
  #closed = false;

  /** Use {@link createMediasoupBridge}. */
  constructor(router: ms.Router, options: MediasoupBridgeOptions) {
    this.router = router;
    this.#o = options;
    this.#clock = options.clock;
    this.#logger = options.logger ?? silentLogger;
    this.#codec = options.codec ?? 'PCMU';
    this.#pt = g711PayloadType(this.#codec);
    this.#listenIp = options.listenIp ?? '127.0.0.1';
    this.#api = mediasoupApi(options.mediasoupVersion);
    this.#events = new TypedEmitter({ onListenerError: options.onListenerError ?? (() => {}) });
    for (const [id, source] of Object.entries(options.messages ?? {}))
      this.#messages.set(id, loadMessage(source, this.#codec, `messages.${id}`));
    this.supervision = new CallSupervision({
      router,
      clock: this.#clock,
      codec: this.#codec,
      logger: this.#logger,
      nextSsrc: () => this.#nextSsrc(),
      localPlainTransport: (comedia) => this.router.createPlainTransport(this.#plainOptions({ comedia, local: true })),
      webRtcTransport: () => this.router.createWebRtcTransport(this.#webRtcOptions()),
      call: (callId, where) => this.#supervisedCall(callId, where),
      feedCaller: (callId, producerId) => this.#feedCaller(callId, producerId),
      emit: (event, ...args) => this.#events.emit(event, ...args),
    });
  }

  /** Subscribe to a bridge event; returns the unsubscribe function. */
  on<K extends keyof MediasoupBridgeEvents>(event: K, listener: (...args: MediasoupBridgeEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /** The router's RTP capabilities: what the browser's `device.load({ routerRtpCapabilities })` needs. */
  get rtpCapabilities(): ms.RtpCapabilities {
    return this.router.rtpCapabilities;
  }

  // ── agents ────────────────────────────────────────────────────────────────────────

  /**
   * Open (or re-open) an agent's media session: WebRtcTransports for the browser, or a
   * plain RTP destination. A re-open closes the previous session first.
   */
  async openAgent(agentId: string, options: AgentSessionOptions): Promise<AgentSessionParams> {
    this.#open('openAgent');
    await this.closeAgent(agentId);
    if (options.plainRtp) {
      const recv = await this.router.createPlainTransport(this.#plainOptions({ comedia: false }));
      await recv.connect({ ip: options.plainRtp.ip, port: options.plainRtp.port });
      this.#agents.set(agentId, { agentId, caps: g711Capabilities(this.#codec), recv });
      return { agentId, send: NO_TRANSPORT, recv: NO_TRANSPORT };
    }
    const caps = options.rtpCapabilities;
    if (!caps)
      throw new PacelineError(
        'E_INVALID_INPUT',
        `openAgent: agent ${agentId}: rtpCapabilities is required (the device's, after device.load)`,
      );
    const send = await this.router.createWebRtcTransport(this.#webRtcOptions());
    const recv = await this.router.createWebRtcTransport(this.#webRtcOptions());
    this.#agents.set(agentId, { agentId, caps, send, recv });
    return { agentId, send: transportParams(send), recv: transportParams(recv) };
  }

  /** The browser's `transport.on('connect')`: finish DTLS on one of the agent's transports. */
  async connectAgentTransport(agentId: string, transportId: string, dtlsParameters: ms.DtlsParameters): Promise<void> {
    const agent = this.#agent(agentId, 'connectAgentTransport');
    const transport = [agent.send, agent.recv].find((t) => t?.id === transportId);
    if (!transport || !('iceParameters' in transport)) {
      throw new PacelineError('E_NOT_FOUND', `connectAgentTransport: agent ${agentId} has no WebRTC transport ${transportId}`);
    }
    await transport.connect({ dtlsParameters });
  }

  /** The browser's `transport.on('produce')`: the agent's microphone; returns the producer id. */
  async produceAgentAudio(agentId: string, rtpParameters: ms.RtpParameters): Promise<string> {
    const agent = this.#agent(agentId, 'produceAgentAudio');
    if (!agent.send) throw new PacelineError('E_CONFLICT', `produceAgentAudio: agent ${agentId} has a plain-RTP session`);
    if (agent.callId !== undefined) await this.supervision.callEnded(agent.callId, 'agent-microphone-changed');
    agent.mic?.close();
    const mic = await agent.send.produce({ kind: 'audio', rtpParameters });
    agent.mic = mic;
    const leg = agent.callId === undefined ? undefined : this.#legs.get(agent.callId);
    if (leg?.bridge && leg.transport) {
      leg.bridge.toCaller?.close();
      leg.bridge.toCaller = await leg.transport.consume({ producerId: mic.id, rtpCapabilities: g711Capabilities(this.#codec) });
    }
    return mic.id;
  }

  /** Close an agent's session; a call it was bridged to is unbridged (and put on hold audio). */
  async closeAgent(agentId: string): Promise<void> {
    const agent = this.#agents.get(agentId);
    if (!agent) return;
    if (agent.callId !== undefined) await this.unbridge(agent.callId);
    this.#agents.delete(agentId);
    agent.send?.close();
    agent.recv.close();
  }

  // ── call legs ─────────────────────────────────────────────────────────────────────

  /**
   * Open a call's trunk leg and return the address the trunk sends its RTP to (the SDP the
   * trunk offers or answers with). Idempotent per call id.
   */
  async openCallLeg(callId: string, options: CallLegOptions = {}): Promise<CallLegInfo> {
    this.#open('openCallLeg');
    const existing = this.#legs.get(callId);
    if (existing) return existing.info;
    let markReady: (error?: Error) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      markReady = (error) => (error ? reject(error) : resolve());
    });
    ready.catch(() => {}); // observed through `connect`/`playToCaller`
    const announced = this.#o.announcedIp ?? this.#listenIp;
    const localIp = isWildcard(this.#listenIp) ? '127.0.0.1' : this.#listenIp;
    if (options.ssrc !== undefined) {
      const transport = await this.router.createPlainTransport(this.#plainOptions({ comedia: !options.remote }));
      const info: CallLegInfo = {
        callId,
        ip: announced,
        port: transport.tuple.localPort,
        localIp,
        codec: this.#codec,
        payloadType: this.#pt,
      };
      const leg: Leg = {
        info,
        ...(options.remote ? { remote: options.remote } : {}),
        transport,
        ready,
        markReady,
        taps: new Set(),
        closed: false,
      };
      this.#legs.set(callId, leg);
      try {
        if (options.remote) await transport.connect({ ip: options.remote.ip, port: options.remote.port });
        leg.producer = await transport.produce({ kind: 'audio', rtpParameters: g711RtpParameters(this.#codec, options.ssrc) });
      } catch (error) {
        await this.disconnect(callId);
        throw error;
      }
      markReady();
      return info;
    }
    // The SSRC is unknown: a Node socket latches the first packet, then hands the port to mediasoup.
    const latch = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      latch.once('error', reject);
      latch.bind(0, this.#listenIp, () => resolve());
    });
    const info: CallLegInfo = { callId, ip: announced, port: latch.address().port, localIp, codec: this.#codec, payloadType: this.#pt };
    const leg: Leg = {
      info,
      ...(options.remote ? { remote: options.remote } : {}),
      latch,
      ready,
      markReady,
      taps: new Set(),
      closed: false,
    };
    this.#legs.set(callId, leg);
    latch.on('message', (packet, from) => {
      const header = parseRtpHeader(packet);
      if (!header || leg.latch !== latch) return;
      delete leg.latch;
      latch.close(() => {
        this.#takeOver(leg, header.ssrc, { ip: from.address, port: from.port }).catch((error: unknown) => {
          this.#logger.warn({ callId, err: error }, 'media: call leg take-over failed');
          leg.markReady(error instanceof Error ? error : new Error(String(error)));
        });
      });
    });
    return info;
  }

  async #takeOver(leg: Leg, ssrc: number, from: RtpAddress): Promise<void> {
    if (leg.closed) return;
    const transport = await this.router.createPlainTransport(this.#plainOptions({ comedia: false, port: leg.info.port }));
    leg.transport = transport;
    if (leg.closed) {
      transport.close();
      return;
    }
    const remote = leg.remote ?? from;
    await transport.connect({ ip: remote.ip, port: remote.port });
    leg.producer = await transport.produce({ kind: 'audio', rtpParameters: g711RtpParameters(this.#codec, ssrc) });
    if (leg.closed) {
      transport.close();
      return;
    }
    this.#events.emit('legReady', { callId: leg.info.callId, ssrc, from });
    leg.markReady();
  }

  /** `MediaBridge.connect`: bridge the call's leg to the agent, both ways. */
  async connect(callId: string, agentId: string): Promise<void> {
    const leg = this.#leg(callId, 'connect');
    const agent = this.#agent(agentId, 'connect');
    await this.#whenReady(leg);
    if (leg.bridge?.agentId === agentId) return;
    if (leg.bridge) await this.unbridge(callId, { hold: false });
    if (agent.callId !== undefined && agent.callId !== callId) await this.unbridge(agent.callId);
    this.#stopPlayback(leg);
    const { producer, transport } = leg;
    if (!producer || !transport) throw new PacelineError('E_INTERNAL', `connect: call ${callId} leg has no producer`);
    if (!this.router.canConsume({ producerId: producer.id, rtpCapabilities: agent.caps })) {
      throw new PacelineError('E_CONFLICT', `connect: agent ${agentId}'s device cannot receive ${this.#codec}; enable it in the browser`);
    }
    const toAgent = await agent.recv.consume({ producerId: producer.id, rtpCapabilities: agent.caps, paused: false });
    const toCaller = agent.mic
      ? await transport.consume({ producerId: agent.mic.id, rtpCapabilities: g711Capabilities(this.#codec) })
      : undefined;
    if (leg.closed || !this.#agents.has(agentId)) {
      toAgent.close();
      toCaller?.close();
      throw new PacelineError('E_CONFLICT', `connect: call ${callId} or agent ${agentId} went away while bridging`);
    }
    leg.bridge = { agentId, toAgent, ...(toCaller ? { toCaller } : {}) };
    agent.callId = callId;
    this.#events.emit('bridged', { callId, agentId, consumer: consumerParams(toAgent) });
  }

  /** Move a connected call to another agent (a warm or cold transfer's media part). */
  async transfer(callId: string, toAgentId: string): Promise<void> {
    await this.connect(callId, toAgentId);
  }

  /** Take the call away from its agent but keep the leg (hold); loops the hold message when configured. */
  async unbridge(callId: string, options: { hold?: boolean } = {}): Promise<void> {
    const leg = this.#legs.get(callId);
    const bridge = leg?.bridge;
    if (!leg || !bridge) return;
    delete leg.bridge;
    bridge.toAgent.close();
    bridge.toCaller?.close();
    const agent = this.#agents.get(bridge.agentId);
    if (agent?.callId === callId) delete agent.callId;
    this.#events.emit('unbridged', { callId, agentId: bridge.agentId, consumerId: bridge.toAgent.id });
    await this.supervision.callEnded(callId, 'call-left-agent');
    const hold = this.#o.holdMessageId;
    if ((options.hold ?? true) && hold !== undefined && !leg.closed && !this.#closed) {
      this.playToCaller(callId, hold, { loop: true }).catch((error: unknown) =>
        this.#logger.warn({ callId, err: error }, 'media: hold audio failed'),
      );
    }
  }

  /**
   * `MediaBridge.disconnect`: the call ended; close its leg, bridge, playback and taps.
   * Idempotent: the engine, the trunk (`closeCallLeg`) and the host may all call it.
   */
  async disconnect(callId: string): Promise<void> {
    const leg = this.#legs.get(callId);
    if (!leg || leg.closed) return;
    leg.closed = true;
    this.#stopPlayback(leg);
    await this.unbridge(callId, { hold: false }); // while the leg is still found: its agent and supervisors are told
    this.#legs.delete(callId);
    for (const tap of leg.taps) tap.close();
    leg.taps.clear();
    leg.latch?.close();
    delete leg.latch;
    leg.transport?.close(); // closes the leg's producer and consumers too
    leg.markReady(new PacelineError('E_NOT_FOUND', `call ${callId} ended`));
  }

  /** `CallLegs.closeCallLeg`: the trunk's side of the call ended; the same as {@link disconnect}. */
  closeCallLeg(callId: string): Promise<void> {
    return this.disconnect(callId);
  }

  /**
   * Play a message to a caller who is not bridged (safe-harbour message, hold audio).
   * Resolves when played; a looped one resolves when an agent is bridged or the call ends.
   */
  async playToCaller(callId: string, messageId: string, options: MediaPlayOptions = {}): Promise<void> {
    const leg = this.#leg(callId, 'playToCaller');
    const audio = this.#messages.get(messageId);
    if (!audio || audio.length < FRAME_BYTES) {
      throw new PacelineError(
        'E_INVALID_CONFIG',
        `playToCaller: no message "${messageId}" in options.messages (known: ${[...this.#messages.keys()].join(', ') || 'none'})`,
      );
    }
    await this.#whenReady(leg);
    if (leg.bridge) throw new PacelineError('E_CONFLICT', `playToCaller: call ${callId} is bridged to agent ${leg.bridge.agentId}`);
    this.#stopPlayback(leg);
    const legTransport = leg.transport;
    if (!legTransport) throw new PacelineError('E_INTERNAL', `playToCaller: call ${callId} has no transport`);
    // The announcer: a plain transport fed by a local socket, consumed by the caller's leg.
    const transport = await this.router.createPlainTransport(this.#plainOptions({ comedia: true, local: true }));
    const ssrc = this.#nextSsrc();
    const socket = createSocket('udp4');
    const finished = new Promise<void>((resolve) => {
      const playback: Playback = {
        transport,
        socket,
        finish: () => {
          if (playback.timer) this.#clock.clearTimer(playback.timer);
          transport.close();
          socket.close();
          if (leg.playback === playback) delete leg.playback;
          resolve();
        },
      };
      leg.playback = playback;
    });
    const playback = leg.playback as Playback | undefined;
    try {
      const producer = await transport.produce({ kind: 'audio', rtpParameters: g711RtpParameters(this.#codec, ssrc) });
      await legTransport.consume({ producerId: producer.id, rtpCapabilities: g711Capabilities(this.#codec) });
    } catch (error) {
      playback?.finish();
      throw error;
    }
    if (!playback || leg.playback !== playback) return finished;
    const port = transport.tuple.localPort;
    const local = tupleLocalAddress(transport.tuple);
    const host = isWildcard(local) ? '127.0.0.1' : local;
    const frames = Math.floor(audio.length / FRAME_BYTES);
    const startedAt = this.#clock.now();
    let n = 0;
    const tick = () => {
      if (leg.playback !== playback) return;
      if (n >= frames && !options.loop) {
        playback.finish();
        return;
      }
      const at = (n % frames) * FRAME_BYTES;
      const packet = buildRtpPacket(
        { payloadType: this.#pt, sequenceNumber: n, timestamp: n * FRAME_BYTES, ssrc, marker: n === 0 },
        audio.subarray(at, at + FRAME_BYTES),
      );
      socket.send(packet, port, host);
      n++;
      playback.timer = this.#clock.setTimer(startedAt + n * FRAME_MS - this.#clock.now(), tick);
    };
    tick();
    return finished;
  }

  /**
   * Optional recording tap: send the caller's audio (and the agent's, when bridged now) as
   * plain RTP to `to`. Returns a function that stops the tap; the call's end stops it too.
   */
  async tapCall(callId: string, to: RtpAddress): Promise<() => void> {
    const leg = this.#leg(callId, 'tapCall');
    await this.#whenReady(leg);
    const transport = await this.router.createPlainTransport(this.#plainOptions({ comedia: false }));
    leg.taps.add(transport);
    await transport.connect({ ip: to.ip, port: to.port });
    const caps = g711Capabilities(this.#codec);
    if (leg.producer) await transport.consume({ producerId: leg.producer.id, rtpCapabilities: caps });
    const mic = leg.bridge ? this.#agents.get(leg.bridge.agentId)?.mic : undefined;
    if (mic) await transport.consume({ producerId: mic.id, rtpCapabilities: caps });
    return () => {
      leg.taps.delete(transport);
      transport.close();
    };
  }

  /** What the bridge holds now. */
  stats(): MediasoupBridgeStats {
    let bridges = 0;
    let playbacks = 0;
    let taps = 0;
    for (const leg of this.#legs.values()) {
      if (leg.bridge) bridges++;
      if (leg.playback) playbacks++;
      taps += leg.taps.size;
    }
    return { agents: this.#agents.size, legs: this.#legs.size, bridges, playbacks, taps };
  }

  /** `MediaBridge.close`: end every leg and agent session and close the router (not the worker). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const callId of [...this.#legs.keys()]) await this.disconnect(callId);
    for (const agentId of [...this.#agents.keys()]) await this.closeAgent(agentId);
    await this.supervision.close();
    this.router.close();
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────

  #open(where: string): void {
    if (this.#closed) throw new PacelineError('E_CONFLICT', `${where}: the media bridge is closed`);
  }

  #leg(callId: string, where: string): Leg {
    const leg = this.#legs.get(callId);
    if (!leg) throw new PacelineError('E_NOT_FOUND', `${where}: no call leg ${callId}; open it with openCallLeg first`);
    return leg;
  }

  #agent(agentId: string, where: string): AgentSession {
    const agent = this.#agents.get(agentId);
    if (!agent) throw new PacelineError('E_NOT_FOUND', `${where}: agent ${agentId} has no media session; open it with openAgent`);
    return agent;
  }

  async #whenReady(leg: Leg): Promise<void> {
    if (leg.producer) return;
    const waitMs = this.#o.firstPacketWaitMs ?? 1_000;
    let timer: TimerHandle | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = this.#clock.setTimer(waitMs, () =>
        reject(
          new PacelineError(
            'E_TRUNK_UNAVAILABLE',
            `call ${leg.info.callId}: no RTP reached ${leg.info.ip}:${leg.info.port} within ${waitMs} ms`,
          ),
        ),
      );
    });
    try {
      await Promise.race([leg.ready, late]);
    } finally {
      if (timer) this.#clock.clearTimer(timer);
    }
  }

  #supervisedCall(callId: string, where: string): SupervisedCall {
    const leg = this.#legs.get(callId);
    if (!leg || leg.closed) throw new PacelineError('E_NOT_FOUND', `${where}: no live call ${callId}`);
    const agent = leg.bridge ? this.#agents.get(leg.bridge.agentId) : undefined;
    if (!agent || !leg.producer)
      throw new PacelineError('E_CONFLICT', `${where}: call ${callId} has no agent connected; supervise it once it is bridged`);
    const recv = 'iceParameters' in agent.recv ? { agentRecv: agent.recv } : {}; // a plain-RTP desk can only be listened to
    const mic = agent.mic ? { agentMicId: agent.mic.id } : {};
    return { callId, agentId: agent.agentId, callerProducerId: leg.producer.id, agentCaps: agent.caps, ...mic, ...recv };
  }

  /** What the caller hears: `producerId` (a barge mix) or, when undefined, the agent's microphone. */
  async #feedCaller(callId: string, producerId: string | undefined): Promise<void> {
    const leg = this.#legs.get(callId);
    const bridge = leg?.bridge;
    if (!leg?.transport || !bridge || leg.closed) return;
    const source = producerId ?? this.#agents.get(bridge.agentId)?.mic?.id;
    bridge.toCaller?.close();
    delete bridge.toCaller;
    if (source) bridge.toCaller = await leg.transport.consume({ producerId: source, rtpCapabilities: g711Capabilities(this.#codec) });
  }

  #stopPlayback(leg: Leg): void {
    leg.playback?.finish();
  }

  #nextSsrc(): number {
    this.#ssrcSeq = (this.#ssrcSeq + 1) >>> 0;
    return this.#ssrcSeq;
  }

  /**
   * Options for a plain transport in this mediasoup version (see `transport-options.ts`). The
   * 3.12 typings we build against do not know the 3.13+ shape, hence the cast; that shape is
   * checked against the newest typings in test/newest-mediasoup.test-d.ts.
   */
  #plainOptions(o: { comedia: boolean; local?: boolean; port?: number }): ms.PlainTransportOptions {
    return plainTransportOptions(
      this.#api,
      {
        ip: o.local ? '127.0.0.1' : this.#listenIp,
        ...(o.local || this.#o.announcedIp === undefined ? {} : { announced: this.#o.announcedIp }),
        ...(o.port === undefined ? {} : { port: o.port }),
        ...(this.#o.portRange ? { portRange: this.#o.portRange } : {}),
      },
      { comedia: o.comedia },
    ) as ms.PlainTransportOptions;
  }

  #webRtcOptions(): ms.WebRtcTransportOptions {
    return webRtcTransportOptions(this.#api, {
      ip: this.#listenIp,
      ...(this.#o.announcedIp === undefined ? {} : { announced: this.#o.announcedIp }),
      ...(this.#o.portRange ? { portRange: this.#o.portRange } : {}),
    }) as ms.WebRtcTransportOptions;
  }
}

/**
 * Make the bridge: one router on the host's worker with the G.711 codec only, so browsers
 * send and receive exactly what the trunk carries.
 */
export async function createMediasoupBridge(options: MediasoupBridgeOptions): Promise<MediasoupBridge> {
  mediasoupApi(options.mediasoupVersion); // a version outside the peer range fails before the router exists
  const codec = options.codec ?? 'PCMU';
  const router = await options.worker.createRouter({ mediaCodecs: g711Capabilities(codec).codecs ?? [] });
  return new MediasoupBridge(router, options);
}
