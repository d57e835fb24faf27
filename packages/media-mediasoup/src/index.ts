export type { CallLegInfo, CallLegOptions, MediasoupBridgeOptions, RtpAddress } from './bridge-options';
export type { G711Codec } from './g711';
export { linearToAlaw, linearToUlaw, wavToG711 } from './g711';
export type { MediasoupBridgeStats } from './mediasoup-bridge';
export { createMediasoupBridge, MediasoupBridge } from './mediasoup-bridge';
export type { RtpHeader } from './rtp-packet';
export { buildRtpPacket, parseRtpHeader } from './rtp-packet';
export type {
  AgentSessionOptions,
  AgentSessionParams,
  ConsumerParams,
  MediasoupBridgeEvents,
  WebRtcTransportParams,
} from './signalling';
