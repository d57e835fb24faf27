import type { Clock, Logger } from '@paceline/core';
import type { types as ms } from 'mediasoup';
import type { G711Codec } from './g711';

/** Options of {@link createMediasoupBridge}. */
export interface MediasoupBridgeOptions {
  /** A mediasoup worker the host created (and closes); the bridge makes one router on it. */
  readonly worker: ms.Worker;
  /** Paces the played messages (20 ms RTP frames) and bounds the waits below. */
  readonly clock: Clock;
  /** `mediasoup.version` of the module that made the worker; ≥ 3.13 uses `listenInfo`. Default 3.12. */
  readonly mediasoupVersion?: string;
  /** Local IP the transports bind to; default `127.0.0.1` (use `0.0.0.0` plus `announcedIp` in production). */
  readonly listenIp?: string;
  /** The public IP given to browsers and trunks when `listenIp` is a wildcard or behind NAT. */
  readonly announcedIp?: string;
  /** The G.711 variant of the trunk legs and of the agents' audio (no transcoding); default PCMU. */
  readonly codec?: G711Codec;
  /** Message id → 8 kHz mono WAV path or G.711 bytes in `codec`, for `playToCaller` (e.g. `safe-harbour`, `hold`). */
  readonly messages?: Readonly<Record<string, string | Uint8Array>>;
  /** Message looped to a caller whose agent unbridged (held, transferring); none by default. */
  readonly holdMessageId?: string;
  /** How long `connect` waits for a latching call leg's first RTP packet, ms; default 1 000. */
  readonly firstPacketWaitMs?: number;
  /** Pino-compatible logger; default silent. */
  readonly logger?: Logger;
  /** Called when a bridge-event listener throws; the bridge never rethrows. */
  readonly onListenerError?: (error: unknown) => void;
}

/** Where RTP goes: an IP and a UDP port. */
export interface RtpAddress {
  readonly ip: string;
  readonly port: number;
}

/** Options of {@link MediasoupBridge.openCallLeg}. */
export interface CallLegOptions {
  /**
   * Where the trunk side receives RTP (its SDP address). Absent: comedia — the bridge sends
   * to wherever the first RTP packet came from (works behind NAT).
   */
  readonly remote?: RtpAddress;
  /**
   * The SSRC of the trunk side's RTP when known (SDP `a=ssrc`, or the trunk's own RTP session).
   * Absent: the bridge latches it from the first packet before handing the port to mediasoup.
   */
  readonly ssrc?: number;
}

/** What the trunk needs to send the call's RTP into the bridge (its SDP `c=`/`m=` lines). */
export interface CallLegInfo {
  readonly callId: string;
  readonly ip: string;
  readonly port: number;
  readonly codec: G711Codec;
  readonly payloadType: number;
}
