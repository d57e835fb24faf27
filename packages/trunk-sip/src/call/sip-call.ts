import { type OriginateRequest, PacelineError, type TimerHandle, type TrunkEvent } from '@paceline/core';
import type { OutgoingInviteRequest, Session, UserAgentCore } from 'sip.js/lib/core/index.js';
import type { AmdDetector } from '../amd/amd-detector';
import type { AmdDecision } from '../amd/amd-result';
import type { LegRelay } from '../media/leg-relay';
import type { MessageCache } from '../media/message-cache';
import type { RtpSession } from '../media/rtp-session';
import type { RemoteMedia } from '../media/sdp';
import type { CircuitBreaker } from '../sip/circuit-breaker';
import type { SendRateLimiter } from '../sip/send-rate-limiter';
import type { SipTransport } from '../sip/sip-transport';
import type { SipTrunkConfig } from '../sip-trunk-options';

/**
 * Where one call stands in the trunk:
 *
 * ```
 *  queued ──INVITE sent──▶ inviting ──2xx──▶ answered ──BYE──▶ ended
 *    │  ▲                     │ 5xx/timeout, next trunk             ▲
 *    │  └─────────────────────┘                                     │
 *    └──────────── refused, cancelled, final response ──────────────┘
 * ```
 */
export type SipCallState = 'queued' | 'inviting' | 'answered' | 'ended';

/** Why we sent CANCEL, which decides what the 487 that follows means. */
export type CancelReason = 'none' | 'ring-timeout' | 'setup-timeout' | 'hangup';

/** Everything the trunk holds for one call; released in one place when it ends. */
export interface SipCall {
  readonly request: OriginateRequest;
  /** The number dialled now (a followed 3xx may change it). */
  to: string;
  readonly tried: Set<TrunkLine>;
  readonly timers: Set<TimerHandle>;
  readonly amd: AmdDetector;
  line: TrunkLine;
  /** The trunk whose channel this call holds, if any. */
  holding: TrunkLine | undefined;
  /** The trunk whose half-open trial this call is, until the trunk's answer tells. */
  trialOf: TrunkLine | undefined;
  state: SipCallState;
  sipCallId: string;
  invite: OutgoingInviteRequest | undefined;
  session: Session | undefined;
  rtp: RtpSession | undefined;
  /** Opening the media plane's leg (from the answer on, when `callLegs` is set); never rejects. */
  legOpening: Promise<void> | undefined;
  relay: LegRelay | undefined;
  decision: AmdDecision | undefined;
  /** A 180/183 arrived (the ring timer runs from the first). */
  ringing: boolean;
  /** The ring timer runs for the current INVITE (from its first 180/183). */
  ringStarted: boolean;
  /** Any provisional response arrived for the current INVITE (Timer B no longer applies). */
  provisional: boolean;
  cancelled: CancelReason;
  redirects: number;
  /** Our SDP's session id (RFC 4566 5.2) and version, raised with every later description (RFC 3264 8). */
  sdpSessionId: number;
  sdpVersion: number;
  /** The SDP of a reliable 18x (RFC 3262): the answer when the 2xx carries none (RFC 3264 / 3262 5). */
  reliableAnswer: RemoteMedia | undefined;
  /** Until `originate` resolves, events wait here (never synchronously from originate). */
  buffered: TrunkEvent[] | undefined;
  waiter: { resolve: () => void; reject: (error: unknown) => void } | undefined;
}

/** A new call, queued on nothing yet (`line` is a placeholder until it is enqueued). */
export function newSipCall(request: OriginateRequest, line: TrunkLine, amd: AmdDetector): SipCall {
  return {
    request,
    to: request.to,
    tried: new Set(),
    timers: new Set(),
    amd,
    line,
    holding: undefined,
    trialOf: undefined,
    state: 'queued',
    sipCallId: '',
    invite: undefined,
    session: undefined,
    rtp: undefined,
    legOpening: undefined,
    relay: undefined,
    decision: undefined,
    ringing: false,
    ringStarted: false,
    provisional: false,
    cancelled: 'none',
    redirects: 0,
    sdpSessionId: 0,
    sdpVersion: 1,
    reliableAnswer: undefined,
    buffered: [],
    waiter: undefined,
  };
}

/** One configured carrier trunk: its transport and SIP stack, health, rate limit and INVITE queue. */
export interface TrunkLine {
  readonly config: SipTrunkConfig;
  readonly transport: SipTransport;
  readonly core: UserAgentCore;
  readonly breaker: CircuitBreaker;
  readonly limiter: SendRateLimiter;
  /** Calls holding a channel of this trunk. */
  active: number;
  /** Calls waiting for their calls-per-second slot, in order. */
  readonly queue: SipCall[];
  /** The timer that sends the queue's head when its slot comes. */
  pumpTimer: TimerHandle | undefined;
}

/**
 * How an answered call ended: `machine` when analysis said so, or when a beep heard after a
 * person decision revised it; an undecided analysis counts as a person, as the engine treats it.
 */
export function answeredOutcome(call: SipCall): 'human' | 'machine' {
  return call.decision?.result === 'machine' || call.amd.revision ? 'machine' : 'human';
}

/**
 * Play message `messageId` (a WAV in `messages`) on answered call `call`, after `cue` (a
 * machine's beep, issue-17); nothing if the call ended while we waited.
 */
export async function playPrompt(
  call: SipCall | undefined,
  callId: string,
  messageId: string,
  messages: Readonly<Record<string, string>> | undefined,
  cache: MessageCache,
  cue: (amd: AmdDetector) => Promise<unknown>,
): Promise<void> {
  if (!call) throw new PacelineError('E_NOT_FOUND', `playMessage: no call ${callId} in progress`);
  if (call.state !== 'answered') throw new PacelineError('E_CONFLICT', `playMessage: call ${callId} is not answered`);
  const path = messages?.[messageId];
  if (path === undefined) {
    throw new PacelineError('E_NOT_FOUND', `playMessage: no WAV for message "${messageId}"; add it to options.messages`, { messageId });
  }
  const samples = await cache.samples(path);
  await cue(call.amd);
  if (call.state === 'answered') await call.rtp?.play(samples); // issue-17: unless the call ended while we waited
}

/** The trunk showed it works (18x, 2xx, a final response about the number). */
export function recordHealthy(call: SipCall): void {
  call.line.breaker.recordSuccess();
  call.trialOf = undefined;
}

/** The trunk failed the call (5xx, Timer B/C, transport error, a 2xx without an SDP answer). */
export function recordFailure(line: TrunkLine, call: SipCall, now: number): void {
  line.breaker.recordFailure(now);
  call.trialOf = undefined;
}
