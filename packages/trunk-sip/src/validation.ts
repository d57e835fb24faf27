import { createParser, E164, Id, type OriginateRequest, PacelineError, type Parser } from '@paceline/core';
import Type from 'typebox';
import type { SipTrunkConfig, SipTrunkOptions } from './sip-trunk-options';

/** 47 CFR 64.1200(a)(6), TSR 310.4(b)(1)(iv): at least 15 s of ringing before no-answer. */
export const MIN_RING_TIMEOUT_MS = 15_000;
/** The longest ring time we accept (5 minutes): anything longer is a unit mistake. */
export const MAX_RING_TIMEOUT_MS = 300_000;

// Everything that ends up in a SIP header is restricted to characters that cannot break out of
// it (RFC 3261 25.1): no CR, LF, NUL or other control characters, no quotes or angle brackets.
const HostName = Type.String({
  minLength: 1,
  maxLength: 253,
  pattern:
    '^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?$|^[0-9.]+$|^\\[?[0-9A-Fa-f:.]+\\]?$',
  expected: 'a host name or IP address (letters, digits, dots, hyphens)',
});
const IpAddress = Type.String({
  pattern: '^[0-9]{1,3}(?:\\.[0-9]{1,3}){3}$|^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$',
  expected: 'an IPv4 or IPv6 address',
});
const Port = Type.Integer({ minimum: 1, maximum: 65_535, expected: 'a port 1–65535' });
const Ms = (minimum: number, maximum: number) =>
  Type.Number({ minimum, maximum, expected: `a finite number of ms from ${minimum} to ${maximum}` });
const SipToken = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: "^[A-Za-z0-9._~!$&'()*+,;=%-]+$",
  expected: "a SIP user name (letters, digits and -_.!~*'()&=+$,;%)",
});
const NoControl = Type.String({ maxLength: 256, pattern: '^[^\\u0000-\\u001f\\u007f]*$', expected: 'text without control characters' });
const Pem = Type.String({ minLength: 1, pattern: '-----BEGIN ', expected: 'PEM text (-----BEGIN …)' });

const TrunkConfigSchema = Type.Object(
  {
    id: Id,
    host: HostName,
    port: Type.Optional(Port),
    transport: Type.Optional(Type.Union([Type.Literal('udp'), Type.Literal('tcp'), Type.Literal('tls')], { expected: 'udp, tcp or tls' })),
    tls: Type.Optional(
      Type.Object(
        { ca: Type.Optional(Pem), servername: Type.Optional(HostName), cert: Type.Optional(Pem), key: Type.Optional(Pem) },
        { additionalProperties: false },
      ),
    ),
    peers: Type.Optional(Type.Array(IpAddress, { maxItems: 64 })),
    domain: Type.Optional(HostName),
    username: Type.Optional(SipToken),
    password: Type.Optional(NoControl),
    callerId: Type.Optional(E164),
    maxChannels: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, expected: 'an integer from 1 to 100000' })),
    callsPerSecond: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 1_000, expected: 'a number of calls per second above 0, at most 1000' }),
    ),
    prefixes: Type.Optional(Type.Array(Type.String({ pattern: '^\\+[0-9]{1,15}$', expected: 'an E.164 prefix such as +44' }))),
  },
  { additionalProperties: false },
);

/** The data part of {@link SipTrunkOptions} (ports, callbacks and AMD settings are checked elsewhere). */
const OptionsSchema = Type.Object({
  trunks: Type.Array(TrunkConfigSchema, { minItems: 1, expected: 'at least one trunk' }),
  messages: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1 }))),
  bindAddress: Type.Optional(IpAddress),
  relayAddress: Type.Optional(IpAddress),
  sipTimers: Type.Optional(
    Type.Object({ t1Ms: Type.Optional(Ms(50, 10_000)), t2Ms: Type.Optional(Ms(500, 60_000)) }, { additionalProperties: false }),
  ),
  breaker: Type.Optional(
    Type.Object(
      {
        failureThreshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000, expected: 'an integer from 1 to 1000' })),
        openMs: Type.Optional(Ms(100, 3_600_000)),
      },
      { additionalProperties: false },
    ),
  ),
  defaultRetryAfterMs: Type.Optional(Ms(0, 3_600_000)),
  maxRetryAfterMs: Type.Optional(Ms(1_000, 86_400_000)),
  acceptWaitMs: Type.Optional(Ms(0, 30_000)),
  maxSetupMs: Type.Optional(Ms(MIN_RING_TIMEOUT_MS + 5_000, 600_000)),
  maxRedirects: Type.Optional(Type.Integer({ minimum: 0, maximum: 5, expected: 'an integer from 0 to 5' })),
  rtpSource: Type.Optional(
    Type.Union([Type.Literal('sdp'), Type.Literal('sdp-address'), Type.Literal('latch')], { expected: 'sdp, sdp-address or latch' }),
  ),
  inboundResponse: Type.Optional(Type.Union([Type.Literal(480), Type.Literal(603)], { expected: '480 or 603' })),
});

