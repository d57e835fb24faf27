import {
  type CallLegs,
  type Clock,
  type Logger,
  maskPhone,
  type OriginateRequest,
  PacelineError,
  type Random,
  silentLogger,
  type TimerHandle,
  type Trunk,
  type TrunkEvent,
  TypedEmitter,
} from '@paceline/core';
import {
  type AckableIncomingResponseWithSession,
  DigestAuthentication,
  IncomingRequestMessage,
  type IncomingResponse,
  IncomingResponseMessage,
  LoggerFactory,
  type OutgoingInviteRequest,
  Parser,
  type Session,
  TransactionState,
  URI,
  UserAgentCore,
} from 'sip.js/lib/core/index.js';
import { AmdDetector } from './amd/amd-detector';
import { type AmdOptions, resolveAmdOptions } from './amd/amd-options';
import type { AmdDecision } from './amd/amd-result';
import { LegRelay } from './media/leg-relay';
import { RtpSession } from './media/rtp-session';
import { buildOffer, parseAnswer } from './media/sdp';
import { type Audio8k, readWav8k } from './media/wav-file';
import { CallRateLimiter } from './sip/call-rate-limiter';
import { CircuitBreaker, DEFAULT_BREAKER } from './sip/circuit-breaker';
import { mapFinalResponse, parseRetryAfterMs } from './sip/outcome-map';
import { DEFAULT_SIP_TIMERS, type SipTimerValues } from './sip/sip-timers';
import { SipTransport } from './sip/sip-transport';
import type { SipTrunkConfig, SipTrunkOptions } from './sip-trunk-options';

const MIN_RING_TIMEOUT_MS = 15_000;
/** How long we wait for the 487 after our CANCEL before ending the call anyway. */
const CANCEL_GRACE_MS = 4_000;

/** Counters to check for leaks and load. */
export interface SipTrunkStats {
  /** Calls not yet ended. */
  readonly callsInFlight: number;
  /** SIP dialogs still held by the stacks (0 when idle). */
  readonly dialogs: number;
  /** INVITEs whose transaction has not finished (0 when idle). */
  readonly pendingInvites: number;
  /** Open SIP and RTP sockets (with the relay sockets towards the media plane's call legs). */
  readonly openSockets: number;
  /** Per trunk: calls in progress and whether it takes calls now. */
  readonly trunks: readonly { readonly id: string; readonly active: number; readonly available: boolean }[];
}

/** The `Trunk` port over SIP, plus introspection. */
export interface SipTrunk extends Trunk {
  /** Leak and load counters. */
  stats(): SipTrunkStats;
}

interface TrunkLine {
  readonly config: SipTrunkConfig;
  readonly transport: SipTransport;
  readonly core: UserAgentCore;
  readonly breaker: CircuitBreaker;
  readonly limiter: CallRateLimiter;
  active: number;
}

type CallState = 'queued' | 'inviting' | 'answered' | 'ended';

interface SipCall {
  readonly request: OriginateRequest;
  readonly tried: Set<TrunkLine>;
  readonly timers: Set<TimerHandle>;
  readonly amd: AmdDetector;
  line: TrunkLine;
  /** The trunk whose channel this call holds, if any. */
  holding: TrunkLine | undefined;
  state: CallState;
  sipCallId: string;
  invite: OutgoingInviteRequest | undefined;
  session: Session | undefined;
  rtp: RtpSession | undefined;
  /** Opening the media plane's leg (from the answer on, when `callLegs` is set); never rejects. */
  legOpening: Promise<void> | undefined;
  relay: LegRelay | undefined;
  decision: AmdDecision | undefined;
  ringing: boolean;
  ringTimedOut: boolean;
  /** Until `originate` resolves, events wait here (never synchronously from originate). */
  buffered: TrunkEvent[] | undefined;
  waiter: { resolve: () => void; reject: (error: unknown) => void } | undefined;
}

