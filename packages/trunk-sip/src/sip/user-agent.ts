import {
  DigestAuthentication,
  IncomingRequestMessage,
  IncomingResponseMessage,
  LoggerFactory,
  Parser,
  URI,
  UserAgentCore,
} from 'sip.js/lib/core/index.js';
import type { SipTrunkConfig } from '../sip-trunk-options';
import type { SipTransport } from './sip-transport';

/** The URI scheme for a trunk: `sips` over TLS (RFC 3261 19.1), `sip` otherwise. */
export function schemeOf(config: SipTrunkConfig): 'sip' | 'sips' {
  return config.transport === 'tls' ? 'sips' : 'sip';
}

/**
 * SIP.js's user agent core for one trunk: our Contact and Via on `transport`, digest
 * credentials for 401/407 (RFC 3261 22.2), and inbound INVITEs answered with `inboundResponse`
 * (480 or 603) at once — there are no inbound calls yet, and a clean final response leaves
 * no transaction waiting.
 */
export function createUserAgentCore(config: SipTrunkConfig, transport: SipTransport, inboundResponse: 480 | 603): UserAgentCore {
  const loggerFactory = new LoggerFactory();
  loggerFactory.builtinEnabled = false;
  const contactUri = new URI(schemeOf(config), 'paceline', transport.localAddress, transport.localPort, {
    transport: transport.protocol.toLowerCase(),
  });
  return new UserAgentCore(
    {
      aor: new URI(schemeOf(config), 'paceline', config.domain ?? config.host),
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
    },
    {
      // RFC 3261 21.4.18 / 21.6.2: no inbound calls until the blending work gives them a home.
      onInvite: (incoming) => incoming.reject({ statusCode: inboundResponse }),
    },
  );
}

/** Takes the requests of inbound calls (issue 23: `InboundCalls`); false leaves one to the stack. */
export interface InboundReceiver<Line> {
  receive(line: Line, message: IncomingRequestMessage): boolean;
}

/** What the trunk does with messages SIP.js's core would drop or refuse (held-out carrier corpus). */
export interface DeliveryHooks<Line> {
  /**
   * A 101–199 to an INVITE that SIP.js drops because it cannot make an early dialog (no To tag,
   * or no Contact): still about the call — ringing, early media.
   */
  bareProvisional(line: Line, message: IncomingResponseMessage): void;
  /** An UPDATE in a dialog (RFC 3311, not in SIP.js's core): true when the trunk answered it. */
  update(line: Line, message: IncomingRequestMessage): boolean;
  /** The Contact for a 2xx to an INVITE that has none (the trunk's address: every request goes there anyway). */
  fallbackContact(line: Line): string;
  /** A 2xx to an INVITE (RFC 3261 13.2.2.4): true when it was handled outside the core (no live INVITE transaction takes it). */
  answer2xx(line: Line, message: IncomingResponseMessage): boolean;
}

/**
 * Hand one received message to `line`'s core. Requests of inbound calls to accepted numbers
 * go to `inbound`; any other out-of-dialog INVITE gets a stateless `inboundResponse`
 * (480/603): no transaction is created, and its ACK is dropped. An out-of-dialog OPTIONS (a
 * carrier's keepalive, to whatever Request-URI) gets 200 (RFC 3261 11.2); an UPDATE in a dialog
 * goes to `hooks.update` (481 when no dialog takes it). Provisional responses SIP.js would drop
 * are shown to `hooks.bareProvisional`, and a 2xx without Contact gets `hooks.fallbackContact`
 * so that it is ACKed and answered; a 2xx no live INVITE transaction takes goes to
 * `hooks.answer2xx` (ACK and BYE a late one, RFC 3261 13.2.2.4). Unparseable text is dropped; the caller guards against
 * anything thrown.
 */
export function deliver<Line extends { readonly core: UserAgentCore }>(
  line: Line,
  text: string,
  inboundResponse: 480 | 603,
  inbound: InboundReceiver<Line>,
  hooks: DeliveryHooks<Line>,
): void {
  const core = line.core;
  const parse = (raw: string) => Parser.parseMessage(raw, core.loggerFactory.getLogger('sip.parser'));
  let message = parse(text);
  if (message instanceof IncomingResponseMessage) {
    const status = message.statusCode ?? 0;
    if (message.method === 'INVITE' && status > 100 && status < 200 && (!message.toTag || !message.hasHeader('contact'))) {
      hooks.bareProvisional(line, message);
    }
    if (message.method === 'INVITE' && status >= 200 && status < 300 && !message.hasHeader('contact')) {
      // Read again with the Contact after the status line, so the parser builds it as it would its own.
      const statusLineEnd = text.indexOf('\r\n') + 2;
      message = parse(`${text.slice(0, statusLineEnd)}Contact: ${hooks.fallbackContact(line)}\r\n${text.slice(statusLineEnd)}`);
      if (!(message instanceof IncomingResponseMessage)) return;
    }
    if (message.method === 'INVITE' && status >= 200 && status < 300 && hooks.answer2xx(line, message)) return;
    core.receiveIncomingResponseFromTransport(message);
  } else if (message instanceof IncomingRequestMessage && inbound.receive(line, message)) return;
  else if (message instanceof IncomingRequestMessage && message.method === 'INVITE' && !message.toTag) {
    core.replyStateless(message, { statusCode: inboundResponse });
  } else if (message instanceof IncomingRequestMessage && message.method === 'OPTIONS' && !message.toTag) {
    core.replyStateless(message, { statusCode: 200, extraHeaders: [`Allow: ${ALLOW}`, 'Accept: application/sdp'] });
  } else if (message instanceof IncomingRequestMessage && message.method === 'UPDATE') {
    if (!hooks.update(line, message)) core.replyStateless(message, { statusCode: 481 });
  } else if (message instanceof IncomingRequestMessage) core.receiveIncomingRequestFromTransport(message);
}

/** The methods we take (RFC 3261 20.5), in the Allow of our INVITEs and OPTIONS answers. */
export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK';