const OriginateSchema = Type.Object({
  callId: Id,
  campaignId: Type.String({ maxLength: 128, expected: 'a campaign id of at most 128 characters' }),
  to: E164,
  // Empty: the trunk's configured caller ID.
  callerId: Type.Union([E164, Type.Literal('')], { expected: 'an E.164 caller ID such as +14155550123 (or "" for the trunk default)' }),
  ringTimeoutMs: Type.Integer({
    minimum: MIN_RING_TIMEOUT_MS,
    maximum: MAX_RING_TIMEOUT_MS,
    expected: `an integer number of ms from ${MIN_RING_TIMEOUT_MS} to ${MAX_RING_TIMEOUT_MS} (at least 15 s of ringing)`,
  }),
});

const parseOptionsData: Parser<unknown> = createParser(OptionsSchema, { code: 'E_INVALID_INPUT', root: 'createSipTrunk' });
const parseOriginate: Parser<unknown> = createParser(OriginateSchema, { code: 'E_INVALID_INPUT', root: 'originate' });

/** The same error, marked non-retryable: asking again with the same input cannot succeed. */
function nonRetryable(error: unknown): unknown {
  if (!(error instanceof PacelineError)) return error;
  return new PacelineError(error.code, error.message, { ...error.cause, retryable: false });
}

/**
 * Check {@link SipTrunkOptions}: every timer finite and bounded, host names, user names and
 * caller IDs free of anything that could break a SIP header, unique trunk ids, a caller ID for
 * every trunk. Throws a non-retryable `E_INVALID_INPUT` naming each bad field.
 */
export function validateSipTrunkOptions(options: SipTrunkOptions): void {
  if (typeof options !== 'object' || options === null) throw nonRetryable(parseOptionsData(options));
  const data = {
    trunks: options.trunks,
    ...pick(options, [
      'messages',
      'bindAddress',
      'relayAddress',
      'sipTimers',
      'breaker',
      'defaultRetryAfterMs',
      'maxRetryAfterMs',
      'acceptWaitMs',
      'maxSetupMs',
      'maxRedirects',
      'rtpSource',
      'inboundResponse',
    ]),
  };
  try {
    parseOptionsData(data);
  } catch (error) {
    throw nonRetryable(error);
  }
  const ids = new Set<string>();
  for (const [i, trunk] of options.trunks.entries()) {
    if (ids.has(trunk.id)) {
      throw new PacelineError('E_INVALID_INPUT', `createSipTrunk.trunks[${i}].id: duplicate id "${trunk.id}"; give each trunk its own id`, {
        issues: [{ path: `createSipTrunk.trunks[${i}].id`, message: 'duplicate id' }],
        retryable: false,
      });
    }
    ids.add(trunk.id);
  }
  for (const name of ['clock', 'random'] as const) {
    if (typeof options[name] !== 'object' || options[name] === null) {
      throw new PacelineError('E_INVALID_INPUT', `createSipTrunk.${name}: is required`, {
        issues: [{ path: `createSipTrunk.${name}`, message: 'is required' }],
        retryable: false,
      });
    }
  }
}

/**
 * Check one originate request: E.164 `to` and caller ID (no control characters, nothing to
 * inject into From or P-Asserted-Identity), a ring timeout of 15 s to 5 min. Throws a
 * non-retryable `E_INVALID_INPUT` naming the field.
 */
export function validateOriginate(request: OriginateRequest): void {
  try {
    parseOriginate(request);
  } catch (error) {
    throw nonRetryable(error);
  }
}

/**
 * DESIGN.md: a valid, callable caller ID on every attempt. An empty `callerId` falls back to the
 * trunk's; when a trunk that may carry the call has none, `E_NO_CALLER_ID` (non-retryable).
 */
export function requireCallerId(request: OriginateRequest, routed: readonly SipTrunkConfig[]): void {
  if (request.callerId !== '' || routed.every((trunk) => trunk.callerId !== undefined)) return;
  throw new PacelineError('E_NO_CALLER_ID', 'originate.callerId: empty, and a trunk routing the number has no callerId; give one', {
    issues: [{ path: 'originate.callerId', message: 'expected an E.164 caller ID' }],
    retryable: false,
  });
}

function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
