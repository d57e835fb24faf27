import {
  type Clock,
  type InboundRejectReason,
  type Logger,
  maskPhone,
  type OriginateRequest,
  PacelineError,
  type Random,
  silentLogger,
  type TrunkEvent,
  TypedEmitter,
} from '@paceline/core';
import type {
  AckableIncomingResponseWithSession,
  IncomingResponse,
  IncomingResponseMessage,
  PrackableIncomingResponseWithSession,
} from 'sip.js/lib/core/index.js';
import { AmdDetector } from './amd/amd-detector';
import { type AmdOptions, resolveAmdOptions } from './amd/amd-options';
import type { AmdDecision } from './amd/amd-result';
import { amdHostListeners } from './amd/host-listeners'; // issue-17
import { ListenBack } from './amd/listen-back'; // issue-17
import { waitForMessageCue } from './amd/message-cue'; // issue-17
import { deliveryHooks, prackIfReliable } from './call/mid-call';
import { superviseDialog } from './call/session-refresh';
import { answeredOutcome, newSipCall, playPrompt, recordFailure, recordHealthy, type SipCall } from './call/sip-call';
import { openTrunkLines, pickLine, pumpInvites, routes, type TrunkLine, unavailableError } from './call/trunk-line';
import { InboundCalls } from './inbound/inbound-calls';
import { LegLinks } from './media/leg-link';
import { MessageCache } from './media/message-cache';
import { RtpSession } from './media/rtp-session';
import { buildOffer, parseAnswer } from './media/sdp';
import { DEFAULT_BREAKER } from './sip/circuit-breaker';
import { buildInvite } from './sip/invite-message';
import { abandonInvite, dropTransactions, lingerInvite } from './sip/invite-transactions';
import { mapFinalResponse, redirectTarget, trunkBackOffMs } from './sip/outcome-map';
import { DEFAULT_SIP_TIMERS, type SipTimerValues } from './sip/sip-timers';
import { StrayAnswers } from './sip/stray-answers';
import { deliver } from './sip/user-agent';
import type { SipTrunkOptions } from './sip-trunk-options';
import type { SipTrunk } from './sip-trunk-port';
import { type SipTrunkStats, trunkStats } from './sip-trunk-stats';
import { requireCallerId, validateOriginate } from './validation';

/** How long we wait for the 487 after our CANCEL before ending the call anyway. */
const CANCEL_GRACE_MS = 4_000;

type Outcome = Extract<TrunkEvent, { type: 'ended' }>['outcome'];

/** The trunk; {@link createSipTrunk} (create-sip-trunk.ts) validates its options and starts it. */
export class SipTrunkImpl implements SipTrunk {
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #log: Logger;
  readonly #options: SipTrunkOptions;
  readonly #amd: AmdOptions;
  readonly #listenBack: ListenBack; // issue-17
  readonly #timers: SipTimerValues;
  readonly #lines: TrunkLine[] = [];
  readonly #calls = new Map<string, SipCall>();
  readonly #bySipCallId = new Map<string, SipCall>();
  readonly #used = new Set<string>();
  readonly #messages = new MessageCache();
  readonly #events: TypedEmitter<{ event: [TrunkEvent] }>;
  readonly #lingering = new Set<Promise<void>>();
  /** Drops of INVITE transactions that outlive their call, due within 64·T1. */
  readonly #dropLater = new Set<() => void>();
  readonly #legs: LegLinks;
  readonly #inbound: InboundCalls;
  /** INVITEs we sent, kept after their call to ACK and BYE a late 2xx (RFC 3261 13.2.2.4). */
  readonly #strays: StrayAnswers<TrunkLine>;
  /** RTP packets dropped by calls already ended (for the totals in `stats()`). */
  #droppedRtpOfEnded = 0;
  #closed = false;
  #seq = 0;

