/** A UDP address that RTP is sent to or comes from. */
export interface RtpAddress {
  readonly ip: string;
  readonly port: number;
}

/** Options of {@link CallLegs.openCallLeg}. */
export interface CallLegOptions {
  /**
   * Where the trunk side receives RTP. Absent: comedia — the media plane sends to wherever
   * the trunk side's first RTP packet came from (works behind NAT).
   */
  readonly remote?: RtpAddress;
  /**
   * The SSRC (RFC 3550) of the RTP the trunk side sends, when known. Absent: the media plane
   * learns it from the first packet (and may lose that packet or two).
   */
  readonly ssrc?: number;
}

/** Where the trunk side sends a call's RTP, and in which G.711 variant. */
export interface CallLegInfo {
  readonly callId: string;
  /** The address to give a carrier (the announced, public address when the media plane is behind NAT). */
  readonly ip: string;
  readonly port: number;
  /**
   * The address the leg listens on, for a sender on the same host (a trunk in this process
   * relaying the carrier's RTP); `ip` when absent. Never a wildcard.
   */
  readonly localIp?: string;
  /** The G.711 variant the media plane carries; a relaying trunk transcodes µ-law ⇄ A-law when the carrier chose the other. */
  readonly codec: 'PCMU' | 'PCMA';
  /** The RTP payload type of `codec` (0 for PCMU, 8 for PCMA). */
  readonly payloadType: number;
}

/**
 * The media plane's end of each call's trunk leg: an RTP endpoint per call that a trunk
 * (or a host) sends the caller's audio into and receives what the caller should hear from.
 * A media bridge implements it (`@paceline/media-mediasoup`: a PlainTransport per call);
 * a trunk that carries RTP itself (`@paceline/trunk-sip`) opens a leg when a call is
 * answered, relays the RTP both ways and closes the leg when the call ends. Both calls are
 * idempotent per call id.
 */
export interface CallLegs {
  /** Open the call's leg (or return the open one). */
  openCallLeg(callId: string, options?: CallLegOptions): Promise<CallLegInfo>;
  /** Close the call's leg and whatever is bridged to it; a no-op for an unknown or closed leg. */
  closeCallLeg(callId: string): Promise<void>;
}
