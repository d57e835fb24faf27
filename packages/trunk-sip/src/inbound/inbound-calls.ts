import {
  type CallLegs,
  type Clock,
  type InboundRejectReason,
  type Logger,
  maskPhone,
  PacelineError,
  type Random,
  silentLogger,
  type TrunkEvent,
  type TypedEmitter,
} from '@paceline/core';
import { constructOutgoingResponse, type IncomingRequestMessage, type ResponseOptions } from 'sip.js/lib/core/index.js';
import { answerMidCall, isDtmfInfo } from '../call/mid-call';
import type { TrunkLine } from '../call/sip-call';
import type { LegLinks } from '../media/leg-link';
import type { MessageCache } from '../media/message-cache';
import { RtpSession } from '../media/rtp-session';
import { buildAnswer } from '../media/sdp';
import { DEFAULT_SIP_TIMERS, type SipTimerValues } from '../sip/sip-timers';
import type { RtpSourcePolicy, SipTrunkOptions } from '../sip-trunk-options';
import { FinalResponse } from './final-response';
import type { InboundCall } from './inbound-call';
import { isRefusal, readInboundInvite, toE164 } from './inbound-identity';

/** What the inbound side works with (shared with its trunk). */
interface InboundHost {
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
  readonly timers: SipTimerValues;
  readonly legs: LegLinks;
  readonly emit: (event: TrunkEvent) => void;
  /** Work the trunk's `close()` must wait for (closing a media-plane leg). */
  readonly linger: (work: Promise<void>) => void;
  readonly bindAddress: string;
  readonly rtpSource: RtpSourcePolicy;
  /** The answer to INVITEs for numbers not accepted (480 or 603). */
  readonly inboundResponse: 480 | 603;
  /** The longest an offered call rings unanswered before we refuse it with 480 (`maxSetupMs`). */
  readonly maxRingMs: number;
  readonly callLegs: CallLegs | undefined;
}

/** SIP reason for {@link InboundRejectReason} (RFC 3261 21.4.24, 21.4.18, 21.6.2). */
const REJECT_STATUS: Readonly<Record<InboundRejectReason, number>> = { busy: 486, unavailable: 480, declined: 603 };
const ALLOW = 'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS';

/**
 * The trunk's UAS for inbound calls to the accepted numbers: 100 Trying and 180 Ringing, an
 * `incoming` event, then the engine's `answer` (200 OK with an SDP answer, G.711 from the
 * offer, resent until the ACK), `reject` or `hangup`, the caller's CANCEL (487) or BYE. Other
 * INVITEs are left to the stateless 480/603. Everything runs on the injected Clock.
 */
export class InboundCalls {
  readonly #host: InboundHost;
  #accepted: ReadonlySet<string> = new Set();
  readonly #calls = new Map<string, InboundCall>();
  /** By line and SIP Call-ID: the live calls, then (for 64·T1) the ended ones, to absorb retransmissions. */
  readonly #bySip = new Map<string, InboundCall>();
  /** Final responses still waiting for (or absorbing) their ACK. */
  readonly #finals = new Set<FinalResponse>();
  #droppedRtp = 0;
  #seq = 0;

