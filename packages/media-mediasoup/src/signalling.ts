import type { types as ms } from 'mediasoup';

/** What mediasoup-client's `Device.createSendTransport` / `createRecvTransport` need. */
export interface WebRtcTransportParams {
  readonly id: string;
  readonly iceParameters: ms.IceParameters;
  readonly iceCandidates: ms.IceCandidate[];
  readonly dtlsParameters: ms.DtlsParameters;
}

/** The transport parameters of a session that has no WebRTC transport (a plain-RTP desk). */
export const NO_TRANSPORT: WebRtcTransportParams = {
  id: '',
  iceParameters: { usernameFragment: '', password: '' },
  iceCandidates: [],
  dtlsParameters: { fingerprints: [] },
};

/** An agent session's two transports: the browser sends its microphone on one and hears calls on the other. */
export interface AgentSessionParams {
  readonly agentId: string;
  readonly send: WebRtcTransportParams;
  readonly recv: WebRtcTransportParams;
}

/** What mediasoup-client's `recvTransport.consume` needs to play a caller's audio. */
export interface ConsumerParams {
  readonly id: string;
  readonly producerId: string;
  readonly kind: ms.MediaKind;
  readonly rtpParameters: ms.RtpParameters;
}

/** Options of {@link MediasoupBridge.openAgent}. */
export interface AgentSessionOptions {
  /** The browser device's `rtpCapabilities` (after `device.load`); required unless `plainRtp`. */
  readonly rtpCapabilities?: ms.RtpCapabilities;
  /**
   * Instead of WebRTC, send the caller's audio as plain RTP to this address (a desk phone, a
   * supervisor's recorder, tests). Such a session has no `send`/`recv` WebRTC transports.
   */
  readonly plainRtp?: { readonly ip: string; readonly port: number };
}

/** How a supervisor is on a call: hears both sides; also speaks to the agent; also speaks to the caller. */
export type SupervisionMode = 'listen' | 'whisper' | 'barge';

/** The supervision modes, in order of reach. */
export const SupervisionModes: readonly SupervisionMode[] = ['listen', 'whisper', 'barge'];

/** One audit record of supervision: who joined whose call, in which mode, and when (epoch ms of the bridge's clock). */
export interface SupervisionAuditEvent {
  readonly at: number;
  readonly supervisorId: string;
  readonly agentId: string;
  readonly callId: string;
  readonly mode: SupervisionMode;
  /** `join` the call, change `mode`, or `leave` it (`reason` says why: `left`, `call-ended`, `supervisor-closed`, …). */
  readonly action: 'join' | 'mode' | 'leave';
  readonly reason?: string;
}

/** Events of the bridge, for the agent desk's signalling channel. */
export type MediasoupBridgeEvents = {
  /** A call was bridged to an agent: the desk consumes `consumer` on its receive transport. */
  bridged: [{ callId: string; agentId: string; consumer: ConsumerParams }];
  /** The call left the agent (hang-up, transfer, hold): the desk closes that consumer. */
  unbridged: [{ callId: string; agentId: string; consumerId: string }];
  /** A call leg's RTP started (latched) and mediasoup took over its port. */
  legReady: [{ callId: string; ssrc: number; from: { ip: string; port: number } }];
  /** A supervisor joined a call: the supervisor's page consumes the caller's and the agent's audio (the browser mixes them). */
  supervising: [
    {
      supervisorId: string;
      callId: string;
      agentId: string;
      mode: SupervisionMode;
      fromCaller: ConsumerParams;
      fromAgent?: ConsumerParams;
    },
  ];
  /** A supervisor started speaking to an agent (whisper or barge): the agent's desk consumes it beside the caller. */
  coached: [{ agentId: string; supervisorId: string; callId: string; consumer: ConsumerParams }];
  /** The supervisor stopped speaking to the agent (back to listen, or left): the desk closes that consumer. */
  uncoached: [{ agentId: string; supervisorId: string; callId: string; consumerId: string }];
  /** A supervisor left a call (or the call ended): the supervisor's page closes these consumers. */
  supervisionEnded: [{ supervisorId: string; callId: string; reason: string; consumerIds: string[] }];
  /** Every join, mode change and leave, for the audit log. */
  supervisionAudit: [SupervisionAuditEvent];
};

/** A supervisor's media session: the browser sends its microphone on one transport and hears the call on the other. */
export interface SupervisorSessionParams {
  readonly supervisorId: string;
  readonly send: WebRtcTransportParams;
  readonly recv: WebRtcTransportParams;
}
