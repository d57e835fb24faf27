export type { CallLegInfo, CallLegOptions, MediasoupBridgeOptions, RtpAddress } from './bridge-options';
export type { G711Codec } from './g711';
export { g711Decode, g711Encode, linearToAlaw, linearToUlaw, wavToG711 } from './g711';
export { LegMixer, mixFrame } from './leg-mixer';
export type { MediasoupBridgeStats } from './mediasoup-bridge';
export { createMediasoupBridge, MediasoupBridge } from './mediasoup-bridge';
export type { RtpHeader } from './rtp-packet';
export { buildRtpPacket, parseRtpHeader } from './rtp-packet';
export type {
  AgentSessionOptions,
  AgentSessionParams,
  ConsumerParams,
  MediasoupBridgeEvents,
  SupervisionAuditEvent,
  SupervisionMode,
  SupervisorSessionParams,
  WebRtcTransportParams,
} from './signalling';
export { SupervisionModes } from './signalling';
export type { SupervisionStreamStats } from './supervision';
export { CallSupervision } from './supervision';