  /** Shares the trunk's random stream, media-plane links, event emitter and the set `close()` waits for. */
  constructor(
    options: SipTrunkOptions,
    random: Random,
    legs: LegLinks,
    events: TypedEmitter<{ event: [TrunkEvent] }>,
    lingering: Set<Promise<void>>,
  ) {
    this.#host = {
      clock: options.clock,
      random,
      log: options.logger ?? silentLogger,
      timers: { ...DEFAULT_SIP_TIMERS, ...options.sipTimers },
      legs,
      emit: (event) => events.emit('event', event),
      linger: (work) => {
        lingering.add(work);
        void work.finally(() => lingering.delete(work));
      },
      bindAddress: options.bindAddress ?? '0.0.0.0',
      rtpSource: options.rtpSource ?? 'sdp',
      inboundResponse: options.inboundResponse ?? 480,
      maxRingMs: options.maxSetupMs ?? 120_000,
      callLegs: options.callLegs,
    };
  }

  /** The E.164 numbers taken; replaces the previous set. */
  accept(numbers: readonly string[]): void {
    if (!Array.isArray(numbers)) throw invalid('acceptInbound.numbers', 'expected an array of E.164 numbers');
    for (const [i, number] of numbers.entries()) {
      if (typeof number !== 'string' || toE164(number) !== number) {
        throw invalid(`acceptInbound.numbers[${i}]`, 'expected an E.164 number such as +14155550123');
      }
    }
    this.#accepted = new Set(numbers);
  }

  has(callId: string): boolean {
    return this.#calls.has(callId);
  }

  /** Play a message on an answered call (e.g. while the caller waits in a queue). */
  async playMessage(
    callId: string,
    messageId: string,
    messages: Readonly<Record<string, string>> | undefined,
    cache: MessageCache,
  ): Promise<void> {
    const call = this.#live(callId, 'playMessage');
    if (call.state !== 'answered') throw new PacelineError('E_CONFLICT', `playMessage: call ${callId} is not answered`);
    const path = messages?.[messageId];
    if (path === undefined) {
      throw new PacelineError('E_NOT_FOUND', `playMessage: no WAV for message "${messageId}"; add it to options.messages`, { messageId });
    }
    const samples = await cache.samples(path);
    await call.rtp?.play(samples);
  }

  /** Counters for `stats()`. */
  counters(): { calls: InboundCall[]; transactions: number; dialogs: number; sockets: number; droppedRtp: number } {
    const calls = [...this.#calls.values()];
    let sockets = 0;
    let droppedRtp = this.#droppedRtp;
    for (const call of calls) {
      if (call.rtp?.isOpen) sockets++;
      droppedRtp += call.rtp?.droppedPackets ?? 0;
    }
    const offered = calls.filter((c) => c.state === 'offered').length;
    return {
      calls,
      transactions: offered + [...this.#finals].filter((f) => f.pending).length,
      dialogs: calls.filter((c) => c.state === 'answered').length,
      sockets,
      droppedRtp,
    };
  }

  /** Take a request that belongs to an inbound call (or starts one); false leaves it to the SIP stack. */
  receive(line: TrunkLine, message: IncomingRequestMessage): boolean {
    const key = `${line.config.id}\n${message.callId}`;
    const call = this.#bySip.get(key);
    if (!call) {
      if (message.method !== 'INVITE' || message.toTag || this.#accepted.size === 0) return false;
      this.#offer(line, message, key);
      return true;
    }
    const inDialog = message.toTag === call.toTag;
    switch (message.method) {
      case 'INVITE':
        if (message.toTag && inDialog && call.reinvite?.branch === message.viaBranch)
          call.reinvite.final.resend(); // a retransmission
        else if (message.toTag && inDialog && call.state === 'answered') this.#reinvite(call, message);
        else if (message.toTag)
          line.core.replyStateless(message, { statusCode: inDialog ? 488 : 481 }); // not answered yet: no re-negotiation
        else if (message.viaBranch === call.invite.viaBranch) this.#resend(call); // RFC 3261 17.2.1: a retransmission
        return true;
      case 'ACK':
        if (inDialog && message.cseq === call.reinvite?.cseq) call.reinvite.final.ack();
        else if (inDialog) call.final?.ack();
        if (inDialog && call.byeOnAck) this.#bye(call); // our hang-up waited for the ACK
        return true;
      case 'CANCEL':
        if (message.viaBranch !== call.invite.viaBranch) return false;
        line.core.replyStateless(message, { statusCode: 200 }); // RFC 3261 9.2
        this.#refuse(call, 487, 'caller-cancel');
        return true;
      case 'BYE':
        line.core.replyStateless(message, { statusCode: inDialog ? 200 : 481 });
        if (inDialog && call.state !== 'ended') this.#end(call, 'human', 'remote-bye');
        return true;
      case 'INFO': // RFC 6086 legacy DTMF: 200, reported nowhere (no DTMF event); another INFO 469
        line.core.replyStateless(message, { statusCode: !inDialog ? 481 : isDtmfInfo(message.getHeader('content-type')) ? 200 : 469 });
        return true;
      default:
        line.core.replyStateless(message, { statusCode: inDialog && message.method === 'OPTIONS' ? 200 : 501 });
        return true;
    }
  }

  /** Answer an offered call: 200 OK with our SDP answer; resolves once it is sent. */
  async answer(callId: string): Promise<void> {
    const call = this.#live(callId, 'answer');
    const rtp = call.rtp;
    if (call.state !== 'offered' || !rtp) throw new PacelineError('E_CONFLICT', `answer: call ${callId} is not waiting to be answered`);
    const { line, offer } = call;
    const { clock, timers } = this.#host;
    rtp.setRemote(offer.offer);
    const sdp = buildAnswer(line.transport.localAddress, rtp.port, call.sdpSessionId, offer.offer.codec);
    const text = this.#response(call.invite, {
      statusCode: 200,
      toTag: call.toTag,
      // RFC 3261 12.1.1: the 2xx copies the Record-Route and names our Contact.
      extraHeaders: [this.#contact(line), ...offer.routeSet.map((r) => `Record-Route: ${r}`), ALLOW],
      body: { contentDisposition: 'session', contentType: 'application/sdp', content: sdp },
    });
    this.#clearTimers(call);
    call.state = 'answered';
    this.#track(
      call,
      new FinalResponse({
        clock,
        timers,
        kind: '2xx',
        reliable: (line.config.transport ?? 'udp') !== 'udp',
        send: () => this.#send(line, text),
        // RFC 3261 13.3.1.4: no ACK in 64·T1 — the dialog is confirmed but the session is over: BYE.
        onNoAck: () => (call.state === 'ended' ? this.#byeOnce(call) : this.#end(call, 'failed', 'no-ack')),
        onDone: () => this.#settled(call),
      }),
    );
    if (this.#host.callLegs) call.legOpening = this.#host.legs.open(call, this.#host.callLegs);
    this.#host.log.info({ callId, trunk: line.config.id }, 'inbound call answered');
  }

  /** Refuse an offered call: 486/480/603; no `ended` event. */
  async reject(callId: string, reason: InboundRejectReason): Promise<void> {
    const call = this.#live(callId, 'reject');
    const status = REJECT_STATUS[reason];
    if (status === undefined) throw invalid('reject.reason', `expected busy, unavailable or declined, got ${String(reason)}`);
    if (call.state !== 'offered') throw new PacelineError('E_CONFLICT', `reject: call ${callId} is answered; hang it up instead`);
    this.#refuse(call, status, `rejected:${reason}`, false);
  }

  /** Our hang-up: 480 before the answer, BYE after. */
  hangup(callId: string): void {
    const call = this.#calls.get(callId);
    if (!call) return;
    if (call.state === 'offered') this.#refuse(call, 480, 'hangup');
    else this.#end(call, 'human', 'hangup');
  }

  /** End every call (480 or BYE) and drop every transaction. */
  close(): void {
    for (const call of [...this.#calls.values()]) {
      if (call.state === 'offered') this.#refuse(call, 480, 'trunk-closed');
      else this.#end(call, 'human', 'trunk-closed');
    }
    for (const final of [...this.#finals]) final.stop();
    for (const call of [...this.#bySip.values()]) this.#clearTimers(call);
    this.#bySip.clear();
  }

  #offer(line: TrunkLine, invite: IncomingRequestMessage, key: string): void {
    const { clock, random, log } = this.#host;
    const read = readInboundInvite(invite, this.#accepted);
    if (isRefusal(read)) {
      log.info({ trunk: line.config.id, status: read.status, reason: read.reason }, 'inbound INVITE refused');
      line.core.replyStateless(invite, { statusCode: read.reason === 'not-accepted' ? this.#host.inboundResponse : read.status });
      return;
    }
    if (line.active >= (line.config.maxChannels ?? Number.POSITIVE_INFINITY)) {
      line.core.replyStateless(invite, { statusCode: 486 }); // every channel of the trunk is busy
      return;
    }
    const callId = `in${++this.#seq}-${clock.now().toString(36)}-${random.int(0x7fffffff).toString(36)}`;
    const call: InboundCall = {
      request: { callId },
      line,
      invite,
      toTag: `pl${random.int(0x7fffffff).toString(36)}${this.#seq}`,
      offer: read,
      state: 'offered',
      offered: false,
      rtp: undefined,
      legOpening: undefined,
      relay: undefined,
      provisional: line.core.replyStateless(invite, { statusCode: 100 }).message,
      final: undefined,
      reinvite: undefined,
      timers: new Set(),
      byeOnAck: false,
      cseq: 1,
      sdpSessionId: random.int(0x7fffffff),
      sdpVersion: 1,
    };
    this.#calls.set(callId, call);
    this.#bySip.set(key, call);
    line.active++;
    this.#after(call, this.#host.maxRingMs, () => this.#refuse(call, 480, 'ring-timeout'));
    const { bindAddress, rtpSource } = this.#host;
    RtpSession.open(bindAddress, clock, random, rtpSource, () => undefined).then(
      (rtp) => {
        if (call.state === 'ended') return void rtp.close();
        call.rtp = rtp;
        try {
          call.provisional = this.#response(invite, { statusCode: 180, toTag: call.toTag, extraHeaders: [this.#contact(line)] });
        } catch (error) {
          // Nothing thrown from a socket callback reaches the host: a message we cannot answer is dropped.
          log.warn({ err: error, callId }, 'inbound call: could not build the 180; dropped');
          this.#finish(call);
          this.#forgetLater(call);
          return;
        }
        this.#send(line, call.provisional);
        call.offered = true;
        log.info(
          { callId, from: read.from ? maskPhone(read.from) : 'withheld', to: maskPhone(read.to), trunk: line.config.id },
          'inbound call',
        );
        this.#host.emit({ type: 'incoming', callId, at: clock.now(), to: read.to, ...(read.from !== undefined && { from: read.from }) });
      },
      (error: unknown) => {
        log.warn({ err: error, callId }, 'inbound call: could not open an RTP socket');
        this.#refuse(call, 503, 'rtp-unavailable');
      },
    );
  }

  /** End an unanswered call with a non-2xx final response (kept until its ACK: Timer G/H/I). */
  #refuse(call: InboundCall, status: number, cause: string, report = true): void {
    if (call.state !== 'offered') return;
    const { line } = call;
    const text = this.#response(call.invite, { statusCode: status, toTag: call.toTag });
    this.#finish(call);
    this.#track(
      call,
      new FinalResponse({
        clock: this.#host.clock,
        timers: this.#host.timers,
        kind: 'non-2xx',
        reliable: (line.config.transport ?? 'udp') !== 'udp',
        send: () => this.#send(line, text),
        onNoAck: () => this.#host.log.info({ callId: call.request.callId }, 'inbound: no ACK for the final response (Timer H)'),
        onDone: () => this.#settled(call),
      }),
    );
    if (report && call.offered) this.#emitEnded(call, 'no-answer', cause);
  }

  /** End an answered call: BYE unless the caller sent it. */
  #end(call: InboundCall, outcome: 'human' | 'failed', cause: string): void {
    if (call.state !== 'answered') return;
    const unacked = call.final?.pending === true;
    // RFC 3261 15: no BYE before the 2xx is ACKed (or its retransmissions time out): the 2xx keeps going until then.
    if (cause !== 'remote-bye' && unacked && cause !== 'no-ack') call.byeOnAck = true;
    else if (cause !== 'remote-bye') this.#bye(call);
    this.#finish(call);
    if (unacked && !call.byeOnAck) call.final?.stop();
    else if (!unacked) this.#forgetLater(call);
    this.#emitEnded(call, outcome, cause);
  }

  #emitEnded(call: InboundCall, outcome: 'human' | 'failed' | 'no-answer', cause: string): void {
    this.#host.log.info({ callId: call.request.callId, outcome, cause }, 'inbound call ended');
    this.#host.emit({ type: 'ended', callId: call.request.callId, at: this.#host.clock.now(), outcome, cause });
  }

  /** Release the call's channel, timers, RTP and leg; it stays in `#bySip` to absorb retransmissions. */
  #finish(call: InboundCall): void {
    call.state = 'ended';
    this.#clearTimers(call);
    this.#calls.delete(call.request.callId);
    call.line.active--;
    if (call.rtp) this.#droppedRtp += call.rtp.droppedPackets;
    call.rtp?.relayTo(undefined);
    void call.rtp?.close();
    if (call.legOpening) this.#host.linger(call.legOpening.then(() => (call.relay ? this.#host.legs.close(call.relay) : undefined)));
  }

  /** The BYE a hang-up before the ACK deferred, when the 2xx times out instead. */
  #byeOnce(call: InboundCall): void {
    if (call.byeOnAck) this.#bye(call);
  }

  /** Our BYE in the dialog (RFC 3261 15.1.1): to the carrier, routed by the Record-Route set. */
  #bye(call: InboundCall): void {
    call.byeOnAck = false;
    const { line, invite } = call;
    const transport = line.transport;
    const branch = `z9hG4bK${this.#host.random.int(0x7fffffff).toString(36)}${++this.#seq}`;
    const lines = [
      `BYE ${call.offer.remoteTarget} SIP/2.0`,
      `Via: SIP/2.0/${transport.protocol} ${transport.localAddress}:${transport.localPort};branch=${branch};rport`,
      'Max-Forwards: 70',
      ...call.offer.routeSet.map((route) => `Route: ${route}`),
      `From: ${invite.getHeader('to')};tag=${call.toTag}`,
      `To: ${invite.getHeader('from')}`,
      `Call-ID: ${invite.callId}`,
      `CSeq: ${call.cseq++} BYE`,
      'User-Agent: Paceline',
      'Content-Length: 0',
    ];
    this.#send(line, `${lines.join('\r\n')}\r\n\r\n`);
  }

  #track(call: InboundCall, final: FinalResponse): void {
    call.final?.stop();
    call.final = final;
    this.#finals.add(final);
  }

  /** A final response's transaction is over; an ended call's record goes 64·T1 later. */
  #settled(call: InboundCall): void {
    if (call.final) this.#finals.delete(call.final);
    if (call.state === 'ended') this.#forgetLater(call);
  }

  /** Keep an ended call's Call-ID 64·T1 (Timer L's role) so late retransmissions are not new calls. */
  #forgetLater(call: InboundCall): void {
    const key = `${call.line.config.id}\n${call.invite.callId}`;
    this.#host.clock.setTimer(64 * this.#host.timers.t1Ms, () => {
      if (this.#bySip.get(key) === call) this.#bySip.delete(key);
    });
  }

  #response(invite: IncomingRequestMessage, options: ResponseOptions): string {
    return constructOutgoingResponse(invite, { ...options, userAgent: 'Paceline' }).message;
  }

  /**
   * RFC 3261 14.2 / RFC 4028: the caller's re-INVITE on an answered call (a session refresh,
   * hold, a new media address) gets 200 with our answer ({@link answerMidCall}'s rules), or 488
   * for an offer without G.711. The 200 is resent (T1 doubling to T2, over UDP) until its ACK; a
   * retransmitted re-INVITE gets it again; no ACK in 64·T1 ends the call with BYE (RFC 3261 13.3.1.4).
   */
  #reinvite(call: InboundCall, message: IncomingRequestMessage): void {
    const { line } = call;
    const answer = answerMidCall(call, line.transport.localAddress, message.body || undefined, call.offer.offer.codec);
    if (answer.statusCode === 488) return void line.core.replyStateless(message, { statusCode: 488 });
    const body = { contentDisposition: 'session', contentType: 'application/sdp', content: answer.sdp };
    const text = this.#response(message, { statusCode: 200, toTag: call.toTag, extraHeaders: [this.#contact(line), ALLOW], body });
    call.reinvite?.final.stop();
    const final: FinalResponse = new FinalResponse({
      clock: this.#host.clock,
      timers: this.#host.timers,
      kind: '2xx',
      reliable: (line.config.transport ?? 'udp') !== 'udp',
      send: () => this.#send(line, text),
      onNoAck: () => this.#end(call, 'human', 'reinvite-no-ack'),
      onDone: () => this.#finals.delete(final),
    });
    this.#finals.add(final);
    call.reinvite = { final, cseq: message.cseq, branch: message.viaBranch };
  }

  #resend(call: InboundCall): void {
    if (call.final?.pending) call.final.resend();
    else if (call.provisional && call.state === 'offered') this.#send(call.line, call.provisional);
  }

  #send(line: TrunkLine, text: string): void {
    line.transport.send(text).catch((error: unknown) => this.#host.log.warn({ err: error }, 'inbound: send failed'));
  }

  #contact(line: TrunkLine): string {
    return `Contact: ${line.core.configuration.contact.toString()}`;
  }

  #live(callId: string, what: string): InboundCall {
    const call = this.#calls.get(callId);
    if (!call) throw new PacelineError('E_NOT_FOUND', `${what}: no inbound call ${callId} in progress`);
    return call;
  }

  #after(call: InboundCall, delayMs: number, fn: () => void): void {
    const timer = this.#host.clock.setTimer(delayMs, () => {
      call.timers.delete(timer);
      try {
        fn();
      } catch (error) {
        this.#host.log.warn({ err: error, callId: call.request.callId }, 'inbound: call timer failed');
      }
    });
    call.timers.add(timer);
  }

  #clearTimers(call: InboundCall): void {
    for (const timer of call.timers) this.#host.clock.clearTimer(timer);
    call.timers.clear();
  }
}

function invalid(path: string, message: string): PacelineError {
  return new PacelineError('E_INVALID_INPUT', `${path}: ${message}`, { issues: [{ path, message }], retryable: false });
}