  constructor(options: SipTrunkOptions) {
    this.#options = options;
    this.#clock = options.clock;
    this.#random = options.random.split('trunk-sip');
    this.#log = options.logger ?? silentLogger;
    this.#amd = resolveAmdOptions(options.amd); // issue-17: bad AMD settings fail at creation with E_INVALID_CONFIG
    this.#listenBack = new ListenBack(options.listenBackDir); // issue-17
    this.#timers = { ...DEFAULT_SIP_TIMERS, ...options.sipTimers };
    this.#legs = new LegLinks(options.relayAddress ?? '127.0.0.1', this.#random, this.#log);
    this.#events = new TypedEmitter({ onListenerError: (error) => options.onListenerError?.(error) });
    // issue-23: inbound calls to the accepted numbers (we are the UAS); their ends join close()'s wait.
    this.#inbound = new InboundCalls(options, this.#random, this.#legs, this.#events, this.#lingering);
    this.#strays = new StrayAnswers(this.#clock, this.#random.split('stray-2xx'), this.#log, this.#timers.t1Ms);
  }

  async start(): Promise<void> {
    const o = this.#options;
    const inboundResponse = o.inboundResponse ?? 480;
    const breaker = { ...DEFAULT_BREAKER, ...o.breaker };
    const base = { bindAddress: o.bindAddress ?? '0.0.0.0', clock: this.#clock, timers: this.#timers, breaker, inboundResponse };
    const lines = await openTrunkLines(o.trunks, base, {
      onMessage: (line, text) => this.#guard('sip message', () => deliver(line, text, inboundResponse, this.#inbound, this.#hooks)),
      onTimeout: (line, sipCallId, method, cause) =>
        this.#guard('transaction timeout', () => this.#onTimeout(line, sipCallId, method, cause)),
      onError: (config, error) => this.#log.warn({ err: error, trunk: config.id }, 'sip transport error'),
      // RFC 3261 18.4: no response comes back without the connection; unacknowledged INVITEs go elsewhere.
      onConnectionLost: (line) =>
        this.#guard('connection lost', () => {
          for (const call of [...this.#calls.values()])
            if (call.line === line) this.#onTimeout(line, call.sipCallId, 'INVITE', 'transport-error');
        }),
    });
    this.#lines.push(...lines);
  }

  /** Messages SIP.js's core would drop or refuse: bare provisionals, in-dialog UPDATE, a 2xx without Contact. */
  readonly #hooks = deliveryHooks(
    (id) => this.#bySipCallId.get(id),
    (call, message) => this.#progress(call, call.invite, message),
    (line, message) => this.#strays.receive(line, message),
  );

  readonly #guarded = (what: string, fn: () => void): void => this.#guard(what, fn);

