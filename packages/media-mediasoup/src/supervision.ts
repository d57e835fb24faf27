import { PacelineError } from '@paceline/core';
import type { types as ms } from 'mediasoup';
import { LegMixer, type LegMixerHost } from './leg-mixer';
import {
  type ConsumerParams,
  type MediasoupBridgeEvents,
  type SupervisionMode,
  SupervisionModes,
  type SupervisorSessionParams,
} from './signalling';

/** A live call as supervision sees it: whose it is and which producers carry its two sides. */
export interface SupervisedCall {
  readonly callId: string;
  readonly agentId: string;
  /** The caller's audio (the call leg's producer). */
  readonly callerProducerId: string;
  /** The agent's microphone, when the desk produces one. */
  readonly agentMicId?: string;
  /** The agent's WebRTC receive transport; absent for a plain-RTP desk (listen only). */
  readonly agentRecv?: ms.WebRtcTransport;
  readonly agentCaps: ms.RtpCapabilities;
}

/** What supervision needs from the bridge (narrow, so the bridge keeps its state to itself). */
export interface SupervisionHost extends LegMixerHost {
  readonly router: ms.Router;
  webRtcTransport(): Promise<ms.WebRtcTransport>;
  /** The call bridged now; throws `E_NOT_FOUND` (no such call) or `E_CONFLICT` (no agent on it). */
  call(callId: string, where: string): SupervisedCall;
  /** Make the caller hear `producerId` (a mix) instead of the agent's microphone; `undefined` restores the microphone. */
  feedCaller(callId: string, producerId: string | undefined): Promise<void>;
  emit<K extends keyof MediasoupBridgeEvents>(event: K, ...args: MediasoupBridgeEvents[K]): void;
}

interface Joined {
  readonly callId: string;
  readonly agentId: string;
  mode: SupervisionMode;
  /** The caller's audio and the agent's, on the supervisor's receive transport. */
  readonly fromCaller: ms.Consumer;
  readonly fromAgent?: ms.Consumer;
  /** The supervisor's microphone on the agent's receive transport (whisper, barge). */
  toAgent?: ms.Consumer;
}

interface SupervisorSession {
  readonly supervisorId: string;
  readonly caps: ms.RtpCapabilities;
  readonly send: ms.WebRtcTransport;
  readonly recv: ms.WebRtcTransport;
  mic?: ms.Producer;
  joined?: Joined;
}

/** Packets mediasoup forwarded for one supervisor now (consumer `outbound-rtp` counts); 0 where there is no such stream. */
export interface SupervisionStreamStats {
  readonly callId?: string;
  readonly mode?: SupervisionMode;
  /** Caller → supervisor. */
  readonly fromCaller: number;
  /** Agent → supervisor. */
  readonly fromAgent: number;
  /** Supervisor → agent (whisper, barge). */
  readonly toAgent: number;
  /** Supervisor → the call's mix for the caller (barge). */
  readonly toCaller: number;
}

/**
 * Listen, whisper and barge on the bridge (`bridge.supervision`). A supervisor's browser
 * opens a session like an agent's desk (send and receive WebRtcTransports), then joins a
 * bridged call:
 *
 * ```
 *   listen  : caller ─▶ supervisor, agent ─▶ supervisor            (two consumers; the browser mixes)
 *   whisper : listen + supervisor ─▶ agent                          (a second consumer at the desk)
 *   barge   : whisper + supervisor ─▶ caller, through a LegMixer    (agent + supervisor summed into one G.711 stream)
 * ```
 *
 * The caller's leg only ever consumes the agent's microphone or, while someone barges, the
 * mix; a listening or whispering supervisor's microphone is never consumed on the leg. Every
 * join, mode change and leave is a `supervisionAudit` event. Operations run one at a time.
 */
export class CallSupervision {
  readonly #host: SupervisionHost;
  readonly #sessions = new Map<string, SupervisorSession>();
  readonly #mixers = new Map<string, LegMixer>();
  #queue: Promise<unknown> = Promise.resolve();

  /** Made by the bridge; use `bridge.supervision`. */
  constructor(host: SupervisionHost) {
    this.#host = host;
  }

