import type {
  IncomingRequestMessage,
  IncomingResponseMessage,
  PrackableIncomingResponseWithSession,
  Session,
} from 'sip.js/lib/core/index.js';
import type { G711Codec } from '../media/g711';
import type { RtpSession } from '../media/rtp-session';
import { answerDirection, describeAgain, isHoldAddress, parseAnswer } from '../media/sdp';
import { dropAcceptedReinvites } from '../sip/invite-transactions';
import { type DeliveryHooks, schemeOf } from '../sip/user-agent';
import type { SipCall, TrunkLine } from './sip-call';

/** What a call (outbound or inbound) holds of its media for a later offer/answer. */
export interface MidCallMedia {
  readonly rtp: RtpSession | undefined;
  readonly sdpSessionId: number;
  sdpVersion: number;
}

/** What we say to an offer (or an offerless refresh) in the middle of a call. */
export type MidCallAnswer = { readonly statusCode: 200; readonly sdp: string } | { readonly statusCode: 488 };

const SDP = (content: string) => ({ contentDisposition: 'session', contentType: 'application/sdp', content });

/**
 * Answer a description the carrier sends during the call (RFC 3264 8): a session refresh
 * (RFC 4028) repeats it, hold sends `a=sendonly`/`inactive` or the old `c=0.0.0.0` (RFC 3264
 * 8.4), a media server change moves the address, port or codec. A usable G.711 stream moves our
 * RTP there and is answered in kind; hold keeps the last address (nothing comes from 0.0.0.0);
 * anything without G.711 audio is refused with 488 and the call goes on as it was (RFC 3261
 * 14.2). No offer at all (an offerless re-INVITE) gets our offer, answered in the ACK.
 */
export function answerMidCall(call: MidCallMedia, localAddress: string, offer: string | undefined, codec?: G711Codec): MidCallAnswer {
  const rtp = call.rtp;
  if (!rtp) return { statusCode: 488 };
  const version = ++call.sdpVersion;
  if (!offer) return { statusCode: 200, sdp: describeAgain(localAddress, rtp.port, call.sdpSessionId, version, codec, 'sendrecv') };
  const remote = parseAnswer(offer);
  if (!remote) {
    call.sdpVersion--;
    return { statusCode: 488 };
  }
  if (isHoldAddress(remote.address)) {
    return { statusCode: 200, sdp: describeAgain(localAddress, rtp.port, call.sdpSessionId, version, remote.codec, 'recvonly') };
  }
  rtp.setRemote(remote);
  const direction = answerDirection(remote.direction);
  return { statusCode: 200, sdp: describeAgain(localAddress, rtp.port, call.sdpSessionId, version, remote.codec, direction) };
}

/** The far end's answer to the offer we put in a 2xx to an offerless re-INVITE (in its ACK). */
export function takeAnswerInAck(call: SipCall, body: string | undefined): void {
  const remote = body ? parseAnswer(body) : undefined;
  if (remote && !isHoldAddress(remote.address)) call.rtp?.setRemote(remote);
}

/** How long our 2xx to a re-INVITE waits for its ACK, and what ends the call when none comes. */
export interface AckWait {
  readonly schedule: (delayMs: number, fn: () => void) => void;
  /** 64·T1 (RFC 3261 13.3.1.4). */
  readonly ackWaitMs: number;
  /** End the call with our BYE. */
  readonly noAck: () => void;
}

/**
 * Handle the carrier's in-dialog requests on an answered call: re-INVITE (refresh, hold, a new
 * media address) with 200 and our answer, or 488 when its offer is unusable; the ACK of an
 * offerless re-INVITE carries the answer; BYE ends the call (`onBye`). SIP.js resends our 200
 * until the ACK; none within `wait.ackWaitMs` ends the call with BYE (RFC 3261 13.3.1.4).
 */
export function handleInDialog(
  call: SipCall,
  session: Session,
  onBye: () => void,
  guard: (what: string, fn: () => void) => void,
  wait: AckWait,
): void {
  let awaiting: number | undefined;
  const awaitAck = (cseq: number) => {
    awaiting = cseq;
    wait.schedule(wait.ackWaitMs, () => {
      if (awaiting !== cseq || call.state !== 'answered') return;
      dropAcceptedReinvites(call.line, call.sipCallId); // SIP.js would hold it for its own Timer L (32 s)
      wait.noAck();
    });
  };
  session.delegate = {
    onBye: (bye) =>
      guard('BYE', () => {
        bye.accept();
        onBye();
      }),
    onInvite: (reinvite) =>
      guard('re-INVITE', () => {
        const answer = answerMidCall(call, call.line.transport.localAddress, reinvite.message.body || undefined);
        if (answer.statusCode === 488) reinvite.reject({ statusCode: 488 });
        else {
          reinvite.accept({ statusCode: 200, body: SDP(answer.sdp) });
          awaitAck(reinvite.message.cseq);
        }
      }),
    // RFC 6086 legacy DTMF by INFO: 200 (the trunk has no DTMF event to report it through); other INFO keeps SIP.js's 469.
    onInfo: (info) =>
      guard('INFO', () => (isDtmfInfo(info.message.getHeader('content-type')) ? info.accept() : info.reject({ statusCode: 469 }))),
    onAck: (ack) =>
      guard('ACK', () => {
        if (ack.message.cseq === awaiting) awaiting = undefined;
        takeAnswerInAck(call, ack.message.body || undefined);
        dropAcceptedReinvites(call.line, call.sipCallId);
      }),
  };
}

