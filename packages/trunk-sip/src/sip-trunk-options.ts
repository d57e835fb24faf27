import type { CallLegs, Clock, Logger, Random } from '@paceline/core';
import type { AmdOptions } from './amd/amd-options';
import type { CircuitBreakerOptions } from './sip/circuit-breaker';
import type { SipTimerValues } from './sip/sip-timers';

/** One carrier trunk we send calls to (we are its user agent client). */
export interface SipTrunkConfig {
  /** A name for logs and `stats()`. */
  readonly id: string;
  /** The carrier's SIP proxy: host name or IP. */
  readonly host: string;
  /** Default 5060. */
  readonly port?: number;
  /** Default `udp`. */
  readonly transport?: 'udp' | 'tcp';
  /** Domain for the Request-URI, From and P-Asserted-Identity; default `host`. */
  readonly domain?: string;
  /** Digest credentials (RFC 3261 22.2), used when the trunk challenges with 401/407. */
  readonly username?: string;
  readonly password?: string;
  /** Caller ID presented when the originate request has none; E.164. */
  readonly callerId?: string;
  /** Calls in progress at once on this trunk; default unlimited. */
  readonly maxChannels?: number;
  /** INVITEs per second on this trunk; default unlimited. */
  readonly callsPerSecond?: number;
  /** Only numbers starting with one of these (E.164, e.g. `+44`) go to this trunk; default all. */
  readonly prefixes?: readonly string[];
}

/** Options of {@link createSipTrunk}. */
export interface SipTrunkOptions {
  /** Trunks in order of preference; the next one takes over when one fails. At least one. */
  readonly trunks: readonly SipTrunkConfig[];
  readonly clock: Clock;
  /** Randomness for RTP SSRC and sequence numbers. */
  readonly random: Random;
  /** Pino-compatible; numbers are logged masked. Default silent. */
  readonly logger?: Logger;
  /** Message id → path of an 8 kHz mono WAV (16-bit PCM, µ-law or A-law), for `playMessage`. */
  readonly messages?: Readonly<Record<string, string>>;
  /** Answering-machine detection settings (see docs/trunks.md). */
  readonly amd?: Partial<AmdOptions>;
  /** Local address for SIP and RTP sockets; default `0.0.0.0` (the advertised address comes from the route). */
  readonly bindAddress?: string;
  /** RFC 3261 T1/T2 overrides. */
  readonly sipTimers?: Partial<SipTimerValues>;
  /** Per-trunk circuit breaker. */
  readonly breaker?: Partial<CircuitBreakerOptions>;
  /** Back-off after a 500/503 without Retry-After; default 30 000 ms. */
  readonly defaultRetryAfterMs?: number;
  /**
   * How long `originate` waits for the trunk's first response, so that a 500/503 from every
   * trunk rejects it with `E_TRUNK_UNAVAILABLE` (retryable); default 300 ms.
   */
  readonly acceptWaitMs?: number;
  /**
   * The media plane's call legs (the mediasoup bridge, `@paceline/media-mediasoup`): when a
   * call is answered the trunk opens its leg and relays the carrier's RTP into it and the
   * leg's RTP (the agent's voice, hold audio) to the carrier, re-stamped under one SSRC per
   * direction, µ-law ⇄ A-law as needed; the leg is closed when the call ends. AMD, prompts
   * and the carrier's SDP stay with the trunk (docs/media.md). Default: no media plane.
   */
  readonly callLegs?: CallLegs;
  /**
   * Local address of the relay sockets towards `callLegs` (the media plane runs in this
   * process, so it is reached on loopback unless it listens on one specific other address);
   * default `127.0.0.1`.
   */
  readonly relayAddress?: string;
  /** A voicemail beep ended on a call analysed as machine (leave a message now). */
  readonly onBeep?: (callId: string, at: number) => void;
  /** Called when a trunk-event listener throws; the trunk never rethrows. */
  readonly onListenerError?: (error: unknown) => void;
}
