import type { Clock, Logger, Random } from '@paceline/core';
import {
  Grammar,
  type IncomingResponseMessage,
  NameAddrHeader,
  NonInviteClientTransaction,
  type OutgoingRequestMessage,
  UserAgentClient,
  type UserAgentCore,
} from 'sip.js/lib/core/index.js';
import { inviteTakes2xx } from './invite-transactions';

/** What a line must offer to ACK and BYE a stray 2xx. */
export interface StrayLine {
  readonly core: UserAgentCore;
  readonly transport: { readonly protocol: string; send(message: string): Promise<void> };
}

/** An INVITE we sent: enough to build the ACK and BYE of any dialog a 2xx to it makes (RFC 3261 12.1.2). */
interface SentInvite<Line> {
  readonly line: Line;
  readonly fromTag: string;
  readonly cseq: number;
  /** The From and To URIs (strings: a few hundred bytes an entry, parsed again only for a stray 2xx). */
  readonly from: string;
  readonly to: string;
  /** To tags of the dialogs already ACKed (kept or ended): their 2xx again is a retransmission, ACKed only. */
  readonly answered: Set<string>;
  /** The ACKs of re-INVITEs we sent in the call's dialog (session refreshes), by CSeq, each kept 64·T1. */
  readonly reAcks: Map<number, SentAck>;
  /** When an ended INVITE is forgotten (clock time). */
  expiresAt: number;
}

/** The ACK we sent to a re-INVITE's 2xx, sent again when the 2xx comes again (RFC 3261 13.2.2.4). */
interface SentAck {
  readonly toTag: string;
  readonly text: string;
  readonly until: number;
}

/** The most re-INVITE ACKs kept for one call (a refresh every second for 64·T1 at T1 = 500 ms is 32). */
const MAX_REACKS = 40;

/**
 * How long an ended INVITE is remembered: a UAS may still answer until a proxy's Timer C
 * (> 3 min, RFC 3261 16.6) ends the INVITE, then retransmits its 2xx for 64·T1 (RFC 6026 8.1).
 */
export const strayWindowMs = (t1Ms: number): number => 180_000 + 64 * t1Ms;

/** The most ended INVITEs remembered at once (the oldest is forgotten first); ~300 bytes each. */
export const MAX_REMEMBERED = 20_000;

/**
 * RFC 3261 13.2.2.4 / RFC 6026 7.2: a 2xx to an INVITE of ours whose client transaction is gone
 * (the call was cancelled or ended and its transaction outlived it by 64·T1 at most, or a fork
 * answered late) still makes a dialog at the far end, which retransmits the 2xx until an ACK
 * comes and then holds a call nobody is on. Such a 2xx, matched by Call-ID, From tag and CSeq to
 * an INVITE we sent, is ACKed (to its Contact, with its Record-Route as the route set) and its
 * dialog ended with BYE; a retransmission of a 2xx already ACKed is ACKed again, not BYEd again.
 * INVITEs are remembered while their call lives and {@link strayWindowMs} after it ended, at
 * most {@link MAX_REMEMBERED} ended ones (pruned on every change, no timers). A 2xx to an
 * INVITE we never sent is dropped (RFC 6026 8.9) and logged by its Call-ID only.
 */
export class StrayAnswers<Line extends StrayLine> {
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #log: Logger;
  readonly #windowMs: number;
  readonly #max: number;
  readonly #live = new Map<string, SentInvite<Line>>();
  /** In the order they ended, so the oldest is first (the window is the same for all). */
  readonly #ended = new Map<string, SentInvite<Line>>();

  readonly #ackWindowMs: number;

  /** `t1Ms`: the trunk's T1, from which both windows follow ({@link strayWindowMs}, and 64·T1 for a re-INVITE's ACK). */
  constructor(clock: Clock, random: Random, log: Logger, t1Ms: number, max = MAX_REMEMBERED) {
    this.#clock = clock;
    this.#random = random;
    this.#log = log;
    this.#windowMs = strayWindowMs(t1Ms);
    this.#max = max;
    this.#ackWindowMs = 64 * t1Ms;
  }

  /** INVITEs remembered: live calls' and ended ones'. */
  get size(): number {
    return this.#live.size + this.#ended.size;
  }

  /** An INVITE just sent on `line`. */
  sent(line: Line, invite: OutgoingRequestMessage): void {
    this.#prune();
    const entry = { line, fromTag: invite.fromTag, cseq: invite.cseq, from: invite.from.uri.toString(), to: invite.to.uri.toString() };
    this.#live.set(invite.callId, { ...entry, answered: new Set(), reAcks: new Map(), expiresAt: Number.POSITIVE_INFINITY });
  }

