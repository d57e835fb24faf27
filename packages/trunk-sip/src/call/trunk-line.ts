import { type Clock, PacelineError } from '@paceline/core';
import { CircuitBreaker, type CircuitBreakerOptions } from '../sip/circuit-breaker';
import type { TransactionTimeout } from '../sip/retransmitter';
import { SendRateLimiter } from '../sip/send-rate-limiter';
import type { SipTimerValues } from '../sip/sip-timers';
import { SipTransport } from '../sip/sip-transport';
import { createUserAgentCore } from '../sip/user-agent';
import type { SipTrunkConfig } from '../sip-trunk-options';
import type { SipCall, TrunkLine } from './sip-call';

export type { TrunkLine } from './sip-call';

/** True when `line` may carry calls to `to` (its prefixes, if any, match). */
export function routes(line: TrunkLine, to: string): boolean {
  return line.config.prefixes === undefined || line.config.prefixes.some((prefix) => to.startsWith(prefix));
}

/** What {@link openTrunkLine} needs besides the trunk's config. */
export interface OpenLineOptions {
  readonly bindAddress: string;
  readonly clock: Clock;
  readonly timers: SipTimerValues;
  readonly breaker: CircuitBreakerOptions;
  readonly inboundResponse: 480 | 603;
  readonly onMessage: (message: string) => void;
  readonly onTimeout: TransactionTimeout;
  readonly onError: (error: Error) => void;
  readonly onSendFailed: (callId: string, method: string, error: Error) => void;
  readonly onConnectionLost: () => void;
}

/** Where each trunk's messages, timeouts and failures go (the trunk that opened them). */
export interface LineHandlers {
  readonly onMessage: (line: TrunkLine, text: string) => void;
  readonly onTimeout: (line: TrunkLine, sipCallId: string, method: string, cause?: 'timer-b' | 'transport-error') => void;
  readonly onError: (config: SipTrunkConfig, error: Error) => void;
  readonly onConnectionLost: (line: TrunkLine) => void;
}

/**
 * Open every configured trunk in order; when one cannot open, close those opened and throw
 * `E_TRUNK_UNAVAILABLE` (retryable) naming it.
 */
export async function openTrunkLines(
  configs: readonly SipTrunkConfig[],
  base: Omit<OpenLineOptions, 'onMessage' | 'onTimeout' | 'onError' | 'onSendFailed' | 'onConnectionLost'>,
  handlers: LineHandlers,
): Promise<TrunkLine[]> {
  const lines: TrunkLine[] = [];
  for (const config of configs) {
    try {
      const line: TrunkLine = await openTrunkLine(config, {
        ...base,
        onMessage: (text) => handlers.onMessage(line, text),
        onTimeout: (sipCallId, method) => handlers.onTimeout(line, sipCallId, method),
        onError: (error) => handlers.onError(config, error),
        onSendFailed: (sipCallId, method) => handlers.onTimeout(line, sipCallId, method, 'transport-error'),
        onConnectionLost: () => handlers.onConnectionLost(line),
      });
      lines.push(line);
    } catch (error) {
      await Promise.all(lines.map((l) => l.transport.close()));
      throw new PacelineError('E_TRUNK_UNAVAILABLE', `createSipTrunk: trunk ${config.id}: could not open its transport: ${String(error)}`, {
        trunk: config.id,
        retryable: true,
      });
    }
  }
  return lines;
}

/** Open a trunk's transport (bind, or connect for TCP/TLS) and its SIP stack. */
export async function openTrunkLine(config: SipTrunkConfig, o: OpenLineOptions): Promise<TrunkLine> {
  const protocol = config.transport ?? 'udp';
  const transport = new SipTransport({
    protocol,
    host: config.host,
    // RFC 3261 19.1.2: 5060 for sip:, 5061 for sips:.
    port: config.port ?? (protocol === 'tls' ? 5061 : 5060),
    ...(config.peers !== undefined && { peers: config.peers }),
    ...(config.tls !== undefined && { tls: config.tls }),
    bindAddress: o.bindAddress,
    clock: o.clock,
    timers: o.timers,
    onMessage: o.onMessage,
    onTimeout: o.onTimeout,
    onError: o.onError,
    onSendFailed: o.onSendFailed,
    onConnectionLost: o.onConnectionLost,
  });
  await transport.open();
  return {
    config,
    transport,
    core: createUserAgentCore(config, transport, o.inboundResponse),
    breaker: new CircuitBreaker(o.breaker),
    limiter: new SendRateLimiter(config.callsPerSecond ?? 0),
    active: 0,
    queue: [],
    pumpTimer: undefined,
  };
}

/** What {@link pumpInvites} does with a queued call. */
export interface PumpActions {
  /** Send the call's INVITE now (its token taken, its trial slot marked). */
  readonly send: (call: SipCall) => void;
  /** The trunk cannot take it now (backed off, broken, its trial in flight): send it elsewhere. */
  readonly refuse: (call: SipCall) => void;
  /** Run a timer callback without letting it throw. */
  readonly guard: (fn: () => void) => void;
}

/**
 * Send the queued INVITEs whose time has come. Health is re-checked for each at send time: a
 * Retry-After or an open breaker that arrived while they waited refuses them (the trunk sends
 * them elsewhere or back to the engine), and a half-open trunk takes one trial call.
 */
export function pumpInvites(line: TrunkLine, clock: Clock, actions: PumpActions): void {
  if (line.pumpTimer !== undefined) return;
  while (line.queue.length > 0) {
    const call = line.queue[0] as SipCall;
    if (call.state !== 'queued' || call.line !== line) {
      line.queue.shift();
      continue;
    }
    const now = clock.now();
    if (!line.breaker.allows(now)) {
      for (const waiting of line.queue.splice(0)) if (waiting.state === 'queued' && waiting.line === line) actions.refuse(waiting);
      return;
    }
    const waitMs = line.limiter.waitMs(now);
    if (waitMs > 0) {
      line.pumpTimer = clock.setTimer(waitMs, () => {
        line.pumpTimer = undefined;
        actions.guard(() => pumpInvites(line, clock, actions));
      });
      return;
    }
    const permit = line.breaker.tryAcquire(now);
    if (!permit || !line.limiter.tryTake(now)) return;
    line.queue.shift();
    if (permit === 'trial') call.trialOf = line;
    actions.send(call);
  }
}

/** `E_TRUNK_UNAVAILABLE` (retryable) with when a trunk routing `to` may take calls again. */
export function unavailableError(lines: readonly TrunkLine[], to: string, now: number, why: string): PacelineError {
  const routed = lines.filter((l) => routes(l, to));
  const retryAfterMs = routed.length === 0 ? undefined : Math.max(0, Math.min(...routed.map((l) => l.breaker.availableAt())) - now);
  return new PacelineError('E_TRUNK_UNAVAILABLE', `sip trunk: no trunk can take the call now (${why})`, {
    retryable: true,
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  });
}

/** The first trunk not in `exclude` that routes `to`, has a free channel and is not backed off or broken. */
export function pickLine(lines: readonly TrunkLine[], to: string, exclude: ReadonlySet<TrunkLine>, now: number): TrunkLine | undefined {
  return lines.find(
    (l) => !exclude.has(l) && routes(l, to) && l.active < (l.config.maxChannels ?? Number.POSITIVE_INFINITY) && l.breaker.allows(now),
  );
}
