import type { Clock, Logger } from '@paceline/core';
import type { types as ms } from 'mediasoup';
import type { G711Codec } from './g711';

/** Options of {@link createMediasoupBridge}. */
export interface MediasoupBridgeOptions {
  /** A mediasoup worker the host created (and closes); the bridge makes one router on it. */
  readonly worker: ms.Worker;
  /** Paces the played messages (20 ms RTP frames) and bounds the waits below. */
  readonly clock: Clock;
  /**
   * `mediasoup.version` of the module that made the worker (peer range `>=3.12 <4`); the
   * transport options follow it (≥ 3.13 `listenInfo`, ≥ 3.13.18 `announcedAddress`, ≥ 3.14
   * `portRange`). Default 3.12.
   */
  readonly mediasoupVersion?: string;
  /** Local IP the transports bind to; default `127.0.0.1` (use `0.0.0.0` plus `announcedIp` in production). */
  readonly listenIp?: string;
  /** The public IP given to browsers and trunks when `listenIp` is a wildcard or behind NAT. */
  readonly announcedIp?: string;
  /**
   * mediasoup ≥ 3.14: the UDP/TCP ports of the bridge's transports (`listenInfo.portRange`;
   * the worker's `rtcMinPort`/`rtcMaxPort` are deprecated there). Older versions ignore it
   * and use the worker's range.
   */
  readonly portRange?: { readonly min: number; readonly max: number };
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

/**
 * Where RTP goes, how a call leg is opened and what it answers: the `CallLegs` port of
 * `@paceline/core`, which the bridge implements (a relaying trunk opens legs through it).
 */
export type { CallLegInfo, CallLegOptions, RtpAddress } from '@paceline/core';