  /** Run `fn` from a timer or socket callback: an exception is logged, never thrown into the host. */
  #guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.#log.warn({ err: error }, `trunk-sip: ${what} failed; dropped`);
    }
  }

  onEvent(listener: (event: TrunkEvent) => void): () => void {
    return this.#events.on('event', listener);
  }

  stats(): SipTrunkStats {
    return trunkStats(this.#clock.now(), this.#lines, [...this.#calls.values()], this.#legs.relays, this.#droppedRtpOfEnded, this.#inbound);
  }

  readonly acceptInbound = (numbers: readonly string[]): void => this.#inbound.accept(numbers);
  readonly answer = (callId: string): Promise<void> => this.#inbound.answer(callId);
  readonly reject = (callId: string, reason: InboundRejectReason): Promise<void> => this.#inbound.reject(callId, reason);

  async originate(request: OriginateRequest): Promise<void> {
    if (this.#closed) throw new PacelineError('E_TRUNK_UNAVAILABLE', 'sip trunk: closed');
    validateOriginate(request);
    if (this.#used.has(request.callId)) throw new PacelineError('E_CONFLICT', `originate: call id ${request.callId} was already used`);
    const routed = this.#lines.filter((l) => routes(l, request.to));
    const routedConfigs = routed.map((l) => l.config);
    requireCallerId(request, routedConfigs);
    this.#used.add(request.callId);
    const amd = new AmdDetector(
      this.#amd,
      amdHostListeners(
        this.#options,
        this.#clock,
        request.callId,
        () => call.state === 'answered',
        (revised) => {
          // After the call's `analysed`, which waits for the media leg when it is still opening.
          const emit = () => call.state === 'answered' && this.#emit(call, revised);
          if (call.legOpening) void call.legOpening.then(emit);
          else emit();
        },
      ),
      ...([undefined, this.#options.amdWords] as const), // issue-17-kws: no gate override; the optional greeting-words stage
    ); // issue-17
    const call: SipCall = newSipCall(request, this.#lines[0] as TrunkLine, amd);
    if (routed.length === 0) {
      // No trunk carries this prefix: a final outcome, so the contact is not redialled forever.
      this.#calls.set(request.callId, call);
      const resolved = new Promise<void>((resolve, reject) => {
        call.waiter = { resolve, reject };
      });
      this.#end(call, 'invalid-number', 'unroutable');
      return resolved;
    }
    const line = pickLine(this.#lines, request.to, new Set(), this.#clock.now());
    if (!line) throw unavailableError(this.#lines, request.to, this.#clock.now(), 'every trunk is full, backed off or failing');
    this.#calls.set(request.callId, call);
    this.#hold(call, line); // now, so concurrent originates see the channel taken
    try {
      const { bindAddress = '0.0.0.0', rtpSource = 'sdp' } = this.#options;
      call.rtp = await RtpSession.open(bindAddress, this.#clock, this.#random, rtpSource, (samples) => this.#audioIn(call, samples));
    } catch (error) {
      this.#calls.delete(request.callId);
      this.#releaseLine(call);
      throw new PacelineError('E_TRUNK_UNAVAILABLE', `originate: could not open an RTP socket: ${String(error)}`, { retryable: true });
    }
    if (call.state === 'ended') throw new PacelineError('E_TRUNK_UNAVAILABLE', 'sip trunk: closed');
    this.#log.info({ callId: request.callId, to: maskPhone(request.to), trunk: line.config.id }, 'originate');
    await new Promise<void>((resolve, reject) => {
      call.waiter = { resolve, reject };
      this.#enqueue(call, line);
    });
  }

  #hold(call: SipCall, line: TrunkLine): void {
    if (call.holding === line) return;
    this.#releaseLine(call);
    call.holding = line;
    line.active++;
  }

  /** Queue the call's INVITE on `line`; it goes out when the trunk's calls-per-second token allows. */
  #enqueue(call: SipCall, line: TrunkLine): void {
    call.line = line;
    call.tried.add(line);
    call.state = 'queued';
    this.#hold(call, line);
    line.queue.push(call);
    this.#pump(line);
  }

  #pump(line: TrunkLine): void {
    pumpInvites(line, this.#clock, {
      send: (call) => this.#sendInvite(call),
      refuse: (call) => this.#failover(call, 'trunk-unavailable'),
      guard: (fn) => this.#guard('invite queue', fn),
    });
  }

  #sendInvite(call: SipCall): void {
    const { line, request } = call;
    const rtp = call.rtp;
    if (!rtp) return;
    const sipCallId = `pl${++this.#seq}-${this.#clock.now().toString(36)}-${this.#random.int(0x7fffffff).toString(36)}-${line.transport.localPort}`;
    this.#bySipCallId.delete(call.sipCallId);
    this.#strays.ended(call.sipCallId); // a failed-over or redirected INVITE's late 2xx is still ours to end
    call.sipCallId = sipCallId; // RFC 3261 8.1.1.4: globally unique; the local port and time tell trunks apart
    this.#bySipCallId.set(sipCallId, call);
    call.provisional = false;
    call.sdpSessionId = this.#random.int(0x7fffffff);
    call.sdpVersion = 1;
    call.reliableAnswer = undefined;
    // Both numbers are validated E.164 (validation.ts): nothing here can break out of a header.
    const message = buildInvite(line, {
      to: call.to,
      callerId: request.callerId || (line.config.callerId as string),
      sipCallId,
      sdp: buildOffer(line.transport.localAddress, rtp.port, call.sdpSessionId),
    });
    call.state = 'inviting';
    this.#strays.sent(line, message);
    const invite = line.core.invite(message, {
      onTrying: () => undefined, // RFC 3261 21.1.1: 100 Trying is hop-by-hop; it says nothing of the call or the trunk's health
      onProgress: (response) => this.#guard('provisional', () => this.#progress(call, invite, response.message, response)),
      onAccept: (response) => this.#guard('2xx', () => this.#accept(call, invite, response)),
      onReject: (response) => this.#guard('final response', () => this.#final(call, invite, response)),
      onRedirect: (response) => this.#guard('3xx', () => this.#final(call, invite, response)),
    });
    call.invite = invite;
    const setupMs = this.#options.maxSetupMs ?? 120_000;
    // The overall cap runs from the INVITE (RFC 3261 9.1; Timer C's role for a UAC); the ring timer from the first 18x.
    this.#after(call, setupMs, () => this.#cancelAt(call, 'setup-timeout'));
    // originate waits for a sign the call reached the network, so a 5xx from every trunk is the engine's to retry.
    this.#after(call, this.#options.acceptWaitMs ?? 2_000, () => this.#release(call));
  }

  #current(call: SipCall, invite: unknown): boolean {
    return call.invite === invite && call.state !== 'ended';
  }

  /** A 101–199 to the current INVITE; `dialog` is SIP.js's early dialog, absent for a bare one (no To tag or Contact). */
  #progress(call: SipCall, invite: unknown, message: IncomingResponseMessage, dialog?: PrackableIncomingResponseWithSession): void {
    if (!this.#current(call, invite) || call.state !== 'inviting') return;
    call.provisional = true;
    recordHealthy(call);
    this.#release(call);
    const reliable = prackIfReliable(message, dialog); // RFC 3262 4, even though we never offered 100rel
    const status = message.statusCode ?? 0;
    // RFC 3261 21.1.2/21.1.5: 180 Ringing and 183 Session Progress (early media, RFC 3960).
    if (status !== 180 && status !== 183) return;
    const remote = message.body ? parseAnswer(message.body) : undefined;
    if (remote) call.rtp?.setRemote(remote);
    if (remote && reliable) call.reliableAnswer = remote;
    if (!call.ringing) this.#emit(call, { type: 'ringing', callId: call.request.callId, at: this.#clock.now() });
    call.ringing = true;
    if (!call.ringStarted) {
      call.ringStarted = true;
      // 47 CFR 64.1200(a)(6): the ring time is what the called person hears, counted from the first 180/183.
      this.#after(call, call.request.ringTimeoutMs, () => this.#cancelAt(call, 'ring-timeout'));
    }
  }

  /** Give up on an unanswered INVITE with CANCEL (RFC 3261 9.1); the 487 (or the grace) ends the call. */
  #cancelAt(call: SipCall, reason: 'ring-timeout' | 'setup-timeout'): void {
    if (call.state !== 'inviting' || call.cancelled !== 'none') return;
    call.cancelled = reason;
    call.invite?.cancel();
    this.#after(call, CANCEL_GRACE_MS, () => this.#endUnanswered(call, reason));
  }

  /** The set-up ended without a final response we could use. */
  #endUnanswered(call: SipCall, reason: 'ring-timeout' | 'setup-timeout'): void {
    if (reason === 'setup-timeout' && !call.ringing) {
      // Provisional responses then silence, never a ring: the trunk is failing, not the number.
      recordFailure(call.line, call, this.#clock.now());
      this.#end(call, 'failed', 'trunk-unavailable:timer-c');
      return;
    }
    this.#end(call, 'no-answer', reason);
  }

  #accept(call: SipCall, invite: unknown, response: AckableIncomingResponseWithSession): void {
    response.ack();
    const session = response.session;
    if (!this.#current(call, invite) || call.state !== 'inviting') {
      // RFC 3261 15: a 2xx that crossed our CANCEL (or came after the call ended) still makes a dialog; end it with BYE.
      session.bye();
      session.dispose();
      return;
    }
    call.session = session;
    // RFC 3262 5 / RFC 3264: the answer in a reliable 18x stands; the 2xx need not repeat it.
    const remote = response.message.body ? parseAnswer(response.message.body) : call.reliableAnswer;
    if (!remote) {
      // RFC 3264 5/6: our INVITE carried the offer, so the 2xx must carry the answer. Without one
      // there is no audio to analyse or relay: ACKed above, now BYE, and the call failed.
      recordFailure(call.line, call, this.#clock.now());
      session.bye();
      this.#release(call);
      this.#end(call, 'failed', 'sdp:no-usable-answer');
      return;
    }
    recordHealthy(call);
    this.#release(call);
    call.rtp?.setRemote(remote);
    call.state = 'answered';
    this.#clearTimers(call); // ring, set-up and CANCEL timers end with the answer
    // Refresh and hold re-INVITEs get our answer (SIP.js's default is 488); the far end's BYE ends the call; RFC 4028 refreshes, timed after #clearTimers.
    superviseDialog(call, session, response.message, {
      schedule: (delayMs, fn) => this.#after(call, delayMs, fn),
      guard: this.#guarded,
      random: this.#random,
      ackWaitMs: 64 * this.#timers.t1Ms,
      acked: (answer, ack) => this.#strays.acked(call.line, answer, ack),
      remoteBye: () => this.#end(call, answeredOutcome(call), 'remote-bye'),
      bye: (cause) => this.#byeAnswered(call, cause),
    });
    this.#emit(call, { type: 'answered', callId: call.request.callId, at: this.#clock.now() });
    const legs = this.#options.callLegs;
    if (legs) call.legOpening = this.#legs.open(call, legs);
    // The AMD budget runs on our clock too; issue-17: no audio by the initial-silence limit is dead air (`unknown`), else wait it out.
    this.#after(call, this.#amd.initialSilenceMs + 500, () => {
      if (call.amd.audioMs === 0) this.#analysed(call, call.amd.finish());
      else this.#after(call, this.#amd.totalAnalysisMs - this.#amd.initialSilenceMs, () => this.#analysed(call, call.amd.finish()));
    });
  }

  #final(call: SipCall, invite: unknown, response: IncomingResponse): void {
    if (!this.#current(call, invite)) return;
    const message = response.message;
    const status = message.statusCode ?? 0;
    // SIP.js makes up a 408 for its own Timer B and a 503 for a transport error (RFC 3261 8.1.3.1): no message text.
    const synthetic = !message.data;
    if (synthetic) {
      recordFailure(call.line, call, this.#clock.now());
      this.#failover(call, status === 408 ? 'timer-b' : 'transport-error');
      return;
    }
    const meaning = mapFinalResponse(status, call.cancelled === 'setup-timeout' ? 'ring-timeout' : call.cancelled);
    if (meaning.kind === 'trunk-failure') {
      recordFailure(call.line, call, this.#clock.now());
      const { maxRetryAfterMs = 600_000, defaultRetryAfterMs = 0 } = this.#options;
      const retryAfterMs = trunkBackOffMs(status, message.getHeader('retry-after'), maxRetryAfterMs, defaultRetryAfterMs);
      if (retryAfterMs > 0) call.line.breaker.backOff(this.#clock.now(), retryAfterMs);
      this.#log.warn({ trunk: call.line.config.id, status, retryAfterMs }, 'trunk failed a call');
      this.#failover(call, meaning.cause);
      return;
    }
    recordHealthy(call);
    if (meaning.kind === 'redirect') {
      const target = redirectTarget(message.getHeaders('contact'));
      if (target && call.redirects < (this.#options.maxRedirects ?? 1) && routes(call.line, target) && call.cancelled === 'none') {
        call.redirects++;
        call.to = target;
        this.#clearTimers(call);
        this.#enqueue(call, call.line);
        return;
      }
      this.#release(call);
      this.#end(call, 'failed', meaning.cause);
      return;
    }
    this.#release(call);
    if (call.cancelled === 'setup-timeout' && status === 487) this.#endUnanswered(call, 'setup-timeout');
    else this.#end(call, meaning.outcome, meaning.cause);
  }

  /** Nothing was answered: try the next trunk for the same call, or give it back to the engine. */
  #failover(call: SipCall, cause: string): void {
    this.#abandonInvite(call);
    this.#clearTimers(call);
    call.invite = undefined;
    call.cancelled = 'none';
    call.ringStarted = false;
    const next = pickLine(this.#lines, call.to, call.tried, this.#clock.now());
    if (next) {
      this.#log.info({ callId: call.request.callId, from: call.line.config.id, to: next.config.id, cause }, 'failing over');
      this.#enqueue(call, next);
      return;
    }
    if (call.waiter) {
      // Still inside originate: refuse it, so the engine retries the contact without counting an attempt.
      const waiter = call.waiter;
      const error = unavailableError(this.#lines, call.to, this.#clock.now(), `every trunk failed the call: ${cause}`);
      call.waiter = undefined;
      call.buffered = undefined;
      this.#finish(call);
      waiter.reject(new PacelineError('E_TRUNK_UNAVAILABLE', error.message, { ...error.cause, cause }));
      return;
    }
    this.#end(call, 'failed', `trunk-unavailable:${cause}`);
  }

  #onTimeout(line: TrunkLine, sipCallId: string, method: string, cause: 'timer-b' | 'transport-error' = 'timer-b'): void {
    if (method !== 'INVITE') {
      // RFC 3261 17.1.2.2 Timer F: a CANCEL or BYE nobody answered; its call has ended already.
      dropTransactions(line, sipCallId, method);
      return;
    }
    const call = this.#bySipCallId.get(sipCallId);
    if (!call || call.sipCallId !== sipCallId || call.state !== 'inviting' || call.provisional) return;
    // RFC 3261 17.1.1.2 Timer B, or 8.1.3.1 a transport error: the trunk never had the INVITE.
    recordFailure(line, call, this.#clock.now());
    this.#failover(call, cause);
  }

  /** Forget the current INVITE's client transaction if it still waits (a failed or abandoned trunk). */
  #abandonInvite(call: SipCall): void {
    if (call.invite) abandonInvite(call.line, call.invite);
    call.line.transport.forgetCall(call.sipCallId);
  }

  #audioIn(call: SipCall, samples: Int16Array): void {
    if (call.state !== 'answered') return;
    this.#guard('audio', () => {
      this.#listenBack.heard(call.request.callId, samples); // issue-17
      const decision = call.amd.push(samples);
      if (decision) this.#analysed(call, decision);
    });
  }

  #analysed(call: SipCall, decision: AmdDecision): void {
    if (call.decision || call.state !== 'answered') return;
    call.decision = decision;
    const at = this.#clock.now();
    const greetingEndedAt = Math.min(at, at - (decision.decidedAtMs - decision.greetingEndedAtMs));
    this.#log.debug({ callId: call.request.callId, ...decision }, 'call analysed');
    const emit = () => {
      if (call.state === 'answered') {
        this.#emit(call, { type: 'analysed', callId: call.request.callId, at, result: decision.result, greetingEndedAt });
      }
    };
    // The engine connects a live answer to an agent as soon as it hears of it, so the media
    // plane's leg must be open by then (it opened at the answer; this waits only if it is slow).
    if (call.legOpening) void call.legOpening.then(emit);
    else emit();
  }

  async hangup(callId: string): Promise<void> {
    if (this.#inbound.has(callId)) return this.#inbound.hangup(callId);
    const call = this.#calls.get(callId);
    if (!call) return; // already ended: hanging up twice is harmless
    if (call.state === 'answered') return this.#byeAnswered(call, 'hangup');
    if (call.state === 'inviting') {
      call.cancelled = 'hangup';
      call.invite?.cancel(); // RFC 3261 9.1
    }
    this.#end(call, 'no-answer', 'cancelled');
  }

  /** End an answered call with our BYE. */
  #byeAnswered(call: SipCall, cause: string): void {
    call.session?.bye();
    this.#end(call, answeredOutcome(call), cause);
  }

  async playMessage(callId: string, messageId: string): Promise<void> {
    if (this.#inbound.has(callId)) return this.#inbound.playMessage(callId, messageId, this.#options.messages, this.#messages); // issue-23
    const call = this.#calls.get(callId);
    await playPrompt(
      call,
      callId,
      messageId,
      this.#options.messages,
      this.#messages,
      (amd) => waitForMessageCue(amd, this.#clock, this.#amd.maxMessageWaitMs), // issue-17: a machine's message starts after its beep
    );
  }

  /** issue-17: keep what call analysis heard on this call for listen-back; resolves with the WAV's path once the call ended. */
  readonly keepAnalysisAudio = (callId: string): Promise<string> => this.#listenBack.keep(callId);

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#inbound.close();
    for (const call of [...this.#calls.values()]) {
      if (call.state === 'answered') call.session?.bye();
      else if (call.state === 'inviting') call.invite?.cancel();
      if (call.waiter && call.state !== 'answered') {
        const waiter = call.waiter;
        call.waiter = undefined;
        call.buffered = undefined;
        this.#finish(call);
        waiter.reject(new PacelineError('E_TRUNK_UNAVAILABLE', 'sip trunk: closed before the call was placed', { retryable: true }));
        continue;
      }
      this.#end(call, call.state === 'answered' ? answeredOutcome(call) : 'failed', 'trunk-closed');
    }
    this.#closed = true;
    for (const drop of this.#dropLater) drop();
    this.#dropLater.clear();
    this.#strays.clear();
    await Promise.race([
      Promise.all([...this.#lingering]).then(() => undefined),
      new Promise<void>((resolve) => this.#clock.setTimer(1_000, resolve)),
    ]);
    for (const line of this.#lines) {
      if (line.pumpTimer !== undefined) this.#clock.clearTimer(line.pumpTimer);
      line.core.dispose();
      await line.transport.close();
    }
  }

  #after(call: SipCall, delayMs: number, fn: () => void): void {
    const timer = this.#clock.setTimer(delayMs, () => {
      call.timers.delete(timer);
      try {
        fn();
      } catch (error) {
        this.#log.warn({ err: error, callId: call.request.callId }, 'trunk-sip: call timer failed; ending the call');
        this.#end(call, 'failed', 'internal-error');
      }
    });
    call.timers.add(timer);
  }

  #clearTimers(call: SipCall): void {
    for (const timer of call.timers) this.#clock.clearTimer(timer);
    call.timers.clear();
  }

  /** Let originate resolve; buffered events follow on the next timer tick. */
  #release(call: SipCall): void {
    const waiter = call.waiter;
    if (!waiter) return;
    call.waiter = undefined;
    waiter.resolve();
    this.#clock.setTimer(0, () => {
      const buffered = call.buffered ?? [];
      call.buffered = undefined;
      for (const event of buffered) this.#events.emit('event', event);
    });
  }

  #emit(call: SipCall, event: TrunkEvent): void {
    if (call.buffered) call.buffered.push(event);
    else this.#events.emit('event', event);
  }

  /** End the call exactly once: one `ended` event, every resource released. */
  #end(call: SipCall, outcome: Outcome, cause: string): void {
    if (call.state === 'ended') return;
    this.#release(call);
    this.#emit(call, { type: 'ended', callId: call.request.callId, at: this.#clock.now(), outcome, cause });
    this.#finish(call);
    this.#log.info({ callId: call.request.callId, outcome, cause }, 'call ended');
  }

  #finish(call: SipCall): void {
    call.state = 'ended';
    this.#listenBack.ended(call.request.callId); // issue-17
    this.#clearTimers(call);
    if (call.trialOf) call.trialOf.breaker.releaseTrial(); // the trial told nothing: let another call try
    call.trialOf = undefined;
    this.#releaseLine(call);
    this.#calls.delete(call.request.callId);
    this.#bySipCallId.delete(call.sipCallId);
    this.#strays.ended(call.sipCallId);
    call.session?.dispose();
    // The INVITE transaction may outlive the call (the 487 after our CANCEL, Timer M after a 2xx): at most 64·T1.
    lingerInvite(call.line, call.invite, this.#clock, 64 * this.#timers.t1Ms, this.#dropLater);
    if (call.rtp) this.#droppedRtpOfEnded += call.rtp.droppedPackets;
    call.rtp?.relayTo(undefined);
    void call.rtp?.close();
    if (call.legOpening) {
      // Close the leg once it is open (or at once); close() waits for it like for a lingering INVITE.
      const closing = call.legOpening.then(() => (call.relay ? this.#legs.close(call.relay) : undefined));
      this.#lingering.add(closing);
      void closing.then(() => this.#lingering.delete(closing));
    }
  }

  #releaseLine(call: SipCall): void {
    if (call.holding) call.holding.active--;
    call.holding = undefined;
  }
}