  /**
   * We ACKed `answer`, the 2xx to a re-INVITE of ours in a live call's dialog (a session refresh),
   * and dropped its transaction: a retransmission of that 2xx (our ACK was lost) gets the same
   * ACK again for 64·T1 (RFC 3261 13.2.2.4, RFC 6026 Timer M), rather than nothing, after which
   * the far end would end the call.
   */
  acked(line: Line, answer: IncomingResponseMessage, ack: OutgoingRequestMessage): void {
    const entry = this.#live.get(answer.callId);
    if (!entry || entry.line !== line || answer.fromTag !== entry.fromTag) return;
    const now = this.#clock.now();
    for (const [cseq, sent] of entry.reAcks) if (sent.until <= now || entry.reAcks.size >= MAX_REACKS) entry.reAcks.delete(cseq);
    entry.reAcks.set(answer.cseq, { toTag: answer.toTag ?? '', text: ack.toString(), until: now + this.#ackWindowMs });
  }

  /** The call of the INVITE with `sipCallId` ended (or moved on to another INVITE): remember it for the window. */
  ended(sipCallId: string): void {
    const entry = this.#live.get(sipCallId);
    if (!entry) return;
    this.#live.delete(sipCallId);
    entry.expiresAt = this.#clock.now() + this.#windowMs;
    this.#ended.set(sipCallId, entry);
    this.#prune();
  }

  /** Forget everything (the trunk closed). */
  clear(): void {
    this.#live.clear();
    this.#ended.clear();
  }

  /**
   * A 2xx to an INVITE arrived on `line`. False when a live INVITE transaction takes it (SIP.js
   * ACKs it, and the trunk BYEs it if its call is over); true when it was handled here.
   */
  receive(line: Line, message: IncomingResponseMessage): boolean {
    this.#prune();
    const entry = this.#live.get(message.callId) ?? this.#ended.get(message.callId);
    const toTag = message.toTag ?? '';
    if (inviteTakes2xx(line.core, message)) {
      entry?.answered.add(toTag);
      return false;
    }
    const reAck = entry?.line === line && message.fromTag === entry.fromTag ? entry.reAcks.get(message.cseq) : undefined;
    if (reAck && reAck.toTag === toTag && reAck.until > this.#clock.now()) {
      line.transport.send(reAck.text).catch(() => undefined);
      return true;
    }
    if (!entry || entry.line !== line || message.fromTag !== entry.fromTag || message.cseq !== entry.cseq) {
      this.#log.info({ sipCallId: message.callId, status: message.statusCode }, 'trunk-sip: a 2xx to no INVITE of ours; dropped');
      return true;
    }
    const contact = message.parseHeader('contact');
    const from = Grammar.URIParse(entry.from);
    const to = Grammar.URIParse(entry.to);
    if (!(contact instanceof NameAddrHeader) || !from || !to) return true;
    const dialog = { callId: message.callId, fromTag: entry.fromTag, toTag, routeSet: message.getHeaders('record-route').reverse() };
    const request = (method: string, cseq: number) =>
      line.core.makeOutgoingRequestMessage(method, contact.uri, from, to, { ...dialog, cseq });
    // RFC 3261 13.2.2.4: the ACK to a 2xx is its own transaction (a new branch), sent by the core, never retransmitted by us.
    const ack = request('ACK', entry.cseq);
    ack.setViaHeader(`z9hG4bK${this.#random.int(0x7fffffff).toString(36)}`, line.transport.protocol);
    line.transport.send(ack.toString()).catch(() => undefined);
    if (entry.answered.has(toTag)) return true;
    entry.answered.add(toTag);
    // RFC 3261 15.1.1: the BYE is an ordinary non-INVITE transaction (retransmitted, Timer F), CSeq one past the INVITE's.
    new UserAgentClient(NonInviteClientTransaction, line.core, request('BYE', entry.cseq + 1));
    this.#log.info({ sipCallId: message.callId, status: message.statusCode }, 'trunk-sip: a late 2xx to an ended INVITE; ACKed and BYEd');
    return true;
  }

  #prune(): void {
    const now = this.#clock.now();
    for (const [sipCallId, entry] of this.#ended) {
      if (entry.expiresAt > now && this.#ended.size <= this.#max) break;
      this.#ended.delete(sipCallId);
    }
  }
}
