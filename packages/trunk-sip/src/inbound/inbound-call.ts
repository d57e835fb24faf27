import type { TimerHandle } from '@paceline/core';
import type { IncomingRequestMessage } from 'sip.js/lib/core/index.js';
import type { TrunkLine } from '../call/sip-call';
import type { LegRelay } from '../media/leg-relay';
import type { RtpSession } from '../media/rtp-session';
import type { FinalResponse } from './final-response';
import type { InboundOffer } from './inbound-identity';

/**
 * Where one inbound call stands (we are the UAS):
 *
 * ```
 *  INVITE ──100, RTP open, 180──▶ offered ──answer(): 200 + SDP──▶ answered ──BYE (either side)──▶ ended
 *                                   │                   (2xx resent until the ACK; none in 64·T1: BYE)
 *                                   └── CANCEL (487), reject (486/480/603), hangup or ring cap (480) ──▶ ended
 * ```
 * The final response of an ended call lingers in {@link FinalResponse} until its ACK.
 */
export type InboundState = 'offered' | 'answered' | 'ended';

/** Everything the trunk holds for one inbound call; released in one place when it ends. */
export interface InboundCall {
  /** The engine's id (the shape `LegLinks` reads). */
  readonly request: { readonly callId: string };
  readonly line: TrunkLine;
  readonly invite: IncomingRequestMessage;
  /** Our To tag: the dialog is (Call-ID, our tag, their From tag). */
  readonly toTag: string;
  readonly offer: InboundOffer;
  state: InboundState;
  /** The `incoming` event went out (only then does the engine hear of an end). */
  offered: boolean;
  rtp: RtpSession | undefined;
  legOpening: Promise<void> | undefined;
  relay: LegRelay | undefined;
  /** The last provisional response, resent on a retransmitted INVITE. */
  provisional: string | undefined;
  /** The 2xx waiting for its ACK, or the non-2xx the call ended with. */
  final: FinalResponse | undefined;
  /** Our 2xx to the caller's last re-INVITE, resent until its ACK (RFC 3261 13.3.1.4), with that INVITE's CSeq and branch. */
  reinvite: { readonly final: FinalResponse; readonly cseq: number; readonly branch: string } | undefined;
  readonly timers: Set<TimerHandle>;
  /** We hung up before the caller ACKed our 2xx: the BYE goes when the ACK comes (RFC 3261 15). */
  byeOnAck: boolean;
  /** CSeq of our next in-dialog request (BYE). */
  cseq: number;
  /** Our SDP's session id and version (RFC 3264 8: raised with each answer to a re-INVITE). */
  readonly sdpSessionId: number;
  sdpVersion: number;
}
