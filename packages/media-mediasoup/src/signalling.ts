import type { types as ms } from 'mediasoup';

/** What mediasoup-client's `Device.createSendTransport` / `createRecvTransport` need. */
export interface WebRtcTransportParams {
  readonly id: string;
  readonly iceParameters: ms.IceParameters;
  readonly iceCandidates: ms.IceCandidate[];
  readonly dtlsParameters: ms.DtlsParameters;
}

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

/** Events of the bridge, for the agent desk's signalling channel. */
export type MediasoupBridgeEvents = {
  /** A call was bridged to an agent: the desk consumes `consumer` on its receive transport. */
  bridged: [{ callId: string; agentId: string; consumer: ConsumerParams }];
  /** The call left the agent (hang-up, transfer, hold): the desk closes that consumer. */
  unbridged: [{ callId: string; agentId: string; consumerId: string }];
  /** A call leg's RTP started (latched) and mediasoup took over its port. */
  legReady: [{ callId: string; ssrc: number; from: { ip: string; port: number } }];
};
