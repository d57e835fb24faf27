import type { CallLegs, Clock, Logger, Random } from '@paceline/core';
import type { AmdOptions } from './amd/amd-options';
import type { AmdRevision } from './amd/amd-result'; // issue-17
import type { GreetingWords } from './amd/greeting-words'; // issue-17-kws
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
  /** Default `udp`; `tls` is SIP over TLS (RFC 3261 26.2, `sips:`, port 5061 by default) with certificate checks. */
  readonly transport?: 'udp' | 'tcp' | 'tls';
  /** TLS settings (transport `tls`): the CA to trust instead of the system's, the name to verify. */
  readonly tls?: SipTlsOptions;
  /**
   * Other IPv4/IPv6 addresses this carrier sends SIP from (over UDP only messages from `host`'s
   * addresses and these are read; anything else is dropped unparsed).
   */
  readonly peers?: readonly string[];
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

/** Certificate verification for a `tls` trunk. Verification cannot be turned off. */
export interface SipTlsOptions {
  /** PEM CA certificate(s) to trust for this trunk; default the system's store. */
  readonly ca?: string;
  /** The name the carrier's certificate must carry; default `host`. */
  readonly servername?: string;
  /** PEM client certificate and key, for carriers that authenticate us by certificate. */
  readonly cert?: string;
  readonly key?: string;
}

/**
 * Where RTP is accepted from (RFC 3550 8.2 leaves it to the application; RFC 4961 symmetric RTP):
 * - `sdp`: only from the address and port in the far end's SDP (default);
 * - `sdp-address`: only from the SDP's address, locked to the first source port and SSRC seen
 *   (peers that send from another port than they receive on, e.g. SIPp's `rtp_stream`);
 * - `latch`: symmetric-RTP latching for carriers behind NAT: from the first source and SSRC
 *   seen, wherever it is, and our RTP goes back to that source.
 */
export type RtpSourcePolicy = 'sdp' | 'sdp-address' | 'latch';

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
  /**
   * issue-17-kws: the optional greeting-words stage (for example `new GreetingWords(await
   * MoonshineTranscriber.load())` from `@paceline/amd-words`): a call analysed `human`/`unknown`
   * whose greeting holds a voicemail phrase is revised to machine (`revised`, reason `greeting-words`).
   */
  readonly amdWords?: GreetingWords;
  /** Local address for SIP and RTP sockets; default `0.0.0.0` (the advertised address comes from the route). */
  readonly bindAddress?: string;
  /** RFC 3261 T1/T2 overrides. */
  readonly sipTimers?: Partial<SipTimerValues>;
  /** Per-trunk circuit breaker. */
  readonly breaker?: Partial<CircuitBreakerOptions>;
  /**
   * Back-off of the whole trunk after a 503 without Retry-After; default 0 (RFC 3261 21.5.4:
   * such a 503 is treated as a 500 — it counts towards the breaker but does not take the trunk out).
   */
  readonly defaultRetryAfterMs?: number;
  /** The longest Retry-After honoured, so a carrier cannot take a trunk out for days; default 600 000 ms. */
  readonly maxRetryAfterMs?: number;
  /**
   * How long `originate` waits for a sign that the call reached the network (18x, 2xx or a
   * final response about the number), so that a 5xx from every trunk rejects it with
   * `E_TRUNK_UNAVAILABLE` (retryable, not an attempt); a 100 Trying does not end the wait;
   * default 2 000 ms after the INVITE is sent.
   */
  readonly acceptWaitMs?: number;
  /**
   * Overall cap on call set-up, from the INVITE to the answer (RFC 3261 9.1 / Timer C's role
   * for a UAC); the ring timeout itself runs from the first 180/183. Default 120 000 ms.
   */
  readonly maxSetupMs?: number;
  /** 3xx redirects followed per call (to an E.164 Contact on the same trunk); default 1, 0 fails the call with the code. */
  readonly maxRedirects?: number;
  /** Where RTP is accepted from; default `sdp`. */
  readonly rtpSource?: RtpSourcePolicy;
  /** The answer to an inbound INVITE (no inbound calls yet): 480 Temporarily Unavailable (default) or 603 Decline. */
  readonly inboundResponse?: 480 | 603;
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
  /** issue-17: a call analysed `human`/`unknown` turned out a machine (a late beep, or a greeting that ran on past a deadline decision). */
  readonly onRevised?: (callId: string, revision: AmdRevision, at: number) => void;
  /**
   * issue-17: where `keepAnalysisAudio` writes the audio of calls sampled for AMD listen-back
   * (8 kHz WAV named by call id: the first 12 s after the answer). Unset: nothing is kept.
   */
  readonly listenBackDir?: string;
  /** Called when a trunk-event listener throws; the trunk never rethrows. */
  readonly onListenerError?: (error: unknown) => void;
}