/**
 * RFC 3311: an UPDATE in one of our dialogs (a session refresh, RFC 4028 9, or a new offer)
 * gets 200 with a Contact, and our answer when it carried an offer; 488 for an unusable offer.
 * SIP.js's core does not take UPDATE, so the trunk answers it here, statelessly (a retransmitted
 * UPDATE is answered again). Returns the response to send.
 */
export function answerUpdate(
  call: SipCall,
  localAddress: string,
  message: IncomingRequestMessage,
  contact: string,
): { statusCode: number; extraHeaders: string[]; body?: ReturnType<typeof SDP> } {
  const extraHeaders = [`Contact: ${contact}`];
  const sessionExpires = message.getHeader('session-expires');
  // RFC 4028 9: the refresh is confirmed by echoing the interval; we never refresh ourselves.
  if (sessionExpires && /^\s*\d+/.test(sessionExpires))
    extraHeaders.push(`Session-Expires: ${/^\s*(\d+)/.exec(sessionExpires)?.[1]};refresher=uas`);
  if (!message.body) return { statusCode: 200, extraHeaders };
  const answer = answerMidCall(call, localAddress, message.body);
  if (answer.statusCode === 488) return { statusCode: 488, extraHeaders: [] };
  return { statusCode: 200, extraHeaders, body: SDP(answer.sdp) };
}

/**
 * The trunk's answers to what SIP.js's core would drop or refuse (`deliver`): a bare
 * provisional goes to `progress` for its call, an UPDATE in a call's dialog gets
 * {@link answerUpdate}, a 2xx without Contact gets the trunk's own address, and every 2xx to
 * an INVITE goes to `answer2xx` (StrayAnswers: a late one is ACKed and BYEd).
 */
export function deliveryHooks(
  callOf: (sipCallId: string) => SipCall | undefined,
  progress: (call: SipCall, message: IncomingResponseMessage) => void,
  answer2xx: DeliveryHooks<TrunkLine>['answer2xx'],
): DeliveryHooks<TrunkLine> {
  return {
    answer2xx,
    bareProvisional: (line, message) => {
      const call = callOf(message.callId);
      if (call?.line === line) progress(call, message);
    },
    update: (line, message) => {
      const call = callOf(message.callId);
      if (call?.line !== line || call.state === 'ended' || call.state === 'queued') return false;
      const contact = line.core.configuration.contact.toString();
      line.core.replyStateless(message, answerUpdate(call, line.transport.localAddress, message, contact));
      return true;
    },
    fallbackContact: (line) =>
      `<${schemeOf(line.config)}:${line.config.host}:${line.config.port ?? (line.config.transport === 'tls' ? 5061 : 5060)}>`,
  };
}

/**
 * RFC 3262 4: PRACK a reliable provisional (Require: 100rel with an RSeq) in its early dialog,
 * even though we never offered 100rel — a carrier that gets no PRACK fails the call with a 5xx.
 * SIP.js's PRACK carries no RAck (RFC 3262 7.2), so it is added here. True when it was reliable.
 */
export function prackIfReliable(message: IncomingResponseMessage, dialog: PrackableIncomingResponseWithSession | undefined): boolean {
  if (!dialog || !/(^|[\s,])100rel($|[\s,])/i.test(message.getHeader('require') ?? '') || !message.hasHeader('rseq')) return false;
  dialog.prack({ extraHeaders: [`RAck: ${Number.parseInt(message.getHeader('rseq') ?? '', 10)} ${message.cseq} INVITE`] });
  return true;
}

/** A legacy DTMF INFO body (RFC 6086 11: no Info-Package): `application/dtmf-relay` or `application/dtmf`. */
export function isDtmfInfo(contentType: string | undefined): boolean {
  return /^\s*application\/dtmf(-relay)?\s*(;|$)/i.test(contentType ?? '');
}