class SipTrunkImpl implements SipTrunk {
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #log: Logger;
  readonly #options: SipTrunkOptions;
  readonly #amd: AmdOptions;
  readonly #timers: SipTimerValues;
  readonly #lines: TrunkLine[] = [];
  readonly #calls = new Map<string, SipCall>();
  readonly #bySipCallId = new Map<string, SipCall>();
  readonly #used = new Set<string>();
  readonly #audio = new Map<string, Promise<Audio8k>>();
  readonly #events: TypedEmitter<{ event: [TrunkEvent] }>;
  readonly #lingering = new Set<Promise<void>>();
  readonly #relays = new Set<LegRelay>();
  #closed = false;
  #seq = 0;

  constructor(options: SipTrunkOptions) {
    this.#options = options;
    this.#clock = options.clock;
    this.#random = options.random.split('trunk-sip');
    this.#log = options.logger ?? silentLogger;
    this.#amd = resolveAmdOptions(options.amd); // issue-17: bad AMD settings fail at creation with E_INVALID_CONFIG
    this.#timers = { ...DEFAULT_SIP_TIMERS, ...options.sipTimers };
    this.#events = new TypedEmitter({ onListenerError: (error) => options.onListenerError?.(error) });
  }

  async start(): Promise<void> {
    const bindAddress = this.#options.bindAddress ?? '0.0.0.0';
    const breaker = { ...DEFAULT_BREAKER, ...this.#options.breaker };
    for (const config of this.#options.trunks) {
      let core: UserAgentCore | undefined;
      const transport = new SipTransport({
        protocol: config.transport ?? 'udp',
        host: config.host,
        port: config.port ?? 5060,
        bindAddress,
        clock: this.#clock,
        timers: this.#timers,
        onMessage: (message) => core && this.#receive(core, message),
        onTimeout: (sipCallId, method) => this.#onTimeout(sipCallId, method),
        onError: (error) => this.#log.warn({ err: error, trunk: config.id }, 'sip transport error'),
      });
      await transport.open();
      core = this.#makeCore(config, transport);
      this.#lines.push({
        config,
        transport,
        core,
        breaker: new CircuitBreaker(breaker),
        limiter: new CallRateLimiter(config.callsPerSecond ?? 0),
        active: 0,
      });
    }
  }

  #makeCore(config: SipTrunkConfig, transport: SipTransport): UserAgentCore {
    const loggerFactory = new LoggerFactory();
    loggerFactory.builtinEnabled = false;
    const contactUri = new URI('sip', 'paceline', transport.localAddress, transport.localPort, {
      transport: transport.protocol.toLowerCase(),
    });
    return new UserAgentCore({
      aor: new URI('sip', 'paceline', config.domain ?? config.host),
      contact: { pubGruu: undefined, tempGruu: undefined, uri: contactUri, toString: () => `<${contactUri.toString()}>` },
      displayName: '',
      loggerFactory,
      hackViaTcp: false,
      routeSet: [],
      sipjsId: 'paceline',
      supportedOptionTags: [],
      supportedOptionTagsResponse: [],
      userAgentHeaderFieldValue: 'Paceline',
      viaForceRport: true,
      // RFC 3261 18.2.2: responses go to the Via sent-by, so it carries our port.
      viaHost: `${transport.localAddress}:${transport.localPort}`,
      authenticationFactory: () =>
        config.username !== undefined ? new DigestAuthentication(loggerFactory, undefined, config.username, config.password) : undefined,
      transportAccessor: () => transport,
    });
  }

  #receive(core: UserAgentCore, text: string): void {
    const message = Parser.parseMessage(text, core.loggerFactory.getLogger('sip.parser'));
    if (message instanceof IncomingResponseMessage) core.receiveIncomingResponseFromTransport(message);
    else if (message instanceof IncomingRequestMessage) core.receiveIncomingRequestFromTransport(message);
  }

  onEvent(listener: (event: TrunkEvent) => void): () => void {
    return this.#events.on('event', listener);
  }

  stats(): SipTrunkStats {
    const now = this.#clock.now();
    let dialogs = 0;
    let pendingInvites = 0;
    let openSockets = 0;
    for (const line of this.#lines) {
      dialogs += line.core.dialogs.size;
      pendingInvites += [...line.core.userAgentClients.values()].filter(
        (uac) => uac.transaction.request.method === 'INVITE' && awaitingFinal(uac.transaction.state),
      ).length;
      if (line.transport.isOpen) openSockets++;
    }
    for (const call of this.#calls.values()) if (call.rtp?.isOpen) openSockets++;
    for (const relay of this.#relays) if (relay.isOpen) openSockets++;
    return {
      callsInFlight: this.#calls.size,
      dialogs,
      pendingInvites,
      openSockets,
      trunks: this.#lines.map((l) => ({ id: l.config.id, active: l.active, available: l.breaker.allows(now) })),
    };
  }

  async originate(request: OriginateRequest): Promise<void> {
    if (this.#closed) throw new PacelineError('E_TRUNK_UNAVAILABLE', 'sip trunk: closed');
    if (request.ringTimeoutMs < MIN_RING_TIMEOUT_MS) {
      throw new PacelineError(
        'E_INVALID_INPUT',
        `originate: ringTimeoutMs: expected at least ${MIN_RING_TIMEOUT_MS}, got ${request.ringTimeoutMs}`,
      );
    }
    if (this.#used.has(request.callId)) throw new PacelineError('E_CONFLICT', `originate: call id ${request.callId} was already used`);
    const line = this.#pick(request.to, new Set());
    if (!line) throw this.#unavailable(request.to, new Set());
    this.#used.add(request.callId);
    const call: SipCall = {
      request,
      tried: new Set(),
      timers: new Set(),
      amd: new AmdDetector(this.#amd, (atMs) => this.#beep(call, atMs)),
      line,
      holding: undefined,
      state: 'queued',
      sipCallId: '',
      invite: undefined,
      session: undefined,
      rtp: undefined,
      legOpening: undefined,
      relay: undefined,
      decision: undefined,
      ringing: false,
      ringTimedOut: false,
      buffered: [],
      waiter: undefined,
    };
    this.#calls.set(request.callId, call);
    // Hold the channel now, so concurrent originates see it taken.
    call.holding = line;
    line.active++;
    try {
      call.rtp = await RtpSession.open(this.#options.bindAddress ?? '0.0.0.0', this.#clock, this.#random, (samples) =>
        this.#audioIn(call, samples),
      );
    } catch (error) {
      this.#calls.delete(request.callId);
      this.#releaseLine(call);
      throw new PacelineError('E_TRUNK_UNAVAILABLE', `originate: could not open an RTP socket: ${String(error)}`, { retryable: true });
    }
    this.#log.info({ callId: request.callId, to: maskPhone(request.to), trunk: line.config.id }, 'originate');
    await new Promise<void>((resolve, reject) => {
      call.waiter = { resolve, reject };
      this.#dispatch(call, line);
    });
  }

  /** The first trunk that routes `to`, has a free channel and is not backed off or broken. */
  #pick(to: string, exclude: ReadonlySet<TrunkLine>): TrunkLine | undefined {
    const now = this.#clock.now();
    return this.#lines.find(
      (l) =>
        !exclude.has(l) &&
        (l.config.prefixes === undefined || l.config.prefixes.some((p) => to.startsWith(p))) &&
        l.active < (l.config.maxChannels ?? Number.POSITIVE_INFINITY) &&
        l.breaker.allows(now),
    );
  }

  #unavailable(to: string, exclude: ReadonlySet<TrunkLine>): PacelineError {
    const routed = this.#lines.filter(
      (l) => !exclude.has(l) && (l.config.prefixes === undefined || l.config.prefixes.some((p) => to.startsWith(p))),
    );
    const now = this.#clock.now();
    const retryAfterMs = routed.length === 0 ? undefined : Math.max(0, Math.min(...routed.map((l) => l.breaker.availableAt())) - now);
    return new PacelineError('E_TRUNK_UNAVAILABLE', 'sip trunk: no trunk can take the call now (channels full, backed off or failing)', {
      retryable: true,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    });
  }

  /** Book the trunk's next calls-per-second slot and send the INVITE then. */
  #dispatch(call: SipCall, line: TrunkLine): void {
    call.line = line;
    call.tried.add(line);
    call.state = 'queued';
    if (call.holding !== line) {
      call.holding = line;
      line.active++;
    }
    const delay = line.limiter.reserve(this.#clock.now());
    this.#after(call, delay, () => this.#sendInvite(call));
  }

  #sendInvite(call: SipCall): void {
    if (call.state === 'ended') return;
    const { line, request } = call;
    const rtp = call.rtp;
    if (!rtp) return;
    const domain = line.config.domain ?? line.config.host;
    const callerId = request.callerId || line.config.callerId || 'anonymous';
    const target = new URI('sip', request.to, domain, line.config.port);
    const from = new URI('sip', callerId, domain);
    // RFC 3261 8.1.1.4: globally unique; the local port and time tell apart trunks seeded alike.
    const sipCallId = `pl${++this.#seq}-${this.#clock.now().toString(36)}-${this.#random.int(0x7fffffff).toString(36)}-${line.transport.localPort}`;
    call.sipCallId = sipCallId;
    this.#bySipCallId.set(sipCallId, call);
    const transport = line.transport;
    const message = line.core.makeOutgoingRequestMessage(
      'INVITE',
      target,
      from,
      new URI('sip', request.to, domain),
      { callId: sipCallId, fromDisplayName: callerId },
      [
        `Contact: ${line.core.configuration.contact.toString()}`,
        // RFC 3325 9.1: the identity we assert to a trusted carrier; the From carries it too.
        `P-Asserted-Identity: <sip:${callerId}@${domain}>`,
        'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS',
      ],
      {
        contentDisposition: 'session',
        contentType: 'application/sdp',
        content: buildOffer(transport.localAddress, rtp.port, this.#random.int(0x7fffffff)),
      },
    );
    call.state = 'inviting';
    call.invite = line.core.invite(message, {
      onTrying: () => this.#responded(call, line),
      onProgress: (response) => this.#progress(call, line, response),
      onAccept: (response) => this.#accept(call, line, response),
      onReject: (response) => this.#reject(call, line, response),
      onRedirect: (response) => this.#reject(call, line, response),
    });
    this.#lingerUntilFinal(call.invite, line);
    // The ring timeout runs from the INVITE: give up with CANCEL (RFC 3261 9.1).
    this.#after(call, request.ringTimeoutMs, () => {
      if (call.state !== 'inviting') return;
      call.ringTimedOut = true;
      call.invite?.cancel();
      this.#after(call, CANCEL_GRACE_MS, () => this.#end(call, 'no-answer', 'ring-timeout'));
    });
    // originate resolves once the trunk has had a moment to say 100/18x (or 5xx, which retries).
    this.#after(call, this.#options.acceptWaitMs ?? 300, () => this.#release(call));
  }

  /** Keep an INVITE's transaction until its final response is handled, for the leak count and close(). */
  #lingerUntilFinal(invite: OutgoingInviteRequest, line: TrunkLine): void {
    const done = new Promise<void>((resolve) => {
      const timer = this.#clock.setTimer(64 * this.#timers.t1Ms + CANCEL_GRACE_MS, () => {
        invite.dispose();
        resolve();
      });
      const check = () => {
        if (
          ![...line.core.userAgentClients.values()].some(
            (uac) => uac.transaction.request === invite.message && awaitingFinal(uac.transaction.state),
          )
        ) {
          this.#clock.clearTimer(timer);
          resolve();
        } else if (!this.#closed) this.#clock.setTimer(200, check);
        else resolve();
      };
      this.#clock.setTimer(200, check);
    });
    this.#lingering.add(done);
    void done.then(() => this.#lingering.delete(done));
  }

  #responded(call: SipCall, line: TrunkLine): void {
    line.breaker.recordSuccess();
    this.#release(call);
  }

  #progress(call: SipCall, line: TrunkLine, response: IncomingResponse): void {
    this.#responded(call, line);
    if (call.state !== 'inviting') return;
    const status = response.message.statusCode ?? 0;
    // RFC 3261 21.1.2/21.1.5: 180 Ringing and 183 Session Progress (early media, RFC 3960).
    if (status === 180 || status === 183) {
      const remote = response.message.body ? parseAnswer(response.message.body) : undefined;
      if (remote) call.rtp?.setRemote(remote);
      if (!call.ringing) {
        call.ringing = true;
        this.#emit(call, { type: 'ringing', callId: call.request.callId, at: this.#clock.now() });
      }
    }
  }

  #accept(call: SipCall, line: TrunkLine, response: AckableIncomingResponseWithSession): void {
    line.breaker.recordSuccess();
    response.ack();
    const session = response.session;
    if (call.state !== 'inviting') {
      // RFC 3261 15: a 2xx that crossed our CANCEL still makes a dialog; end it with BYE.
      session.bye();
      session.dispose();
      return;
    }
    this.#release(call);
    call.session = session;
    session.delegate = {
      onBye: (bye) => {
        bye.accept();
        this.#end(call, this.#answeredOutcome(call), 'remote-bye');
      },
    };
    const remote = response.message.body ? parseAnswer(response.message.body) : undefined;
    if (remote) call.rtp?.setRemote(remote);
    call.state = 'answered';
    const answeredAt = this.#clock.now();
    this.#emit(call, { type: 'answered', callId: call.request.callId, at: answeredAt });
    const legs = this.#options.callLegs;
    if (legs) call.legOpening = this.#openLeg(call, legs);
    // The AMD budget runs on our clock too, in case audio is late or never comes.
    // issue-17: no audio at all by the initial-silence limit is dead air (`unknown` now); else wait out the budget.
    this.#after(call, this.#amd.initialSilenceMs + 500, () => {
      if (call.amd.audioMs === 0) this.#analysed(call, call.amd.finish());
      else this.#after(call, this.#amd.totalAnalysisMs - this.#amd.initialSilenceMs, () => this.#analysed(call, call.amd.finish()));
    });
  }

  #reject(call: SipCall, line: TrunkLine, response: IncomingResponse): void {
    const status = response.message.statusCode ?? 0;
    if (call.state === 'ended') return;
    const meaning = mapFinalResponse(status, call.ringTimedOut);
    if (meaning.kind === 'trunk-unavailable') {
      const now = this.#clock.now();
      const retryAfterMs = parseRetryAfterMs(response.message.getHeader('retry-after')) ?? this.#options.defaultRetryAfterMs ?? 30_000;
      line.breaker.backOff(now, retryAfterMs);
      line.breaker.recordFailure(now);
      this.#log.warn({ trunk: line.config.id, status, retryAfterMs }, 'trunk unavailable; backing off');
      this.#failover(call, meaning.cause);
      return;
    }
    line.breaker.recordSuccess();
    this.#end(call, meaning.outcome, meaning.cause);
  }

  /** The trunk failed the call (5xx, Timer B): try the next trunk, or give up as unavailable. */
  #failover(call: SipCall, cause: string): void {
    this.#releaseLine(call);
    this.#clearTimers(call);
    call.invite = undefined;
    const next = this.#pick(call.request.to, call.tried);
    if (next) {
      this.#log.info({ callId: call.request.callId, from: call.line.config.id, to: next.config.id, cause }, 'failing over');
      this.#dispatch(call, next);
      return;
    }
    if (call.waiter) {
      // Still inside originate: refuse it, so the engine retries the contact without counting the attempt.
      const error = this.#unavailable(call.request.to, new Set());
      const waiter = call.waiter;
      call.waiter = undefined;
      call.buffered = undefined;
      this.#finish(call);
      waiter.reject(
        new PacelineError('E_TRUNK_UNAVAILABLE', `sip trunk: every trunk refused the call (${cause})`, { ...error.cause, cause }),
      );
      return;
    }
    this.#end(call, 'failed', `trunk-unavailable:${cause}`);
  }

  #onTimeout(sipCallId: string, method: string): void {
    const call = this.#bySipCallId.get(sipCallId);
    if (!call || method !== 'INVITE' || call.state !== 'inviting' || call.sipCallId !== sipCallId) return;
    // RFC 3261 17.1.1.2: Timer B fired, the trunk never answered the INVITE.
    call.line.breaker.recordFailure(this.#clock.now());
    call.invite?.dispose();
    this.#failover(call, 'timer-b');
  }

  #audioIn(call: SipCall, samples: Int16Array): void {
    if (call.state !== 'answered') return;
    const decision = call.amd.push(samples);
    if (decision) this.#analysed(call, decision);
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

  /** Open the media plane's leg for an answered call and relay its RTP both ways until the call ends. */
  async #openLeg(call: SipCall, legs: CallLegs): Promise<void> {
    const callId = call.request.callId;
    let relay: LegRelay;
    try {
      const bind = this.#options.relayAddress ?? '127.0.0.1';
      relay = await LegRelay.open({
        callId,
        legs,
        bindAddress: bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind,
        random: this.#random,
        onFromLeg: (packet) => call.rtp?.sendRelayed(packet),
      });
    } catch (error) {
      // The call goes on without agent audio; the engine's connect fails and it abandons in time.
      this.#log.warn({ callId, err: error }, 'media plane: could not open the call leg');
      return;
    }
    this.#relays.add(relay);
    if (call.state !== 'answered' || !call.rtp) {
      await this.#closeRelay(relay); // the call ended while the leg was opening
      return;
    }
    call.relay = relay;
    call.rtp.relayTo((packet) => relay.forward(packet));
  }

  async #closeRelay(relay: LegRelay): Promise<void> {
    try {
      await relay.close();
    } catch (error) {
      this.#log.warn({ callId: relay.leg.callId, err: error }, 'media plane: could not close the call leg');
    } finally {
      this.#relays.delete(relay);
    }
  }

  #beep(call: SipCall, _atMs: number): void {
    if (call.state === 'answered') this.#options.onBeep?.(call.request.callId, this.#clock.now());
  }

  #answeredOutcome(call: SipCall): 'human' | 'machine' {
    // An undecided analysis counts as a person, as the engine treats it.
    // issue-17: a beep heard after a person decision (an AMD revision) makes the call a machine after all.
    return call.decision?.result === 'machine' || call.amd.revision ? 'machine' : 'human';
  }

  async hangup(callId: string): Promise<void> {
    const call = this.#calls.get(callId);
    if (!call) return; // already ended: hanging up twice is harmless
    if (call.state === 'answered') {
      call.session?.bye();
      this.#end(call, this.#answeredOutcome(call), 'hangup');
      return;
    }
    if (call.state === 'inviting') call.invite?.cancel(); // RFC 3261 9.1
    this.#end(call, 'no-answer', 'cancelled');
  }

  async playMessage(callId: string, messageId: string): Promise<void> {
    const call = this.#calls.get(callId);
    if (!call) throw new PacelineError('E_NOT_FOUND', `playMessage: no call ${callId} in progress`);
    if (call.state !== 'answered') throw new PacelineError('E_CONFLICT', `playMessage: call ${callId} is not answered`);
    const path = this.#options.messages?.[messageId];
    if (path === undefined) {
      throw new PacelineError('E_NOT_FOUND', `playMessage: no WAV for message "${messageId}"; add it to options.messages`, { messageId });
    }
    let audio = this.#audio.get(path);
    if (!audio) {
      audio = readWav8k(path);
      this.#audio.set(path, audio);
      audio.catch(() => this.#audio.delete(path));
    }
    const { samples } = await audio;
    await call.rtp?.play(samples);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    for (const call of [...this.#calls.values()]) {
      if (call.state === 'answered') call.session?.bye();
      else if (call.state === 'inviting') call.invite?.cancel();
      this.#end(call, call.state === 'answered' ? this.#answeredOutcome(call) : 'failed', 'trunk-closed');
    }
    this.#closed = true;
    await Promise.race([
      Promise.all([...this.#lingering]).then(() => undefined),
      new Promise<void>((resolve) => this.#clock.setTimer(1_000, resolve)),
    ]);
    for (const line of this.#lines) {
      line.core.dispose();
      await line.transport.close();
    }
  }

  #after(call: SipCall, delayMs: number, fn: () => void): void {
    const timer = this.#clock.setTimer(delayMs, () => {
      call.timers.delete(timer);
      fn();
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

  #end(call: SipCall, outcome: Extract<TrunkEvent, { type: 'ended' }>['outcome'], cause: string): void {
    if (call.state === 'ended') return;
    this.#release(call);
    this.#emit(call, { type: 'ended', callId: call.request.callId, at: this.#clock.now(), outcome, cause });
    this.#finish(call);
    this.#log.info({ callId: call.request.callId, outcome, cause }, 'call ended');
  }

  #finish(call: SipCall): void {
    call.state = 'ended';
    this.#clearTimers(call);
    this.#releaseLine(call);
    this.#calls.delete(call.request.callId);
    this.#bySipCallId.delete(call.sipCallId);
    call.session?.dispose();
    call.rtp?.relayTo(undefined);
    void call.rtp?.close();
    if (call.legOpening) {
      // Close the leg once it is open (or at once); close() waits for it like for a lingering INVITE.
      const closing = call.legOpening.then(() => (call.relay ? this.#closeRelay(call.relay) : undefined));
      this.#lingering.add(closing);
      void closing.then(() => this.#lingering.delete(closing));
    }
  }

  #releaseLine(call: SipCall): void {
    if (call.holding) call.holding.active--;
    call.holding = undefined;
    if (call.sipCallId) call.line.transport.forgetCall(call.sipCallId);
  }
}

/** RFC 3261 17.1.1.2: an INVITE client transaction still waiting for its final response. */
function awaitingFinal(state: TransactionState): boolean {
  return state === TransactionState.Calling || state === TransactionState.Proceeding;
}

/**
 * A `Trunk` over SIP (UDP or TCP) to one or more carrier trunks, with RTP media, answering
 * machine detection and WAV playback. Opens its SIP sockets before resolving.
 */
export async function createSipTrunk(options: SipTrunkOptions): Promise<SipTrunk> {
  if (options.trunks.length === 0) throw new PacelineError('E_INVALID_CONFIG', 'createSipTrunk: trunks: expected at least one trunk');
  const ids = new Set<string>();
  for (const [i, t] of options.trunks.entries()) {
    if (ids.has(t.id)) throw new PacelineError('E_INVALID_CONFIG', `createSipTrunk: trunks[${i}].id: duplicate id "${t.id}"`);
    ids.add(t.id);
    if (t.port !== undefined && !(Number.isInteger(t.port) && t.port > 0 && t.port < 65_536)) {
      throw new PacelineError('E_INVALID_CONFIG', `createSipTrunk: trunks[${i}].port: expected 1–65535, got ${t.port}`);
    }
  }
  const trunk = new SipTrunkImpl(options);
  await trunk.start();
  return trunk;
}