  /** Open (or re-open) a supervisor's WebRTC session; `rtpCapabilities` are the device's after `device.load`. */
  openSupervisor(supervisorId: string, options: { readonly rtpCapabilities?: ms.RtpCapabilities }): Promise<SupervisorSessionParams> {
    return this.#serial(async () => {
      const caps = options.rtpCapabilities;
      if (!supervisorId) throw new PacelineError('E_INVALID_INPUT', 'openSupervisor: supervisorId is required');
      if (!caps)
        throw new PacelineError(
          'E_INVALID_INPUT',
          `openSupervisor: supervisor ${supervisorId}: rtpCapabilities is required (the device's, after device.load)`,
        );
      await this.#close(supervisorId, 'supervisor-reopened');
      const send = await this.#host.webRtcTransport();
      const recv = await this.#host.webRtcTransport();
      this.#sessions.set(supervisorId, { supervisorId, caps, send, recv });
      return { supervisorId, send: transportParams(send), recv: transportParams(recv) };
    });
  }

  /** The supervisor page's `transport.on('connect')`: finish DTLS on one of its transports. */
  async connectSupervisorTransport(supervisorId: string, transportId: string, dtlsParameters: ms.DtlsParameters): Promise<void> {
    const session = this.#session(supervisorId, 'connectSupervisorTransport');
    const transport = [session.send, session.recv].find((t) => t.id === transportId);
    if (!transport)
      throw new PacelineError('E_NOT_FOUND', `connectSupervisorTransport: supervisor ${supervisorId} has no transport ${transportId}`);
    await transport.connect({ dtlsParameters });
  }

  /** The supervisor page's `transport.on('produce')`: its microphone (needed for whisper and barge); returns the producer id. */
  produceSupervisorAudio(supervisorId: string, rtpParameters: ms.RtpParameters): Promise<string> {
    return this.#serial(async () => {
      const session = this.#session(supervisorId, 'produceSupervisorAudio');
      const mode = session.joined?.mode;
      if (session.joined && mode !== 'listen') await this.#apply(session, session.joined, 'listen');
      session.mic?.close();
      session.mic = await session.send.produce({ kind: 'audio', rtpParameters });
      if (session.joined && mode && mode !== 'listen') await this.#apply(session, session.joined, mode);
      return session.mic.id;
    });
  }

  /**
   * Join `callId` (an agent's bridged call) in `mode`, or change mode if already on it; a
   * supervisor on another call leaves that one first. Errors: `E_INVALID_INPUT` (mode),
   * `E_NOT_FOUND` (no such call, or no supervisor session), `E_CONFLICT` (no agent connected,
   * no microphone for whisper/barge, a plain-RTP desk for whisper/barge).
   */
  supervise(callId: string, supervisorId: string, mode: SupervisionMode): Promise<void> {
    return this.#serial(async () => {
      checkMode(mode, 'supervise');
      const session = this.#session(supervisorId, 'supervise');
      if (session.joined?.callId === callId) return this.#changeMode(session, session.joined, mode);
      const call = this.#host.call(callId, 'supervise');
      this.#check(session, call, mode, 'supervise');
      if (session.joined) await this.#leave(session, 'moved-to-another-call');
      const consume = (producerId: string) => session.recv.consume({ producerId, rtpCapabilities: session.caps, paused: false });
      if (!this.#host.router.canConsume({ producerId: call.callerProducerId, rtpCapabilities: session.caps })) {
        throw new PacelineError(
          'E_CONFLICT',
          `supervise: supervisor ${supervisorId}'s device cannot receive ${this.#host.codec}; enable it in the browser`,
        );
      }
      const fromCaller = await consume(call.callerProducerId);
      const fromAgent = call.agentMicId ? await consume(call.agentMicId) : undefined;
      const joined: Joined = { callId, agentId: call.agentId, mode: 'listen', fromCaller, ...(fromAgent ? { fromAgent } : {}) };
      session.joined = joined;
      const heard = { fromCaller: consumerParams(fromCaller), ...(fromAgent ? { fromAgent: consumerParams(fromAgent) } : {}) };
      this.#host.emit('supervising', { supervisorId, callId, agentId: call.agentId, mode, ...heard });
      try {
        await this.#apply(session, joined, mode);
      } catch (error) {
        await this.#leave(session, 'join-failed');
        throw error;
      }
      joined.mode = mode;
      this.#audit(session, joined, 'join');
    });
  }

  /** Change the mode of the call the supervisor is on (`E_CONFLICT` when on none). */
  setMode(supervisorId: string, mode: SupervisionMode): Promise<void> {
    return this.#serial(async () => {
      checkMode(mode, 'setMode');
      const session = this.#session(supervisorId, 'setMode');
      if (!session.joined)
        throw new PacelineError('E_CONFLICT', `setMode: supervisor ${supervisorId} is on no call; join one with supervise`);
      await this.#changeMode(session, session.joined, mode);
    });
  }

  /** Leave the call the supervisor is on (nothing if on none). */
  leave(supervisorId: string): Promise<void> {
    return this.#serial(async () => {
      const session = this.#sessions.get(supervisorId);
      if (session?.joined) await this.#leave(session, 'left');
    });
  }

  /** Close a supervisor's session (leaving its call). */
  closeSupervisor(supervisorId: string): Promise<void> {
    return this.#serial(() => this.#close(supervisorId, 'supervisor-closed'));
  }

  /** The bridge's hook: the call left its agent (hang-up, transfer, hold), so every supervisor on it leaves. */
  callEnded(callId: string, reason: string): Promise<void> {
    return this.#serial(async () => {
      for (const session of this.#sessions.values()) if (session.joined?.callId === callId) await this.#leave(session, reason);
      this.#mixers.get(callId)?.close();
      this.#mixers.delete(callId);
    });
  }

  /** Who supervises which call now (for a dashboard). */
  sessions(): { supervisorId: string; callId?: string; agentId?: string; mode?: SupervisionMode }[] {
    return [...this.#sessions.values()].map((s) =>
      s.joined
        ? { supervisorId: s.supervisorId, callId: s.joined.callId, agentId: s.joined.agentId, mode: s.joined.mode }
        : { supervisorId: s.supervisorId },
    );
  }

  /** Packets forwarded so far on the supervisor's streams (mediasoup consumer stats), for monitoring and tests. */
  async streamStats(supervisorId: string): Promise<SupervisionStreamStats> {
    const session = this.#session(supervisorId, 'streamStats');
    const joined = session.joined;
    const mixer = joined ? this.#mixers.get(joined.callId) : undefined;
    return {
      ...(joined ? { callId: joined.callId, mode: joined.mode } : {}),
      fromCaller: await packetCount(joined?.fromCaller),
      fromAgent: await packetCount(joined?.fromAgent),
      toAgent: await packetCount(joined?.toAgent),
      toCaller: session.mic && mixer ? mixer.receivedFrom(session.mic.id) : 0,
    };
  }

  /** Close every session and mix (the bridge is closing). */
  close(): Promise<void> {
    return this.#serial(async () => {
      for (const id of [...this.#sessions.keys()]) await this.#close(id, 'bridge-closed');
      for (const mixer of this.#mixers.values()) mixer.close();
      this.#mixers.clear();
    });
  }

  // ── internals (run inside #serial) ─────────────────────────────────────────────────

  async #changeMode(session: SupervisorSession, joined: Joined, mode: SupervisionMode): Promise<void> {
    if (joined.mode === mode) return;
    this.#check(session, this.#host.call(joined.callId, 'setMode'), mode, 'setMode');
    await this.#apply(session, joined, mode);
    joined.mode = mode;
    this.#audit(session, joined, 'mode');
  }

  /** Refuse a mode the supervisor or the desk cannot carry, before anything changes. */
  #check(session: SupervisorSession, call: SupervisedCall, mode: SupervisionMode, where: string): void {
    if (mode === 'listen') return;
    if (!session.mic) {
      throw new PacelineError('E_CONFLICT', `${where}: supervisor ${session.supervisorId} has no microphone; produce it before ${mode}`);
    }
    if (!call.agentRecv) {
      throw new PacelineError(
        'E_CONFLICT',
        `${where}: agent ${call.agentId} has a plain-RTP desk; ${mode} needs a WebRTC desk (listen works)`,
      );
    }
  }

  /** Wire the supervisor's microphone for `mode`: to the agent for whisper and barge, into the caller's mix for barge. */
  async #apply(session: SupervisorSession, joined: Joined, mode: SupervisionMode): Promise<void> {
    const { callId, agentId } = joined;
    const supervisorId = session.supervisorId;
    const toAgent = mode !== 'listen';
    const toCaller = mode === 'barge';
    if (!toCaller && session.mic) await this.#unmix(callId, session.mic.id);
    if (!toAgent && joined.toAgent) {
      const consumerId = joined.toAgent.id;
      joined.toAgent.close();
      delete joined.toAgent;
      this.#host.emit('uncoached', { agentId, supervisorId, callId, consumerId });
    }
    if (!toAgent || !session.mic) return;
    if (!joined.toAgent) {
      const call = this.#host.call(callId, 'supervise');
      if (!call.agentRecv) return;
      if (!this.#host.router.canConsume({ producerId: session.mic.id, rtpCapabilities: call.agentCaps })) {
        throw new PacelineError('E_CONFLICT', `supervise: agent ${agentId}'s device cannot receive the supervisor's ${this.#host.codec}`);
      }
      joined.toAgent = await call.agentRecv.consume({ producerId: session.mic.id, rtpCapabilities: call.agentCaps, paused: false });
      this.#host.emit('coached', { agentId, supervisorId, callId, consumer: consumerParams(joined.toAgent) });
    }
    if (toCaller) await this.#mix(callId, session.mic.id);
  }

  /** Put a microphone into the call's mix, opening the mix (with the agent's microphone) on the first barge. */
  async #mix(callId: string, micId: string): Promise<void> {
    let mixer = this.#mixers.get(callId);
    if (!mixer) {
      const call = this.#host.call(callId, 'supervise');
      mixer = await LegMixer.open(this.#host);
      this.#mixers.set(callId, mixer);
      if (call.agentMicId) await mixer.add(call.agentMicId);
      await mixer.add(micId);
      await this.#host.feedCaller(callId, mixer.producer.id);
      return;
    }
    await mixer.add(micId);
  }

  /** Take a microphone out of the call's mix; with no barging supervisor left, the caller hears the agent directly again. */
  async #unmix(callId: string, micId: string): Promise<void> {
    const mixer = this.#mixers.get(callId);
    if (!mixer?.sources.includes(micId)) return;
    mixer.remove(micId);
    const barging = [...this.#sessions.values()].some((s) => s.mic && s.joined?.callId === callId && mixer.sources.includes(s.mic.id));
    if (barging) return;
    this.#mixers.delete(callId);
    await this.#host.feedCaller(callId, undefined);
    mixer.close();
  }

  async #leave(session: SupervisorSession, reason: string): Promise<void> {
    const joined = session.joined;
    if (!joined) return;
    try {
      await this.#apply(session, joined, 'listen');
    } finally {
      delete session.joined;
      joined.toAgent?.close();
      joined.fromCaller.close();
      joined.fromAgent?.close();
      const consumerIds = [joined.fromCaller.id, ...(joined.fromAgent ? [joined.fromAgent.id] : [])];
      this.#host.emit('supervisionEnded', { supervisorId: session.supervisorId, callId: joined.callId, reason, consumerIds });
      this.#audit(session, joined, 'leave', reason);
    }
  }

  async #close(supervisorId: string, reason: string): Promise<void> {
    const session = this.#sessions.get(supervisorId);
    if (!session) return;
    await this.#leave(session, reason);
    this.#sessions.delete(supervisorId);
    session.send.close();
    session.recv.close();
  }

  #audit(session: SupervisorSession, joined: Joined, action: 'join' | 'mode' | 'leave', reason?: string): void {
    this.#host.emit('supervisionAudit', {
      at: this.#host.clock.now(),
      supervisorId: session.supervisorId,
      agentId: joined.agentId,
      callId: joined.callId,
      mode: joined.mode,
      action,
      ...(reason === undefined ? {} : { reason }),
    });
  }

  #session(supervisorId: string, where: string): SupervisorSession {
    const session = this.#sessions.get(supervisorId);
    if (!session)
      throw new PacelineError('E_NOT_FOUND', `${where}: supervisor ${supervisorId} has no media session; open it with openSupervisor`);
    return session;
  }

  /** One operation at a time: joins, mode changes and call ends touch the same mix. */
  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(operation, operation);
    this.#queue = run.catch(() => {});
    return run;
  }
}

function checkMode(mode: unknown, where: string): asserts mode is SupervisionMode {
  if (!SupervisionModes.includes(mode as SupervisionMode)) {
    throw new PacelineError('E_INVALID_INPUT', `${where}: mode must be one of ${SupervisionModes.join(', ')}, got ${JSON.stringify(mode)}`);
  }
}

async function packetCount(consumer: ms.Consumer | undefined): Promise<number> {
  if (!consumer || consumer.closed) return 0;
  const stats = (await consumer.getStats()) as { type: string; packetCount?: number }[];
  return stats.filter((s) => s.type === 'outbound-rtp').reduce((n, s) => n + (s.packetCount ?? 0), 0);
}

/** What mediasoup-client's `createSendTransport` / `createRecvTransport` need. */
export function transportParams(t: ms.WebRtcTransport): SupervisorSessionParams['send'] {
  return { id: t.id, iceParameters: t.iceParameters, iceCandidates: t.iceCandidates, dtlsParameters: t.dtlsParameters };
}

/** What mediasoup-client's `recvTransport.consume` needs. */
export function consumerParams(c: ms.Consumer): ConsumerParams {
  return { id: c.id, producerId: c.producerId, kind: c.kind, rtpParameters: c.rtpParameters };
}
